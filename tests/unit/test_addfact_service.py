"""/addfact parsing and the service that adds an approved fact."""

from __future__ import annotations

import pytest

from bot.services import catalog
from bot.services.facts import FactInputError, add_fact, parse_fact_input
from storage.models import Fact
from tests.review_data import admin_audit

ADMIN = 4242


def test_parse_number_text_and_url() -> None:
    got = parse_fact_input("1 Poland offered a hub near Rzeszow.  https://ex.org/a?b=1")
    assert (got.proposal_query, got.text, got.url) == (
        "1",
        "Poland offered a hub near Rzeszow.",
        "https://ex.org/a?b=1",
    )


def test_parse_quoted_name_and_no_url() -> None:
    got = parse_fact_input("“air shield” The coalition agreed on patrol rules.")
    assert (got.proposal_query, got.text, got.url) == (
        "air shield",
        "The coalition agreed on patrol rules.",
        None,
    )


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "missing"),
        ("1", "missing"),
        ("1 too short", "too_short"),
        ("1 " + "x" * 1501, "too_long"),
        ("1 A long enough fact text here ftp://example.org/x", "bad_url"),
        ("1 A long enough fact text here javascript:alert(1)", "bad_url"),
        ("1 A long enough fact text here https://", "bad_url"),
        ("1 A long enough fact text here www.example.org", "bad_url"),
    ],
)
def test_parse_errors(raw: str, reason: str) -> None:
    with pytest.raises(FactInputError) as info:
        parse_fact_input(raw)
    assert info.value.reason == reason


def test_add_fact_is_approved_visible_and_audited(db) -> None:
    fact = parse_fact_input("art5 Poland offered to host a logistics hub. https://www.ex.org/a")
    with db.session() as s:
        result = add_fact(s, fact, ADMIN)
    assert result.status == "added" and result.proposal.slug == "art5-like"
    with db.session() as s:
        row = s.get(Fact, result.fact_id)
        assert (row.status, row.added_by, row.source_name) == ("approved", "admin:4242", "ex.org")
        view = catalog.proposal_detail(s, result.proposal.id)
        assert "Poland offered to host a logistics hub." in [f.text for f in view.facts]
        assert [e.action for e in admin_audit(s)] == ["fact.add"]


def test_duplicate_fact_is_refused(db) -> None:
    fact = parse_fact_input("1 Poland offered to host a logistics hub.")
    with db.session() as s:
        first = add_fact(s, fact, ADMIN)
    again = parse_fact_input("1   poland OFFERED to host a logistics hub. https://other.org")
    with db.session() as s:
        second = add_fact(s, again, ADMIN)
        assert (second.status, second.fact_id) == ("duplicate", first.fact_id)
        assert s.query(Fact).filter(Fact.text.ilike("%logistics hub%")).count() == 1


def test_unknown_proposal(db) -> None:
    with db.session() as s:
        result = add_fact(s, parse_fact_input("zzqqxx Some fact long enough."), ADMIN)
        assert result.status == "no_proposal" and result.suggestions == []
        assert admin_audit(s) == []
