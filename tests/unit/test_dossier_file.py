"""`briefbot dossier dump|diff|apply`: the YAML bulk path, round trip, upsert and prune.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL points at one (scripts/with_postgres.sh)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.cli import main
from bot.services.facts import FactInput, add_fact
from bot.settings import Settings
from storage.db import Database
from storage.dossier.diff import diff_dossier
from storage.dossier.dump import dump_dossier, to_yaml
from storage.dossier.schema import DEFAULT_DOSSIER, load_dossier
from storage.models import Actor, AuditLog, Fact, Proposal


@pytest.fixture
def cli_env(settings: Settings, db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    return db


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_dump_then_diff_of_the_dump_shows_no_changes(
    cli_env: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with cli_env.session() as s:  # a curator's change from chat must be in the dump
        text = "Curators added this fact from chat after the seeding."
        result = add_fact(s, FactInput("1", text, "https://example.org/report"), 4242)
        assert result.status == "added"
    target = tmp_path / "dossier.yaml"
    assert main(["dossier", "dump", "-o", str(target)]) == 0
    dumped = target.read_text(encoding="utf-8")
    assert "Curators added this fact from chat" in dumped
    assert "https://example.org/report" in dumped
    capsys.readouterr()
    assert main(["dossier", "diff", str(target)]) == 0
    assert capsys.readouterr().out.strip() == "no changes"


def test_the_seeded_file_diffs_clean_against_a_fresh_database(db: Database) -> None:
    with db.session() as s:
        assert diff_dossier(dump_dossier(s), load_dossier(DEFAULT_DOSSIER)) == []


def test_apply_upserts_lists_removals_and_prunes_only_when_asked(
    cli_env: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "d.yaml"
    with cli_env.session() as s:
        target.write_text(to_yaml(dump_dossier(s)), encoding="utf-8")
    dropped = yaml.safe_load(target.read_text(encoding="utf-8"))["proposals"][-1]["slug"]

    def change(data: dict) -> None:  # type: ignore[type-arg]
        data["proposals"][0]["status"] = "agreed"
        data["proposals"][0]["facts"].append(
            {"text": "A new fact that the file adds.", "source": "seed"}
        )
        data["actors"].append({"slug": "new-actor", "name": "New Actor", "kind": "state"})
        data["proposals"].pop()

    _edit(target, change)
    capsys.readouterr()
    assert main(["dossier", "diff", str(target)]) == 0
    diff = capsys.readouterr().out
    assert "status: " in diff and "→ agreed" in diff
    assert "+ actor new-actor" in diff and "A new fact that the file adds." in diff
    assert f"- proposal {dropped}" in diff

    assert main(["dossier", "apply", str(target)]) == 0
    out = capsys.readouterr().out
    assert "(kept without --prune)" in out and "1 removals kept" in out
    with cli_env.session() as s:
        assert s.scalars(select(Proposal).where(Proposal.slug == dropped)).first() is not None
        assert s.scalars(select(Actor).where(Actor.slug == "new-actor")).one().kind == "state"
        fact = s.scalars(select(Fact).where(Fact.text == "A new fact that the file adds.")).one()
        assert fact.status == "approved" and fact.approval_seq is not None
    assert main(["dossier", "diff", str(target)]) == 0
    assert capsys.readouterr().out.strip() == f"- proposal {dropped}"  # only the removal left

    assert main(["dossier", "apply", str(target), "--prune"]) == 0
    capsys.readouterr()
    with cli_env.session() as s:
        assert s.scalars(select(Proposal).where(Proposal.slug == dropped)).first() is None
    assert main(["dossier", "diff", str(target)]) == 0
    assert capsys.readouterr().out.strip() == "no changes"


def test_field_changes_apply_exactly(cli_env: Database, tmp_path: Path) -> None:
    target = tmp_path / "d.yaml"
    with cli_env.session() as s:
        target.write_text(to_yaml(dump_dossier(s)), encoding="utf-8")
        slug = s.scalars(select(Actor.slug).order_by(Actor.id)).first()

    def change(data: dict) -> None:  # type: ignore[type-arg]
        actor = data["actors"][0]
        actor["role"] = "A changed role"
        actor["aliases"] = actor.get("aliases", [])[:1]
        actor["weak_terms"] = [t for t in actor.get("weak_terms", []) if t in actor["aliases"]]

    _edit(target, change)
    assert main(["dossier", "apply", str(target)]) == 0
    with cli_env.session() as s:
        actor = s.scalars(select(Actor).where(Actor.slug == slug)).one()
        assert actor.role == "A changed role"
        assert diff_dossier(dump_dossier(s), load_dossier(target)) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("x: [", "not valid YAML"),
        ("title: only a title\n", "Field required"),
        ("- a list\n", "bad data"),
    ],
)
def test_bad_files_get_one_line_exit_2_and_nothing_written(
    cli_env: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with cli_env.session() as s:
        before = s.scalar(select(func.count(AuditLog.id)))
    capsys.readouterr()
    for verb in ("diff", "apply"):
        assert main(["dossier", verb, str(bad)]) == 2
        err = capsys.readouterr().err.strip()
        assert message in err and "\n" not in err and "Traceback" not in err
    assert main(["dossier", "apply", str(tmp_path / "missing.yaml")]) == 2
    with cli_env.session() as s:
        assert s.scalar(select(func.count(AuditLog.id))) == before


def test_start_says_when_the_dossier_file_changed_since_it_was_taken(
    settings: Settings,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot import bootstrap

    copy = tmp_path / DEFAULT_DOSSIER.name
    copy.write_bytes(DEFAULT_DOSSIER.read_bytes())
    monkeypatch.setattr(bootstrap, "DEFAULT_DOSSIER", copy)
    with caplog.at_level(logging.WARNING, logger="bot.bootstrap"):
        bootstrap.prepare_database(settings).dispose()  # first look: remembered, no warning
        bootstrap.prepare_database(settings).dispose()
        assert not [r for r in caplog.records if "dossier" in r.getMessage()]
        copy.write_text(copy.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
        bootstrap.prepare_database(settings).dispose()
    [line] = [r.getMessage() for r in caplog.records if "dossier" in r.getMessage()]
    assert "changed since" in line and "briefbot dossier diff" in line and "apply" in line
