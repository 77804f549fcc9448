"""Persistence: ORM models, repositories, migrations and the default dossier."""
