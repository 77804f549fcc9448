"""Rendering plain service results into Telegram HTML messages and keyboards."""
