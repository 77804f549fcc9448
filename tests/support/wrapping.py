"""The wrapping that wires and aggregators put around a story, as it appears in the labelled
bodies: datelines, bylines, date scraps and photo credits. Written independently of the
cleaner's own patterns (bot/services/text/cleaning.py), so a summary checked against these is
checked by something other than the code that produced it. Used by tests/unit/test_brief_summary.py
and benchmarks/brief_quality.py."""

from __future__ import annotations

import re

WRAPPING = [
    re.compile(r"(?i)\b(?:date|дата)\s+\d{4}-\d{2}"),
    re.compile(r"(?i)(?:^|\s)(?:photo|foto|фото|fot)\s?[:.]"),
    re.compile(r"(?i)\b(?:AP|AFP) Photo\b|/AP\b|/AFP\b|dpa\b"),
    re.compile(r"(?i)\breporting by\b|\bediting by\b|^by [A-Z]|^(?:von|par|di) [A-Z]"),
    re.compile(r"(?i)^(?:автор|autor)\s*:"),
    re.compile(r"^[A-ZА-ЯЁІЇЄҐ]{3,}(?:\s[A-Z]{3,})?\s*[—–-]\s"),  # KYIV — / NEW YORK —
    re.compile(r"^[\w .]+,\s*\w+\.?\s+\d{1,2}\s*\([^)]+\)\s*[—–-]"),  # KYIV, Aug 20 (X) -
    re.compile(r"^[\w .]+,\s*\d{1,2}\.?\s+\w+\s*(?:\([^)]+\))?\s*[—–-]"),  # Milan, 20 August (X) –
    re.compile(r"^[\w .]+,\s*\w+\.?\s+\d{1,2}\s*[—–-]\s"),  # WASHINGTON, Aug 20 —
    re.compile(r"^[\w .]+\s\([A-Z]{2,4}\)\s*[—–-]"),  # Brüssel (RNA) -
    re.compile(r"^[А-ЯЁІЇЄҐ][а-яёіїєґ']+,\s*\d{1,2}\s+\w+\.\s"),  # Київ, 24 лютого.
]


def wrapped(text: str) -> list[str]:
    """The patterns above that `text` still matches (empty when it reads clean)."""
    return [p.pattern for p in WRAPPING if p.search(text)]


def words(text: str) -> str:
    """The text's words, case-folded, one space apart (to find a headline inside a summary)."""
    return " ".join(re.findall(r"\w+", text.casefold()))
