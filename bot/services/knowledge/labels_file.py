"""Labelled documents from a YAML file, or a folder of them: the development set's schema
(`documents[{id, lang, title, body, on_topic, near_miss, proposals, actors}]`) or the older
linking corpus (`articles[{id, title, text, actors, proposals}]`, every article on-topic
unless it says)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.services.knowledge.model import TrainingDoc


@dataclass(frozen=True)
class LabelledDoc:
    id: str
    lang: str
    title: str
    text: str
    on_topic: bool
    near_miss: bool
    proposals: frozenset[str]
    actors: frozenset[str]
    event: str = ""  # what happened, for splits by event: the file's `event`, else the month

    def training(self) -> TrainingDoc:
        return TrainingDoc(self.title, self.text, self.proposals, self.on_topic, self.lang)


class LabelsFileError(ValueError):
    pass


def load_labels(path: Path) -> list[LabelledDoc]:
    """The labelled documents of a YAML file, or of every *.yaml file in a folder (in name
    order; ids must not repeat across them)."""
    if path.is_dir():
        files = sorted(path.glob("*.yaml"))
        if not files:
            raise LabelsFileError(f"{path}: no *.yaml files in this folder")
        docs = [doc for file in files for doc in _load_file(file)]
        seen: set[str] = set()
        for doc in docs:
            if doc.id in seen:
                raise LabelsFileError(f"{path}: document id {doc.id!r} appears twice")
            seen.add(doc.id)
        return docs
    return _load_file(path)


def _load_file(path: Path) -> list[LabelledDoc]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LabelsFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise LabelsFileError(f"{path}: expected a mapping with 'documents' or 'articles'")
    rows = data.get("documents") or data.get("articles") or []
    docs = []
    for n, row in enumerate(rows):
        try:
            proposals = frozenset(row.get("proposals") or ())
            docs.append(
                LabelledDoc(
                    id=str(row.get("id", n)),
                    lang=str(row.get("lang") or ""),
                    title=str(row.get("title") or ""),
                    text=str(row.get("body") or row.get("text") or ""),
                    on_topic=bool(row.get("on_topic", bool(proposals) or "articles" in data)),
                    near_miss=bool(row.get("near_miss", False)),
                    proposals=proposals,
                    actors=frozenset(row.get("actors") or ()),
                    event=str(row.get("event") or row.get("published") or "")[:7],
                )
            )
        except (AttributeError, TypeError) as exc:
            raise LabelsFileError(f"{path}: document {n}: {exc}") from exc
    if not docs:
        raise LabelsFileError(f"{path}: no labelled documents")
    return docs
