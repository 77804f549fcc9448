"""The one place for Telegram's text rules: escaping, visible length, splitting at 4096."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_MESSAGE = 4096
MAX_CALLBACK_BYTES = 64
_TAG_RE = re.compile(r"<[^>]*>")


def esc(text: object) -> str:
    """Escape any outside text for Telegram HTML (quotes too, so it is safe in attributes)."""
    return html.escape(str(text), quote=True)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_text(markup: str) -> str:
    """What Telegram counts: the text with tags removed and entities decoded."""
    return html.unescape(_TAG_RE.sub("", markup))


def visible_len(markup: str) -> int:
    return utf16_len(visible_text(markup))


def shorten(text: str, limit: int) -> str:
    """Plain text cut to at most `limit` UTF-16 units at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if utf16_len(text) <= limit:
        return text
    if limit < 1:  # no room even for the ellipsis (and the loop below would never end)
        return ""
    cut = text[: max(limit - 1, 1)]
    while utf16_len(cut) > limit - 1:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


def bold(text: str) -> str:
    return f"<b>{esc(text)}</b>"


def italic(text: str) -> str:
    return f"<i>{esc(text)}</i>"


def code(text: str) -> str:
    return f"<code>{esc(text)}</code>"


def link(url: str | None, text: str) -> str:
    """A link when the URL is http(s); otherwise just the escaped text."""
    if url and url.lower().startswith(("http://", "https://")) and len(url) < 2000:
        return f'<a href="{esc(url)}">{esc(text)}</a>'
    return esc(text)


@dataclass(frozen=True)
class Button:
    text: str
    data: str | None = None  # callback_data
    url: str | None = None
    # switch_inline_query: opens "@bot <share>" in a chat the user picks (inline mode)
    share: str | None = None

    def __post_init__(self) -> None:
        if self.data is not None and not 1 <= len(self.data.encode()) <= MAX_CALLBACK_BYTES:
            raise ValueError(f"callback_data must be 1-64 bytes: {self.data!r}")


@dataclass
class Reply:
    """One message to send: HTML text and an optional inline keyboard (rows of buttons)."""

    text: str
    keyboard: list[list[Button]] = field(default_factory=list)
    preview: bool = False


def pack(blocks: list[str], limit: int = MAX_MESSAGE, separator: str = "\n\n") -> list[str]:
    """Join self-contained HTML blocks into as few messages as fit within `limit` each.

    A block that alone exceeds the limit is cut by `cut_block` so that nothing is lost silently
    and every message stays valid HTML.
    """
    messages: list[str] = []
    current = ""
    sep_len = utf16_len(separator)
    for block in blocks:
        if not visible_text(block).strip():  # Telegram rejects a message with no visible text
            continue
        if visible_len(block) > limit:
            block = cut_block(block, limit)
        if current and visible_len(current) + sep_len + visible_len(block) <= limit:
            current += separator + block
        else:
            if current:
                messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages


def fit_one(build: Callable[[int], list[str]], budgets: tuple[int, ...] = (600, 300, 150)) -> str:
    """One message from blocks built with shrinking text budgets: a page keeps all its items.

    Paged views edit a single message, so they cannot spill into a second one; texts get
    shorter instead, and only as a last resort blocks past the limit are left out (marked …).
    """
    messages: list[str] = []
    for budget in budgets:
        messages = pack(build(budget))
        if len(messages) <= 1:
            return messages[0] if messages else ""
    return (
        pack([messages[0], "…"])[0] if visible_len(messages[0]) < MAX_MESSAGE - 3 else messages[0]
    )


def cut_block(block: str, limit: int) -> str:
    """Last resort for an oversized block: drop the markup and shorten the visible text."""
    return esc(shorten(visible_text(block), limit))
