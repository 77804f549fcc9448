"""Services: what the bot does, callable from handlers, the scheduler, the CLI and tests."""
