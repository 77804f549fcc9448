"""Fetching sources safely (SSRF guard, size and time limits) and parsing feeds and pages."""
