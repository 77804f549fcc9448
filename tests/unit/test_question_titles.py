"""Issue 9, fresh eyes: people by title and country, question-only nicknames, yes/no questions
without their particle, "who would send …", and an actor that is the topic of another's stance."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.services.questions import answer_question, grammar
from bot.services.questions.names import load_nicknames
from bot.services.questions.titles import Person, person_with_title, title_beside
from bot.services.text.tokens import tokenize
from storage.repositories.knowledge import KnowledgeRepo


def _keys(text: str) -> list[str | None]:
    return [t.norm for t in tokenize(text)]


def test_a_title_is_found_after_or_before_the_country() -> None:
    after = title_beside(_keys("the italian pm wants"), 1, 1)
    assert (
        after is not None and after.role == "prime minister" and (after.first, after.last) == (2, 2)
    )
    before = title_beside(_keys("pm of italy"), 2, 2)
    assert before is not None and before.role == "prime minister" and before.first == 0
    two_words = title_beside(_keys("итальянский премьер-министр"), 0, 0)
    assert two_words is not None and (two_words.first, two_words.last) == (1, 2)
    assert title_beside(_keys("italian troops"), 1, 1) is None
    assert title_beside(_keys("italy and the pope"), 0, 0) is None


def test_the_person_is_the_one_of_that_country_with_that_role() -> None:
    people = {
        1: Person("Italy", "Prime Minister of Italy"),
        2: Person("Italy", "Minister of Defence of Italy"),
        3: Person("France", "President of France"),
    }
    assert person_with_title(people, "italy", "prime minister") == 1
    assert person_with_title(people, "Italy", "defen") == 2
    assert person_with_title(people, "Italy", "president") is None
    assert person_with_title(people, "United Kingdom", "prime minister") is None


@pytest.mark.parametrize(
    ("question", "actor", "not_actor"),
    [
        ("the italian pm wants what?", "meloni", "italy"),
        ("итальянский премьер чего хочет", "meloni", "italy"),
        ("що каже італійська прем'єрка", "meloni", "italy"),
        ("what did the italian defense secretary say", "crosetto", "italy"),
        ("what does the pm of italy propose", "meloni", "italy"),
    ],
)
def test_a_person_named_by_title_and_country(
    session: Session, question: str, actor: str, not_actor: str
) -> None:
    answer = answer_question(session, question, "en")
    assert answer.understood
    assert actor in answer.actor_slugs and not_actor not in answer.actor_slugs[:1]


def test_a_title_with_no_such_person_stands_for_the_state(session: Session) -> None:
    answer = answer_question(session, "british pm on troops", "en")
    assert answer.intent == "position"
    assert answer.actor_slugs[:1] == ["uk"] and "european-troops" in answer.proposal_slugs


@pytest.mark.parametrize(
    ("question", "actor"),
    [
        ("англия и франция что решили насчет войск", "uk"),
        ("the brits on peacekeepers", "uk"),
        ("чи пошлють штати солдатів", "us"),
        ("what does america want", "us"),
        ("позиция рф по вступлению украины в нато", "russia"),
    ],
)
def test_nicknames_name_actors_in_questions(session: Session, question: str, actor: str) -> None:
    assert actor in answer_question(session, question, "uk").actor_slugs


def test_nicknames_never_link_articles(session: Session) -> None:
    linker_terms = {t.term.casefold() for t in KnowledgeRepo(session).gazetteer()}
    nicknames = {n.casefold() for names in load_nicknames().values() for n in names}
    assert nicknames and not nicknames & linker_terms
    slugs = {a.slug for a in KnowledgeRepo(session).list_actors(0, 1000)}
    assert set(load_nicknames()) <= slugs


def test_hegseth_speaks_for_the_united_states(session: Session) -> None:
    for question in [
        "what did hegseth say about peacekeepers",
        "что хегсет говорил про миротворцев",
    ]:
        answer = answer_question(session, question, "en")
        assert answer.intent == "said"
        assert "us" in answer.actor_slugs and "european-troops" in answer.proposal_slugs


def test_a_spaced_dash_starts_a_yes_no_question() -> None:
    assert grammar.read_cues("_ - is that actually happening?").has(grammar.YES_NO)
    assert not grammar.read_cues("_ - what is happening?").has(grammar.YES_NO)
    assert not grammar.read_cues("air-is").has(grammar.YES_NO)


def test_who_would_send_asks_for_backers() -> None:
    assert grammar.read_cues("who would actually send _?").has(grammar.BACKERS)
    assert grammar.read_cues("хто відправить _").has(grammar.BACKERS)
    assert grammar.read_cues("кто пошлёт _").has(grammar.BACKERS)
    assert not grammar.read_cues("will _ send _").has(grammar.BACKERS)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("мелони против европейских войск?", "position"),
        ("сша против членства украины в нато?", "position"),
        ("кто против европейских войск?", "opponents"),
        ("who would actually send troops, the french and the brits?", "backers"),
    ],
)
def test_who_asks_for_the_side_else_the_stance(
    session: Session, question: str, intent: str
) -> None:
    assert answer_question(session, question, "ru").intent == intent


@pytest.mark.parametrize(
    ("question", "intent", "proposal", "actor"),
    [
        ("что путин требует насчет нато", "position", "nato-membership", "russia"),
        ("what did crosetto say about nato", "said", "nato-participation", "crosetto"),
        ("що думає зеленський про нато", "position", "nato-membership", "zelensky"),
        # a bare fragment asks for the stance too
        ("італійський міністр оборони про нато", "position", "nato-participation", "crosetto"),
        ("американський президент про нато", "position", "nato-membership", "trump"),
    ],
)
def test_an_actor_as_the_topic_of_anothers_stance(
    session: Session, question: str, intent: str, proposal: str, actor: str
) -> None:
    answer = answer_question(session, question, "en")
    assert answer.intent == intent
    assert answer.proposal_slugs[:1] == [proposal] and actor in answer.actor_slugs


def test_an_actor_the_asker_holds_no_position_about_stays_an_actor(session: Session) -> None:
    # the EU holds no position on a proposal named after NATO: nothing is made up
    answer = answer_question(session, "what does the eu say about nato", "en")
    assert "nato-participation" not in answer.proposal_slugs[:1]


def test_who_with_a_proposing_word_asks_who_backs_a_proposal(session: Session) -> None:
    answer = answer_question(session, "whos pushing the article 5 idea", "en")
    assert answer.intent == "backers" and "meloni" in answer.actor_slugs
    # without "who" the same words ask about the proposal
    assert answer_question(session, "the article 5 idea", "en").intent == "proposal"
