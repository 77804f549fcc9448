"""A Ukrainian chat gets every reply in Ukrainian: no English interface text (compared with the
English catalogue), and the dossier's own Ukrainian texts. Also /language and `chat --lang`."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from babel.messages.pofile import read_po

from bot.console import Console
from bot.i18n import LOCALE_DIR
from tests.conftest import ADMIN_ID
from tests.support import news_factory

PLACEHOLDER_OR_TAG = re.compile(r"\{[^}]*\}|<[^>]*>|\n")
MIN_FRAGMENT = 12  # shorter pieces ("NATO", "OK", "1/2") are no sign of an untranslated text
EVERY_VIEW = [
    "/start", "/help", "/proposals", "/proposal 1", "/proposal art5", "/actors", "/actor meloni",
    "/actor trump", "/compare 1 2", "/compare art5 nato", "/compare", "/search meloni",
    "/search", "/latest", "/timeline", "/timeline nato", "/sources", "/subscribe",
    "/subscribe daily 08:00", "/digest", "/unsubscribe", "/coverage", "/coverage 7",
    "/coverage x", "/language", "/language xx", "/proposal zzzz", "/actor", "/nosuch",
    "just some words", "/stats", "/review", "/addfact", "/removesource", "/addsource",
    "/timeline 2", "/addfact 1 Короткий", "/subscribe weekly sun 09:00 art5",
]  # fmt: skip


def _english_fragments() -> list[str]:
    """Pieces of English interface text that the Ukrainian catalogue translates."""
    with (LOCALE_DIR / "uk" / "LC_MESSAGES" / "briefbot.po").open("rb") as fh:
        uk = read_po(fh)
    fragments: set[str] = set()
    for message in uk:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated = html.unescape(" ".join(s for s in strings if s)).casefold()
        for msgid in ids:
            for piece in PLACEHOLDER_OR_TAG.split(html.unescape(msgid)):
                piece = piece.strip(" .,:;—–-()“”\"'")
                if len(piece) >= MIN_FRAGMENT and piece.casefold() not in translated:
                    fragments.add(piece)
    return sorted(fragments)


FRAGMENTS = _english_fragments()


def untranslated(reply: str) -> list[str]:
    folded = reply.casefold()
    return [f for f in FRAGMENTS if f.casefold() in folded]


def test_the_check_knows_english_when_it_sees_it() -> None:
    assert len(FRAGMENTS) > 150
    assert untranslated("Proposals on the table (6)") == ["Proposals on the table"]
    assert untranslated("Пропозиції на столі (6)") == []


async def _ask_all(console: Console) -> dict[str, str]:
    replies = {}
    for line in EVERY_VIEW:
        replies[line] = await console.send_line(line)
    listing = await console.send_line("/proposals")
    replies["/proposals :1"] = listing + await console.send_line(":1")
    await console.send_line("/compare")
    replies["/compare :1 :1"] = await console.send_line(":1") + await console.send_line(":1")
    await console.send_line("/timeline")
    replies["/actors :1"] = await console.send_line("/actors") + await console.send_line(":1")
    return replies


def _with_articles(db) -> None:
    now = datetime.now(UTC)
    with db.session() as session:
        for n in range(3):
            news_factory.document(
                session, f"Allies weigh guarantees {n}", published_at=now - timedelta(days=n),
                proposals=("art5-like",), actors=("meloni",),
            )  # fmt: skip


@pytest.mark.parametrize("how", ["telegram_language", "language_command"])
async def test_every_view_in_ukrainian_has_no_english_interface_text(console, db, how) -> None:
    _with_articles(db)
    admin = Console(console.app, console.request, user_id=ADMIN_ID, out=None)  # type: ignore[arg-type]
    for user in (console, admin):
        if how == "telegram_language":
            user.language_code = "uk"
        else:  # an English Telegram app, but the chat chose Ukrainian
            user.language_code = "en"
            assert "Готово" in await user.send_line("/language uk")
    problems = {}
    for user in (console, admin):
        for line, reply in (await _ask_all(user)).items():
            assert reply != "(no reply)", line
            assert "Traceback" not in reply and "went wrong" not in reply, (line, reply)
            found = untranslated(reply)
            if found:
                problems[line] = (found, reply[:600])
    assert not problems, problems


async def test_ukrainian_replies_show_the_dossiers_ukrainian_texts(console, db) -> None:
    _with_articles(db)
    console.language_code = "uk"
    expected = {
        "/proposals": "Механізм колективної допомоги на зразок статті 5",
        "/proposal 2": "Заявлена готовність надати підтримку з повітря",
        "/proposal 5": "Вимагає, щоб Україна офіційно відмовилася від планів вступу до НАТО",
        "/actor meloni": "Прем'єр-міністерка Італії",
        "/actors": "Сполучені Штати — Можливий постачальник підтримки з повітря",
        "/compare 1 3": "Хто проти\n① не зафіксовано\n② Джорджа Мелоні",
        "/timeline": "Декларація Вашингтонського саміту",
        "/search hegseth": "Піт Гегсет",
        "/latest": "Механізм колективної допомоги",
        "/coverage": "Механізм колективної допомоги",
        # a bare "nato" is the membership proposal (its lookup name), shown by its Ukrainian title
        "/timeline nato": "Хронологія «Повноправне членство України в НАТО»",
        "/proposal участь нато в механізмі гарантій": "Каже, що формат ще опрацьовується",
        "/actor Гвідо Крозетто": "Міністр оборони Італії",
    }
    for line, text in expected.items():
        reply = await console.send_line(line)
        assert text in reply, (line, reply[:500])
    assert "🖼 picture" in await console.send_line("/compare 1 2")


async def test_language_choice_is_stored_per_chat_and_beats_telegrams(console, db) -> None:
    console.language_code = "uk"
    menu = await console.send_line("/language")
    assert "Мова відповідей у цьому чаті: Українська" in menu and ":1   English" in menu
    done = await console.send_line(":1")
    assert "(updated)" in done and "this chat is now answered in English" in done
    assert "Proposals on the table" in await console.send_line("/proposals")
    other = Console(console.app, console.request, user_id=77, out=None)  # type: ignore[arg-type]
    other.language_code = "uk"
    assert "Пропозиції" in await other.send_line("/proposals")  # another chat: its own
    with db.session() as session:
        from bot.services.chat_language import stored_language

        assert stored_language(session, 1) == "en" and stored_language(session, 77) is None
    assert "Готово" in await console.send_line("/language Українська")
    assert "Пропозиції" in await console.send_line("/proposals")
    assert "/language" in await console.send_line("/language klingon")


async def test_digests_follow_the_chats_language(console, db) -> None:
    from sqlalchemy import select

    from storage.models import Subscription

    await console.send_line("/subscribe daily 08:00")
    await console.send_line("/language uk")
    with db.session() as session:
        assert session.scalars(select(Subscription.language)).one() == "uk"


def test_chat_lang_uk_stores_the_console_chats_language(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'console.sqlite3'}"}
    env.pop("TEST_DATABASE_URL", None)

    def chat(*args: str, stdin: str) -> str:
        code = "import sys; from bot.cli import main; sys.exit(main())"
        done = subprocess.run(
            [sys.executable, "-c", code, "chat", *args],
            input=stdin, capture_output=True, text=True, env=env, timeout=120, check=True,
        )  # fmt: skip
        return done.stdout

    out = chat("--lang", "uk", stdin="/help\n/proposal 5\n")
    assert "Що я вмію" in out and "Повноправне членство України в НАТО" in out
    assert "Пропозиції" in chat(stdin="/proposals\n")  # stored: the next session keeps it
    assert "Proposals on the table" in chat("--lang", "en", stdin="/proposals\n")
