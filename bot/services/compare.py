"""Side-by-side comparison of two proposals."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.services.catalog import proposal_detail
from bot.services.views import ProposalView


@dataclass
class Comparison:
    left: ProposalView
    right: ProposalView
    common_backers: list[str]  # actors who back both
    split_actors: list[str]  # actors backing one and opposing the other


BACKING = {"proposes", "supports"}


def backers(view: ProposalView) -> list[str]:
    return [s.ref.label for s in view.positions if s.stance in BACKING]


def opponents(view: ProposalView) -> list[str]:
    return [s.ref.label for s in view.positions if s.stance == "opposes"]


def conditional(view: ProposalView) -> list[str]:
    return [s.ref.label for s in view.positions if s.stance == "conditional"]


def compare_proposals(session: Session, left_id: int, right_id: int) -> Comparison | None:
    left = proposal_detail(session, left_id)
    right = proposal_detail(session, right_id)
    if left is None or right is None:
        return None
    left_back, right_back = set(backers(left)), set(backers(right))
    common = [name for name in backers(left) if name in right_back]
    split = sorted((left_back & set(opponents(right))) | (right_back & set(opponents(left))))
    return Comparison(left, right, common, split)
