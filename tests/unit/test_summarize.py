"""Extractive summaries and the sentence splitter under them."""

from __future__ import annotations

from bot.services.text.sentences import split_sentences
from bot.services.text.summarize import summarize

ARTICLE = (
    "Italy proposed a collective guarantee for Ukraine on Monday. "
    "The weather in Rome was sunny. "
    "Under the guarantee, allies would decide within 24 hours whether to help Ukraine. "
    "Critics said the guarantee for Ukraine lacked a clear trigger for allies. "
    "A football match was postponed."
)


def test_summary_keeps_central_sentences_in_original_order() -> None:
    summary = summarize(ARTICLE, max_sentences=2, max_chars=400)
    sentences = [s.text for s in split_sentences(ARTICLE)]
    picked = [s for s in sentences if s in summary]
    assert len(picked) == 2
    assert "weather" not in summary and "football" not in summary
    assert summary == " ".join(picked)  # original order, joined by one space
    assert sentences.index(picked[0]) < sentences.index(picked[1])


def test_summary_respects_max_chars() -> None:
    summary = summarize(ARTICLE, max_sentences=3, max_chars=120)
    assert 0 < len(summary) <= 120
    assert summary.endswith(".")  # whole sentences when some fit


def test_one_long_sentence_is_shortened_at_a_word() -> None:
    text = "Ukraine " + "and its partners discussed guarantees " * 20 + "today."
    summary = summarize(text, max_chars=100)
    assert len(summary) <= 100 and summary.endswith("…")
    assert not summary[:-1].endswith(" ")


def test_cyrillic_text_and_empty_input() -> None:
    text = (
        "Мелоні запропонувала механізм гарантій для України. "
        "Союзники мали б ухвалити рішення про допомогу Україні протягом доби. "
        "Погода була сонячною."
    )
    summary = summarize(text, max_sentences=2)
    assert "Погода" not in summary and "Мелоні" in summary
    assert summarize("") == "" and summarize("   \n ") == ""


def test_splitter_handles_abbreviations_and_initials() -> None:
    text = (
        'The U.S. envoy met Gen. Smith and Mr. Jones. Donald J. Trump said "No. Never." '
        "It ended.\n\nNew paragraph without a full stop\nOn the next line."
    )
    assert [s.text for s in split_sentences(text)] == [
        "The U.S. envoy met Gen. Smith and Mr. Jones.",
        'Donald J. Trump said "No. Never."',
        "It ended.",
        "New paragraph without a full stop On the next line.",
    ]
