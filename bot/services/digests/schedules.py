"""Digest schedules: parse `instant`, `daily HH:MM`, `weekly DAY HH:MM`; compute the next slot.

Times are wall-clock times in DIGEST_TZ, so a daily 08:00 digest stays at 08:00 across DST
changes; the instants stored in the database (Subscription.next_due_at) are UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

Mode = Literal["instant", "daily", "weekly"]
MODES: tuple[Mode, ...] = ("instant", "daily", "weekly")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_TIME = time(8, 0)
_TIME_RE = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$")
# a bad time rather than a +/- keyword: "8:5", "25", "-1:-1", "+7.30" (but "-2024" is a word)
_TIME_LIKE = re.compile(r"^(?:\d|[-+]\d+[:.h])")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MODE_ALIASES = {"now": "instant", "immediately": "instant", "day": "daily", "week": "weekly"}


class ScheduleError(ValueError):
    """The schedule part of a command is wrong; `problem` says which part, `value` what came."""

    def __init__(self, problem: Literal["mode", "time", "day"], value: str = "") -> None:
        super().__init__(f"bad {problem}: {value!r}")
        self.problem = problem
        self.value = value


@dataclass(frozen=True)
class Schedule:
    mode: Mode
    at: time | None = None  # daily and weekly
    weekday: int | None = None  # weekly: 0 = Monday

    def stored(self) -> str:
        """The form kept in Subscription.schedule: '' | '08:00' | 'mon 08:00'."""
        if self.mode == "instant" or self.at is None:
            return ""
        clock = self.at.strftime("%H:%M")
        return f"{DAYS[self.weekday or 0]} {clock}" if self.mode == "weekly" else clock

    @classmethod
    def from_stored(cls, mode: str, text: str) -> Schedule:
        if mode == "instant":
            return cls("instant")
        parts = text.split()
        at = parse_time(parts[-1]) if parts else DEFAULT_TIME
        if mode == "weekly":
            return cls("weekly", at, parse_day(parts[0]) if len(parts) > 1 else 0)
        return cls("daily", at)


def parse_mode(word: str) -> Mode | None:
    word = _MODE_ALIASES.get(word.casefold(), word.casefold())
    return word if word in MODES else None  # type: ignore[return-value]


def parse_time(word: str) -> time:
    match = _TIME_RE.match(word.strip().casefold())
    if not match:
        raise ScheduleError("time", word)
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            raise ScheduleError("time", word)
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleError("time", word)
    return time(hour, minute)


def parse_day(word: str) -> int:
    """mon, Monday, tu, THURS… (two letters at least, so 'sa' and 'su' stay apart)."""
    key = word.strip().casefold().rstrip(".")
    for index, name in enumerate(_DAY_NAMES):
        if len(key) >= 2 and name.startswith(key):
            return index
    raise ScheduleError("day", word)


def is_time(word: str) -> bool:
    return bool(_TIME_RE.match(word.strip().casefold()))


def is_day(word: str) -> bool:
    try:
        parse_day(word)
    except ScheduleError:
        return False
    return True


def refuse_signed_time(words: list[str]) -> None:
    """Raise ScheduleError("time") for `daily -1:-1` or `weekly fri +7:30`: a time with a
    sign where the time goes, which keyword parsing would otherwise read as -word/+word."""
    mode = parse_mode(words[0]) if words else None
    if mode not in ("daily", "weekly"):
        return
    slots = words[1:3] if mode == "weekly" and len(words) > 2 and is_day(words[1]) else words[1:2]
    for word in slots:
        if word[:1] in "+-−" and _TIME_LIKE.match("-" + word[1:]):
            raise ScheduleError("time", word)


def parse_schedule(words: list[str]) -> tuple[Schedule, list[str]]:
    """Read the schedule from the front of `words`; return it and the words left over.

    `daily` and `weekly` may omit the time (08:00) and `weekly` the day (Monday)."""
    if not words:
        raise ScheduleError("mode", "")
    mode = parse_mode(words[0])
    if mode is None:
        raise ScheduleError("mode", words[0])
    rest = words[1:]
    if mode == "instant":
        return Schedule("instant"), rest
    weekday = None
    if mode == "weekly":
        weekday = 0
        if rest and is_day(rest[0]) and not is_time(rest[0]):
            weekday, rest = parse_day(rest[0]), rest[1:]
        elif len(rest) > 1 and not is_time(rest[0]) and is_time(rest[1]):
            raise ScheduleError("day", rest[0])  # "weekly fryday 08:00"
    at = DEFAULT_TIME
    if rest and is_time(rest[0]):
        at, rest = parse_time(rest[0]), rest[1:]
    elif rest and _TIME_LIKE.match(rest[0]):
        raise ScheduleError("time", rest[0])  # "daily 8:5", "daily 25", "daily -1:-1"
    return Schedule(mode, at, weekday), rest


def next_due(schedule: Schedule, after: datetime, tz: ZoneInfo) -> datetime | None:
    """The first slot strictly after `after` (UTC), or None for instant delivery.

    A wall time skipped on a spring-forward day comes as far after the jump as it was meant
    to be (03:30 becomes 04:30); one that occurs twice on a fall-back day is used once, at the
    first occurrence."""
    if schedule.mode == "instant" or schedule.at is None:
        return None
    after = after.astimezone(UTC)
    local_day = after.astimezone(tz).date()
    for offset in range(0, 9):
        day = local_day + timedelta(days=offset)
        if schedule.mode == "weekly" and day.weekday() != schedule.weekday:
            continue
        slot = datetime.combine(day, schedule.at, tzinfo=tz).astimezone(UTC)
        if slot > after:
            return slot
    raise AssertionError("a weekly slot always exists within 8 days")  # pragma: no cover
