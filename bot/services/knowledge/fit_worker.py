"""The training child process (bot/services/knowledge/training.py, `fit_elsewhere`): reads
the pickled (terms, rules, documents) from stdin, fits the model and writes the pickled
(stored form, seconds) to stdout. The pickles only ever travel between this bot's own
processes over a pipe."""

from __future__ import annotations

import pickle
import sys

from bot.services.knowledge.training import fit


def main() -> None:
    terms, rules, docs = pickle.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(pickle.dumps(fit(terms, rules, docs)))


if __name__ == "__main__":
    main()
