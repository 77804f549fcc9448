"""Runtime settings from environment variables and an optional `.env` file."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,100}$")
DB_FILE_NAME = "briefbot.sqlite3"


def _project_dir() -> Path:
    """The checkout holding pyproject.toml (and the project's .env); an installed copy without
    one uses a per-user folder. Never the current directory: a command run from elsewhere must
    find the same database."""
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").is_file():
        return root
    return Path.home() / ".local" / "share" / "briefbot"


PROJECT_DIR = _project_dir()


SHORT_FETCH_INTERVAL = 60  # seconds; shorter polling is for local feeds, not other people's


class SettingsError(Exception):
    """Configuration is unusable; the message is one readable line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    # DATA_DIR holds the SQLite file; relative paths are taken from the project directory
    data_dir: Path = Path("data")
    # empty: SQLite in DATA_DIR; relative SQLite paths are taken from the project directory
    database_url: str = ""
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    # seconds an outbox row stays with the process that claimed it (renewed while it works)
    outbox_lease: float = Field(default=60.0, ge=3, le=3600)
    # multiplies every flood limit the bot paces itself to: for tests against a fake Bot API
    flood_limit_scale: float = Field(default=1.0, gt=0, le=1000)
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    # any interval from 1 s (demo and test set-ups poll local feeds every few seconds);
    # below SHORT_FETCH_INTERVAL the bot says once at start that this is hard on real feeds
    fetch_interval: int = Field(default=900, ge=1, le=7 * 24 * 3600)
    allow_private_urls: bool = False
    digest_tz: str | None = Field(default=None, validation_alias="DIGEST_TZ")
    # TZ is the operating system's variable too; POSIX forms like ":/etc/localtime" or "EST5EDT"
    # that are not IANA names fall back to UTC instead of stopping the bot
    system_tz: str | None = Field(default=None, validation_alias="TZ")
    digest_backfill_hours: int = Field(default=72, ge=0, le=24 * 365)
    paid_broadcast: bool = False
    log_level: str = "INFO"
    log_format: str = Field(default="text", pattern="^(text|json)$")
    http_timeout: float = Field(default=15.0, gt=0, le=300)
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    user_agent: str = "briefbot/0.1 (+https://github.com/briefbot/briefbot)"

    @field_validator("metrics_port", mode="before")
    @classmethod
    def _empty_port(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _absolute_paths(self) -> Settings:
        if not self.data_dir.is_absolute():
            self.data_dir = PROJECT_DIR / self.data_dir.expanduser()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / DB_FILE_NAME}"
        elif self.database_url.startswith("sqlite:///") and not self.database_url.startswith(
            ("sqlite:////", "sqlite:///:memory:", "sqlite:///file:")
        ):
            relative = Path(self.database_url.removeprefix("sqlite:///")).expanduser()
            if not relative.is_absolute():
                self.database_url = f"sqlite:///{PROJECT_DIR / relative}"
        return self

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file's absolute path (None for other databases and in-memory SQLite)."""
        if not self.database_url.startswith("sqlite:///"):
            return None
        path = self.database_url.removeprefix("sqlite:///").split("?", 1)[0]
        if not path or path == ":memory:" or path.startswith("file:"):
            return None
        return Path(path).expanduser().resolve()

    def database_label(self) -> str:
        """What the bot prints at start: the SQLite file, or the URL without its password."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.database_url).render_as_string(hide_password=True)
        except Exception:
            return "(unparsable DATABASE_URL)"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError(
                    "ADMIN_IDS must be comma-separated numeric Telegram user ids"
                ) from exc
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("digest_tz")
    @classmethod
    def _check_tz(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Europe/Kyiv)"
            ) from exc
        return value

    @field_validator("telegram_base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("TELEGRAM_BASE_URL must start with http:// or https://")
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone_name)

    @property
    def timezone_name(self) -> str:
        """DIGEST_TZ, else TZ when it is an IANA name, else UTC."""
        if self.digest_tz:
            return self.digest_tz
        candidate = (self.system_tz or "").lstrip(":")
        if candidate.startswith("/usr/share/zoneinfo/"):
            candidate = candidate.removeprefix("/usr/share/zoneinfo/")
        try:
            ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            return "UTC"
        return candidate

    def require_token(self) -> str:
        """The bot token, or SettingsError with one clear line."""
        if not self.bot_token:
            raise SettingsError(
                "BOT_TOKEN is not set: get a token from @BotFather and put it in the "
                "environment or in .env (or run `briefbot chat` for the local console)"
            )
        if not TOKEN_RE.match(self.bot_token.strip()):
            raise SettingsError(
                "BOT_TOKEN looks malformed: expected digits, a colon and 30+ letters, "
                "as @BotFather gives it (e.g. 123456789:AA...)"
            )
        return self.bot_token.strip()

    def short_fetch_interval(self) -> bool:
        """FETCH_INTERVAL is below a minute: fine on loopback, impolite to real publishers."""
        return self.fetch_interval < SHORT_FETCH_INTERVAL

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids


def load_settings(**overrides: object) -> Settings:
    """Load settings, turning validation errors into one readable SettingsError line."""
    try:
        # the project's .env first, then one in the current directory (it wins)
        env_files = (PROJECT_DIR / ".env", Path(".env"))
        return Settings(_env_file=env_files, **overrides)  # type: ignore[arg-type, call-arg]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]).upper() if err["loc"] else "settings"
            msg = str(err["msg"]).removeprefix("Value error, ")
            problems.append(f"{name}: {msg}")
        raise SettingsError("invalid configuration: " + "; ".join(problems)) from None
