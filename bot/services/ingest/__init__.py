"""The ingestion pipeline: poll sources, deduplicate, enrich and store articles."""
