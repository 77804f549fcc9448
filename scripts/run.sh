#!/usr/bin/env bash
# Install if needed, then run the real bot when BOT_TOKEN is set, the local console otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh >/dev/null
token="${BOT_TOKEN:-}"
if [ -z "$token" ] && [ -f .env ]; then
  token="$(sed -n 's/^BOT_TOKEN=//p' .env | tail -n 1 | tr -d '"'"'"' ')"
fi
if [ -n "$token" ]; then
  exec .venv/bin/briefbot run "$@"
else
  echo "BOT_TOKEN is not set: starting the local console (type /help)." >&2
  exec .venv/bin/briefbot chat "$@"
fi
