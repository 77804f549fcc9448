"""Issue 9, second round: proposals named through ordinary words, an actor beside such a word,
actors inside a proposal's name, names typed loosely, and the Share button on cards."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.i18n import get_translator
from bot.render.actors import actor_replies
from bot.render.answers import answer_replies
from bot.render.proposals import proposal_replies
from bot.services import catalog
from bot.services.questions import answer_question
from bot.services.questions.topics import find_topics, load_topics
from bot.services.text.tokens import tokenize
from handlers.common import markup
from storage.repositories.knowledge import KnowledgeRepo
from tests.support.question_cases import Understood, assert_understood, understood_cases


def _topics(text: str, actors: set[str] = frozenset()) -> set[str]:
    return {hit.proposal for hit in find_topics(tokenize(text), set(), set(), set(actors))}


def test_every_topic_names_a_proposal_of_the_dossier(session: Session) -> None:
    slugs = {slug for _pid, slug, _t, _a in KnowledgeRepo(session).proposal_names()}
    table = load_topics()
    assert table.topics and {t.proposal for t in table.topics} <= slugs
    assert all(t.cues for t in table.topics)


def test_inflected_ordinary_words_point_at_proposals() -> None:
    assert _topics("хто підтримує взаємну оборону") == {"art5-like"}
    assert _topics("кто за коллективную оборону") == {"art5-like"}
    assert _topics("чи будуть літаки над україною") == {"us-air-support"}
    assert _topics("сколько солдат пошлют") == {"european-troops"}
    assert _topics("any news on the security deals") == {"bilateral-agreements"}
    assert _topics("what's the weather in Kyiv") == set()


def test_a_word_beside_an_actor_points_at_that_actors_proposal() -> None:
    assert _topics("what role would play", {"nato"}) == {"nato-participation"}
    assert "nato-participation" not in _topics("what role would play")
    # troops beside the US: the proposal that says "no US ground troops", and the force
    assert _topics("will send soldiers", {"us"}) == {"us-air-support", "european-troops"}


@pytest.mark.parametrize(
    "case",
    understood_cases(
        [
            # NATO is part of the proposal's name: the question is about the proposal
            ("what role would NATO play?", "proposal", ["nato-participation"], ["nato"]),
            ("чи буде нато командувати місією", "status", ["nato-participation"], ["nato"]),
            # an actor + an ordinary word: the actor's position on that proposal
            ("will the us send soldiers", "position", ["us-air-support"], ["us"]),
            ("отправят ли американцы войска", "position", ["us-air-support"], ["us"]),
            ("is britain sending soldiers", "position", ["european-troops"], ["uk"]),
            # Ukraine, whom the guarantees are for, asks for no stance of its own
            ("is ukraine joining nato", "status", ["nato-membership"], ["ukraine", "nato"]),
            ("are european soldiers going to ukraine", "status", ["european-troops"], []),
            # but a question about what NATO wants does
            ("does nato want ukraine as a member", "position", ["nato-membership"], ["nato"]),
        ]
    ),
)
def test_actor_and_ordinary_word(session: Session, case: Understood) -> None:
    assert_understood(session, case)


def test_a_position_question_lists_the_asked_actors_stances(session: Session) -> None:
    answer = answer_question(session, "will the US send soldiers to Ukraine?", "en")
    assert {(p.actor.slug, p.proposal.slug) for p in answer.positions} >= {("us", "us-air-support")}
    assert all(p.actor.slug == "us" for p in answer.positions)  # not Ukraine's as well


def test_actors_inside_a_proposal_name_are_in_the_answer(session: Session) -> None:
    answer = answer_question(session, "compare the meloni plan and nato membership", "en")
    assert answer.intent == "compare"
    assert answer.proposal_slugs == ["art5-like", "nato-membership"]
    assert {"meloni", "nato"} <= set(answer.actor_slugs)


@pytest.mark.parametrize(
    ("question", "actor"),
    [
        ("who is melonni", "meloni"),
        ("что предлагает кросето", "crosetto"),
        ("що пропонує крозето", "crosetto"),
        ("wat does itlay propose", "italy"),
        ("what does the us want", "us"),
    ],
)
def test_loosely_typed_names(session: Session, question: str, actor: str) -> None:
    assert actor in answer_question(session, question, "en").actor_slugs


def test_loose_matching_keeps_ordinary_words_apart(session: Session) -> None:
    # "us" the pronoun, "альянс" (not "итальянский"), cue words never become names
    assert "us" not in answer_question(session, "tell us about air support", "en").actor_slugs
    answer = answer_question(session, "чи приєднається україна до альянсу", "uk")
    assert answer.actor_slugs == ["ukraine"] and answer.proposal_slugs == ["nato-membership"]
    assert not answer_question(session, "supporters opposition proposals", "en").actors


def test_a_country_proposes_what_it_backs_on_conditions(session: Session) -> None:
    answer = answer_question(session, "what does britain propose", "en")
    assert answer.intent == "proposes"
    assert "european-troops" in answer.proposal_slugs
    assert all(p.stance != "opposes" for p in answer.positions)


def test_a_person_without_positions_is_answered_with_their_state(session: Session) -> None:
    answer = answer_question(session, "що хоче зеленський", "uk")
    assert answer.via is not None and answer.via.slug == "ukraine"
    assert "nato-membership" in answer.proposal_slugs
    text = answer_replies(get_translator("uk"), answer)[0].text
    assert "Власної позиції" in text  # says whose positions these are, in Ukrainian
    english = answer_replies(get_translator("en"), answer)[0].text
    assert "no recorded position of their own" in english


@pytest.mark.parametrize("language", ["en", "uk"])
def test_cards_carry_a_share_button(session: Session, language: str) -> None:
    _ = get_translator(language)
    proposal = catalog.proposal_detail(session, 1)
    actor = catalog.actor_detail(session, 1)
    assert proposal is not None and actor is not None
    for replies, label in [
        (proposal_replies(_, proposal, bot_username="briefbot"), proposal.ref.label),
        (actor_replies(_, actor, bot_username="briefbot"), actor.ref.label),
    ]:
        keyboard = markup(replies[-1].keyboard)
        assert keyboard is not None
        shares = [
            b
            for row in keyboard.to_dict()["inline_keyboard"]
            for b in row
            if "switch_inline_query" in b
        ]
        assert len(shares) == 1 and shares[0]["switch_inline_query"] == label[:64].strip()
        assert ("Поділитися" in shares[0]["text"]) == (language == "uk")


def test_short_lower_case_words_are_names_only_with_letters_swapped(session: Session) -> None:
    assert "france" not in answer_question(session, "what parts will nato play", "en").actor_slugs
    assert "italy" in answer_question(session, "what does itlay want", "en").actor_slugs
