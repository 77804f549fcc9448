"""Replies of /language: the menu of languages and the confirmation."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.html import Button, Reply
from bot.services.chat_language import LANGUAGE_NAMES


def language_menu(_: Translator, offered: list[str]) -> Reply:
    text = "\n".join(
        [
            _("This chat is answered in: <b>{name}</b>.", name=LANGUAGE_NAMES[_.language]),
            _("Choose the language for replies and dossier texts:"),
        ]
    )
    row = [
        Button(LANGUAGE_NAMES[code], callbacks.make(callbacks.LANGUAGE, code)) for code in offered
    ]
    return Reply(text, [row])


def language_usage(_: Translator, offered: list[str]) -> str:
    return _(
        "Send /language alone to pick with buttons, or /language followed by one of: {codes}.",
        codes=", ".join(offered),
    )


def chosen_reply(_: Translator, language: str) -> Reply:
    return Reply(
        _(
            "Done: this chat is now answered in <b>{name}</b>, dossier texts included.",
            name=LANGUAGE_NAMES.get(language, language),
        )
    )
