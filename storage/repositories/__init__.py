"""Repositories: every SQL query of the project lives in this package."""
