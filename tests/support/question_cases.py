"""Questions paired with what the engine must understand: the intent, and the proposals and
actors among those it finds (a case may name fewer than the answer holds)."""

from __future__ import annotations

import pytest
from _pytest.mark import ParameterSet
from sqlalchemy.orm import Session

from bot.services.questions import answer_question

# question, intent, proposal slugs, actor slugs
Understood = tuple[str, str, list[str], list[str]]


def understood_cases(rows: list[Understood]) -> list[ParameterSet]:
    """One pytest parameter per row, named by its question."""
    return [pytest.param(row, id=row[0]) for row in rows]


def assert_understood(session: Session, case: Understood, lang: str = "en") -> None:
    question, intent, proposals, actors = case
    answer = answer_question(session, question, lang)
    assert answer.intent == intent
    assert set(proposals) <= set(answer.proposal_slugs)
    assert set(actors) <= set(answer.actor_slugs)
