"""Cross-validated evaluation of linking as shipped (rules + model): `briefbot linking eval`.

The labelled documents are cut into k folds; for each fold the model is trained on the other
folds only and the fold is linked by `link_document` exactly as ingestion does. Precision
and recall are counted per proposal, per language and for actors, with the share of
on-topic and near-miss documents that would reach a digest."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.services.knowledge.labels_file import LabelledDoc
from bot.services.knowledge.training import train_with_cues
from bot.services.text.linking import Gazetteer, link_document

MAIN_LANGUAGES = ("en", "uk", "ru")
OTHER_LANGUAGES = ("de", "fr", "it", "pl")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: frozenset[str], found: set[str]) -> None:
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Reach:
    reached: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.reached / self.total if self.total else 0.0


@dataclass
class Outcome:
    doc: LabelledDoc
    proposals: set[str]
    actors: set[str]
    on_topic: bool


@dataclass
class Report:
    folds: int
    documents: int
    split: str = "random"
    by_proposal: dict[str, Score] = field(default_factory=dict)
    proposals_by_group: dict[str, Score] = field(default_factory=dict)
    actors_by_group: dict[str, Score] = field(default_factory=dict)
    on_topic_reach: dict[str, Reach] = field(default_factory=dict)
    near_miss_reach: dict[str, Reach] = field(default_factory=dict)


def folds_of(docs: list[LabelledDoc], k: int, seed: int = 0) -> list[list[LabelledDoc]]:
    """k folds, each language spread evenly over them (a shuffled round robin)."""
    by_lang: dict[str, list[LabelledDoc]] = defaultdict(list)
    for doc in docs:
        by_lang[doc.lang].append(doc)
    folds: list[list[LabelledDoc]] = [[] for _ in range(k)]
    rng = random.Random(seed)
    n = 0
    for lang in sorted(by_lang):
        group = by_lang[lang][:]
        rng.shuffle(group)
        for doc in group:
            folds[n % k].append(doc)
            n += 1
    return folds


SPLITS = ("random", "language", "event")


def grouped_folds(docs: list[LabelledDoc], split: str, k: int) -> list[list[LabelledDoc]]:
    """Folds that never share a language ("language": one fold per language) or an event
    ("event": whole events dealt round-robin into k folds, biggest first): the model is then
    tested on wording it has never seen, the honest proxy for real reporting."""
    if split == "random":
        return folds_of(docs, k)
    key = (lambda d: d.lang) if split == "language" else (lambda d: d.event)
    groups: dict[str, list[LabelledDoc]] = defaultdict(list)
    for doc in docs:
        groups[key(doc)].append(doc)
    if split == "language":
        return [groups[g] for g in sorted(groups)]
    folds: list[list[LabelledDoc]] = [[] for _ in range(k)]
    for name in sorted(groups, key=lambda g: (-len(groups[g]), g)):
        min(folds, key=len).extend(groups[name])
    return [f for f in folds if f]


def _score(gazetteer: Gazetteer, test: list[LabelledDoc]) -> list[Outcome]:
    outcomes = []
    for doc in test:
        result = link_document(gazetteer, doc.title, doc.text)
        outcomes.append(
            Outcome(
                doc,
                {link.slug for link in result.proposals},
                {link.slug for link in result.actors},
                result.relevance.on_topic,
            )
        )
    return outcomes


def held_out(
    gazetteer: Gazetteer,
    training: list[LabelledDoc],
    test: list[LabelledDoc],
    *,
    use_model: bool = True,
) -> list[Outcome]:
    """Train once on `training` (e.g. the dev set) and score every document of `test`."""
    gazetteer.model = (
        train_with_cues(gazetteer, [d.training() for d in training]) if use_model else None
    )
    try:
        return _score(gazetteer, test)
    finally:
        gazetteer.model = None


def cross_validate(
    gazetteer: Gazetteer,
    docs: list[LabelledDoc],
    k: int = 5,
    *,
    use_model: bool = True,
    progress: Callable[[int], None] | None = None,
    split: str = "random",
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    folds = grouped_folds(docs, split, k)
    for i, test in enumerate(folds):
        training = [d.training() for j, fold in enumerate(folds) if j != i for d in fold]
        gazetteer.model = train_with_cues(gazetteer, training) if use_model else None
        outcomes.extend(_score(gazetteer, test))
        if progress is not None:
            progress(i + 1)
    gazetteer.model = None
    return outcomes


def group_of(lang: str) -> str:
    return "en+uk+ru" if lang in MAIN_LANGUAGES else "de+fr+it+pl"


def report(outcomes: list[Outcome], k: int, split: str = "random") -> Report:
    rep = Report(k, len(outcomes), split)
    for o in outcomes:
        d = o.doc
        keys = ("all", group_of(d.lang), d.lang)
        for slug in d.proposals | o.proposals:
            rep.by_proposal.setdefault(slug, Score()).add(
                frozenset({slug} & d.proposals), {slug} & o.proposals
            )
        for key in keys:
            rep.proposals_by_group.setdefault(key, Score()).add(d.proposals, o.proposals)
            rep.actors_by_group.setdefault(key, Score()).add(d.actors, o.actors)
            if d.on_topic:
                reach = rep.on_topic_reach.setdefault(key, Reach())
                reach.total += 1
                reach.reached += o.on_topic
            if d.near_miss:
                reach = rep.near_miss_reach.setdefault(key, Reach())
                reach.total += 1
                reach.reached += o.on_topic
    return rep


def render_table(rep: Report) -> str:
    """The report as a plain-text table (what the CLI prints and the README shows)."""
    how = (
        f"{rep.folds}-fold cross-validation" if rep.folds else "held out (trained on --train only)"
    )
    if rep.folds and rep.split == "language":
        how = "cross-validation by language (each language scored by a model trained on the others)"
    elif rep.folds and rep.split == "event":
        how = f"{rep.folds}-fold cross-validation by event (no event in two folds)"
    lines = [f"{rep.documents} labelled documents, {how}", ""]
    lines.append(f"{'proposal':<22} {'P':>5} {'R':>5} {'tp':>4} {'fp':>4} {'fn':>4}")
    for slug, s in sorted(rep.by_proposal.items()):
        lines.append(_row(slug, s))
    lines += ["", f"{'proposals by language':<22} {'P':>5} {'R':>5} {'tp':>4} {'fp':>4} {'fn':>4}"]
    lines += [_row(key, s) for key, s in _ordered(rep.proposals_by_group)]
    lines += ["", f"{'actors by language':<22} {'P':>5} {'R':>5} {'tp':>4} {'fp':>4} {'fn':>4}"]
    lines += [_row(key, s) for key, s in _ordered(rep.actors_by_group)]
    lines += ["", f"{'reach a digest':<22} {'on-topic':>12} {'near-miss':>12}"]
    for key, _ in _ordered(rep.on_topic_reach | rep.near_miss_reach):
        on, near = rep.on_topic_reach.get(key, Reach()), rep.near_miss_reach.get(key, Reach())
        lines.append(f"{key:<22} {_reach(on):>12} {_reach(near):>12}")
    return "\n".join(lines)


def _ordered(table: dict[str, object]) -> list[tuple[str, object]]:
    order = ["all", "en+uk+ru", "de+fr+it+pl", *MAIN_LANGUAGES, *OTHER_LANGUAGES]
    return sorted(table.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)


def _row(name: str, s: Score) -> str:
    return f"{name:<22} {s.precision:>5.2f} {s.recall:>5.2f} {s.tp:>4} {s.fp:>4} {s.fn:>4}"


def _reach(r: Reach) -> str:
    return f"{r.reached}/{r.total} {r.rate:.0%}" if r.total else "-"
