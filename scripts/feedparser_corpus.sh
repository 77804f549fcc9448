#!/usr/bin/env bash
# Fetch feedparser's own test corpus (its sdist on PyPI ships tests/) for tests/corpus/;
# prints the folder. Nothing of it is kept in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(.venv/bin/python -c "import importlib.metadata as m; print(m.version('feedparser'))")
dest=".cache/feedparser-corpus/$version"
if [ ! -d "$dest/tests" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  .venv/bin/pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
    "feedparser==$version" -d "$tmp" >&2
  mkdir -p "$dest"
  tar -xzf "$tmp/feedparser-$version.tar.gz" -C "$dest" --strip-components=1 \
    "feedparser-$version/tests"
fi
echo "$PWD/$dest/tests"
