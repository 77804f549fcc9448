"""Settings and start-up: bad configuration is one clear line and exit code 2, never a traceback."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings, SettingsError, load_settings

GOOD_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """`main` installs its own log handler on the root logger; put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("telegram.ext").filters.clear()


def _one_line(err: str) -> str:
    """The one error line (INFO log lines from start-up may precede it; nothing else may)."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip() and " INFO " not in line]
    assert len(lines) == 1, err
    assert lines[0].startswith("briefbot: ")
    return lines[0]


@pytest.fixture
def fresh_loop() -> Iterator[None]:
    """`run_polling` closes the current event loop on exit; give it one of its own."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    loop.close()
    asyncio.set_event_loop(None)


def test_run_without_token_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert "BOT_TOKEN is not set" in line and "briefbot chat" in line


@pytest.mark.parametrize(
    "token",
    ["abc", "123456", ":AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "12345:short", "1 2:" + "a" * 35],
)
def test_run_with_malformed_token_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], token: str
) -> None:
    monkeypatch.setenv("BOT_TOKEN", token)
    assert main(["run"]) == 2
    assert "BOT_TOKEN looks malformed" in _one_line(capsys.readouterr().err)


def test_token_from_dotenv_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN= {GOOD_TOKEN}\n")  # the tests run in tmp_path
    assert load_settings().require_token() == GOOD_TOKEN


class _Unauthorized(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def rejecting_bot_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unauthorized)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/bot"
    server.shutdown()
    server.server_close()


@pytest.mark.usefixtures("fresh_loop")
def test_run_with_rejected_token_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], rejecting_bot_api: str
) -> None:
    monkeypatch.setenv("BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("TELEGRAM_BASE_URL", rejecting_bot_api)
    assert main(["run"]) == 2
    assert "BOT_TOKEN was rejected" in _one_line(capsys.readouterr().err)


@pytest.mark.usefixtures("fresh_loop")
def test_run_with_unreachable_bot_api_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("TELEGRAM_BASE_URL", f"http://127.0.0.1:{port}/bot")
    assert main(["run"]) == 1
    assert "cannot reach the Bot API" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("url", "code", "expected"),
    [
        ("nonsense", 2, "not a valid SQLAlchemy URL"),
        ("mysql://u@127.0.0.1:1/db", 2, "driver"),
        ("sqlite:////proc/no-such-dir/x.sqlite3", 1, "cannot open the database"),
    ],
)
def test_bad_database_url_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    url: str,
    code: int,
    expected: str,
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == code
    assert expected in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"DIGEST_TZ": "not a zone"}, "DIGEST_TZ"),
        ({"FETCH_INTERVAL": "0"}, "FETCH_INTERVAL"),
        ({"FETCH_INTERVAL": "soon"}, "FETCH_INTERVAL"),
        ({"TELEGRAM_BASE_URL": "api.telegram.org/bot"}, "TELEGRAM_BASE_URL"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
def test_invalid_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict, name: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert name in str(raised.value) and "\n" not in str(raised.value)
    assert main(["run"]) == 2
    assert name in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("raw", "ids"),
    [
        ("", frozenset()),
        ("  ", frozenset()),
        ("42", {42}),
        ("1, 2,3", {1, 2, 3}),
        ("1;2", {1, 2}),
        ("7,7,", {7}),
    ],
)
def test_admin_ids_parsing(monkeypatch: pytest.MonkeyPatch, raw: str, ids: set[int]) -> None:
    monkeypatch.setenv("ADMIN_IDS", raw)
    settings = load_settings()
    assert settings.admin_ids == ids
    for admin in ids:
        assert settings.is_admin(admin)
    assert not settings.is_admin(None)
    assert not settings.is_admin(99)


def test_defaults_and_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings()
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.database_url.startswith("sqlite:///") and settings.fetch_interval == 900
    assert settings.admin_ids == frozenset() and settings.allow_private_urls is False
    assert settings.tz.key == "UTC"
    monkeypatch.setenv("TZ", "Europe/Kyiv")
    assert load_settings().tz.key == "Europe/Kyiv"
    monkeypatch.setenv("DIGEST_TZ", "Europe/Rome")  # the specific name wins over TZ
    assert load_settings().tz.key == "Europe/Rome"


@pytest.mark.parametrize("value", [":/etc/localtime", "EST5EDT,M3.2.0,M11.1.0", "Mars/Olympus", ""])
def test_system_tz_that_is_not_an_iana_name_falls_back_to_utc(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TZ", value)
    assert load_settings().tz.key == "UTC"


def test_system_tz_as_zoneinfo_path_is_understood(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":/usr/share/zoneinfo/Europe/Kyiv")
    assert load_settings().tz.key == "Europe/Kyiv"


def test_short_fetch_interval_is_accepted_and_warned_about_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot import bootstrap

    monkeypatch.setattr(bootstrap, "_warned", set())
    monkeypatch.setenv("FETCH_INTERVAL", "1")
    settings = load_settings()
    assert settings.fetch_interval == 1 and settings.short_fetch_interval()
    with caplog.at_level("WARNING", logger="bot.bootstrap"):
        bootstrap.warn_about(settings)
        bootstrap.warn_about(settings)  # a second Application in the same process: no repeat
    [record] = [r for r in caplog.records if "FETCH_INTERVAL" in r.getMessage()]
    assert record.levelname == "WARNING" and "1 s" in record.getMessage()


def test_fetch_interval_of_a_minute_or_more_is_not_warned_about(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot import bootstrap

    monkeypatch.setattr(bootstrap, "_warned", set())
    monkeypatch.setenv("FETCH_INTERVAL", "60")
    with caplog.at_level("WARNING", logger="bot.bootstrap"):
        bootstrap.warn_about(load_settings())
    assert not [r for r in caplog.records if "FETCH_INTERVAL" in r.getMessage()]
