"""Subscriptions, digest building, the outbox and its paced delivery worker."""
