"""compose.yaml, the Dockerfile, .dockerignore and .env.example agree with the settings."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# read by `briefbot run` from the environment besides Settings (bot/cli.py)
EXTRA_ENV = {"WEBHOOK_SECRET"}


def setting_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias.upper() if isinstance(alias, str) else name.upper())
    return names


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_the_bot_and_postgres_16_on_a_named_volume() -> None:
    spec = compose()
    assert set(spec["services"]) == {"bot", "db"}
    db = spec["services"]["db"]
    assert db["image"] == "postgres:16"
    [mount] = db["volumes"]
    volume, target = mount.split(":", 1)
    assert volume in spec["volumes"] and target == "/var/lib/postgresql/data"
    bot = spec["services"]["bot"]
    assert bot["build"] == "."
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"


def test_compose_bot_environment_names_are_settings() -> None:
    bot_env = compose()["services"]["bot"]["environment"]
    unknown = set(bot_env) - setting_names() - EXTRA_ENV
    assert not unknown, f"compose.yaml sets names the bot does not read: {unknown}"
    assert {"BOT_TOKEN", "DATABASE_URL", "METRICS_PORT"} <= set(bot_env)


def test_compose_database_url_points_at_the_db_service() -> None:
    spec = compose()
    url = make_url(spec["services"]["bot"]["environment"]["DATABASE_URL"])
    db_env = spec["services"]["db"]["environment"]
    assert url.drivername == "postgresql+psycopg"
    assert url.host == "db" and url.host in spec["services"]
    assert url.username == db_env["POSTGRES_USER"]
    assert url.password == db_env["POSTGRES_PASSWORD"]
    assert url.database == db_env["POSTGRES_DB"]


def test_compose_metrics_port_is_exposed_and_valid() -> None:
    bot = compose()["services"]["bot"]
    port = bot["environment"]["METRICS_PORT"]
    assert Settings(metrics_port=port).metrics_port == int(port)
    assert str(port) in [str(p) for p in bot["expose"]]


def test_dockerfile_has_healthcheck_expose_and_data_dir() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^HEALTHCHECK .*\n?.*CMD \[\"briefbot\", \"health\"\]", text, re.MULTILINE)
    exposed = re.search(r"^EXPOSE (.+)$", text, re.MULTILINE)
    assert exposed and {"8443", "9100"} <= set(exposed.group(1).split())
    assert "DATA_DIR=/data" in text and 'VOLUME ["/data"]' in text
    assert "METRICS_PORT=9100" in text


def test_dockerignore_keeps_the_build_context_small() -> None:
    ignored = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {
        ".venv",
        ".git",
        "data",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
        ".env",
    } <= ignored


def test_env_example_lists_exactly_the_settings() -> None:
    listed = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if re.match(r"^#? ?[A-Z_]+=", line)
    }
    assert listed - EXTRA_ENV == setting_names() - {"TZ"}
