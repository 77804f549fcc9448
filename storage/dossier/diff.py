"""What applying a dossier file would change, field by field (`briefbot dossier diff`).

The comparison walks the schema models generically: lists of records are matched by their
key (sources by id, actors and proposals by slug, positions by actor, facts by their text),
every other field is compared by value. A field added to the schema is compared without
code here; a new list of records without a key below is compared as one value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from storage.dossier.schema import DossierIn

# collection field -> (what one item is called, its key)
KEYS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "sources": ("source", lambda s: s.id),
    "actors": ("actor", lambda a: a.slug),
    "proposals": ("proposal", lambda p: p.slug),
    "positions": ("position", lambda p: p.actor),
    "facts": ("fact", lambda f: " ".join(f.text.casefold().split())),
}
UNSTORED = {"title", "description"}  # the dossier's own title and description: not stored


@dataclass(frozen=True)
class Change:
    op: Literal["added", "removed", "changed"]
    path: tuple[str, ...]  # e.g. ("proposal art5", "fact “Italy proposed …”")
    field: str | None = None
    old: Any = None
    new: Any = None

    @property
    def is_removal(self) -> bool:
        return self.op == "removed"

    def line(self) -> str:
        where = " › ".join(self.path)
        if self.op == "added":
            return f"+ {where}"
        if self.op == "removed":
            return f"- {where}"
        return f"~ {where}: {self.field}: {_short(self.old)} → {_short(self.new)}"


def diff_dossier(current: DossierIn, wanted: DossierIn) -> list[Change]:
    """Changes that turn `current` into `wanted` (removals included; apply needs --prune)."""
    return _diff(_canonical(current), _canonical(wanted), ())


def _diff(old: BaseModel, new: BaseModel, path: tuple[str, ...]) -> list[Change]:
    changes: list[Change] = []
    for name in type(new).model_fields:
        if not path and name in UNSTORED:
            continue
        before, after = getattr(old, name), getattr(new, name)
        if name in KEYS and isinstance(after, list):
            changes += _diff_records(name, before, after, path)
        elif _plain(before) != _plain(after):
            changes.append(Change("changed", path, name, _plain(before), _plain(after)))
    return changes


def _diff_records(
    name: str, before: list[BaseModel], after: list[BaseModel], path: tuple[str, ...]
) -> list[Change]:
    noun, key = KEYS[name]
    old = {key(item): item for item in before}
    new = {key(item): item for item in after}
    changes: list[Change] = []
    for k, item in new.items():
        here = (*path, f"{noun} {_label(noun, item, k)}")
        if k not in old:
            changes.append(Change("added", here))
        else:
            changes += _diff(old[k], item, here)
    changes += [
        Change("removed", (*path, f"{noun} {_label(noun, item, k)}"))
        for k, item in old.items()
        if k not in new
    ]
    return changes


def _label(noun: str, item: Any, key: str) -> str:
    return f"“{_short(item.text, 60)}”" if noun == "fact" else key


def _canonical(dossier: DossierIn) -> DossierIn:
    """What the database can tell apart: a fact dated like its source reads the same with or
    without its own date; an actor's names are stored once each, case-insensitively, and its
    inflected `forms` are stored like `link_terms` (matched, never shown), so they compare as one."""
    copy = dossier.model_copy(deep=True)
    for actor in copy.actors:
        seen: set[str] = set()
        actor.aliases = _first_of_each(actor.aliases, seen)
        actor.link_terms = _first_of_each([*actor.forms, *actor.link_terms], seen)
        actor.forms = []
        # a flag on stored names, so a set: the database keeps them in the order of the names
        actor.weak_terms = sorted(actor.weak_terms, key=str.casefold)
    for proposal in copy.proposals:
        for fact in proposal.facts:
            source = copy.source(fact.source)
            if source is not None and fact.published == source.published:
                fact.published = None
    return copy


def _first_of_each(names: list[str], seen: set[str]) -> list[str]:
    kept = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
