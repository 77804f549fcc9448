"""HTML fragments (feed titles, summaries, content) to plain text, safe to store and show."""

from __future__ import annotations

import html
import re

import lxml.etree
import lxml.html

_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math")
_BLOCK = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table"}
    | {"blockquote", "pre", "section", "article", "header", "footer", "aside", "figure"}
    | {"figcaption", "dd", "dt", "dl", "hr", "address", "details", "summary"}
)
_TAGGY = re.compile(r"<[A-Za-z/!?]")
# Controls, zero-width characters, and bidi controls (embeddings, overrides, isolates and
# marks): an RLO in a feed title would reverse the rest of a digest line ("gpj.exe").
_BAD_CHARS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff"
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SPACES = re.compile(r"[^\S\n]+")


def html_to_text(value: str | None, *, paragraphs: bool = False) -> str:
    """Strip tags (dropping scripts, styles and the like with their content), unescape
    entities and collapse whitespace. With `paragraphs`, block elements become line
    breaks (one paragraph a line); otherwise everything is one line."""
    if not value:
        return ""
    text = _BAD_CHARS.sub("", value)
    # Feeds often escape twice ("&amp;lt;b&amp;gt;"), so a second pass may find real tags.
    for _ in range(2):
        if not _TAGGY.search(text) and "&" not in text:
            break
        text = _BAD_CHARS.sub("", html.unescape(_strip_tags(text)))  # "&#x202E;" too
    return _collapse(text, paragraphs)


def _strip_tags(markup: str) -> str:
    if not _TAGGY.search(markup):
        return markup
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return re.sub(r"<[^>]*>", " ", markup)
    for element in list(root.iter(*_DROP)):
        element.drop_tree()  # keeps the tail text, loses the element and its content
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK:
            element.tail = "\n" + (element.tail or "")
    return str(root.text_content())


def _collapse(text: str, paragraphs: bool) -> str:
    if not paragraphs:
        return " ".join(text.split())
    # " ".join(line.split()) is _SPACES.sub(" ", line).strip() for a line without "\n" (one
    # definition of whitespace, str.isspace), a third of the cost: no match object per space
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
