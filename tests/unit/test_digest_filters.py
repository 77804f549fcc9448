"""Keyword and subscription filters: literal words, word starts, no user regex."""

from __future__ import annotations

import time

import pytest

from bot.services.digests.filters import DigestFilter, KeywordError, split_keywords
from bot.services.digests.schedules import ScheduleError
from bot.services.digests.subscriptions import parse_subscribe


def test_split_keywords() -> None:
    include, exclude, rest = split_keywords(
        ["art5", "+sanctions", "-sport", "+Sanctions", "−football"]
    )
    assert include == ["sanctions"]  # duplicates (any case) once
    assert exclude == ["sport", "football"]  # a phone's "−" counts as minus
    assert rest == ["art5"]


@pytest.mark.parametrize(
    ("word", "problem"), [("+", "empty"), ("+!!", "empty"), ("+" + "x" * 41, "long")]
)
def test_bad_keywords(word: str, problem: str) -> None:
    with pytest.raises(KeywordError) as caught:
        split_keywords([word])
    assert caught.value.problem == problem


def test_keywords_match_word_starts_case_and_accents() -> None:
    flt = DigestFilter(include=("sanction",), exclude=("sport",))
    assert flt.keywords_match("New SANCTIONS announced")
    assert not flt.keywords_match("Sanctions on sports events")  # excluded wins
    assert flt.keywords_match("Sanctions and transport")  # "transport" is not "sport"
    assert not flt.keywords_match("Nothing relevant")
    assert DigestFilter(include=("kyiv",)).keywords_match("Kyïv talks")


def test_regex_metacharacters_are_literal_and_fast() -> None:
    flt = DigestFilter(include=("(a+)+$", "c++"))
    assert flt.keywords_match("we use c++ here")
    assert not flt.keywords_match("aaaa")
    start = time.perf_counter()
    assert not flt.keywords_match("a" * 50_000 + "!")
    assert time.perf_counter() - start < 0.5


def test_proposal_and_actor_filters() -> None:
    flt = DigestFilter(proposal_id=1, actor_id=7)
    assert flt.matches("text", {1, 2}, {7})
    assert not flt.matches("text", {2}, {7})
    assert not flt.matches("text", {1}, set())
    assert DigestFilter().matches("anything", set(), set())


def test_parse_subscribe_request() -> None:
    request = parse_subscribe("daily 07:30 art5 +sanctions -sport")
    assert request.schedule is not None and request.schedule.mode == "daily"
    assert (request.query, request.include, request.exclude) == ("art5", ("sanctions",), ("sport",))
    assert parse_subscribe("meloni +troops").schedule is None  # ask the mode with buttons
    assert parse_subscribe("meloni +troops").filter_text == "meloni +troops"
    with pytest.raises(ScheduleError):
        parse_subscribe("dayly 08:00")  # a typo in the mode, not a filter named "dayly"
