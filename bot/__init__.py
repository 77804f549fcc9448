"""briefbot: a Telegram briefing assistant with a curated, cited knowledge base."""

__version__ = "0.1.0"
