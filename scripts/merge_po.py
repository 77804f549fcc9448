"""Developer tool: resolve a git merge conflict in a .po file by keeping both sides' translations.

Usage (during a conflicted merge): python scripts/merge_po.py bot/locale/uk/LC_MESSAGES/briefbot.po
then run scripts/update_catalogs.sh. Where both sides translated the same text differently,
"ours" wins and the other is printed so a translator can look.
"""

from __future__ import annotations

import io
import subprocess
import sys

from babel.messages.pofile import read_po, write_po


def side(stage: int, path: str):  # type: ignore[no-untyped-def]
    data = subprocess.run(
        ["git", "show", f":{stage}:{path}"], capture_output=True, check=True
    ).stdout
    return read_po(io.BytesIO(data))


def main(path: str) -> None:
    ours, theirs = side(2, path), side(3, path)
    for message in theirs:
        if not message.id or not message.string:
            continue
        mine = ours.get(message.id)
        if mine is None:
            ours[message.id] = message
        elif not mine.string or mine.fuzzy:
            mine.string = message.string
            mine.flags.discard("fuzzy")
        elif mine.string != message.string:
            print(f"kept ours for {message.id!r}", file=sys.stderr)
    with open(path, "wb") as fh:
        write_po(fh, ours)


if __name__ == "__main__":
    main(sys.argv[1])
