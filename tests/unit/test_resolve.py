"""Finding proposals and actors from what users type, and splitting /compare arguments."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.services.pairs import resolve_pair, split_candidates
from bot.services.resolve import resolve_actor, resolve_proposal


def _slug(resolution) -> str | None:
    return resolution.match.slug if resolution.match else None


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("1", "art5-like"),
        ("#2", "us-air-support"),
        (" 6 ", "nato-participation"),
        ("art5-like", "art5-like"),  # slug
        ("ART5", "art5-like"),  # alias, any case
        ("article 5", "art5-like"),
        ("air support", "us-air-support"),
        ("european troops", "european-troops"),
        ("europen troops", "european-troops"),  # typo
        ("nato memebrship", "nato-membership"),
        ("membership   nato", "nato-membership"),
    ],
)
def test_proposal_found(session, query: str, slug: str) -> None:
    assert _slug(resolve_proposal(session, query)) == slug


@pytest.mark.parametrize("query", ["7", "0", "#0", "-1", "#", "99999999999999999999"])
def test_numbers_outside_the_list_match_nothing(session, query: str) -> None:
    found = resolve_proposal(session, query)
    assert found.match is None and found.suggestions == []


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("meloni", "meloni"),
        ("Giorgia Meloni", "meloni"),
        ("melony", "meloni"),  # one-letter typo
        ("zelenskyy", "zelensky"),  # alias spelling
        ("Zelenskiy", "zelensky"),
        ("zelenskky", "zelensky"),  # typo
        ("trunp", "trump"),
        ("crossetto", "crosetto"),
        ("Мелоні", "meloni"),  # Ukrainian alias
        ("uk", "uk"),
        ("us", "us"),
        ("#3", "trump"),
    ],
)
def test_actor_found(session, query: str, slug: str) -> None:
    assert _slug(resolve_actor(session, query)) == slug


def test_ambiguous_name_offers_suggestions(session) -> None:
    found = resolve_proposal(session, "nato alliance")
    assert found.match is None
    slugs = [r.slug for r in found.suggestions]
    assert set(slugs[:2]) == {"nato-membership", "nato-participation"}
    assert len(slugs) <= 5


def test_ambiguous_actor_offers_suggestions(session) -> None:
    found = resolve_actor(session, "european")
    assert found.match is None
    assert {"european-leaders", "eu"} <= {r.slug for r in found.suggestions}


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "🙂", "<b>", "u", "#"])
def test_empty_or_meaningless_input_matches_nothing(session, query: str) -> None:
    found = resolve_actor(session, query)
    assert found.match is None and found.suggestions == []


@pytest.mark.parametrize("query", ["germany", "biden", "sanctions on china"])
def test_unrelated_names_are_not_taken_as_a_match(session, query: str) -> None:
    assert resolve_actor(session, query).match is None


def test_very_long_input_is_handled_quickly(session) -> None:
    import time

    started = time.perf_counter()
    for query in ("meloni " * 1000, "x" * 5000, "🙂" * 5000, "1" * 5000):
        resolve_actor(session, query)
        resolve_proposal(session, query)
    assert time.perf_counter() - started < 1.0


# --- /compare arguments --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "left", "right"),
    [
        ("art5 vs air support", "art5-like", "us-air-support"),
        ("art5 versus air support", "art5-like", "us-air-support"),
        ("1 2", "art5-like", "us-air-support"),
        ("#1 #3", "art5-like", "european-troops"),
        ("article 5 european troops", "art5-like", "european-troops"),
        ("air support | european troops", "us-air-support", "european-troops"),
        ("nato membership and nato participation", "nato-membership", "nato-participation"),
        ("art5 та air support", "art5-like", "us-air-support"),
        ("1, 4", "art5-like", "bilateral-agreements"),
        # loose names: short, partial or spoken forms of both sides
        ("air troops", "us-air-support", "european-troops"),
        ("air support vs troops", "us-air-support", "european-troops"),
        ("art5 nato", "art5-like", "nato-membership"),
        ("Meloni plan and NATO membership", "art5-like", "nato-membership"),
    ],
)
def test_compare_pairs(session, text: str, left: str, right: str) -> None:
    pair = resolve_pair(session, text)
    assert pair is not None and pair.both is not None
    assert (pair.both[0].slug, pair.both[1].slug) == (left, right)


def test_same_proposal_twice_resolves_to_one_id(session) -> None:
    """The handler turns this into 'the same proposal twice'; the service just resolves."""
    for text in ("1 1", "art5 article 5"):
        pair = resolve_pair(session, text)
        assert pair is not None and pair.both is not None
        assert pair.both[0].id == pair.both[1].id


@pytest.mark.parametrize("text", ["", "1", "art5", "x" * 5000])
def test_fewer_than_two_sides_is_no_pair(session, text: str) -> None:
    assert resolve_pair(session, text) is None


def test_unresolvable_side_is_named(session) -> None:
    pair = resolve_pair(session, "1 zzzz")
    assert pair is not None and pair.both is None
    assert pair.left.match is not None and pair.right_text == "zzzz"


def test_split_candidates_try_the_middle_first_and_are_bounded() -> None:
    assert split_candidates("a b c d")[0] == ("a b", "c d")
    assert split_candidates("a vs b c") == [("a", "b c")]
    many = split_candidates(" ".join(["w"] * 500))
    assert len(many) == 499 and many[0] == (" ".join(["w"] * 250), " ".join(["w"] * 250))


async def test_compare_handler_messages(console) -> None:
    assert "same proposal twice" in await console.send_line("/compare 1 1")
    assert "could not tell which proposal “zzzz”" in await console.send_line("/compare 1 zzzz")
    assert "Name two proposals" in await console.send_line("/compare art5")
    assert "Side by side" in await console.send_line("/compare art5 vs air support")


@pytest.mark.parametrize("query", ["²", "#³", "①", "99999999999999999999999"])
def test_digit_like_input_int_refuses_is_no_match(session: Session, query: str) -> None:
    """str.isdigit() accepts superscripts and circled digits that int() rejects."""
    assert resolve_proposal(session, query).match is None
    assert resolve_actor(session, query).match is None


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("air", "us-air-support"),
        ("troops", "european-troops"),
        ("nato", "nato-membership"),  # the dossier's lookup name: membership is "nato"
        ("НАТО", "nato-membership"),
        ("art5", "art5-like"),
        ("статтю 5", "art5-like"),  # an inflected alias
        ("bilateral", "bilateral-agreements"),
    ],
)
def test_loose_proposal_names(session, query: str, slug: str) -> None:
    assert _slug(resolve_proposal(session, query)) == slug


@pytest.mark.parametrize(
    ("query", "slug"),
    [("Зеленського", "zelensky"), ("Трампа", "trump"), ("Італією", "italy"), ("Мелоні", "meloni")],
)
def test_inflected_actor_names(session, query: str, slug: str) -> None:
    assert _slug(resolve_actor(session, query)) == slug


@pytest.mark.parametrize(("query", "slug"), [("putin", "russia"), ("Путіна", "russia")])
def test_a_linking_term_suggests_its_actor_only(session, query: str, slug: str) -> None:
    found = resolve_actor(session, query)
    assert found.match is None
    assert [r.slug for r in found.suggestions] == [slug]
