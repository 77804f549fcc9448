"""Strip what wires and aggregators wrap around a story, in en, uk, ru, de, fr, it and pl.

Removed: the headline repeated as the first line (or glued to the first sentence), datelines
("KYIV —", "KYIV, Aug 20 (Reuters) -", "Milan, 20 August (LaPresse) –", "Київ, 24 лютого."),
bylines ("By Jane Doe", "Reporting by …", "Автор: …", "Von …", "Par …", "di …"), stray date
scraps ("date 2025-08-20") and photo credits ("Photo: …", "(AP Photo/…)", "Фото: …").
Only the edges of the text are touched: a dateline or byline is recognised at the start of a
line, never in the middle of a sentence, so the story itself is never cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import islice

UPPER = "A-ZÀ-ÖØ-ÞĄĆĘŁŃÓŚŹŻА-ЯЁІЇЄҐ"
PLACE_WORD = rf"[{UPPER}][\w'’./-]*"
PLACE = rf"{PLACE_WORD}(?:[ -]{PLACE_WORD}){{0,2}}"
CAPS_PLACE = rf"[{UPPER}][{UPPER}'’./ -]{{2,30}}(?<! )"
DATE = r"(?:\d{1,2}\.?\s+\w+\.?(?:\s+\d{4})?|\w+\.?\s+\d{1,2}(?:,?\s+\d{4})?)"
AGENCY = r"\([^()\n]{1,40}\)"
DASH = r"\s*[—–-]{1,2}\s+"
NEXT = rf"(?=[{UPPER}\"«„“'0-9])"

DATELINES = [
    re.compile(rf"{PLACE},\s*{DATE}\s*(?:{AGENCY})?{DASH}"),  # Milan, 20 August (LaPresse) –
    re.compile(rf"{PLACE}\s*{AGENCY}{DASH}"),  # Brüssel (RNA) -
    re.compile(rf"{CAPS_PLACE}(?:,\s*{DATE})?\s*(?:{AGENCY})?{DASH}"),  # KYIV — / ROME, 5 Sept –
    re.compile(rf"{PLACE},\s*{DATE}\.\s+{NEXT}"),  # Київ, 24 лютого. / МОСКВА, 21 августа.
    re.compile(rf"{AGENCY}{DASH}"),  # (LaPresse) –
    re.compile(rf"[{UPPER}][\w'’-]{{2,20}}{DASH}{NEXT}"),  # Berlin – Der …
    re.compile(rf"[{UPPER}][\w'’-]{{2,20}}\.\s+{NEXT}"),  # ВАШИНГТОН. / Berlin. (one word)
]
MAX_DATELINE = 80

DATE_SCRAP = re.compile(
    r"(?i)\b(?:date|дата|data|datum|fecha)\s*:?\s*\d{4}-\d{2}(?:-\d{2})?"
    r"(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\b[ \t]*"
)
DATE_WORDS = ("dat", "дата", "fecha")  # every DATE_SCRAP match holds one, casefolded
INLINE_CREDIT = re.compile(
    r"\s*\((?:[^()\n]{0,40}\b(?:Photo|Foto|Фото|Fot\.)\s*[/:][^()\n]{0,80}"
    r"|(?:Quelle|Source|Джерело|Источник|Fonte|Źródło)\s*:[^()\n]{0,100})\)",
    re.IGNORECASE,
)
CREDIT_LINE = re.compile(
    r"(?i)^\(?(?:photo(?:graph)?s?|foto|fot|фото|світлина|zdj[eę]cie|bild|image|"
    r"crédit(?:s)? photo|photo credit|credit|illustration|ілюстрац\w*|иллюстрац\w*)\s*[:.]"
)
WIRE_CREDIT_LINE = re.compile(r"(?i)^\(?(?:AP|AFP|Reuters|EPA|dpa|ANSA|PAP)\s+Photo\b")
BYLINE_LINE = re.compile(
    r"(?i)^(?:(?:additional\s+)?reporting by|writing by|editing by|reportage de|"
    r"автор(?:ка)?|author|autor(?:ka)?|text|текст|з(?:а)? матеріалами|a cura di)\b\s*:?\s+"
)
NAME_BYLINE_LINE = re.compile(r"^(?:By|BY|by|Von|von|Par|par|Di|di|De|Od|Від|От)\s+(.{3,60})$")
NAME_GLUE = {"and", "und", "et", "e", "i", "і", "и", "y", "&", "in", "a", "из", "з", "de", "van"}
BARE_DATE_LINE = re.compile(r"^[\d\s:./,-]{6,30}$")
PUBLISHED_LINE = re.compile(
    r"(?i)^(?:publi\w*|опубл\w*|updated|aktualisiert|aktualizacja|aggiornato|mis à jour|"
    r"оновлено|обновлено)\s*:?\s*[\d./:, -]+$"
)
WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
HEAD_LINES = 4  # the headline, a byline and a credit come before the story, if at all


def clean_article(title: str, text: str) -> str:
    """The story without its wrapping; paragraphs kept, blank lines collapsed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # both patterns are tried at every position: skip them when they cannot match
    folded = text.casefold()
    if any(word in folded for word in DATE_WORDS):
        text = DATE_SCRAP.sub("", text)
    if "(" in text:
        text = INLINE_CREDIT.sub("", text)
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for i, line in enumerate(lines) if not _is_wrapping(line, title, i)]
    lines = _strip_head(lines, title)
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def strip_headline(title: str, text: str) -> str:
    """`text` without `title` at its start (compared word by word, case-insensitively)."""
    want = [w.casefold() for w in WORD_RE.findall(title)]
    if len(want) < 2:
        return text
    matches = list(islice(WORD_RE.finditer(text), len(want)))  # not every word of the text
    if len(matches) < len(want) or [m.group().casefold() for m in matches] != want:
        return text
    rest = text[matches[-1].end() :]
    return rest.lstrip(" \t\"'”’»)]:.!?…—–-|").lstrip()


def strip_dateline(text: str) -> str:
    """`text` without a dateline at its start."""
    for pattern in DATELINES:
        m = pattern.match(text)
        if m is not None and m.end() <= MAX_DATELINE and len(text) > m.end():
            return text[m.end() :].lstrip()
    return text


def same_words(a: str, b: str) -> bool:
    """Do two texts have the same words, ignoring case and punctuation?"""
    # a headline is compared with every sentence of its article: the first words differ
    # almost always, and finding them costs far less than listing every word
    first_a, first_b = WORD_RE.search(a), WORD_RE.search(b)
    if first_a is None or first_b is None:
        return False
    if first_a.group().casefold() != first_b.group().casefold():
        return False
    return [w.casefold() for w in WORD_RE.findall(a)] == [w.casefold() for w in WORD_RE.findall(b)]


def same_words_as(a: str) -> Callable[[str], bool]:
    """`same_words(a, ·)` with `a`'s own words found once (a headline against many lines)."""
    first_a = WORD_RE.search(a)
    if first_a is None:
        return _never
    head = first_a.group().casefold()
    listed: list[str] = []

    def same(b: str) -> bool:
        first_b = WORD_RE.search(b)
        if first_b is None or first_b.group().casefold() != head:
            return False
        if not listed:
            listed.append([w.casefold() for w in WORD_RE.findall(a)])
        return listed[0] == [w.casefold() for w in WORD_RE.findall(b)]

    return same


def _never(text: str) -> bool:
    return False


def _is_wrapping(line: str, title: str, index: int) -> bool:
    """A whole line that is a credit, a byline, a date or (near the top) the headline."""
    if not line:
        return False
    if len(line) <= 200 and (CREDIT_LINE.match(line) or WIRE_CREDIT_LINE.match(line)):
        return True
    if BARE_DATE_LINE.match(line) and any(c.isdigit() for c in line):
        return True
    if PUBLISHED_LINE.match(line):
        return True
    if len(line) <= 150 and _byline_only(line):
        return True
    if index < HEAD_LINES and len(line) <= 150 and _label_then_byline(line):
        return True
    m = NAME_BYLINE_LINE.match(line)
    if m is not None and _looks_like_names(m.group(1)):
        return True
    if m is not None and index < HEAD_LINES and _names_then_role(m.group(1)):
        return True
    return index < HEAD_LINES * 2 and same_words(line, title)


def _label_then_byline(line: str) -> bool:
    """A head line that ends in a byline after a short label ("Analytical note No. 41/2025.
    Author: N. Grinko", "Kommentar. Autor: …")."""
    label, _, tail = line.partition(". ")
    m = BYLINE_LINE.match(tail)
    return m is not None and len(label) <= 60 and _looks_like_names(tail[m.end() :])


def _names_then_role(text: str) -> bool:
    """ "Sophie Marchand, correspondante à Washington": names, then a short role."""
    names, _, role = text.partition(", ")
    return (
        bool(role)
        and _looks_like_names(names)
        and len(role.split()) <= 5
        and not role.endswith((".", "!", "?"))
    )


def _byline_only(text: str) -> bool:
    return bool(BYLINE_LINE.match(text)) and not text.endswith((".", "!", "?"))


def _looks_like_names(text: str) -> bool:
    """ "Jane Doe", "Lucia Ferri and Tom Hale": capitalised words, no sentence."""
    if text.endswith((".", "!", "?", ":")):
        return False
    words = re.findall(r"[^\s,;]+", text)
    if not 1 <= len(words) <= 7:
        return False
    names = [w for w in words if w.casefold() not in NAME_GLUE]
    return bool(names) and all(w[:1].isupper() for w in names)


def _strip_head(lines: list[str], title: str) -> list[str]:
    """Headline glued to the first line of the story, then its dateline (in either order)."""
    for i, line in enumerate(lines):
        if not line:
            continue
        before = None
        while before != line:
            before = line
            line = strip_dateline(strip_headline(title, line) if title else line)
        lines[i] = line
        break
    return lines
