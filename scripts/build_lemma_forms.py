#!/usr/bin/env python3
"""Write bot/services/text/lemma_forms.json.gz: every inflected form of the dossier's words
in each supported language, mapped to its simplemma lemma.

simplemma's full dictionaries take ~850 MB of RAM for the seven languages (about 120 MB
even in its streaming mode) and ten seconds or more to load; the bot only ever needs the
forms of the words its dossier phrases use. So this script reads the dictionaries once,
keeps those forms, and the bot looks words up in the small table. Run it after changing
names, aliases or keywords in the dossier (a unit test says when the table is stale)."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import simplemma
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.services.text.lemmas import FORMS_PATH, LANGUAGES, WORD_RE, dossier_words  # noqa: E402


def build() -> dict[str, object]:
    words = sorted(dossier_words())
    factory = DefaultDictionaryFactory()
    table: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        wanted = {w: simplemma.lemmatize(w, lang=lang).casefold() for w in words}
        lemmas = set(wanted.values())
        forms = {w: lem for w, lem in wanted.items() if lem != w}
        for form, lemma in factory.get_dictionary(lang).items():
            lemma = lemma.casefold()
            form = form.casefold()
            if lemma in lemmas and form != lemma and WORD_RE.fullmatch(form):
                forms[form] = lemma
        table[lang] = dict(sorted(forms.items()))
        print(f"{lang}: {len(forms)} forms of {len(lemmas)} lemmas", file=sys.stderr)
    return {"words": words, "forms": table}


def main() -> None:
    data = build()
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    FORMS_PATH.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(f"wrote {FORMS_PATH.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
