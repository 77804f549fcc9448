"""Questions paired with what the engine must understand: the intent, and the proposals and
actors among those it finds (a case may name fewer than the answer holds)."""

from __future__ import annotations

from collections.abc import Sequence

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


# question, the language the user writes in, intent, proposal slugs, actor slugs
UnderstoodIn = tuple[str, str, str, list[str], list[str]]


def understood_in_cases(rows: list[UnderstoodIn]) -> list[ParameterSet]:
    """One pytest parameter (case, lang) per row, named by its question."""
    return [pytest.param((q, intent, p, a), lang, id=q) for q, lang, intent, p, a in rows]


def phrasings(
    questions: list[str], intent: str, proposals: Sequence[str] = (), actors: Sequence[str] = ()
) -> list[ParameterSet]:
    """Several ways of asking one thing, each expected to be understood alike."""
    return understood_cases([(q, intent, list(proposals), list(actors)) for q in questions])
