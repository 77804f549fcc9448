"""Telegram handlers, one module per command family; each exposes `register(application)`."""
