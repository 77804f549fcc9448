"""The default dossier: a human-editable YAML file loaded through pydantic models."""
