"""A fake Telegram Bot API on loopback for end-to-end tests and benchmarks.

server.py serves HTTP and holds the state tests inspect and drive (updates, faults, limits);
updates.py pushes what users send; methods.py answers the Bot API methods the bot calls;
params.py reads request bodies; records.py holds what is recorded. The HTML checker is
tests/support/telegram_html.py."""
