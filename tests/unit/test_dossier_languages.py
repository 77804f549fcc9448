"""Per-language dossier texts: the schema, the Ukrainian dossier, storage and whole-field fallback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from bot.services import catalog
from bot.services.compare import compare_proposals
from bot.services.localize import localized, use_language
from storage.dossier.schema import DEFAULT_DOSSIER, DossierError, load_dossier
from storage.dossier.seed import TRANSLATED_ACTION, apply_dossier, seed_default_dossier
from storage.models import Actor, AuditLog, Fact, Position, Proposal

CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")
OLD_STYLE = """
title: One language
sources: [{id: s, title: A source}]
actors: [{slug: a, name: Someone}]
proposals:
  - slug: p
    title: A proposal
    summary: What it is.
    commitments: [One, Two]
    positions: [{actor: a, stance: supports, note: Backs it., source: s}]
    facts: [{text: Something happened here., source: s}]
"""


def test_a_file_without_translations_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(OLD_STYLE, encoding="utf-8")
    dossier = load_dossier(path)
    assert dossier.proposals[0].translations == {}
    assert dossier.proposals[0].facts[0].translations == {}


@pytest.mark.parametrize("code", ["en", "ukr", "UK", "u1"])
def test_translations_are_keyed_by_another_two_letter_language(tmp_path: Path, code: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        OLD_STYLE.replace(
            "summary: What it is.",
            f"summary: What it is.\n    translations: {{{code}: {{title: X}}}}",
        ),
        encoding="utf-8",
    )
    with pytest.raises(DossierError, match="two-letter language"):
        load_dossier(path)


def test_an_unknown_translated_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        OLD_STYLE.replace(
            "summary: What it is.", "summary: What it is.\n    translations: {uk: {titel: X}}"
        ),
        encoding="utf-8",
    )
    with pytest.raises(DossierError, match="titel"):
        load_dossier(path)


def _shown(item: object, fields: tuple[str, ...]) -> list[str]:
    return [f for f in fields if getattr(item, f, None)]


def test_every_shown_text_of_the_default_dossier_has_ukrainian() -> None:
    dossier = load_dossier(DEFAULT_DOSSIER)
    missing: list[str] = []

    def check(where: str, item: object, fields: tuple[str, ...]) -> None:
        uk = item.translations.get("uk")  # type: ignore[attr-defined]
        for field in _shown(item, fields):
            english = getattr(item, field)
            value = getattr(uk, field, None) if uk else None
            texts = value if isinstance(value, list) else [value]
            originals = english if isinstance(english, list) else [english]
            if not value or len(texts) != len(originals):
                missing.append(f"{where}.{field}")
                continue
            for text, original in zip(texts, originals, strict=True):
                # Ukrainian words, and not the English sentence copied
                if not CYRILLIC.search(text) or (len(original) > 12 and text == original):
                    missing.append(f"{where}.{field}: {text!r}")

    for s in dossier.sources:
        check(f"source {s.id}", s, ("title",))
    for a in dossier.actors:
        check(f"actor {a.slug}", a, ("name", "country", "role", "summary"))
    for p in dossier.proposals:
        fields = ("title", "summary", "mechanism", "commitments", "open_questions")
        check(f"proposal {p.slug}", p, fields)
        for pos in p.positions:
            check(f"{p.slug} position {pos.actor}", pos, ("note",))
        for n, fact in enumerate(p.facts):
            check(f"{p.slug} fact {n}", fact, ("text",))
    assert not missing, missing


def test_translations_are_stored_with_the_cited_sources_titles(db) -> None:
    with db.session() as session:
        meloni = session.scalars(select(Actor).where(Actor.slug == "meloni")).one()
        assert meloni.translations["uk"]["name"] == "Джорджа Мелоні"
        fact = session.scalars(
            select(Fact).where(Fact.source_name.like("Washington Summit%"))
        ).first()
        assert fact is not None
        assert fact.translations["uk"]["source_name"] == "Декларація Вашингтонського саміту"
        assert CYRILLIC.search(fact.translations["uk"]["text"])
        position = session.scalars(select(Position)).first()
        assert position is not None and CYRILLIC.search(position.translations["uk"]["note"])


def test_a_database_seeded_before_translations_gets_them_once(db) -> None:
    with db.session() as session:  # as a database seeded by an older version looks
        for model in (Proposal, Actor, Position, Fact):
            for row in session.scalars(select(model)):
                row.translations = {}
        session.execute(delete(AuditLog).where(AuditLog.action == TRANSLATED_ACTION))
        art5 = session.scalars(select(Proposal).where(Proposal.slug == "art5-like")).one()
        art5.status = "agreed"  # a curator's change since seeding stays
    with db.session() as session:
        assert seed_default_dossier(session).skipped
    with db.session() as session:
        art5 = session.scalars(select(Proposal).where(Proposal.slug == "art5-like")).one()
        assert art5.status == "agreed"
        assert art5.translations["uk"]["title"].startswith("Механізм колективної допомоги")
        assert all(f.translations for f in session.scalars(select(Fact)))


class _Row:
    def __init__(self, translations: dict, **fields: object) -> None:
        self.translations = translations
        self.__dict__.update(fields)


def test_a_missing_or_empty_translation_falls_back_whole_to_english() -> None:
    row = _Row(
        {"uk": {"title": "Назва", "summary": "  ", "commitments": ["Одне", ""]}},
        title="Title",
        summary="The whole English summary.",
        mechanism="How it works.",
        commitments=["One", "Two"],
    )
    assert localized(row, "title", "uk") == "Назва"
    assert localized(row, "summary", "uk") == "The whole English summary."  # blank: English
    assert localized(row, "mechanism", "uk") == "How it works."  # missing: English
    assert localized(row, "commitments", "uk") == ["One", "Two"]  # a list is never mixed
    assert localized(row, "title", "en") == "Title"
    assert localized(row, "title", "de") == "Title"
    with use_language("uk"):
        assert localized(row, "title") == "Назва"
    assert localized(row, "title") == "Title"


def test_views_follow_the_language_and_fall_back_per_field(db) -> None:
    with db.session() as session:
        art5 = session.scalars(select(Proposal).where(Proposal.slug == "art5-like")).one()
        uk = dict(art5.translations["uk"])
        del uk["summary"]
        art5.translations = {"uk": uk}
        pid = art5.id
    with db.session() as session, use_language("uk"):
        view = catalog.proposal_detail(session, pid)
    assert view is not None
    assert view.ref.label.startswith("Механізм колективної допомоги")
    assert view.summary.startswith("An Italian proposal")  # English, whole
    assert CYRILLIC.search(view.mechanism) and all(CYRILLIC.search(c) for c in view.commitments)
    assert all(CYRILLIC.search(p.note) for p in view.positions)
    assert all(CYRILLIC.search(f.text) and CYRILLIC.search(f.source_name or "") for f in view.facts)
    with db.session() as session:
        english = catalog.proposal_detail(session, pid)
    assert english is not None and english.ref.label.startswith("Article-5-like")


def test_comparison_in_ukrainian_names_the_actors_in_ukrainian(db) -> None:
    with db.session() as session, use_language("uk"):
        result = compare_proposals(session, 1, 3)
    assert result is not None
    assert "Джорджа Мелоні" in [s.ref.label for s in result.left.positions]
    assert result.split_actors == ["Джорджа Мелоні"]


def test_applying_a_dossier_again_refreshes_translations_of_known_facts(db) -> None:
    dossier = load_dossier(DEFAULT_DOSSIER)
    fact = dossier.proposals[0].facts[0]
    fact.translations["uk"].text = "Оновлений переклад першого факту досьє."
    with db.session() as session:
        apply_dossier(session, dossier)
    with db.session() as session:
        texts = [f.translations["uk"]["text"] for f in session.scalars(select(Fact))]
    assert "Оновлений переклад першого факту досьє." in texts


def test_export_carries_translations_and_an_older_file_keeps_ours(db, tmp_path: Path) -> None:
    import json

    from bot.services.exchange import export_knowledge, import_knowledge, parse_knowledge
    from storage.db import Database

    with db.session() as session:
        data = json.loads(json.dumps(export_knowledge(session)))
    art5 = next(p for p in data["proposals"] if p["slug"] == "art5-like")
    assert art5["translations"]["uk"]["title"].startswith("Механізм колективної допомоги")
    assert all(f["translations"]["uk"]["text"] for f in art5["facts"])
    assert all(p["translations"]["uk"]["note"] for p in art5["positions"])
    assert next(a for a in data["actors"] if a["slug"] == "meloni")["translations"]["uk"]
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    other.upgrade()
    with other.session() as session:
        import_knowledge(session, parse_knowledge(json.dumps(data)))
    with other.session() as session, use_language("uk"):
        view = catalog.proposal_detail(session, session.scalars(
            select(Proposal.id).where(Proposal.slug == "art5-like")).one())  # fmt: skip
    assert view is not None and view.ref.label.startswith("Механізм колективної допомоги")
    for item in [*data["proposals"], *data["actors"]]:  # a file written before translations
        item.pop("translations", None)
    with db.session() as session:
        import_knowledge(session, parse_knowledge(json.dumps(data)))
    with db.session() as session:
        art5_row = session.scalars(select(Proposal).where(Proposal.slug == "art5-like")).one()
        assert art5_row.translations["uk"]["title"].startswith("Механізм")
    other.dispose()


def test_dossier_dump_keeps_every_translation(db) -> None:
    from storage.dossier.dump import dump_dossier

    with db.session() as session:
        dumped = dump_dossier(session)
    original = load_dossier(DEFAULT_DOSSIER)
    assert {s.id: s.translations for s in dumped.sources} == {
        s.id: s.translations for s in original.sources
    }
    for mine, theirs in zip(dumped.proposals, original.proposals, strict=True):
        assert mine.translations == theirs.translations
        assert [f.translations for f in mine.facts] == [f.translations for f in theirs.facts]
        assert [p.translations for p in mine.positions] == [
            p.translations for p in theirs.positions
        ]
    assert [a.translations for a in dumped.actors] == [a.translations for a in original.actors]
