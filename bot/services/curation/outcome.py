"""The result of previewing or applying a curator's request (or an undo)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.services.views import ChangeView

# done: written (or, in a preview, would be); gone: what it is about no longer exists;
# unchanged: it already is so; duplicate: a proposal/actor of that name or a fact with that
# text exists; not_public: the fact is not an approved one; nothing: no change to undo;
# conflict: (undo) changed since, by this admin or another one
Status = Literal["done", "gone", "unchanged", "duplicate", "not_public", "nothing", "conflict"]


@dataclass(frozen=True)
class Outcome:
    status: Status
    view: ChangeView | None = None
