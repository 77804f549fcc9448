#!/usr/bin/env bash
# Install if needed, lint, run the suite on SQLite, then again on PostgreSQL when one can be started.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh
.venv/bin/ruff check .
# feedparser's test corpus for tests/corpus/ (from its sdist on PyPI); skipped when unreachable
FEEDPARSER_CORPUS="${FEEDPARSER_CORPUS:-$(./scripts/feedparser_corpus.sh || true)}"
export FEEDPARSER_CORPUS
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
if [ "${SKIP_POSTGRES:-0}" != "1" ]; then
  ./scripts/with_postgres.sh .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
fi
