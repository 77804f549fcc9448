"""Plain-language questions: the dev set's score per language, the examples the bot shows,
and fuzzing of the whole question path (service and renderer) for tracebacks and bad HTML."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from bot.i18n import get_translator
from bot.render.answers import answer_replies, example_questions
from bot.render.html import MAX_MESSAGE, utf16_len
from bot.services.questions import Answer, answer_question
from handlers.common.replies import markup
from tests.support.fake_telegram import check_telegram_html, validate_inline_keyboard
from tests.support.question_cases import Understood, assert_understood, understood_cases

DEV_SET = Path(__file__).parents[1] / "fixtures" / "questions" / "dev_questions.yaml"
# written before the issue-9 changes and kept apart from tuning (see its header)
APART_SET = DEV_SET.with_name("apart_questions.yaml")
# written from the dossier alone by a second author, before reading the engine (see its header)
FRESH_SET = DEV_SET.with_name("fresh_questions.yaml")
# third round: Latin-typed Russian/Ukrainian, NATO-joining wordings, troops, comparisons by parts
ROUND3_SET = DEV_SET.with_name("round3_questions.yaml")
ROUND3_PROBE_SET = DEV_SET.with_name("round3_probe_questions.yaml")  # written after its fixes
# fourth round: groups, slang, decisions, "when did", sources, "how will it work", slips
ROUND4_SET = DEV_SET.with_name("round4_questions.yaml")
ROUND4_PROBE_SET = DEV_SET.with_name("round4_probe_questions.yaml")  # written after its fixes
SCORER = Path(__file__).parents[2] / "scripts" / "score_questions.py"


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_questions", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load_questions = _scorer().load_questions
BAR = 0.9


def is_right(answer: Answer, item: dict) -> bool:
    """Right content: the intent, and every expected proposal and actor among the answer's."""
    return (
        answer.intent == item["intent"]
        and set(item["expect_proposals"]) <= set(answer.proposal_slugs)
        and set(item["expect_actors"]) <= set(answer.actor_slugs)
    )


def test_dev_set_has_150_questions_in_three_languages() -> None:
    items = load_questions(DEV_SET)
    langs = Counter(item["lang"] for item in items)
    assert len(items) >= 150
    assert set(langs) == {"en", "uk", "ru"} and min(langs.values()) >= 40
    assert len(load_questions(APART_SET)) >= 40


def test_the_scorer_reads_a_list_or_a_mapping(tmp_path: Path) -> None:
    listed, mapped = tmp_path / "list.yaml", tmp_path / "map.yaml"
    item = {"q": "who is Crosetto?", "lang": "en", "intent": "actor"}
    listed.write_text(yaml.safe_dump([item]), encoding="utf-8")
    mapped.write_text(yaml.safe_dump({"version": 2, "questions": [item]}), encoding="utf-8")
    assert load_questions(listed) == load_questions(mapped) == [item]


@pytest.mark.parametrize(
    "path",
    [DEV_SET, APART_SET, FRESH_SET, ROUND3_SET, ROUND3_PROBE_SET, ROUND4_SET, ROUND4_PROBE_SET],
    ids=["dev", "apart", "fresh", "round3", "round3-probe", "round4", "round4-probe"],
)
def test_question_set_score_per_language(
    session: Session, capsys: pytest.CaptureFixture, path: Path
) -> None:
    items = load_questions(path)
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    misses = []
    for item in items:
        answer = answer_question(session, item["q"], item["lang"])
        total[item["lang"]] += 1
        if is_right(answer, item):
            right[item["lang"]] += 1
        else:
            misses.append((item["q"], answer.intent, answer.proposal_slugs, answer.actor_slugs))
    with capsys.disabled():
        for lang in sorted(total):
            print(f"\nquestions {path.stem} {lang}: {right[lang]}/{total[lang]}", end="")
    for lang in total:
        assert right[lang] / total[lang] >= BAR, (lang, misses)


@pytest.mark.parametrize(
    "case",
    understood_cases(
        [
            ("what does italy propose?", "proposes", ["art5-like"], ["italy"]),
            ("who opposes the reassurance force?", "opponents", ["european-troops"], ["meloni"]),
            ("is ukraine joining nato?", "status", ["nato-membership"], ["ukraine"]),
            ("що пропонує Італія?", "proposes", ["art5-like"], ["italy"]),
            ("что предлагает Мелони?", "proposes", ["art5-like"], ["meloni"]),
            ("позиція Італії щодо європейських військ", "position", ["european-troops"], ["italy"]),
            ("Что сказал Зеленский?", "said", [], ["zelensky"]),
        ]
    ),
)
def test_questions_from_the_issue(session: Session, case: Understood) -> None:
    assert_understood(session, case)


def test_the_answer_cites_and_links_to_the_card(session: Session) -> None:
    answer = answer_question(session, "who opposes NATO membership for Ukraine?", "en")
    replies = answer_replies(get_translator("en"), answer)
    text = "\n".join(r.text for r in replies)
    assert "Russia" in text and "United States" in text
    assert "Washington Summit Declaration" in text or "Hegseth" in text  # a cited source
    buttons = [b for row in replies[-1].keyboard for b in row]
    assert any(b.data and b.data.startswith("pv:") for b in buttons)  # the full card


def test_a_position_never_recorded_says_so(session: Session) -> None:
    answer = answer_question(session, "what is Italy's position on European troops?", "en")
    assert answer.indirect and answer.positions
    text = answer_replies(get_translator("en"), answer)[0].text
    assert "No recorded position on this one" in text


@pytest.mark.parametrize("language", ["en", "uk"])
def test_every_example_shown_is_understood(session: Session, language: str) -> None:
    for question in example_questions(get_translator(language)):
        answer = answer_question(session, question, language)
        assert answer.understood, question
        assert answer.proposals or answer.actors, question


def test_nonsense_is_not_understood(session: Session) -> None:
    for text in ["", "hello there", "🙂🙂", "<b>x</b>", "what?", "the"]:
        assert not answer_question(session, text, "en").understood


WORDS = st.sampled_from(
    [
        "what",
        "does",
        "who",
        "is",
        "are",
        "opposes",
        "backs",
        "supports",
        "new",
        "news",
        "compare",
        "vs",
        "and",
        "position",
        "said",
        "Italy",
        "italy",
        "Meloni",
        "Мелоні",
        "Мелони",
        "Італією",
        "Зеленського",
        "НАТО",
        "nato",
        "NATO",
        "US",
        "us",
        "troops",
        "air",
        "art5",
        "Article",
        "5",
        "membership",
        "хто",
        "що",
        "чи",
        "ли",
        "кто",
        "что",
        "против",
        "за",
        "порівняй",
        "сравни",
        "статус",
        "@briefbot",
        "&",
        "<",
        ">",
        "<b>",
        "🙂",
        "'",
        "’",
        "?",
        "!",
        ".",
        ",",
        ";",
        ":",
        "(",
        ")",
        "-",
        "—",
        "1",
        "2",
    ]
)
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=200)
QUESTION = st.one_of(TEXT, st.lists(st.one_of(WORDS, TEXT), max_size=12).map(" ".join))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=QUESTION, language=st.sampled_from(["en", "uk", "ru"]))
def test_any_question_gets_valid_html_and_no_traceback(
    session: Session, text: str, language: str
) -> None:
    answer = answer_question(session, text, language)
    if not answer.understood:
        return
    for reply in answer_replies(get_translator(language), answer):
        visible = check_telegram_html(reply.text)
        assert visible.strip() and utf16_len(visible) <= MAX_MESSAGE
        keyboard = markup(reply.keyboard)
        if keyboard is not None:
            validate_inline_keyboard(keyboard.to_dict()["inline_keyboard"])
