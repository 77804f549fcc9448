"""Summaries and candidate facts on the labelled sets: do they read as a brief, and do the
candidate claims name the right actor, proposal and stance?

Run: PYTHONPATH=. python benchmarks/brief_quality.py [--labels FILE ...] [--oracle]

Summaries (every document): the share with no headline in them, with no dateline, byline,
date scrap or photo credit left, within 300 characters, and — for documents the linker links
to a proposal whose phrase occurs in the body (not counting the headline repeated as its first
line) — the share whose first sentence names one of those phrases.
The old summarize() is measured alongside for comparison.

Claims (documents with `claims` labels): recall = labelled claims for which a candidate names
the same actor and proposal, stance = of those, the share with the labelled stance
("proposes" counts as "supports" in the relaxed column), precision = candidates whose
(actor, proposal) is among the document's labelled claims. Proposals come from the real
linker over the seeded dossier, or with --oracle from the labels (extraction alone).
"""

from __future__ import annotations

import argparse
import sys
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.support.wrapping import words, wrapped

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LABELS = [
    ROOT / "tests" / "fixtures" / "knowledge" / "dev.yaml",
    ROOT / "benchmarks" / "data" / "heldout4.yaml",
]


@dataclass
class SummaryScore:
    docs: int = 0
    headline_free: int = 0
    clean: int = 0
    within: int = 0
    focus_docs: int = 0
    focus_first: int = 0

    def add(self, title: str, summary: str, limit: int) -> None:
        self.docs += 1
        self.headline_free += words(title) not in words(summary)
        self.clean += not wrapped(summary)
        self.within += len(summary) <= limit


@dataclass
class ClaimScore:
    by_lang_total: Counter[str] = field(default_factory=Counter)  # labelled claims per language
    by_lang: Counter[str] = field(default_factory=Counter)  # of those, found (actor+proposal)
    stance_exact: int = 0
    stance_relaxed: int = 0
    candidates: int = 0
    correct: int = 0

    @property
    def labelled(self) -> int:
        return self.by_lang_total.total()

    @property
    def found(self) -> int:
        return self.by_lang.total()


def relaxed(stance: str) -> str:
    return "supports" if stance == "proposes" else stance


def in_split(doc_id: str, split: str) -> bool:
    """A fixed third of the documents is `test` (by a CRC of the id), the rest `tune`."""
    test = zlib.crc32(doc_id.encode()) % 3 == 0
    return split == "all" or (split == "test") == test


def evaluate(
    path: Path, oracle: bool, split: str = "all"
) -> tuple[SummaryScore, SummaryScore, ClaimScore]:
    from benchmarks.linking_quality import seeded_gazetteer
    from bot.services.text.claims import extract_claims
    from bot.services.text.linking import link_document
    from bot.services.text.sentences import split_sentences
    from bot.services.text.summarize import brief_summary, summarize

    g = seeded_gazetteer()
    by_slug = {slug: pid for pid, slug in g.proposal_slugs.items()}
    actor_slug = g.actor_slugs
    docs: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["documents"]
    new, old, claims = SummaryScore(), SummaryScore(), ClaimScore()
    for doc in docs:
        if not in_split(str(doc["id"]), split):
            continue
        title, body = doc["title"], doc["body"]
        links = link_document(g, title, body)
        focus = links.focus
        summary = brief_summary(title, body, focus)
        new.add(title, summary, 300)
        old.add(title, summarize(body), 400)
        # the body as a summary may quote it: without the headline repeated as its first line
        heading = " ".join(title.casefold().split())
        lines = (" ".join(line.casefold().split()) for line in body.splitlines())
        flat = " ".join(line for line in lines if line and line != heading)
        present = [p for p in focus if p and " ".join(p.casefold().split()) in flat]
        if present:
            new.focus_docs += 1
            lead = " ".join(split_sentences(summary)[0].text.casefold().split()) if summary else ""
            new.focus_first += any(" ".join(p.casefold().split()) in lead for p in present)
        labels = doc.get("claims") or []
        if oracle:
            pids = [by_slug[s] for s in doc.get("proposals") or [] if s in by_slug]
        else:
            pids = [link.target_id for link in links.proposals]
        found = extract_claims(g, title, body, pids)
        pairs = {(c["actor"], c["proposal"]) for c in labels}
        claims.candidates += len(found) if labels else 0
        got: dict[tuple[str, str], list[str]] = defaultdict(list)
        for c in found:
            key = (actor_slug.get(c.actor_id, c.speaker or "?"), g.proposal_slugs[c.proposal_id])
            got[key].append(c.stance)
            if labels and key in pairs:
                claims.correct += 1
        for label in labels:
            claims.by_lang_total[doc["lang"]] += 1
            stances = got.get((label["actor"], label["proposal"]))
            if stances:
                claims.by_lang[doc["lang"]] += 1
                claims.stance_exact += label["stance"] in stances
                claims.stance_relaxed += relaxed(label["stance"]) in {relaxed(s) for s in stances}
    return new, old, claims


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:5.1f}%" if d else "   – "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, nargs="*", default=DEFAULT_LABELS)
    parser.add_argument("--oracle", action="store_true", help="claims from labelled proposals")
    parser.add_argument("--split", choices=("all", "tune", "test"), default="all")
    args = parser.parse_args(argv)
    print("| set | docs | no headline | no dateline/byline/credit | ≤ limit | proposal first |")
    print("|---|---|---|---|---|---|")
    results = []
    paths = [f for p in args.labels for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])]
    for path in paths:
        new, old, claims = evaluate(path, args.oracle, args.split)
        results.append((path, claims))
        for name, s, limit in (
            (f"{path.stem} (brief)", new, 300),
            (f"{path.stem} (old)", old, 400),
        ):
            first = pct(s.focus_first, s.focus_docs) if s.focus_docs else "–"
            print(
                f"| {name} | {s.docs} | {pct(s.headline_free, s.docs)} | {pct(s.clean, s.docs)} "
                f"| {pct(s.within, s.docs)} (≤{limit}) | {first} |"
            )
    print()
    mode = "labelled proposals (oracle)" if args.oracle else "linker's proposals"
    print(f"Candidate claims, with the {mode}:")
    print("| set | labelled | actor+proposal found | stance exact | stance relaxed | precision |")
    print("|---|---|---|---|---|---|")
    for path, c in results:
        print(
            f"| {path.stem} | {c.labelled} | {pct(c.found, c.labelled)} "
            f"| {pct(c.stance_exact, c.found)} | {pct(c.stance_relaxed, c.found)} "
            f"| {pct(c.correct, c.candidates)} ({c.candidates} cand.) |"
        )
        langs = " ".join(
            f"{lang} {pct(c.by_lang[lang], n).strip()}"
            for lang, n in sorted(c.by_lang_total.items())
        )
        print(f"|  per language (found) | {langs} | | | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
