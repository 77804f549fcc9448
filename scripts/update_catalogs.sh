#!/usr/bin/env sh
# Re-extract translatable texts into bot/locale/briefbot.pot and merge them into every catalogue.
# Keywords (`_`, `N_`, `_.plural`) are set in babel.cfg, the one place tests read them from too.
# Usage: scripts/update_catalogs.sh            update the template and all catalogues
#        scripts/update_catalogs.sh --init xx  also start a catalogue for language xx
set -eu
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-$(command -v pybabel || echo .venv/bin/pybabel)}"
POT=bot/locale/briefbot.pot
"$PYBABEL" -q extract -F babel.cfg --project=briefbot --version=0.1 --sort-by-file \
    --add-comments=TRANSLATORS: -o "$POT" .
if [ "${1:-}" = "--init" ]; then
    "$PYBABEL" -q init -D briefbot -i "$POT" -d bot/locale -l "$2"
fi
# no fuzzy matching: a guessed translation is wrong more often than it helps, and the bot
# ignores fuzzy entries anyway (they fall back to English until a translator confirms them)
"$PYBABEL" -q update -D briefbot -i "$POT" -d bot/locale --no-fuzzy-matching --ignore-obsolete
# English is the source language: its catalogue is complete by construction (msgstr = msgid),
# so a test can tell "every text is in the catalogue" from "someone forgot to run this script".
PYTHON="${PYTHON:-$(dirname "$PYBABEL")/python}"
"$PYTHON" - <<'PY'
from babel.messages.pofile import read_po, write_po

path = "bot/locale/en/LC_MESSAGES/briefbot.po"
with open(path, "rb") as fh:
    catalog = read_po(fh)
for message in catalog:
    if message.id:  # the header (id "") keeps its own text
        message.string = message.id
        message.flags.discard("fuzzy")
with open(path, "wb") as fh:
    write_po(fh, catalog)
PY
