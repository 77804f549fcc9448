"""Language guess and lemmas for matching dossier phrases in any dossier language.

The guess is cheap on purpose (it runs on every ingested article): Cyrillic letters that only
one of Ukrainian and Russian uses, and for Latin script the commonest function words of each
supported language. Inflection comes from simplemma's dictionaries ("gwarancje" →
"gwarancja", "Truppen" → "Truppe", "гарантій" → "гарантія"), precomputed for the words the
dossier's phrases use (scripts/build_lemma_forms.py): loading the full dictionaries would
cost ~850 MB and seconds per language, the table costs a few hundred kilobytes."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

import yaml

FORMS_PATH = Path(__file__).with_name("lemma_forms.json.gz")
DOSSIER_PATH = Path(__file__).resolve().parents[3] / "storage" / "dossier"

LANGUAGES = ("en", "uk", "ru", "de", "fr", "it", "pl")
# Split at apostrophes and hyphens too: "l'Ukraine", "dell'Italia", "Nato-Beitritt" are two
# words each. Digits are words ("Artikel 5").
WORD_RE = re.compile(r"[^\W_]+")
_UK_ONLY = frozenset("іїєґ")
_RU_ONLY = frozenset("ыэъё")
# The most frequent function words of each Latin-script language (no stems, no suffixes).
_FUNCTION_WORDS = {
    "en": frozenset(
        ["the", "of", "and", "to", "in", "is", "that", "for", "with", "on", "was", "as", "by"]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "nicht",
            "ist",
            "den",
            "mit",
            "von",
            "zu",
            "ein",
            "eine",
            "dem",
            "des",
            "auf",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "et",
            "des",
            "une",
            "est",
            "que",
            "pour",
            "dans",
            "du",
            "sur",
            "qui",
            "pas",
            "au",
        ]
    ),
    "it": frozenset(
        [
            "il",
            "di",
            "che",
            "la",
            "per",
            "non",
            "una",
            "della",
            "sono",
            "gli",
            "del",
            "con",
            "nel",
            "alla",
        ]
    ),
    "pl": frozenset(
        [
            "i",
            "w",
            "nie",
            "na",
            "się",
            "z",
            "do",
            "że",
            "jest",
            "o",
            "to",
            "przez",
            "jak",
            "od",
            "dla",
        ]
    ),
}
# word → the languages it is a function word of, in _FUNCTION_WORDS's order (one look-up
# per word instead of one per language)
_WORD_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _vocab in _FUNCTION_WORDS.items():
    for _word in _vocab:
        _WORD_LANGS[_word] = (*_WORD_LANGS.get(_word, ()), _lang)
_CYRILLIC = re.compile("[\u0400-\u04ff]")
if any(word.isdigit() for word in _WORD_LANGS):  # pragma: no cover - a list that changed
    raise ImportError("a function word that is a number would count differently")
SAMPLE_WORDS = 300  # the first words decide: enough for a clear majority, cheap on long texts


def guess_language(text: str) -> str:
    """One of LANGUAGES (English when nothing else stands out)."""
    sample = text[:4000].casefold()
    words = WORD_RE.findall(sample)[:SAMPLE_WORDS]
    # without a Cyrillic letter no word starts with one, and numbers are no function words:
    # Latin-script text goes straight to the count
    if _CYRILLIC.search(sample):
        words = [w for w in words if not w.isdigit()]
        cyrillic = [w for w in words if "\u0400" <= w[0] <= "\u04ff"]
        if len(cyrillic) * 2 >= len(words) and cyrillic:
            letters = set("".join(cyrillic))
            uk, ru = len(letters & _UK_ONLY), len(letters & _RU_ONLY)
            return "uk" if uk > ru else "ru" if ru else "uk" if uk else "ru"
    # counted in one go, in the order the word-by-word loop met them (ties break alike)
    langs = _WORD_LANGS.get
    counts = Counter([lang for word in words for lang in langs(word, ())])
    if not counts:
        return "en"
    return counts.most_common(1)[0][0]


@cache
def _forms() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(gzip.decompress(FORMS_PATH.read_bytes()))
    except FileNotFoundError:
        return {}
    return data["forms"]


@lru_cache(maxsize=100_000)
def lemma(word: str, lang: str) -> str:
    """The casefolded lemma of one word in `lang`, for the dossier's vocabulary (any other
    word is its own lemma: it can only equal a dossier word if it is spelled like one)."""
    folded = word.casefold()
    return _forms().get(lang, {}).get(folded, folded)


def lemmas(text: str, lang: str) -> list[str]:
    return [lemma(w, lang) for w in WORD_RE.findall(text)]


def words_with_spans(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def dossier_words() -> set[str]:
    """Every casefolded word of the bundled dossiers' names, aliases and linking phrases."""
    phrases: list[str] = []
    for path in sorted(DOSSIER_PATH.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for actor in data.get("actors") or ():
            phrases.append(actor.get("name", ""))
            for key in ("aliases", "link_terms", "weak_terms"):
                phrases.extend(actor.get(key) or ())
        for p in data.get("proposals") or ():
            for key in ("aliases", "keywords", "requires_any"):
                phrases.extend(p.get(key) or ())
            for words in (p.get("lemma_keywords") or {}).values():
                phrases.extend(words)
            for ctx in p.get("context_keywords") or ():
                for key in ("phrases", "requires_any", "also_requires_any"):
                    phrases.extend(ctx.get(key) or ())
    return {w.casefold() for phrase in phrases for w in WORD_RE.findall(phrase)}
