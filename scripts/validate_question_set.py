"""Check a question-set YAML file against the dossier without running the bot.

Usage: python scripts/validate_question_set.py QUESTIONS.yaml [DOSSIER.yaml]

Checks that the file parses, that every entry has exactly the keys
q, lang, expect_proposals, expect_actors and intent with allowed values,
and that every expected slug exists in the dossier. Prints counts per
language and intent; exits non-zero on any problem.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

KEYS = {"q", "lang", "expect_proposals", "expect_actors", "intent"}
LANGS = {"en", "uk", "ru"}
INTENTS = {
    "propose",
    "backers",
    "opponents",
    "position",
    "news",
    "compare",
    "membership",
    "said",
    "other",
}
DEFAULT_DOSSIER = Path("storage/dossier/ukraine_security_guarantees.yaml")


def problems(questions: list[dict], proposals: set[str], actors: set[str]) -> list[str]:
    """Return a description of every invalid entry."""
    found: list[str] = []
    for i, entry in enumerate(questions):
        where = f"#{i} {entry.get('q', '?')!r}"
        if set(entry) != KEYS:
            found.append(f"{where}: keys {sorted(entry)}")
            continue
        if not isinstance(entry["q"], str) or not entry["q"].strip():
            found.append(f"{where}: empty question")
        if entry["lang"] not in LANGS:
            found.append(f"{where}: lang {entry['lang']!r}")
        if entry["intent"] not in INTENTS:
            found.append(f"{where}: intent {entry['intent']!r}")
        found += [
            f"{where}: unknown proposal {s!r}"
            for s in entry["expect_proposals"]
            if s not in proposals
        ]
        found += [
            f"{where}: unknown actor {s!r}" for s in entry["expect_actors"] if s not in actors
        ]
    return found


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    dossier = yaml.safe_load(
        (Path(argv[1]) if len(argv) > 1 else DEFAULT_DOSSIER).read_text("utf-8")
    )
    proposals = {p["slug"] for p in dossier["proposals"]}
    actors = {a["slug"] for a in dossier["actors"]}
    questions = yaml.safe_load(Path(argv[0]).read_text("utf-8"))["questions"]
    found = problems(questions, proposals, actors)
    for line in found:
        print(line)
    print(f"{len(questions)} questions; by language {dict(Counter(q['lang'] for q in questions))}")
    print(f"by intent {dict(Counter(q['intent'] for q in questions))}")
    covered = {s for q in questions for s in q["expect_proposals"]}
    print(f"proposals never expected: {sorted(proposals - covered) or 'none'}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
