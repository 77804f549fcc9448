"""Question families the fourth round of questions found (tests/fixtures/questions/round4_questions.yaml):
groups by their people, slang, decisions, "when did", sources, "how will it work", slips in a
proposal's name of several words."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.services.questions import answer_question
from bot.services.questions.grammar import DECIDED, POSITION, STATUS, WHEN, choose_intent, read_cues

Case = tuple[str, str, str, list[str], list[str]]


def _check(session: Session, case: Case) -> None:
    question, lang, intent, proposals, actors = case
    answer = answer_question(session, question, lang)
    assert answer.intent == intent, (question, answer.intent)
    assert set(proposals) <= set(answer.proposal_slugs), (question, answer.proposal_slugs)
    assert set(actors) <= set(answer.actor_slugs), (question, answer.actor_slugs)


@pytest.mark.parametrize(
    "case",
    [
        ("what do the europeans want", "en", "proposes", [], ["european-leaders"]),
        ("чого хочуть європейці", "uk", "proposes", [], ["european-leaders"]),
        ("чего добиваются европейцы", "ru", "proposes", [], ["european-leaders"]),
        ("глава пентагону що каже про війська", "uk", "said", ["european-troops"], ["us"]),
        ("що думає зеля про план мелоні", "uk", "position", ["art5-like"], ["zelensky"]),
    ],
)
def test_groups_and_everyday_names(session: Session, case: Case) -> None:
    _check(session, case)


@pytest.mark.parametrize(
    "case",
    [
        ("who doesnt want ukraine in nato", "en", "opponents", ["nato-membership"], ["russia"]),
        ("who dont support the reassurance force", "en", "opponents", ["european-troops"], []),
        ("хто топить за двосторонні угоди", "uk", "backers", ["bilateral-agreements"], ["uk"]),
    ],
)
def test_negations_and_slang(session: Session, case: Case) -> None:
    _check(session, case)


@pytest.mark.parametrize(
    "case",
    [
        ("а що там з миротворцями, вже домовились?", "uk", "status", ["european-troops"], []),
        ("що вирішили щодо вступу в нато", "uk", "status", ["nato-membership"], []),
        ("договорились уже о силах заверения?", "ru", "status", ["european-troops"], []),
        ("has the coalition of the willing been settled", "en", "status", ["european-troops"], []),
        # with an actor who holds a stance, a decision is that actor's stance
        ("англия и франция что решили насчет войск", "ru", "position", ["european-troops"], ["uk"]),
    ],
)
def test_decisions_ask_how_it_stands(session: Session, case: Case) -> None:
    _check(session, case)


@pytest.mark.parametrize(
    "case",
    [
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
)
def test_when_did_an_actor_asks_status_in_every_language(session: Session, case: Case) -> None:
    _check(session, case)


def test_when_and_decided_cues_choose_the_intent() -> None:
    when = read_cues("when did _ sign _ ")
    assert WHEN in when.found
    assert choose_intent(when, 1, 1) == STATUS
    decided = read_cues("что решили насчет _ ")
    assert DECIDED in decided.found
    assert choose_intent(decided, 1, 0) == STATUS
    assert choose_intent(decided, 1, 1) == POSITION


@pytest.mark.parametrize(
    "case",
    [
        ("where does the air support claim come from", "en", "proposal", ["us-air-support"], []),
        ("звідки взялась ідея про підтримку з повітря", "uk", "proposal", ["us-air-support"], []),
        ("откуда инфа про воздушную поддержку", "ru", "proposal", ["us-air-support"], []),
    ],
)
def test_where_it_comes_from_gives_the_cited_card(session: Session, case: Case) -> None:
    _check(session, case)


@pytest.mark.parametrize(
    "case",
    [
        ("как будет работать итальянский план", "ru", "proposal", ["art5-like"], []),
        ("як працюватиме механізм мелоні", "uk", "proposal", ["art5-like"], []),
        ("как будет работать воздушная поддержка сша", "ru", "proposal", ["us-air-support"], []),
        ("які умови вступу в нато", "uk", "proposal", ["nato-membership"], []),
    ],
)
def test_how_it_will_work_explains_the_proposal(session: Session, case: Case) -> None:
    _check(session, case)


@pytest.mark.parametrize(
    "case",
    [
        ("tell me about the coalition of the wiling", "en", "proposal", ["european-troops"], []),
        ("is the reasurance force agreed", "en", "status", ["european-troops"], []),
        ("що нового по коаліції охочіх", "uk", "news", ["european-troops"], []),
    ],
)
def test_a_slip_in_a_proposals_name_of_several_words(session: Session, case: Case) -> None:
    _check(session, case)


def test_a_slip_never_makes_a_name_of_ordinary_words(session: Session) -> None:
    for question in ["tell me about the weather tomorrow", "what about european trips"]:
        answer = answer_question(session, question, "en")
        assert not answer.proposal_slugs, (question, answer.proposal_slugs)


@pytest.mark.parametrize(
    "case",
    [
        ("will americans fight for ukraine", "en", "position", ["us-air-support"], ["us"]),
        ("whats the deal with the 24h rule", "en", "proposal", ["art5-like"], []),
        ("а французы что думают", "ru", "position", [], ["france"]),
    ],
)
def test_topic_words_and_stance_verbs(session: Session, case: Case) -> None:
    _check(session, case)


@pytest.mark.parametrize(
    "case",
    [
        ("що трамп пообіцяв", "uk", "proposes", ["us-air-support"], ["trump"]),
        ("что пообещал трамп", "ru", "proposes", ["us-air-support"], ["trump"]),
        ("nato membership - yes or no?", "en", "status", ["nato-membership"], []),
        ("is kyiv ok with no nato", "en", "position", ["nato-membership"], ["ukraine"]),
        ("any updates on the coalition?", "en", "news", ["european-troops"], []),
        ("who's the italian defence guy and what does he want", "en", "proposes", [], ["crosetto"]),
    ],
)
def test_promises_yes_or_no_ok_with_and_loose_titles(session: Session, case: Case) -> None:
    _check(session, case)


@pytest.mark.parametrize(
    "case",
    [
        ("хто підтримує мелоні", "uk", "backers", ["art5-like"], ["meloni", "italy"]),
        ("кто поддерживает мелони", "ru", "backers", ["art5-like"], ["meloni"]),
        ("who is against meloni", "en", "opponents", ["art5-like"], []),
    ],
)
def test_who_backs_a_person_asks_about_their_proposal(session: Session, case: Case) -> None:
    _check(session, case)


def test_who_backs_an_actor_with_no_single_proposal_keeps_the_stance(session: Session) -> None:
    # the UK proposes nothing of its own: its stances, not someone's backers
    answer = answer_question(session, "who supports the uk", "en")
    assert answer.intent == "position" and "uk" in answer.actor_slugs


@pytest.mark.parametrize(
    "case",
    [
        ("какие условия у путина", "ru", "position", ["nato-membership"], ["russia"]),
        ("what are putins conditions", "en", "position", ["nato-membership"], ["russia"]),
        ("що робить британія", "uk", "position", [], ["uk"]),
        # conditions of a proposal: its card
        ("what are the conditions for nato membership", "en", "proposal", ["nato-membership"], []),
    ],
)
def test_an_actors_conditions_and_doings_are_its_stance(session: Session, case: Case) -> None:
    _check(session, case)


@pytest.mark.parametrize(
    "case",
    [
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
)
def test_conditions_obligations_members_and_what_is_agreed(session: Session, case: Case) -> None:
    _check(session, case)


def test_an_actor_before_the_if_still_holds_its_stance(session: Session) -> None:
    answer = answer_question(session, "what does italy propose if russia attacks again", "en")
    assert answer.intent == "position" and "italy" in answer.actor_slugs
    assert "art5-like" in answer.proposal_slugs


@pytest.mark.parametrize(
    "case",
    [
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
)
def test_whose_idea_and_what_was_signed(session: Session, case: Case) -> None:
    _check(session, case)


@pytest.mark.parametrize(
    "case",
    [
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
)
def test_is_it_happening_asks_how_it_stands(session: Session, case: Case) -> None:
    _check(session, case)
