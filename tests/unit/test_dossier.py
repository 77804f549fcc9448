"""The dossier file: clear errors naming the place, and seeding that never duplicates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from bot.settings import Settings
from storage.db import Database
from storage.dossier.schema import DEFAULT_DOSSIER, DossierError, load_dossier
from storage.dossier.seed import apply_dossier, seed_default_dossier
from storage.models import Actor, ActorAlias, AuditLog, Fact, Position, Proposal


def _default() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_DOSSIER.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "dossier.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_default_dossier_is_valid_and_covers_the_seed_article() -> None:
    dossier = load_dossier()
    actors = {a.slug for a in dossier.actors}
    assert {
        "meloni",
        "crosetto",
        "trump",
        "zelensky",
        "france",
        "uk",
        "us",
        "nato",
        "italy",
        "ukraine",
        "european-leaders",
    } <= actors
    assert len(dossier.proposals) >= 6
    for proposal in dossier.proposals:
        for fact in proposal.facts:  # every fact cites a known source
            assert dossier.source(fact.source) is not None


def _error(tmp_path: Path, data: object) -> str:
    with pytest.raises(DossierError) as raised:
        load_dossier(_write(tmp_path, data))
    message = str(raised.value)
    assert "\n" not in message and "dossier.yaml" in message
    return message


def test_unknown_actor_in_a_position(tmp_path: Path) -> None:
    data = _default()
    data["proposals"][0]["positions"][0]["actor"] = "macronn"
    message = _error(tmp_path, data)
    assert data["proposals"][0]["slug"] in message and "'macronn'" in message


def test_fact_citing_an_unknown_source(tmp_path: Path) -> None:
    data = _default()
    data["proposals"][1]["facts"][0]["source"] = "nowhere"
    message = _error(tmp_path, data)
    assert data["proposals"][1]["slug"] in message and "'nowhere'" in message


def test_duplicate_slug(tmp_path: Path) -> None:
    data = _default()
    data["actors"].append(dict(data["actors"][0]))
    message = _error(tmp_path, data)
    assert "duplicate actor slug" in message and data["actors"][0]["slug"] in message
    assert "Value error" not in message  # pydantic's prefix is noise for a dossier editor


@pytest.mark.parametrize("slug", ["Meloni", "has space", "-lead", "ü", "a" * 81, ""])
def test_bad_slug(tmp_path: Path, slug: str) -> None:
    data = _default()
    data["proposals"][2]["slug"] = slug
    message = _error(tmp_path, data)
    assert "proposals.2.slug" in message


def test_unknown_field_and_bad_stance(tmp_path: Path) -> None:
    data = _default()
    data["actors"][1]["nickname"] = "x"
    data["proposals"][0]["positions"][0]["stance"] = "loves"
    message = _error(tmp_path, data)
    assert "actors.1.nickname" in message and "proposals.0.positions.0.stance" in message


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_text("title: x\nactors: [unclosed\nproposals: []\n", encoding="utf-8")
    with pytest.raises(DossierError) as raised:
        load_dossier(path)
    assert "not valid YAML" in str(raised.value) and "line" in str(raised.value)


@pytest.mark.parametrize("content", ["", "- just\n- a list\n", "42\n"])
def test_not_a_mapping(tmp_path: Path, content: str) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DossierError, match="has bad data"):
        load_dossier(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DossierError, match="cannot read dossier"):
        load_dossier(tmp_path / "nope.yaml")


# --- seeding -------------------------------------------------------------------------------


def _counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Proposal, Actor, ActorAlias, Position, Fact)
        }


def test_seeding_twice_changes_nothing(db: Database) -> None:
    before = _counts(db)
    assert before["Proposal"] >= 6 and before["Fact"] >= 10
    with db.session() as session:
        assert seed_default_dossier(session).skipped
    assert _counts(db) == before


def test_applying_the_dossier_again_adds_nothing(db: Database) -> None:
    before = _counts(db)
    with db.session() as session:
        result = apply_dossier(session, load_dossier())
    assert (result.proposals, result.actors, result.facts) == (0, 0, 0)
    assert _counts(db) == before


def test_restart_does_not_duplicate(settings: Settings) -> None:
    from bot.bootstrap import prepare_database

    first = prepare_database(settings)
    before = _counts(first)
    first.dispose()
    again = prepare_database(settings)
    assert _counts(again) == before
    with again.session() as session:
        seeded = session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "dossier_seeded")
        )
    assert seeded == 1
    again.dispose()
