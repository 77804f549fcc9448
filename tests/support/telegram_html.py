"""Telegram's HTML parse mode, as the Bot API reads it: the checker tests and the fake use.

`check_telegram_html` returns the visible text or raises TelegramHtmlError with the Bot API's
description; `parse_telegram_html` also returns the entities (UTF-16 offsets)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class TelegramHtmlError(ValueError):
    """Raised for text Telegram would reject with "can't parse entities"."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


@dataclass(frozen=True)
class ParsedHtml:
    """Visible text and Telegram MessageEntity dicts (UTF-16 offsets)."""

    text: str
    entities: list[dict[str, Any]]


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    byte_offset: int
    has_href: bool = False


_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_SIMPLE_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPECIAL_RE = re.compile(r"[&<>]")
_SPACES = " \t\n\r\v\f"
_ENTITY_RE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|([A-Za-z]+))(;?)")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class _HtmlParser:
    """Port of TDLib's ``parse_html`` with optional Bot-API-documentation strictness."""

    def __init__(self, text: str, strict: bool) -> None:
        self.src = text
        self.strict = strict
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    # -- helpers ----------------------------------------------------------
    def _byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode("utf-8", "surrogatepass"))

    def _error(self, message: str) -> TelegramHtmlError:
        return TelegramHtmlError(message)

    def _char(self, index: int) -> str:
        return self.src[index] if index < len(self.src) else ""

    def _emit(self, chunk: str) -> None:
        if chunk:
            self.out.append(chunk)
            self.utf16 += utf16_len(chunk)

    def _skip_spaces(self, index: int) -> int:
        while index < len(self.src) and self.src[index] in _SPACES:
            index += 1
        return index

    # -- main loop --------------------------------------------------------
    def run(self) -> ParsedHtml:
        while self.pos < len(self.src):
            match = _SPECIAL_RE.search(self.src, self.pos)
            end = match.start() if match else len(self.src)
            self._emit(self.src[self.pos : end])
            self.pos = end
            if match is None:
                break
            char = match.group()
            if char == "&":
                self._text_entity()
            elif char == "<":
                self._tag()
            else:
                self._greater_than()
        if self.stack:
            raise self._error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedHtml("".join(self.out), self.entities)

    def _greater_than(self) -> None:
        if self.strict:
            raise self._error(f'Unescaped ">" at byte offset {self._byte_offset(self.pos)}')
        self._emit(">")
        self.pos += 1

    # -- character entities ----------------------------------------------
    def _decode_entity(self, index: int) -> tuple[str, int] | None:
        """Decode the entity at ``index``; return (char, end index) or None."""
        match = _ENTITY_RE.match(self.src, index)
        if match is None:
            return None
        decimal, hexa, name, semicolon = match.groups()
        if self.strict and not semicolon:
            return None
        if name is not None:
            value = _NAMED_ENTITIES.get(name)
            return (value, match.end()) if value is not None else None
        code = int(decimal) if decimal is not None else int(hexa, 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code), match.end()

    def _text_entity(self) -> None:
        decoded = self._decode_entity(self.pos)
        if decoded is not None:
            self._emit(decoded[0])
            self.pos = decoded[1]
            return
        if self.strict:
            match = _ENTITY_RE.match(self.src, self.pos)
            offset = self._byte_offset(self.pos)
            if match is not None and match.group(3) and match.group(4):
                raise self._error(
                    f'Unsupported HTML entity "{match.group()}" at byte offset {offset}'
                )
            raise self._error(f'Unescaped "&" at byte offset {offset}')
        self._emit("&")
        self.pos += 1

    # -- tags ---------------------------------------------------------------
    def _tag(self) -> None:
        begin = self.pos
        if begin + 1 >= len(self.src):
            raise self._error(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        if self.src[begin + 1] == "/":
            self._end_tag(begin)
        else:
            self._start_tag(begin)

    def _scan_name(self, index: int) -> int:
        while index < len(self.src) and self.src[index] not in _SPACES and self.src[index] != ">":
            index += 1
        return index

    def _start_tag(self, begin: int) -> None:
        offset = self._byte_offset(begin)
        index = self._scan_name(begin + 1)
        if index >= len(self.src):
            raise self._error(f"Unclosed start tag at byte offset {offset}")
        name = self.src[begin + 1 : index].lower()
        if name not in _SUPPORTED_TAGS:
            raise self._error(f'Unsupported start tag "{name}" at byte offset {offset}')
        tag = _OpenTag(name, "", self.utf16, offset)
        index = self._attributes(tag, index)
        self._check_start_tag(tag)
        self.stack.append(tag)
        self.pos = index + 1

    def _attributes(self, tag: _OpenTag, index: int) -> int:
        """Parse attributes until ``>``; return the index of ``>``."""
        while True:
            index = self._skip_spaces(index)
            char = self._char(index)
            if char == ">":
                return index
            if char == "":
                raise self._error(f"Unclosed start tag at byte offset {tag.byte_offset}")
            index = self._attribute(tag, index)

    def _attribute(self, tag: _OpenTag, index: int) -> int:
        start = index
        while self._char(index) not in ("", "=", ">") and self.src[index] not in _SPACES:
            index += 1
        attr = self.src[start:index].lower()
        if not attr:
            raise self._error(
                f'Empty attribute name in the tag "{tag.name}" at byte offset {tag.byte_offset}'
            )
        index = self._skip_spaces(index)
        if self._char(index) != "=":
            if self._char(index) == "":
                raise self._error(f"Unclosed start tag at byte offset {tag.byte_offset}")
            if tag.name == "blockquote" and attr == "expandable":
                tag.argument = "1"
                return index
            raise self._error(
                f'Expected equal sign in declaration of an attribute of the tag "{tag.name}" '
                f"at byte offset {tag.byte_offset}"
            )
        index = self._skip_spaces(index + 1)
        if self._char(index) == "":
            raise self._error(f'Unclosed start tag "{tag.name}" at byte offset {tag.byte_offset}')
        value, index = self._attribute_value(index)
        if self._char(index) == "":
            raise self._error(f"Unclosed start tag at byte offset {tag.byte_offset}")
        self._apply_attribute(tag, attr, value)
        return index

    def _attribute_value(self, index: int) -> tuple[str, int]:
        quote = self.src[index]
        if quote not in "'\"":
            start = index
            while self._char(index) and (self.src[index].isalnum() or self.src[index] in ".-"):
                index += 1
            if self._char(index) not in _SPACES + ">" or self._char(index) == "":
                offset = self._byte_offset(start)
                raise self._error(f"Unexpected end of name token at byte offset {offset}")
            return self.src[start:index].lower(), index
        index += 1
        chars: list[str] = []
        while self._char(index) not in ("", quote):
            decoded = self._decode_entity(index) if self.src[index] == "&" else None
            if decoded is not None:
                chars.append(decoded[0])
                index = decoded[1]
            else:
                chars.append(self.src[index])
                index += 1
        if self._char(index) == quote:
            index += 1
        return "".join(chars), index

    @staticmethod
    def _apply_attribute(tag: _OpenTag, attr: str, value: str) -> None:
        if tag.name == "a" and attr == "href":
            tag.argument, tag.has_href = value, True
        elif tag.name == "code" and attr == "class" and value.startswith("language-"):
            tag.argument = value[len("language-") :]
        elif tag.name == "span" and attr == "class" and value.startswith("tg-"):
            tag.argument = value[len("tg-") :]
        elif tag.name == "tg-emoji" and attr == "emoji-id":
            tag.argument = value
        elif tag.name == "blockquote" and attr == "expandable":
            tag.argument = "1"

    def _check_start_tag(self, tag: _OpenTag) -> None:
        if tag.name == "span" and tag.argument != "spoiler":
            raise self._error(
                f'Tag "span" must have class "tg-spoiler" at byte offset {tag.byte_offset}'
            )
        if not self.strict:
            return
        if tag.name == "a" and not tag.argument.strip():
            raise self._error(
                f'Tag "a" must have attribute "href" at byte offset {tag.byte_offset}'
            )
        if tag.name == "tg-emoji" and not tag.argument:
            raise self._error(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {tag.byte_offset}'
            )

    def _end_tag(self, begin: int) -> None:
        offset = self._byte_offset(begin)
        if not self.stack:
            raise self._error(f"Unexpected end tag at byte offset {offset}")
        index = self._scan_name(begin + 2)
        end_name = self.src[begin + 2 : index].lower()
        index = self._skip_spaces(index)
        if self._char(index) != ">":
            raise self._error(f"Unclosed end tag at byte offset {offset}")
        tag = self.stack[-1]
        if end_name and end_name != tag.name:
            raise self._error(
                f'Unmatched end tag at byte offset {offset}, expected "</{tag.name}>", '
                f'found "</{end_name}>"'
            )
        self.stack.pop()
        self._close_entity(tag)
        self.pos = index + 1

    def _close_entity(self, tag: _OpenTag) -> None:
        length = self.utf16 - tag.utf16_offset
        if length <= 0:
            return
        entity: dict[str, Any] = {"offset": tag.utf16_offset, "length": length}
        parent = self.stack[-1] if self.stack else None
        if tag.name == "code" and parent is not None and parent.name == "pre":
            parent.argument = parent.argument or tag.argument
            return
        entity.update(self._entity_fields(tag))
        self.entities.append(entity)

    @staticmethod
    def _entity_fields(tag: _OpenTag) -> dict[str, Any]:
        if tag.name in _SIMPLE_ENTITY_TYPES:
            return {"type": _SIMPLE_ENTITY_TYPES[tag.name]}
        if tag.name == "a":
            return {"type": "text_link", "url": tag.argument}
        if tag.name == "pre":
            return {"type": "pre", **({"language": tag.argument} if tag.argument else {})}
        if tag.name == "blockquote":
            return {"type": "expandable_blockquote" if tag.argument else "blockquote"}
        return {"type": "custom_emoji", "custom_emoji_id": tag.argument}


def parse_telegram_html(text: str, *, strict: bool = True) -> ParsedHtml:
    """Parse Telegram HTML; return visible text and entities or raise TelegramHtmlError.

    ``strict=True`` (default) enforces the Bot API documentation: bare ``&``/``>``,
    unknown named entities, entities without ``;``, ``<a>`` without href and
    ``<tg-emoji>`` without emoji-id are errors.  ``strict=False`` mimics the
    (more lenient) production server, which takes those literally.
    """
    return _HtmlParser(text, strict).run()


def check_telegram_html(text: str, *, strict: bool = True) -> str:
    """Return the visible text of Telegram HTML ``text`` or raise TelegramHtmlError."""
    return parse_telegram_html(text, strict=strict).text
