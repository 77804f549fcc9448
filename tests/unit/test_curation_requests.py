"""Parsing curators' commands: statuses in any spelling, single-token names, final URLs,
kinds ending names, limits; and never anything but a CurationInputError on junk."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.curation import requests as r
from bot.services.curation.requests import CurationInputError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 agreed", ("1", "agreed", None)),
        ("art5 under discussion", ("art5", "under_discussion", None)),
        ("art5 Under-Discussion https://e.org/x", ("art5", "under_discussion", "https://e.org/x")),
        ("us air support withdrawn", ("us air support", "withdrawn", None)),
        ("nato membership implemented", ("nato membership", "implemented", None)),
    ],
)
def test_setstatus(raw: str, expected: tuple[str, str, str | None]) -> None:
    parsed = r.parse_setstatus(raw)
    assert (parsed.proposal_query, parsed.status, parsed.source_url) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("", "usage"), ("1", "usage"), ("1 maybe", "bad_status"), ("1 agreed javascript:x", "usage")],
)
def test_setstatus_errors(raw: str, reason: str) -> None:
    with pytest.raises(CurationInputError) as err:
        r.parse_setstatus(raw)
    assert err.value.reason in (reason, "bad_status")


def test_position_takes_single_tokens_and_a_final_url() -> None:
    parsed = r.parse_position("meloni Supports art5 Backs the 24-hour clause. https://e.org/a")
    assert (parsed.actor_query, parsed.stance, parsed.proposal_query) == (
        "meloni",
        "supports",
        "art5",
    )
    assert (parsed.note, parsed.source_url) == ("Backs the 24-hour clause.", "https://e.org/a")
    with pytest.raises(CurationInputError, match="bad_url"):
        r.parse_position("meloni supports art5 text here ftp://e.org/a")
    with pytest.raises(CurationInputError, match="bad_stance"):
        r.parse_position("meloni likes art5 text here")


def test_new_actor_kind_ends_the_name() -> None:
    assert r.parse_new_actor("Alexander Stubb person Finland") == r.NewActor(
        "Alexander Stubb", "person", "Finland"
    )
    assert r.parse_new_actor("Coalition of the willing group") == r.NewActor(
        "Coalition of the willing", "group", None
    )
    assert r.parse_new_actor("World Bank organization") == r.NewActor(
        "World Bank", "organisation", None
    )
    assert r.parse_new_actor("Mark Rutte") == r.NewActor("Mark Rutte", "person", None)


def test_retract_and_fact_numbers() -> None:
    assert r.parse_retract("#12 the outlet corrected it") == r.RetractFact(
        12, "the outlet corrected it"
    )
    with pytest.raises(CurationInputError, match="bad_fact"):
        r.parse_retract("²2 reason here")
    with pytest.raises(CurationInputError, match="too_short"):
        r.parse_retract("12 no")


def test_field_values() -> None:
    assert r.field_value("commitments", "• one\n\n- two \n") == ("one", "two")
    assert r.field_value("open_questions", "-") == ()
    assert r.field_value("summary", " - ") == ""
    assert r.field_value("title", "A  new\ntitle") == "A new title"
    with pytest.raises(CurationInputError):
        r.field_value("title", "ab")
    with pytest.raises(CurationInputError):
        r.field_value("commitments", "\n".join(f"item {n}" for n in range(40)))


PARSERS = [
    r.parse_setstatus,
    r.parse_position,
    r.parse_new_proposal,
    r.parse_new_actor,
    r.parse_retract,
    r.check_fact_text,
    lambda t: r.field_value("commitments", t),
    lambda t: r.field_value("title", t),
]


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=["Cs"]), max_size=400), n=st.integers(0, 7))
def test_junk_gives_input_errors_only(text: str, n: int) -> None:
    with contextlib.suppress(CurationInputError):
        PARSERS[n](text)
