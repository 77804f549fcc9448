"""Question families the fourth round of questions found (tests/fixtures/questions/round4_questions.yaml):
groups by their people, slang, decisions, "when did", sources, "how will it work", slips in a
proposal's name of several words."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.services.questions import answer_question
from bot.services.questions.grammar import DECIDED, POSITION, STATUS, WHEN, choose_intent, read_cues
from tests.support.question_cases import (
    Understood,
    UnderstoodIn,
    assert_understood,
    understood_in_cases,
)

ROUND4: dict[str, list[UnderstoodIn]] = {
    "groups by their people, and everyday names": [
        ("what do the europeans want", "en", "proposes", [], ["european-leaders"]),
        ("чого хочуть європейці", "uk", "proposes", [], ["european-leaders"]),
        ("чего добиваются европейцы", "ru", "proposes", [], ["european-leaders"]),
        ("глава пентагону що каже про війська", "uk", "said", ["european-troops"], ["us"]),
        ("що думає зеля про план мелоні", "uk", "position", ["art5-like"], ["zelensky"]),
    ],
    "negations and slang": [
        ("who doesnt want ukraine in nato", "en", "opponents", ["nato-membership"], ["russia"]),
        ("who dont support the reassurance force", "en", "opponents", ["european-troops"], []),
        ("хто топить за двосторонні угоди", "uk", "backers", ["bilateral-agreements"], ["uk"]),
    ],
    "decisions ask how it stands": [
        ("а що там з миротворцями, вже домовились?", "uk", "status", ["european-troops"], []),
        ("що вирішили щодо вступу в нато", "uk", "status", ["nato-membership"], []),
        ("договорились уже о силах заверения?", "ru", "status", ["european-troops"], []),
        ("has the coalition of the willing been settled", "en", "status", ["european-troops"], []),
        # with an actor who holds a stance, a decision is that actor's stance
        ("англия и франция что решили насчет войск", "ru", "position", ["european-troops"], ["uk"]),
    ],
    '"when did" an actor … asks the status, in every language': [
        (
            "when did the brits sign their security deal with kyiv",
            "en",
            "status",
            ["bilateral-agreements"],
            ["uk"],
        ),
        (
            "коли британія підписала угоду з україною",
            "uk",
            "status",
            ["bilateral-agreements"],
            ["uk"],
        ),
        (
            "когда италия подписала соглашение с украиной",
            "ru",
            "status",
            ["bilateral-agreements"],
            ["italy"],
        ),
        # "who …" still asks who
        (
            "who signed security deals with kyiv and when",
            "en",
            "backers",
            ["bilateral-agreements"],
            ["uk"],
        ),
    ],
    "where it comes from gives the cited card": [
        ("where does the air support claim come from", "en", "proposal", ["us-air-support"], []),
        ("звідки взялась ідея про підтримку з повітря", "uk", "proposal", ["us-air-support"], []),
        ("откуда инфа про воздушную поддержку", "ru", "proposal", ["us-air-support"], []),
    ],
    "how it will work explains the proposal": [
        ("как будет работать итальянский план", "ru", "proposal", ["art5-like"], []),
        ("як працюватиме механізм мелоні", "uk", "proposal", ["art5-like"], []),
        ("как будет работать воздушная поддержка сша", "ru", "proposal", ["us-air-support"], []),
        ("які умови вступу в нато", "uk", "proposal", ["nato-membership"], []),
    ],
    "a slip in a proposal's name of several words": [
        ("tell me about the coalition of the wiling", "en", "proposal", ["european-troops"], []),
        ("is the reasurance force agreed", "en", "status", ["european-troops"], []),
        ("що нового по коаліції охочіх", "uk", "news", ["european-troops"], []),
    ],
    "topic words and stance verbs": [
        ("will americans fight for ukraine", "en", "position", ["us-air-support"], ["us"]),
        ("whats the deal with the 24h rule", "en", "proposal", ["art5-like"], []),
        ("а французы что думают", "ru", "position", [], ["france"]),
    ],
    'promises, "yes or no", "ok with", loose titles': [
        ("що трамп пообіцяв", "uk", "proposes", ["us-air-support"], ["trump"]),
        ("что пообещал трамп", "ru", "proposes", ["us-air-support"], ["trump"]),
        ("nato membership - yes or no?", "en", "status", ["nato-membership"], []),
        ("is kyiv ok with no nato", "en", "position", ["nato-membership"], ["ukraine"]),
        ("any updates on the coalition?", "en", "news", ["european-troops"], []),
        ("who's the italian defence guy and what does he want", "en", "proposes", [], ["crosetto"]),
    ],
    "who backs a person asks about their proposal": [
        ("хто підтримує мелоні", "uk", "backers", ["art5-like"], ["meloni", "italy"]),
        ("кто поддерживает мелони", "ru", "backers", ["art5-like"], ["meloni"]),
        ("who is against meloni", "en", "opponents", ["art5-like"], []),
    ],
    "an actor's conditions and doings are its stance": [
        ("какие условия у путина", "ru", "position", ["nato-membership"], ["russia"]),
        ("what are putins conditions", "en", "position", ["nato-membership"], ["russia"]),
        ("що робить британія", "uk", "position", [], ["uk"]),
        # conditions of a proposal: its card
        ("what are the conditions for nato membership", "en", "proposal", ["nato-membership"], []),
    ],
    "conditions, obligations, members and what is agreed": [
        # the attacker in an "if" clause holds no stance: the question asks how it would work
        (
            "would the allies have to fight if russia attacks again",
            "en",
            "proposal",
            ["art5-like"],
            [],
        ),
        ("як захистять україну якщо росія нападе знову", "uk", "proposal", ["art5-like"], []),
        ("как защитят украину если россия нападет снова", "ru", "proposal", ["art5-like"], []),
        ("is the 24-hour thing binding", "en", "proposal", ["art5-like"], []),
        ("what sanctions are proposed", "en", "proposal", ["art5-like"], []),
        (
            "which countries are in the coalition of the willing",
            "en",
            "backers",
            ["european-troops"],
            ["uk", "france"],
        ),
        ("what has been agreed so far", "en", "overview", [], []),
    ],
    "whose idea and what was signed": [
        ("who came up with the 24 hour rule", "en", "backers", ["art5-like"], ["meloni"]),
        ("хто придумав правило 24 годин", "uk", "backers", ["art5-like"], ["meloni"]),
        ("чья это идея со статьей 5", "ru", "backers", ["art5-like"], ["italy"]),
        (
            "what did the uk and italy sign",
            "en",
            "position",
            ["bilateral-agreements"],
            ["uk", "italy"],
        ),
        ("what's the g7 declaration", "en", "proposal", ["bilateral-agreements"], []),
    ],
    "is it happening asks how it stands": [
        ("is the reassurance force happening", "en", "status", ["european-troops"], []),
        (
            "french troops in ukraine - is that actually happening?",
            "en",
            "status",
            ["european-troops"],
            [],
        ),
        ("чи відбувається щось з миротворцями", "uk", "status", ["european-troops"], []),
        # not a yes or no: the news
        ("what is happening with the reassurance force", "en", "news", ["european-troops"], []),
    ],
}


@pytest.mark.parametrize(
    ("case", "lang"), understood_in_cases([case for cases in ROUND4.values() for case in cases])
)
def test_round4_questions_are_understood(session: Session, case: Understood, lang: str) -> None:
    assert_understood(session, case, lang)


def test_when_and_decided_cues_choose_the_intent() -> None:
    when = read_cues("when did _ sign _ ")
    assert WHEN in when.found
    assert choose_intent(when, 1, 1) == STATUS
    decided = read_cues("что решили насчет _ ")
    assert DECIDED in decided.found
    assert choose_intent(decided, 1, 0) == STATUS
    assert choose_intent(decided, 1, 1) == POSITION


def test_a_slip_never_makes_a_name_of_ordinary_words(session: Session) -> None:
    for question in ["tell me about the weather tomorrow", "what about european trips"]:
        answer = answer_question(session, question, "en")
        assert not answer.proposal_slugs, (question, answer.proposal_slugs)


def test_who_backs_an_actor_with_no_single_proposal_keeps_the_stance(session: Session) -> None:
    # the UK proposes nothing of its own: its stances, not someone's backers
    answer = answer_question(session, "who supports the uk", "en")
    assert answer.intent == "position" and "uk" in answer.actor_slugs


def test_an_actor_before_the_if_still_holds_its_stance(session: Session) -> None:
    answer = answer_question(session, "what does italy propose if russia attacks again", "en")
    assert answer.intent == "position" and "italy" in answer.actor_slugs
    assert "art5-like" in answer.proposal_slugs
