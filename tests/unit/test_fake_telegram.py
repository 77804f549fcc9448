"""Tests for the fake Telegram Bot API server in tests/support/fake_telegram.py."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CommandHandler, ContextTypes

from tests.support.fake_telegram import (
    BOT_USERNAME,
    FakeTelegram,
    RateLimits,
    TelegramHtmlError,
    check_telegram_html,
    parse_telegram_html,
    utf16_len,
)

TOKEN = "123456:" + "A" * 35


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as client:
        yield client


# -- HTML checker -------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "visible"),
    [
        ("plain text", "plain text"),
        ("<b>bold</b> <strong>s</strong> <i>i</i><em>e</em>", "bold s ie"),
        ("<u>u</u><ins>i</ins><s>s</s><strike>k</strike><del>d</del>", "uiskd"),
        ("&lt;tag&gt; &amp; &quot;q&quot; &#65;&#x42;", '<tag> & "q" AB'),
        ('<a href="https://example.com/?a=1&amp;b=2">link</a>', "link"),
        ('<pre><code class="language-python">print(1)</code></pre>', "print(1)"),
        ("<code>x &lt; y</code>", "x < y"),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st"),
        ("<blockquote>q</blockquote><blockquote expandable>e</blockquote>", "qe"),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
        ("<b>bold <i>both</i></b>\nnext line", "bold both\nnext line"),
        ("<B>upper</B>", "upper"),
    ],
)
def test_html_checker_accepts_valid_markup(html: str, visible: str) -> None:
    assert check_telegram_html(html) == visible


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("fish & chips", 'Unescaped "&" at byte offset 5'),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        (
            "<b><i>x</b></i>",
            'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
        ),
        ("<a>no href</a>", 'Tag "a" must have attribute "href" at byte offset 0'),
        ("a&nbsp;b", 'Unsupported HTML entity "&nbsp;" at byte offset 1'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("2 > 1", 'Unescaped ">" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<br/>", 'Unsupported start tag "br/" at byte offset 0'),
    ],
)
def test_html_checker_rejects_invalid_markup(html: str, message: str) -> None:
    with pytest.raises(TelegramHtmlError) as info:
        check_telegram_html(html)
    assert info.value.description == message


def test_html_checker_lenient_mode_matches_production_server() -> None:
    assert check_telegram_html("fish & chips &nbsp; 2 > 1", strict=False) == (
        "fish & chips &nbsp; 2 > 1"
    )


def test_html_entities_use_utf16_offsets() -> None:
    parsed = parse_telegram_html('😀<b>x</b> <a href="https://e.org">y</a>')
    assert parsed.text == "😀x y"
    assert parsed.entities == [
        {"offset": 2, "length": 1, "type": "bold"},
        {"offset": 4, "length": 1, "type": "text_link", "url": "https://e.org"},
    ]


def test_pre_with_language_becomes_single_entity() -> None:
    parsed = parse_telegram_html('<pre><code class="language-py">x</code></pre>')
    assert parsed.entities == [{"offset": 0, "length": 1, "type": "pre", "language": "py"}]


def test_utf16_length_counts_emoji_as_two() -> None:
    assert utf16_len("😀") == 2
    assert utf16_len("aé😀") == 4


# -- PTB client against the server -----------------------------------------------


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.username == BOT_USERNAME
    assert me.id == 123456
    assert me.can_join_groups is True


async def test_send_message_is_recorded(fake: FakeTelegram, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go:1")]])
    sent = await bot.send_message(
        42, "<b>Hello</b> &amp; bye", parse_mode="HTML", reply_markup=markup
    )
    assert sent.text == "Hello & bye"
    assert sent.text_html == "<b>Hello</b> &amp; bye"
    [record] = fake.messages_to(42)
    assert record.text == "<b>Hello</b> &amp; bye"
    assert record.plain_text == "Hello & bye"
    assert record.parse_mode == "HTML"
    assert record.message_id == sent.message_id
    assert record.reply_markup == {"inline_keyboard": [[{"text": "Go", "callback_data": "go:1"}]]}
    assert record.method == "sendMessage"


async def test_link_preview_and_thread_are_recorded(fake: FakeTelegram, bot: Bot) -> None:
    fake.register_chat(-1003, "supergroup", title="Forum", is_forum=True)
    sent = await bot.send_message(
        -1003,
        "https://example.com",
        message_thread_id=12,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert sent.is_topic_message is True
    [record] = fake.messages
    assert record.message_thread_id == 12
    assert record.disable_web_page_preview is True
    assert record.link_preview_options == {"is_disabled": True}


async def test_bad_html_raises_bad_request(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(42, "<div>nope</div>", parse_mode="HTML")
    assert fake.messages == []
    [rejected] = fake.rejected
    assert rejected.error_code == 400
    assert rejected.chat_id == 42
    assert rejected.description.startswith("Bad Request: can't parse entities:")


async def test_too_long_and_empty_messages(bot: Bot) -> None:
    await bot.send_message(1, "😀" * 2048)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(1, "😀" * 2048 + "x")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(1, "<b> </b>", parse_mode="HTML")


async def test_callback_data_over_64_bytes_rejected(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(1, "hi", reply_markup=markup)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limit_answers_retry_after(fake: FakeTelegram, bot: Bot) -> None:
    fake.set_limits(RateLimits(per_chat_per_sec=1.0, per_chat_burst=1.0))
    await bot.send_message(7, "first")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(7, "second")
    assert "Retry in 1 seconds" in str(info.value)
    await bot.send_message(8, "other chat is fine")
    assert fake.too_many_requests == 1
    [rejected] = fake.rejected
    assert rejected.description == "Too Many Requests: retry after 1"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_global_rate_limit_with_scale(fake: FakeTelegram, bot: Bot) -> None:
    fake.set_limits(RateLimits(global_per_sec=2.0, per_chat_burst=10.0, scale=2.0))
    for chat_id in range(1, 5):
        await bot.send_message(chat_id, "x")
    with pytest.raises(RetryAfter):
        await bot.send_message(99, "over the global budget")


async def test_blocked_chat_and_injected_failures(fake: FakeTelegram, bot: Bot) -> None:
    fake.block_chat(5)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(5, "hi")
    fake.fail_next("sendMessage", status=500, description="Internal Server Error")
    with pytest.raises(NetworkError):
        await bot.send_message(6, "hi")
    assert (await bot.send_message(6, "hi")).text == "hi"
    assert [r.error_code for r in fake.rejected] == [403, 500]


async def test_set_delay_slows_method(fake: FakeTelegram, bot: Bot) -> None:
    fake.set_delay("sendChatAction", 0.2)
    started = time.monotonic()
    await bot.send_chat_action(3, "typing")
    assert time.monotonic() - started >= 0.2
    assert fake.chat_actions == [(3, "typing")]


async def test_edit_message_text_and_not_modified(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(9, "v1")
    edited = await bot.edit_message_text("<i>v2</i>", 9, sent.message_id, parse_mode="HTML")
    assert edited.text == "v2"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("<i>v2</i>", 9, sent.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", 9, 999)
    assert [m.method for m in fake.messages] == ["sendMessage", "editMessageText"]


async def test_commands_are_kept_per_scope(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("brief", "Get a briefing")])
    assert [c["command"] for c in fake.commands()] == ["brief"]
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand("Not Valid", "x")])


async def test_get_chat_member_answers_the_configured_status(fake: FakeTelegram, bot: Bot) -> None:
    fake.set_chat_member(7, "creator")
    fake.set_chat_member(8, "administrator", chat_id=-100)
    assert (await bot.get_chat_member(-100, 7)).status == "creator"
    assert (await bot.get_chat_member(-100, 8)).status == "administrator"
    assert (await bot.get_chat_member(-200, 8)).status == "member"
    assert (await bot.get_chat_member(-100, 9)).status == "member"


async def test_unknown_method_is_404(fake: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{fake.base_url}{TOKEN}/fooBar", json={})
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_json_body_is_accepted(fake: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{fake.base_url}{TOKEN}/sendMessage",
            json={"chat_id": 11, "text": "json", "reply_markup": {"inline_keyboard": []}},
        )
        missing = await client.post(f"{fake.base_url}{TOKEN}/sendMessage", json={"text": "x"})
    assert response.json()["result"]["text"] == "json"
    assert missing.json()["description"] == "Bad Request: chat_id is empty"


# -- updates ----------------------------------------------------------------------


async def test_long_poll_returns_pushed_update_quickly(fake: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    update_id = fake.push_text(100, "hello")
    updates = await poll
    assert time.monotonic() - started < 0.5
    assert [u.update_id for u in updates] == [update_id]
    assert updates[0].message.text == "hello"
    assert updates[0].message.chat.type == "private"


async def test_offset_acknowledges_updates(fake: FakeTelegram, bot: Bot) -> None:
    first = fake.push_text(100, "a")
    second = fake.push_text(100, "b")
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first]
    assert [u.update_id for u in await bot.get_updates(offset=first + 1)] == [second]
    assert [u["update_id"] for u in fake.pending_updates] == [second]
    assert await bot.get_updates(offset=second + 1, timeout=0) == ()


async def test_get_updates_conflicts_with_webhook(bot: Bot) -> None:
    await bot.set_webhook("https://example.com/hook")
    with pytest.raises(Conflict):
        await bot.get_updates()
    await bot.delete_webhook()
    assert await bot.get_updates() == ()


async def test_command_entities_for_commands_with_bot_mention(fake: FakeTelegram, bot: Bot) -> None:
    fake.push_text(
        -1001, f"/brief@{BOT_USERNAME} now", chat_type="supergroup", is_forum=True, thread_id=7
    )
    [update] = await bot.get_updates()
    message = update.message
    assert message.entities[0].type == "bot_command"
    assert (message.entities[0].offset, message.entities[0].length) == (0, 24)
    assert message.chat.is_forum is True
    assert message.message_thread_id == 7
    assert message.is_topic_message is True


async def test_callback_query_references_sent_message(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(55, "pick one")
    callback_id = fake.push_callback(55, sent.message_id, "choice:1")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query.id == callback_id
    assert query.data == "choice:1"
    assert query.message.text == "pick one"
    assert await query.answer("done") is True
    assert fake.answered_callbacks == [callback_id]
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(callback_id)


async def test_document_download(fake: FakeTelegram, bot: Bot) -> None:
    fake.push_document(77, "notes.txt", b"hello file", user_id=77)
    [update] = await bot.get_updates()
    document = update.message.document
    assert document.file_name == "notes.txt"
    telegram_file = await bot.get_file(document.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == b"hello file"


async def test_channel_post_update(fake: FakeTelegram, bot: Bot) -> None:
    fake.push_channel_post(-1002, "news", username="briefchan")
    [update] = await bot.get_updates()
    assert update.channel_post.chat.type == "channel"
    assert (await bot.send_message("@briefchan", "reply")).chat.id == -1002


async def test_application_command_handler_end_to_end(fake: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("welcome")

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        fake.push_text(31, f"/start@{BOT_USERNAME}")
        [record] = await fake.wait_for_messages(1, timeout=2.0)
        await app.updater.stop()
        await app.stop()
    assert (record.chat_id, record.text) == (31, "welcome")


# -- waiting helpers ------------------------------------------------------------------


async def test_wait_for_predicate_and_timeout(fake: FakeTelegram, bot: Bot) -> None:
    task = asyncio.create_task(fake.wait_for(lambda msgs: any(m.text == "b" for m in msgs), 2.0))
    await bot.send_message(1, "a")
    await bot.send_message(1, "b")
    assert [m.text for m in await task] == ["a", "b"]
    with pytest.raises(TimeoutError):
        await fake.wait_for(5, timeout=0.05)


def test_wait_for_messages_sync_from_other_thread(fake: FakeTelegram) -> None:
    def send() -> None:
        time.sleep(0.05)
        httpx.post(f"{fake.base_url}{TOKEN}/sendMessage", data={"chat_id": "4", "text": "t"})

    thread = threading.Thread(target=send)
    thread.start()
    [record] = fake.wait_for_messages_sync(1, timeout=2.0)
    thread.join()
    assert (record.chat_id, record.text) == (4, "t")
    fake.clear()
    assert fake.messages == []
