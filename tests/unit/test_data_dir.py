"""DATA_DIR: the SQLite file lives in the project's data folder, whatever the current directory."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.settings
from bot.cli import main
from bot.settings import load_settings


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder, and a current directory somewhere else."""
    root = tmp_path / "project"
    root.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setattr(bot.settings, "PROJECT_DIR", root)
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return root


def test_default_is_data_next_to_the_project_env(project: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == project / "data"
    assert settings.database_url == f"sqlite:///{project / 'data' / 'briefbot.sqlite3'}"
    assert settings.sqlite_path == project / "data" / "briefbot.sqlite3"


def test_project_env_file_is_read_from_another_directory(project: Path) -> None:
    (project / ".env").write_text("DATA_DIR=var/db\n")
    assert load_settings().data_dir == project / "var" / "db"


@pytest.mark.parametrize(
    ("variable", "value", "path"),
    [
        ("DATA_DIR", "state", "state/briefbot.sqlite3"),
        ("DATABASE_URL", "sqlite:///data/other.sqlite3", "data/other.sqlite3"),
    ],
)
def test_relative_paths_are_taken_from_the_project(
    project: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, path: str
) -> None:
    monkeypatch.setenv(variable, value)
    assert load_settings().sqlite_path == project / path


def test_absolute_data_dir_as_in_the_image(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "volume"))
    assert load_settings().database_url == f"sqlite:///{tmp_path / 'volume' / 'briefbot.sqlite3'}"


def test_postgres_url_is_kept_and_printed_without_password(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://bot:secret@db:5432/briefbot")
    settings = load_settings()
    assert settings.sqlite_path is None
    assert settings.database_label() == "postgresql+psycopg://bot:***@db:5432/briefbot"


def test_a_command_run_elsewhere_uses_the_project_database(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (project / "data" / "briefbot.sqlite3").is_file()
    assert not (Path.cwd() / "data").exists()  # nothing created where the command ran
