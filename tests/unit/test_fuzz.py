"""Property tests: any text through every command, any callback data, and the HTML helpers.

Every reply must be valid Telegram HTML within 4096 UTF-16 units (checked by the fake Bot API's
parser), every callback query is answered exactly once, and nothing raises.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram.ext import CommandHandler

from bot.console import Console, ConsoleRequest, Sent
from bot.render import callbacks
from bot.render.html import MAX_MESSAGE, esc, pack, shorten, utf16_len
from tests.support.fake_telegram import check_telegram_html, validate_inline_keyboard

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# any Unicode a Telegram client can send (no lone surrogates: they are not valid UTF-8)
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=300)
TRICKY = st.sampled_from(
    [
        "<b>bold</b>",
        "<script>alert(1)</script>",
        "a & b < c > d",
        "&amp; &lt; &#128512; &bogus;",
        "**markdown** _x_ `code` [link](http://x)",
        "\"quotes\" 'single'",
        "🇺🇦🙂👍🏽 emoji",
        "Зеленський Мелоні",
        "ميلوني",
        "メローニ",
        "\u200b\u200e\u202e zero width and bidi",
        "x" * 5000,
        "🙂" * 3000,
        "1 2 3 4 5 6 7 8 9 10",
        "-1 0 99999999999999999999999",
        "#1 vs #2",
        "\n\n\n",
        "@briefbot",
    ]
)
ARGS = st.one_of(TEXT, TRICKY, st.lists(st.one_of(TEXT, TRICKY), max_size=3).map(" ".join))


@dataclass
class Harness:
    console: Console
    request: ConsoleRequest
    loop: asyncio.AbstractEventLoop
    commands: list[str]

    def send(self, line: str) -> list[Sent]:
        start = len(self.request.sent)
        self.loop.run_until_complete(self.console.send_line(line))
        return self.request.sent[start:]

    def press(self, data: str) -> tuple[list[Sent], list[str]]:
        sent, answered = len(self.request.sent), len(self.request.answered)
        self.loop.run_until_complete(self.console.press(data))
        return self.request.sent[sent:], self.request.answered[answered:]


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """One application for all examples (building it per example would dominate the run)."""
    from bot.app import build_application
    from bot.bootstrap import prepare_database
    from bot.console import CONSOLE_TOKEN
    from bot.settings import load_settings

    path: Path = tmp_path_factory.mktemp("fuzz") / "db.sqlite3"
    app_settings = load_settings(database_url=f"sqlite:///{path}", admin_ids="4242")
    db = prepare_database(app_settings)
    request = ConsoleRequest()
    app = build_application(
        app_settings, db, token=CONSOLE_TOKEN, request=request, rate_limit=False, jobs=False
    )
    loop = asyncio.new_event_loop()
    loop.run_until_complete(app.initialize())
    commands = sorted(
        {
            command
            for handlers in app.handlers.values()
            for handler in handlers
            if isinstance(handler, CommandHandler)
            for command in handler.commands
        }
    )
    # user 1 is not an admin: admin commands must refuse politely (and must not fetch anything)
    yield Harness(Console(app, request, user_id=1, out=None), request, loop, commands)  # type: ignore[arg-type]
    loop.run_until_complete(app.shutdown())
    loop.close()
    db.dispose()


def assert_valid_message(message: Sent) -> None:
    visible = check_telegram_html(message.text)  # raises on HTML Telegram would reject
    assert visible.strip(), "empty message"
    assert utf16_len(visible) <= MAX_MESSAGE, utf16_len(visible)
    validate_inline_keyboard(message.keyboard)


def test_every_registered_command_is_fuzzed(harness: Harness) -> None:
    assert {"start", "help", "proposal", "actor", "compare", "search"} <= set(harness.commands)


@FUZZ
@given(data=st.data(), args=ARGS)
def test_any_text_after_any_command(harness: Harness, data: st.DataObject, args: str) -> None:
    command = data.draw(st.sampled_from(harness.commands), label="command")
    replies = harness.send(f"/{command} {args}")
    assert replies, f"/{command} gave no reply"
    for message in replies:
        assert_valid_message(message)


@FUZZ
@given(text=ARGS)
def test_any_plain_text_in_a_private_chat(harness: Harness, text: str) -> None:
    replies = harness.send(text)
    if text.strip():
        assert replies
    for message in replies:
        assert_valid_message(message)


@FUZZ
@given(name=st.from_regex(r"/[A-Za-z0-9_]{1,40}", fullmatch=True), args=TEXT)
def test_unknown_commands_get_a_short_answer(harness: Harness, name: str, args: str) -> None:
    replies = harness.send(f"{name} {args}")
    assert replies
    for message in replies:
        assert_valid_message(message)


def _fits_callback(data: str) -> bool:
    return 1 <= len(data.encode()) <= 64


KNOWN_PREFIXES = sorted(
    {
        value
        for name, value in vars(callbacks).items()
        if name.isupper() and isinstance(value, str) and name != "MAX_CALLBACK_BYTES"
    }
)
NUMBER = st.one_of(
    st.integers(-(10**20), 10**20),
    st.sampled_from([0, -1, 1, 2, 2**31 - 1, 2**31, 2**63, 10**6]),
).map(str)
PART = st.one_of(NUMBER, TEXT.map(lambda t: t[:20]), st.just(""))
WELL_FORMED = st.builds(
    lambda prefix, parts: ":".join([prefix, *parts]),
    st.sampled_from(KNOWN_PREFIXES),
    st.lists(PART, max_size=4),
).filter(_fits_callback)


@FUZZ
@given(data=TEXT.filter(_fits_callback))
def test_random_callback_data_is_answered_and_ignored(harness: Harness, data: str) -> None:
    sent, answered = harness.press(data)
    assert len(answered) == 1, "every callback query is answered exactly once"
    prefix = data.split(":")[0]
    if prefix not in KNOWN_PREFIXES:
        assert sent == [], f"{data!r} was not issued by the bot but produced a message"
    for message in sent:
        assert_valid_message(message)


@FUZZ
@given(data=WELL_FORMED)
def test_well_formed_callback_with_garbage_numbers(harness: Harness, data: str) -> None:
    sent, answered = harness.press(data)
    assert len(answered) == 1
    for message in sent:
        assert_valid_message(message)


# --- bot/render/html.py ------------------------------------------------------------------

INLINE_TAGS = ["b", "i", "u", "s", "code", "tg-spoiler"]


@st.composite
def html_block(draw: st.DrawFn) -> str:
    """A self-contained block as renderers build them: escaped text, possibly inside tags."""
    text = esc(draw(st.one_of(TEXT, TRICKY)))
    for _ in range(draw(st.integers(0, 2))):
        tag = draw(st.sampled_from([*INLINE_TAGS, "a"]))
        if tag == "a":
            text = f'<a href="https://example.org/{draw(st.integers(0, 99))}">{text}</a>'
        else:
            text = f"<{tag}>{text}</{tag}>"
    return text


@settings(max_examples=100, deadline=None)
@given(blocks=st.lists(html_block(), max_size=30), limit=st.integers(10, MAX_MESSAGE))
def test_pack_never_exceeds_the_limit_nor_splits_a_tag(blocks: list[str], limit: int) -> None:
    messages = pack(blocks, limit=limit)
    for message in messages:
        visible = check_telegram_html(message)  # a tag split across messages would fail here
        assert utf16_len(visible) <= limit
        assert visible.strip()
    shown = [b for b in blocks if check_telegram_html(b).strip()]
    if all(utf16_len(check_telegram_html(b)) <= limit for b in shown):
        assert "\n\n".join(messages) == "\n\n".join(shown), "nothing lost or reordered"


@settings(max_examples=100, deadline=None)
@given(
    text=st.one_of(TEXT, TRICKY, st.text(st.sampled_from("🙂🇺🇦👍🏽a 𝔘"), max_size=200)),
    limit=st.integers(-5, 300),
)
def test_shorten_respects_utf16_limits(text: str, limit: int) -> None:
    result = shorten(text, limit)
    assert utf16_len(result) <= max(limit, 0)
    result.encode("utf-8")  # no half of a surrogate pair left behind
    if utf16_len(" ".join(text.split())) <= limit:
        assert result == " ".join(text.split())
    elif limit >= 1:
        assert result.endswith("…")


@settings(max_examples=100, deadline=None)
@given(text=st.one_of(TEXT, TRICKY))
def test_esc_output_is_valid_telegram_html_showing_the_text(text: str) -> None:
    assert check_telegram_html(esc(text)) == text
