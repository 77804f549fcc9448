"""Callback data: short, typed, ≤ 64 bytes, and parsed defensively (clients can send anything)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.render.html import MAX_CALLBACK_BYTES

# prefixes (kept short: callback_data is limited to 64 bytes)
PROPOSALS = "p"  # p:<page>
ACTORS = "a"  # a:<page>
PROPOSAL = "pv"  # pv:<id>
ACTOR = "av"  # av:<id>
TIMELINE = "t"  # t:<page>
TIMELINE_PROPOSAL = "tp"  # tp:<proposal id>:<page>
PROPOSAL_FACTS = "pf"  # pf:<proposal id>:<page>
LATEST = "l"  # l:<page>
LATEST_ALL = "la"  # la:<page> (/latest all: off-topic articles too)
# lk:<o|a|r|c|on|off>:<doc id>[:<proposal id>] (open, add, remove, confirm, on-/off-topic)
LINKS = "lk"
DIGEST_LINKS = "dl"  # dl:<digest id>[:<page>] (an admin's digest: pick an article to correct)
LATEST_PROPOSAL = "lp"  # lp:<proposal id>:<page>
COMPARE = "c"  # c:<left> (left chosen, pick right), c:<left>:<right> (the comparison)
COMPARE_LEFT_PAGE = "cl"  # cl:<page>
COMPARE_RIGHT_PAGE = "cr"  # cr:<left>:<page>
SEARCH = "s"  # s:<token>:<page>
SOURCES = "sl"  # sl:<page>
REVIEW = "rv"  # rv:<a|r|e (approve, reject, edit)>:<f|c (fact, candidate actor)>:<id>
LANGUAGE = "lg"  # lg:<language code>
CURATE = "cu"  # cu:<y|n (confirm, cancel)>:<preview token>
CURATE_FIELD = "cf"  # cf:<proposal field> (the /editproposal conversation)
CURATE_PICK = "cq"  # cq:<a|s|p (actor, stance, proposal)>:<id or stance>, cq:<A|P>:<page>
NOOP = "noop"


def make(prefix: str, *parts: int | str) -> str:
    data = ":".join([prefix, *(str(p) for p in parts)])
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback_data too long: {data!r}")
    return data


@dataclass(frozen=True)
class Callback:
    prefix: str
    args: tuple[str, ...]

    def int_arg(self, index: int) -> int | None:
        try:
            value = int(self.args[index])
        except (IndexError, ValueError):
            return None
        return value if 0 <= value < 2**31 else None


def parse(data: str | None) -> Callback | None:
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    prefix, *args = data.split(":")
    return Callback(prefix, tuple(args))
