"""What the bot learns from labelled documents: the linking model, its training and storage."""
