"""Text analysis, offline: linking articles to actors and proposals, sentences, summaries."""
