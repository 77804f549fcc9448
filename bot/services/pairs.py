"""Parse '/compare <a> <b>' where each side may be a number, a slug or several words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.services.resolve import resolve_proposal
from bot.services.views import Ref, Resolution

_SEPARATOR = re.compile(
    r"\s*(?:\bvs\.?\b|\bversus\b|\band\b|[|,;/]|\bта\b|\bи\b)\s*", re.IGNORECASE
)


@dataclass
class PairResult:
    left: Resolution
    right: Resolution
    left_text: str
    right_text: str

    @property
    def both(self) -> tuple[Ref, Ref] | None:
        if self.left.match and self.right.match:
            return self.left.match, self.right.match
        return None


def split_candidates(text: str) -> list[tuple[str, str]]:
    """Ways to split the text into two sides, most likely first."""
    parts = [p for p in _SEPARATOR.split(text) if p.strip()]
    if len(parts) == 2:
        return [(parts[0].strip(), parts[1].strip())]
    words = text.split()
    if len(words) < 2:
        return []
    middle = len(words) // 2
    order = sorted(range(1, len(words)), key=lambda i: (abs(i - middle), i))
    return [(" ".join(words[:i]), " ".join(words[i:])) for i in order]


def resolve_pair(session: Session, text: str) -> PairResult | None:
    candidates = split_candidates(text)
    if not candidates:
        return None
    first: PairResult | None = None
    for left_text, right_text in candidates[:12]:
        result = PairResult(
            resolve_proposal(session, left_text),
            resolve_proposal(session, right_text),
            left_text,
            right_text,
        )
        if result.both:
            return result
        first = first or result
    return first
