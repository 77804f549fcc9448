"""People named by their title and country: "the Italian PM", "итальянский премьер",
"pm of italy", "британський прем'єр".

The country is a state the gazetteer already found ("Italian" links Italy); the title is a
word next to it. The person is the dossier's actor whose `country` is that state and whose
`role` holds the title; when the dossier holds no such person ("the British PM"), the state
itself stands for them, with the title taken into its name so it is never read as a cue.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.questions.topics import Cue, parse_cues
from bot.services.text.tokens import Token

# role words (in the dossier's English `role`) and the titles people type for them, as word
# beginnings ("$": the whole word), longest first
TITLES: dict[str, str] = {
    "prime minister": (
        "prime minister | pm$ | premier | head of government | прем'єр міністр | прем'єрк | "
        "прем'єр | голов уряд | премьер министр | премьерш | премьер | глав правительств"
    ),
    "defen": (
        "defence minister | defense minister | defence secretary | defense secretary | "
        "secretary of defen | defence chief | defense chief | minister of defen | "
        "міністр оборон | міністерк оборон | министр оборон | глав минобороны | міноборон | "
        "defence$ | defense$ | defence guy | defense guy | defence person | defense person"
    ),
    "president": "president | президент",
}
# words that may stand between a title and its country ("the PM of Italy")
_LINKS = frozenset({"of", "the"})


@dataclass(frozen=True)
class Person:
    country: str
    role: str  # the dossier's English role


@dataclass(frozen=True)
class TitleHit:
    role: str  # a key of TITLES
    first: int
    last: int


_PARSED: tuple[tuple[str, tuple[Cue, ...]], ...] = tuple(
    (role, parse_cues(text)) for role, text in TITLES.items()
)


def _title_at(keys: list[str | None], i: int) -> TitleHit | None:
    best: TitleHit | None = None
    for role, cues in _PARSED:
        for cue in cues:
            if cue.at(keys, i) and (best is None or len(cue.words) > best.last - i + 1):
                best = TitleHit(role, i, i + len(cue.words) - 1)
    return best


def _title_ending_at(keys: list[str | None], end: int) -> TitleHit | None:
    for start in range(end, max(end - 4, -1), -1):
        hit = _title_at(keys, start)
        if hit is not None and hit.last == end:
            return hit
    return None


def title_beside(keys: list[str | None], first: int, last: int) -> TitleHit | None:
    """A title right after the name ("italian pm") or before it, maybe with "of"/"the"
    between ("pm of italy", "премьер италии")."""
    after = _title_at(keys, last + 1) if last + 1 < len(keys) else None
    if after is not None:
        return after
    end = first - 1
    while end >= 0 and keys[end] in _LINKS and end > first - 3:
        end -= 1
    return _title_ending_at(keys, end) if end >= 0 else None


def person_with_title(
    people: dict[int, Person], country: str, role: str, exclude: int | None = None
) -> int | None:
    """The one person of `country` whose role holds `role`, if the dossier has exactly one."""
    found = [
        pid
        for pid, p in people.items()
        if pid != exclude
        and p.country.casefold() == country.casefold()
        and role in p.role.casefold()
    ]
    return found[0] if len(found) == 1 else None


def title_keys(tokens: list[Token], covered: set[int]) -> list[str | None]:
    """The comparison keys of the words no name covers (None where one does)."""
    return [None if i in covered else t.norm for i, t in enumerate(tokens)]
