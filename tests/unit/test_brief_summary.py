"""Summaries that read as a brief: no headline, dateline, byline, date scrap or photo credit,
the sentences about the linked proposals first, in the article's language, at most 300 chars.

Checked on every document of the development set (tests/fixtures/knowledge/dev.yaml), whose
bodies carry the wrapping real wires and aggregators add, in seven languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.services.text.cleaning import clean_article, strip_dateline
from bot.services.text.summarize import brief_summary
from tests.support.wrapping import words, wrapped

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge" / "dev.yaml"
DOCS: list[dict[str, Any]] = yaml.safe_load(DEV.read_text(encoding="utf-8"))["documents"]


@pytest.mark.parametrize("doc", DOCS, ids=[d["id"] for d in DOCS])
def test_dev_summaries_read_as_a_brief(doc: dict[str, Any]) -> None:
    summary = brief_summary(doc["title"], doc["body"])
    assert 0 < len(summary) <= 300
    title = words(doc["title"])
    assert not words(summary).startswith(title), "starts with the headline"
    assert title not in words(summary), "repeats the headline"
    assert not wrapped(summary), summary
    # extractive, so in the article's language: every word comes from the body
    assert set(words(summary).split()) <= set(words(doc["body"]).split())


def test_sentences_about_the_linked_proposal_come_first() -> None:
    doc = next(d for d in DOCS if d["id"] == "dev-en-002")  # White House meeting, many topics
    summary = brief_summary(doc["title"], doc["body"], focus=["collective security clause"])
    assert summary.startswith("Italian Prime Minister Giorgia Meloni used the meeting")
    plain = brief_summary(doc["title"], doc["body"])
    assert plain.startswith("European leaders left the White House")


def test_focus_works_in_other_languages() -> None:
    doc = next(d for d in DOCS if d["id"] == "dev-ru-003")
    summary = brief_summary(doc["title"], doc["body"], focus=["коллективной безопасности"])
    assert summary.startswith("Джорджа Мелони настаивала")
    assert len(summary) <= 300


@pytest.mark.parametrize(
    ("line", "story"),
    [
        ("KYIV, Aug 20 (Reuters) - Ukraine said", "Ukraine said"),
        ("Milan, 20 August (LaPresse) – Meloni said", "Meloni said"),
        ("KYIV — The president said", "The president said"),
        ("NEW YORK — Meloni told the UN", "Meloni told the UN"),
        ("Brüssel (RNA) - Italiens Regierungschefin", "Italiens Regierungschefin"),
        ("Paris, 4. September (SR) – 26 Länder", "26 Länder"),
        ("PARIS, 27 mars (CBW) - Le président", "Le président"),
        ("Roma, 7 marzo 2025 – Una proposta", "Una proposta"),
        ("Київ, 24 лютого. Президент підписав", "Президент підписав"),
        ("МОСКВА, 21 августа. Россия отвергает", "Россия отвергает"),
        ("ВАШИНГТОН. Президент заявив", "Президент заявив"),
        ("Waszyngton (PAI) - Donald Trump", "Donald Trump"),
        ("Berlin – Der Präsident", "Der Präsident"),
        ("(LaPresse) – La premier", "La premier"),
    ],
)
def test_datelines_in_seven_languages(line: str, story: str) -> None:
    assert strip_dateline(line) == story


@pytest.mark.parametrize(
    "line",
    [
        "U.S. officials said the plan was ready.",
        "Meloni, 48, said Italy would not send troops.",
        "NATO allies agreed on Wednesday.",
        "Trump said: no troops.",
        "Italy's plan - a light Article 5 - was discussed.",
    ],
)
def test_sentences_are_not_mistaken_for_datelines(line: str) -> None:
    assert strip_dateline(line) == line


def test_clean_article_drops_wrapping_but_keeps_the_story() -> None:
    text = (
        "date 2025-08-20 Meloni pitches a shield\n"
        "By Jane Doe and John Roe\n"
        "ROME — Meloni pitched a shield for Ukraine (AP Photo/Andrew Medichini) on Monday.\n"
        "Photo: Palazzo Chigi press office\n"
        "Фото: Офіс Президента\n"
        "By the end of the day, allies had not answered.\n"
        "Reporting by Lucia Ferri; Editing by Tom Hale"
    )
    cleaned = clean_article("Meloni pitches a shield", text)
    assert cleaned == (
        "Meloni pitched a shield for Ukraine on Monday.\n"
        "By the end of the day, allies had not answered."
    )


def test_headline_glued_to_the_first_sentence_is_removed() -> None:
    title = "Trump rules out US troops"
    text = (
        "Trump rules out US troops Trump rules out US troops WASHINGTON — Trump said no US "
        "soldiers would go to Ukraine."
    )
    assert clean_article(title, text) == "Trump said no US soldiers would go to Ukraine."
    more = text + " He offered American air support for a European force instead."
    assert brief_summary(title, more) == (
        "Trump said no US soldiers would go to Ukraine. "
        "He offered American air support for a European force instead."
    )


@pytest.mark.parametrize(
    "label",
    [
        "Аналитическая записка № 41/2025. Автор: Н. Гринько",
        "Kommentar. Autor: Jan Nowak",
        "Par Sophie Marchand, correspondante à Washington",
        "di Francesca Lodi, corrispondente da Washington",
    ],
)
def test_a_byline_after_a_short_label_is_wrapping(label: str) -> None:
    text = f"{label}\nThe alliance could plan the mission. Author: notes are kept in the annex"
    assert clean_article("A note", text) == (
        "The alliance could plan the mission. Author: notes are kept in the annex"
    )
    for story in (
        "Ministers met in Rome. Author: Paolo Rossi said the talks went well.",
        "Di Maio, the former minister, said the talks had failed.",
    ):
        assert clean_article("A note", story) == story  # sentences, not byline lines
