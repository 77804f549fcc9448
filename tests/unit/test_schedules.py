"""Schedule parsing and the next slot: wall-clock times in DIGEST_TZ, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.services.digests.schedules import (
    Schedule,
    ScheduleError,
    next_due,
    parse_schedule,
    parse_time,
)

KYIV = ZoneInfo("Europe/Kyiv")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("words", "expected", "rest"),
    [
        ("instant", Schedule("instant"), []),
        ("daily 07:30", Schedule("daily", time(7, 30)), []),
        ("daily 7", Schedule("daily", time(7, 0)), []),
        ("daily 6pm art5", Schedule("daily", time(18, 0)), ["art5"]),
        ("daily", Schedule("daily", time(8, 0)), []),
        ("weekly fri 18:00 +nato", Schedule("weekly", time(18, 0), 4), ["+nato"]),
        ("Weekly Sunday 9:05", Schedule("weekly", time(9, 5), 6), []),
        ("weekly 10:00", Schedule("weekly", time(10, 0), 0), []),
        ("weekly meloni", Schedule("weekly", time(8, 0), 0), ["meloni"]),
        ("daily -2024 +nato", Schedule("daily", time(8, 0)), ["-2024", "+nato"]),
    ],
)
def test_parse_schedule(words: str, expected: Schedule, rest: list[str]) -> None:
    assert parse_schedule(words.split()) == (expected, rest)


@pytest.mark.parametrize(
    ("words", "problem", "value"),
    [
        ("hourly 08:00", "mode", "hourly"),
        ("daily 25:00", "time", "25:00"),
        ("daily 8:5", "time", "8:5"),
        ("daily 13pm", "time", "13pm"),
        ("daily -1:-1", "time", "-1:-1"),  # not a "-word" exclusion
        ("weekly mon +7.30", "time", "+7.30"),
        ("weekly fryday 08:00", "day", "fryday"),
        ("weekly s 08:00", "day", "s"),
    ],
)
def test_invalid_schedules_say_which_part_is_wrong(words: str, problem: str, value: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(words.split())
    assert (caught.value.problem, caught.value.value) == (problem, value)


def test_stored_form_round_trips() -> None:
    for schedule in (Schedule("daily", time(6, 5)), Schedule("weekly", time(23, 0), 3)):
        assert Schedule.from_stored(schedule.mode, schedule.stored()) == schedule
    assert Schedule("weekly", time(23, 0), 3).stored() == "thu 23:00"
    assert Schedule.from_stored("instant", "") == Schedule("instant")


def test_daily_next_slot_is_later_today_or_tomorrow() -> None:
    daily = Schedule("daily", time(8, 0))
    assert next_due(daily, datetime(2025, 6, 1, 4, 0, tzinfo=UTC), KYIV) == datetime(
        2025, 6, 1, 5, 0, tzinfo=UTC
    )  # 08:00 EEST = 05:00 UTC
    assert next_due(daily, datetime(2025, 6, 1, 5, 0, tzinfo=UTC), KYIV) == datetime(
        2025, 6, 2, 5, 0, tzinfo=UTC
    )  # exactly at the slot: the next one


def test_daily_keeps_wall_time_across_spring_and_autumn_changes() -> None:
    daily = Schedule("daily", time(8, 0))
    before = next_due(daily, datetime(2025, 3, 29, 12, tzinfo=UTC), KYIV)
    after = next_due(daily, before, KYIV)  # type: ignore[arg-type]
    assert before == datetime(2025, 3, 30, 5, 0, tzinfo=UTC)  # already summer time (UTC+3)
    assert after == datetime(2025, 3, 31, 5, 0, tzinfo=UTC)
    winter = next_due(daily, datetime(2025, 10, 26, 0, tzinfo=UTC), KYIV)
    assert winter == datetime(2025, 10, 26, 6, 0, tzinfo=UTC)  # UTC+2 again


def test_skipped_and_repeated_wall_times() -> None:
    # 02:30 does not exist in New York on 2025-03-09: it comes an hour later, once
    gap = next_due(Schedule("daily", time(2, 30)), datetime(2025, 3, 9, 0, tzinfo=UTC), NEW_YORK)
    assert gap is not None and gap.astimezone(NEW_YORK).hour == 3
    # 01:30 happens twice on 2025-11-02: the digest goes once, at the first
    repeated = Schedule("daily", time(1, 30))
    first = next_due(repeated, datetime(2025, 11, 2, 0, tzinfo=UTC), NEW_YORK)
    assert first == datetime(2025, 11, 2, 5, 30, tzinfo=UTC)  # EDT
    following = next_due(repeated, first, NEW_YORK)  # type: ignore[arg-type]
    assert following == datetime(2025, 11, 3, 6, 30, tzinfo=UTC)  # not 06:30 on the 2nd


def test_weekly_next_slot() -> None:
    friday = Schedule("weekly", time(18, 0), 4)
    # Wednesday 2025-06-04 → Friday 2025-06-06 18:00 Kyiv = 15:00 UTC
    assert next_due(friday, datetime(2025, 6, 4, 12, tzinfo=UTC), KYIV) == datetime(
        2025, 6, 6, 15, 0, tzinfo=UTC
    )
    # Friday after the slot → a week later
    assert next_due(friday, datetime(2025, 6, 6, 16, tzinfo=UTC), KYIV) == datetime(
        2025, 6, 13, 15, 0, tzinfo=UTC
    )


def test_instant_has_no_slot_and_times_accept_common_forms() -> None:
    assert next_due(Schedule("instant"), datetime.now(UTC), KYIV) is None
    assert parse_time("7.45") == time(7, 45)
    assert parse_time("12am") == time(0, 0)
