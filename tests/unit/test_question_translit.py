"""Issue 9, third round: Russian and Ukrainian typed in Latin letters, the ways people ask whether
Ukraine joins NATO, who would send troops, who blocks membership, and comparisons of two
proposals named by their parts."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.services.questions import answer_question
from bot.services.questions.names import gazetteer_for
from bot.services.questions.translit import (
    could_be_translit,
    scheme_of,
    to_cyrillic,
    transliterate,
)
from tests.support.question_cases import (
    Understood,
    assert_understood,
    phrasings,
    understood_cases,
    understood_in_cases,
)


@pytest.mark.parametrize(
    ("word", "lang", "cyrillic"),
    [
        ("chto", "ru", "что"),
        ("predlagaet", "ru", "предлагает"),
        ("italiya", "ru", "италия"),
        ("vojskah", "ru", "войсках"),
        ("ukrainy", "ru", "украины"),
        ("kakoy", "ru", "какой"),
        ("podderzhivaet", "ru", "поддерживает"),
        ("shcho", "uk", "що"),
        ("proponuie", "uk", "пропонує"),
        ("italiia", "uk", "італія"),
        ("ukraina", "uk", "україна"),
        ("ukrayina", "uk", "україна"),
        ("viisk", "uk", "військ"),
        ("yevropeiskykh", "uk", "європейських"),
        ("yakyi", "uk", "який"),
        ("Makron", "uk", "Макрон"),
        ("skazav", "uk", "сказав"),  # no soft sign at a word's start
        ("ob'yasni", "ru", "объясни"),
        ("mat'", "ru", "мать"),
        ("prem'ier", "uk", "прем'єр"),
    ],
)
def test_a_latin_word_in_cyrillic(word: str, lang: str, cyrillic: str) -> None:
    assert to_cyrillic(word, lang) == cyrillic


def test_names_asked_to_be_kept_stay_latin() -> None:
    assert transliterate("chto dumaet rutte", "ru", frozenset({"rutte"})) == "что думает rutte"
    # words with digits ("art5") are names, never letters to convert
    assert transliterate("chto takoe art5", "ru") == "что такое art5"


@pytest.mark.parametrize(
    ("text", "lang", "scheme"),
    [
        ("chto predlagaet italiya", "en", "ru"),
        ("primut li ukrainu v nato", "en", "ru"),
        ("khto proty viisk", "en", "uk"),
        ("chy vstupyt ukraina do nato", "ru", "uk"),
        ("who is against the reassurance force", "ru", None),
        ("what does italy propose", "uk", None),
        ("что предлагает Италия", "ru", None),  # already Cyrillic
    ],
)
def test_which_questions_are_read_as_transliterated(
    text: str, lang: str, scheme: str | None
) -> None:
    assert scheme_of(text, lang) == scheme


@pytest.mark.parametrize(
    ("case", "lang"),
    understood_in_cases(
        [
            ("chto predlagaet meloni?", "ru", "proposes", ["art5-like"], ["meloni"]),
            ("kto protiv evropejskih vojsk", "en", "opponents", ["european-troops"], ["meloni"]),
            ("khto pidtrymuie plan meloni", "uk", "backers", ["art5-like"], ["meloni", "italy"]),
            # no function word: a Russian or Ukrainian user's Latin question is retried in Cyrillic
            ("pozytsiia makrona shchodo viisk", "uk", "position", ["european-troops"], ["france"]),
            # an English question by a Russian-speaking user stays English
            ("who backs the meloni plan", "ru", "backers", ["art5-like"], ["meloni", "italy"]),
        ]
    ),
)
def test_transliterated_questions_are_answered(
    session: Session, case: Understood, lang: str
) -> None:
    assert_understood(session, case, lang)


@pytest.mark.parametrize(
    "case",
    phrasings(
        [
            "will nato ever let ukraine in",
            "could ukraine get into the alliance one day",
            "has kyiv been invited to join the alliance",
            "чи запросять україну в альянс",
            "пустят ли украину в нато",
        ],
        "status",
        ["nato-membership"],
        ["ukraine"],
    ),
)
def test_ukraine_joining_nato_asks_for_the_membership_status(
    session: Session, case: Understood
) -> None:
    assert_understood(session, case)


@pytest.mark.parametrize(
    "question",
    [
        "who is prepared to put troops in ukraine after a ceasefire",
        "хто готовий розмістити війська",
        "кто готов ввести войска после перемирия",
    ],
)
def test_who_would_send_troops_names_the_forces_conditional_backers(
    session: Session, question: str
) -> None:
    answer = answer_question(session, question, "en")
    assert answer.intent == "backers"
    assert "european-troops" in answer.proposal_slugs
    # nobody backs the force outright: France and the UK would, on conditions
    assert {"france", "uk"} <= set(answer.actor_slugs)
    assert all(p.stance != "opposes" for p in answer.positions)


@pytest.mark.parametrize(
    "case",
    phrasings(
        ["who stands in the way of ukraine joining nato", "хто блокує членство україни в нато"],
        "opponents",
        [],
        ["us", "russia"],
    ),
)
def test_who_blocks_membership_names_its_opponents(session: Session, case: Understood) -> None:
    assert_understood(session, case)


@pytest.mark.parametrize(
    "case",
    phrasings(
        [
            "air cover or a european contingent, which is better",
            "що краще: авіація сша чи європейські миротворці",
            "что надежнее, американская авиация или европейский контингент",
        ],
        "compare",
        ["us-air-support", "european-troops"],
        [],
    ),
)
def test_two_proposals_named_by_their_parts_are_compared(
    session: Session, case: Understood
) -> None:
    assert_understood(session, case)


@pytest.mark.parametrize(
    "case",
    understood_cases(
        [
            # a passive asks what happens to Ukraine, not what NATO thinks
            (
                "will kyiv be accepted into the alliance?",
                "status",
                ["nato-membership"],
                ["ukraine"],
            ),
            ("які країни можуть надіслати миротворців", "backers", ["european-troops"], ["france"]),
            # an actor before a topic word asks their stance on it
            ("зеленский о гарантиях безопасности", "position", [], ["zelensky"]),
            ("Meloni on the peacekeepers", "position", ["european-troops"], ["meloni"]),
        ]
    ),
)
def test_probe_families(session: Session, case: Understood) -> None:
    assert_understood(session, case)


def test_about_an_actor_stays_about_them(session: Session) -> None:
    assert answer_question(session, "розкажи про Крозетто", "uk").intent == "actor"
    assert answer_question(session, "who is Guido Crosetto?", "en").intent == "actor"


@pytest.mark.parametrize(
    ("case", "lang"),
    understood_in_cases(
        [
            # nothing understood in Latin: a name typed the Russian way
            ("makron", "en", "actor", [], ["france"]),
            # an English name is kept whole, never half-transliterated ("нато membership")
            ("nato membership", "uk", "proposal", ["nato-membership"], []),
            ("ukraine joining nato", "ru", "proposal", ["nato-membership"], ["ukraine"]),
            # "Ukraine's entry into NATO" names the proposal: NATO holds no stance there
            ("вступление украины в нато", "ru", "proposal", ["nato-membership"], ["ukraine"]),
            ("vstuplenie ukrainy v nato", "ru", "proposal", ["nato-membership"], ["ukraine"]),
        ]
    ),
)
def test_latin_retry_and_names_completing_a_proposal(
    session: Session, case: Understood, lang: str
) -> None:
    assert_understood(session, case, lang)


def test_english_is_never_read_as_transliterated(session: Session) -> None:
    assert not could_be_translit("what about the troops")
    assert not could_be_translit("что с войсками")
    assert could_be_translit("makron pro viiska")
    assert answer_question(session, "hello there", "ru").intent == "unknown"


def test_a_proposal_name_made_of_two_actor_names(session: Session) -> None:
    gazetteer = gazetteer_for(session)
    actors = {ref.slug: ref.id for ref in gazetteer.actors.values()}
    proposals = {ref.slug: ref.id for ref in gazetteer.proposals.values()}
    # the dossier's "Ukraine in NATO" joins the two names with "in"
    assert gazetteer.pairs[(actors["ukraine"], actors["nato"])] == proposals["nato-membership"]
    # not the other way round, and not with another word between
    assert (actors["nato"], actors["ukraine"]) not in gazetteer.pairs
    for question in ("будет ли Украина в НАТО", "will kyiv ever be part of the alliance"):
        answer = answer_question(session, question, "en")
        assert (answer.intent, answer.proposal_slugs[:1]) == ("status", ["nato-membership"])
    # "Ukraine's role with NATO": no "in"/"в" before NATO, so no membership
    answer = answer_question(session, "ukraine and nato", "en")
    assert "nato-membership" not in answer.proposal_slugs


@pytest.mark.parametrize(
    "case",
    phrasings(
        [
            "хто не пускає україну в нато",
            "кто не пускает украину в нато",
            "who keeps ukraine out of nato",
        ],
        "opponents",
        ["nato-membership"],
        ["us", "russia"],
    ),
)
def test_keeping_ukraine_out_is_opposing_membership(session: Session, case: Understood) -> None:
    assert_understood(session, case)


def test_ukraine_joining_alone_means_nato(session: Session) -> None:
    answer = answer_question(session, "who opposes kyiv joining", "en")
    assert answer.intent == "opponents" and "nato-membership" in answer.proposal_slugs
    assert {"us", "russia"} <= set(answer.actor_slugs)
    # another body named: not NATO's membership
    assert (
        "nato-membership" not in answer_question(session, "will ukraine join the eu").proposal_slugs
    )


@pytest.mark.parametrize(
    "case",
    phrasings(["хто готовий дати війська", "кто даст войска"], "backers", ["european-troops"], []),
)
def test_giving_troops_is_sending_them(session: Session, case: Understood) -> None:
    assert_understood(session, case)


@pytest.mark.parametrize(
    "question",
    ["европейские войска или американская авиация?", "авіація чи війська", "art5 or nato?"],
)
def test_a_or_b_with_nothing_else_asked_compares(session: Session, question: str) -> None:
    answer = answer_question(session, question, "en")
    assert answer.intent == "compare" and len(answer.proposal_slugs) >= 2


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("is ukraine joining nato or not", "status"),  # "or not" offers no choice
        ("україна вступить в нато чи ні", "status"),
        ("will the us or france send troops", "position"),  # a choice of actors, not proposals
    ],
)
def test_or_that_is_no_choice_of_proposals(session: Session, question: str, intent: str) -> None:
    assert answer_question(session, question, "en").intent == intent


@pytest.mark.parametrize(
    "case",
    phrasings(
        ["which states say no to ukraine in nato", "хто каже ні членству україни в нато"],
        "opponents",
        [],
        ["us", "russia"],
    ),
)
def test_saying_no_is_opposing(session: Session, case: Understood) -> None:
    assert_understood(session, case)
