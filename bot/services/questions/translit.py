"""Russian and Ukrainian typed in Latin letters: "chto predlagaet italiya", "khto proty viisk".

People without a Cyrillic keyboard spell Russian and Ukrainian out in Latin letters, with the
common schemes mixed (ISO-like "zh", "kh", "shch"; "j" or "y" for "й"; "ia"/"ya" for "я"; the
Ukrainian national scheme's "ie", "iu", "yi"). `to_cyrillic` turns one Latin word into its likely
Cyrillic spelling in the Russian or the Ukrainian scheme; `looks_translit` tells a question
written that way from an English one by its function words ("chto", "khto", "chy", "li").
"""

from __future__ import annotations

import re

from bot.services.text.tokens import words

VOWELS = frozenset("aeiouy")
_PURE_VOWELS = frozenset("aeiou")

# longest first; a digraph wins over its letters
_COMMON: dict[str, str] = {
    "shch": "щ",
    "sch": "щ",
    "zh": "ж",
    "kh": "х",
    "ts": "ц",
    "tz": "ц",
    "ch": "ч",
    "sh": "ш",
    "yu": "ю",
    "ju": "ю",
    "ya": "я",
    "ja": "я",
    "a": "а",
    "b": "б",
    "v": "в",
    "w": "в",
    "g": "г",
    "d": "д",
    "z": "з",
    "k": "к",
    "q": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "f": "ф",
    "x": "кс",
    "c": "ц",
    "'": "ь",
}
_RU: dict[str, str] = {
    **_COMMON,
    "yo": "ё",
    "jo": "ё",
    "ye": "е",
    "je": "е",
    "e": "е",
    "h": "х",
    "i": "и",
    "j": "й",
}
_UK: dict[str, str] = {
    **_COMMON,
    "ye": "є",
    "ie": "є",
    "je": "є",
    "iu": "ю",
    "ia": "я",
    "e": "е",
    "h": "г",
    "g": "г",
    "j": "й",
}
_SCHEMES = {"ru": _RU, "uk": _UK}
SCHEMES = tuple(_SCHEMES)  # "ru" first: the more common one
_LONGEST = 4

# function words of Russian / Ukrainian questions, as typed in Latin letters
RU_MARKERS = words(
    """chto shto kto kak kakie kakaya kakoy kakoi kakuyu li protiv pochemu kogda gde skolko
    ili chem razve budet sejchas seichas voobshche"""
)
UK_MARKERS = words(
    """shcho scho sho khto hto chy chi yak yaki yaka yakyi yakyj proty chomu koly skilky abo
    chym zaraz vzahali"""
)
_WORD = re.compile(r"(?<![^\W_])[A-Za-z]+(?:'[A-Za-z]+)*(?![^\W_])")


def _letter(word: str, i: int, lang: str) -> tuple[str, int]:
    """The Cyrillic for the letters of `word` at `i`, and how many letters it took."""
    ch = word[i]
    prev = word[i - 1] if i else ""
    nxt = word[i + 1] if i + 1 < len(word) else ""
    table = _SCHEMES[lang]
    if ch == "y":
        if word[i : i + 2] in table:
            return table[word[i : i + 2]], 2  # "ya", "yu", "ye"
        if lang == "uk":
            if nxt == "i" and (i == 0 or prev in _PURE_VOWELS):
                return "ї", 2  # "yizhak", "ukrayina"
            return ("й" if prev in _PURE_VOWELS and nxt not in VOWELS else "и"), 1
        # Russian: "y" after a vowel is "й" ("kakoy"), after a consonant "ы" ("strany")
        return ("й" if prev in VOWELS else "ы"), 1
    if ch == "i" and lang == "uk":
        if word[i : i + 2] in table:
            return table[word[i : i + 2]], 2  # "ia", "ie", "iu"
        if nxt not in VOWELS and prev in VOWELS:
            # the national scheme writes both "ї" and "й" as "i" after a vowel: "Ukraina"
            # (ї), "yevropeiskykh", "viisk" (й)
            return ("ї" if prev == "a" else "й"), 1
        return "і", 1
    if ch == "'":
        # Russian: the hard sign before a vowel ("ob'yasni"), else the soft one; Ukrainian
        # keeps its apostrophe ("prem'ier")
        if lang == "uk":
            return "'", 1
        return ("ъ" if nxt in VOWELS or nxt == "j" else "ь"), 1
    if lang == "uk" and (
        word[i : i + 2] == "zk" or (word[i : i + 2] == "sk" and prev != "" and prev in "iyn")
    ):
        # the soft sign the scheme drops: "viisk", "yevropeiskykh", "frantsuzkykh"
        return ("зь" if ch == "z" else "сь"), 1
    for size in range(_LONGEST, 0, -1):
        chunk = word[i : i + size]
        if len(chunk) == size and chunk in table:
            return table[chunk], size
    return ch, 1


def to_cyrillic(word: str, lang: str) -> str:
    """One Latin word in Cyrillic, by the Russian ("ru") or Ukrainian ("uk") scheme; the case
    of the first letter is kept."""
    lower = word.casefold()
    out, i = [], 0
    while i < len(lower):
        text, used = _letter(lower, i, lang)
        out.append(text)
        i += used
    result = "".join(out)
    return result[:1].upper() + result[1:] if word[:1].isupper() else result


def transliterate(text: str, lang: str, keep: frozenset[str] = frozenset()) -> str:
    """The question with each Latin word in Cyrillic, except the words in `keep` (casefolded:
    names that only the Latin spelling finds, "Rutte")."""

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if word.casefold() in keep else to_cyrillic(word, lang)

    return _WORD.sub(one, text)


def latin_words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def scheme_of(text: str, lang: str) -> str | None:
    """ "ru" or "uk" when the question is Russian or Ukrainian typed in Latin letters, by its
    function words, else None. A question with any Cyrillic letter is never one."""
    if re.search(r"[\u0400-\u04ff]", text):
        return None
    found = set(latin_words(text))
    ru, uk = len(found & RU_MARKERS), len(found & UK_MARKERS)
    if not ru and not uk:
        return None
    if ru == uk:
        return lang if lang in _SCHEMES else "ru"
    return "ru" if ru > uk else "uk"


# everyday English words: a question holding one is English, whatever else it holds ("do", "i",
# "a", "to", "on", "no" are left out: they are Russian or Ukrainian words too)
ENGLISH_WORDS = words(
    """what whats who whos which is are was were does did the an about tell how will would
    has have of and why when where me you it this that there for with from any latest news
    please can could should say said think want wants propose back backs support"""
)


def could_be_translit(text: str) -> bool:
    """A question in Latin letters only, with no everyday English word in it: it may be
    Russian or Ukrainian typed in Latin ("makron pro viiska")."""
    found = latin_words(text)
    if not found or re.search(r"[\u0400-\u04ff]", text):
        return False
    return not set(found) & ENGLISH_WORDS
