"""Split news text into sentences, without breaking after "U.S.", "Mr." or "Gen."."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.services.text.tokens import words

# Words that end with a period without ending the sentence (lowercased, without the dot).
ABBREVIATIONS = words(
    """
    mr mrs ms dr prof gen col lt maj capt cmdr adm sgt cpl pvt gov sen rep rev hon pres
    st jr sr vol para fig sec dept est approx inc ltd co corp plc bros vs etc
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    e.g i.e a.m p.m u.s u.k u.n e.u
    г гг р рр ім им вул ул див см тис тыс млн млрд грн руб т.е т.д т.п пан пані
    """
)
# Abbreviations that only precede a number ("No. 5", "Art. 5", "ст. 5").
NUMBER_ABBREVIATIONS = words("no nos art p pp ст п пп")
# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
END_RE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
NEXT_START_RE = re.compile(r"\s+[\"'“‘«(\[]*[\w—–-]")
PARAGRAPH_RE = re.compile(r"\n\s*\n")
WORD_BEFORE_RE = re.compile(r"([\w.]+)\.$")
QUOTE_OPENERS = ('"', "“", "«")  # what _inside_quote counts before a candidate end
DOTTED_RE = re.compile(r"(?:\w\.)+\w")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str  # whitespace collapsed


def _is_abbreviation(chunk: str, number_follows: bool) -> bool:
    """Does `chunk` (text up to and including a period) end with an abbreviation?"""
    m = WORD_BEFORE_RE.search(chunk[-20:])
    if m is None:
        return False
    word = m.group(1).lower()
    if word in ABBREVIATIONS or (number_follows and word in NUMBER_ABBREVIATIONS):
        return True
    # an initial ("Donald J. Trump") or a dotted acronym ("U.S.", "N.A.T.O.")
    return (len(word) == 1 and word.isalpha()) or DOTTED_RE.fullmatch(word) is not None


def _inside_quote(text: str, start: int, pos: int, stop: int) -> bool:
    """Is `pos` inside a quotation that closes later in the paragraph? Keep it whole."""
    before = text[start:pos]
    if before.count('"') % 2:
        return '"' in text[pos:stop]
    for opener, closer in (("“", "”"), ("«", "»")):
        if before.count(opener) > before.count(closer):
            return closer in text[pos:stop]
    return False


def _ends(text: str, start: int, stop: int) -> list[int]:
    ends = []
    sentence_start = start
    # a paragraph without an opening quote mark has no quotation to keep whole
    quoted = any(text.find(q, start, stop) >= 0 for q in QUOTE_OPENERS)
    for m in END_RE.finditer(text, start, stop):
        nxt = NEXT_START_RE.match(text, m.end())
        if nxt is None:
            continue
        first = nxt.group()[-1]
        if first.isalpha() and first.islower():
            continue  # "e.g. the" or "said. and" - not a new sentence
        tail = text[max(start, m.end() - 20) : m.end()]  # all _is_abbreviation looks at
        if m.group() == "." and _is_abbreviation(tail, first.isdigit()):
            continue
        if quoted and _inside_quote(text, sentence_start, m.end(), stop):
            continue
        ends.append(m.end())
        sentence_start = m.end()
    return ends


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their character offsets; paragraphs always end a sentence."""
    out: list[Sentence] = []
    para_start = 0
    bounds = [*((m.start(), m.end()) for m in PARAGRAPH_RE.finditer(text)), (len(text), len(text))]
    for para_end, next_start in bounds:
        pos = para_start
        for end in [*_ends(text, para_start, para_end), para_end]:
            _append(out, text, pos, end)
            pos = end
        para_start = next_start
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = start + lead
    out.append(Sentence(begin, begin + len(stripped), " ".join(stripped.split())))
