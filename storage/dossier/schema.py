"""Pydantic models of the dossier file; bad data gives errors that name the place."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
Stance = Literal["supports", "opposes", "proposes", "conditional"]
Status = Literal["proposed", "under_discussion", "agreed", "implemented", "rejected", "withdrawn"]
ActorKind = Literal["person", "state", "organisation", "group"]


# a translation block is keyed by a two-letter language code; English is the main text
LANGUAGE_RE = re.compile(r"^[a-z]{2}$")


class DossierError(Exception):
    """The dossier file cannot be used; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"slug {value!r} must be lowercase letters, digits and dashes")
    return value


def _check_languages(value: dict[str, object]) -> dict[str, object]:
    for code in value:
        if not LANGUAGE_RE.match(code) or code == "en":
            raise ValueError(
                f"translations are keyed by a two-letter language other than en, not {code!r}"
            )
    return value


class _Text(_Strict):
    """One language's version of an item's shown texts; a field left out falls back whole
    to the English text (never mixed within a field)."""


class SourceText(_Text):
    title: str | None = None


class ActorText(_Text):
    name: str | None = None
    country: str | None = None
    role: str | None = None
    summary: str | None = None


class PositionText(_Text):
    note: str | None = Field(default=None, max_length=300)


class FactText(_Text):
    text: str | None = Field(default=None, min_length=10, max_length=1500)


class ProposalText(_Text):
    title: str | None = Field(default=None, max_length=300)
    summary: str | None = None
    mechanism: str | None = None
    commitments: list[str] | None = None
    open_questions: list[str] | None = None


class SourceRef(_Strict):
    """A citable source; facts and positions refer to it by `id`."""

    id: str
    title: str
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    translations: dict[str, SourceText] = Field(default_factory=dict)

    _languages = field_validator("translations")(_check_languages)

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("source url must start with http:// or https://")
        return value


class ActorIn(_Strict):
    slug: str
    name: str
    kind: ActorKind = "person"
    country: str | None = None
    role: str = ""
    summary: str = ""
    aliases: list[str] = Field(default_factory=list)  # names users and articles use
    # inflected forms of the names ("Зеленського", "Трампа"): matched, never shown
    forms: list[str] = Field(default_factory=list)
    link_terms: list[str] = Field(default_factory=list)  # linking-only (adjectives, capitals)
    # names (from aliases or link_terms) that also have an everyday sense, e.g. a capital
    # that is only a place in a football report: they link only in a document that links
    # some actor by a name that is not weak
    weak_terms: list[str] = Field(default_factory=list)
    translations: dict[str, ActorText] = Field(default_factory=dict)

    _slug = field_validator("slug")(_check_slug)
    _languages = field_validator("translations")(_check_languages)

    @model_validator(mode="after")
    def _weak_terms_are_listed(self) -> ActorIn:
        listed = {t.casefold() for t in [self.name, *self.aliases, *self.forms, *self.link_terms]}
        unknown = [t for t in self.weak_terms if t.casefold() not in listed]
        if unknown:
            raise ValueError(
                f"actor {self.slug}: weak_terms must also be in aliases or link_terms: "
                + ", ".join(unknown)
            )
        return self


class PositionIn(_Strict):
    actor: str
    stance: Stance
    note: str = Field(default="", max_length=300)
    source: str | None = None
    translations: dict[str, PositionText] = Field(default_factory=dict)

    _languages = field_validator("translations")(_check_languages)


class FactIn(_Strict):
    text: str = Field(min_length=10, max_length=1500)
    source: str
    published: date | None = None
    actor: str | None = None
    translations: dict[str, FactText] = Field(default_factory=dict)

    _languages = field_validator("translations")(_check_languages)


class ContextKeywordIn(_Strict):
    """Phrases that link a proposal only with context: "Article 5" only near NATO."""

    phrases: list[str] = Field(min_length=1)
    # at least one of these must occur: a word or phrase, or "@slug" for any name of an actor
    requires_any: list[str] = Field(min_length=1)
    window: int | None = Field(default=None, ge=1, le=200)  # in words; None: whole document
    # and, when given, one of these anywhere in the document ("Article 5" and Ukraine)
    also_requires_any: list[str] = Field(default_factory=list)


class ProposalIn(_Strict):
    slug: str
    title: str = Field(max_length=300)
    summary: str
    mechanism: str = ""
    status: Status = "proposed"
    commitments: list[str] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    # short names people type in commands and questions ("troops", "nato") that would be far
    # too loose to link articles by: used to look the proposal up, never for linking
    lookup_names: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    context_keywords: list[ContextKeywordIn] = Field(default_factory=list)
    # phrases by language code, matched by lemma (bot/services/text/lemma_index.py)
    lemma_keywords: dict[str, list[str]] = Field(default_factory=dict)
    # a document links this proposal only if it also mentions one of these (words or "@slug")
    requires_any: list[str] = Field(default_factory=list)
    # a phrase right after a name of one of these ("@slug") is that actor's, not this
    # proposal's: "American troops in Ukraine" is not the European force
    not_owned_by: list[str] = Field(default_factory=list)
    positions: list[PositionIn] = Field(default_factory=list)
    facts: list[FactIn] = Field(default_factory=list)
    translations: dict[str, ProposalText] = Field(default_factory=dict)

    _slug = field_validator("slug")(_check_slug)
    _languages = field_validator("translations")(_check_languages)


class DossierIn(_Strict):
    title: str
    description: str = ""
    sources: list[SourceRef]
    actors: list[ActorIn]
    proposals: list[ProposalIn]

    @model_validator(mode="after")
    def _check_references(self) -> DossierIn:
        source_ids = {s.id for s in self.sources}
        actor_slugs = [a.slug for a in self.actors]
        proposal_slugs = [p.slug for p in self.proposals]
        for kind, slugs in (("actor", actor_slugs), ("proposal", proposal_slugs)):
            dupes = {s for s in slugs if slugs.count(s) > 1}
            if dupes:
                raise ValueError(f"duplicate {kind} slug(s): {', '.join(sorted(dupes))}")
        known_actors = set(actor_slugs)
        for p in self.proposals:
            refs = [*p.requires_any, *p.not_owned_by]
            for ctx in p.context_keywords:
                refs += [*ctx.requires_any, *ctx.also_requires_any]
            for ref in refs:
                if ref.startswith("@") and ref[1:] not in known_actors:
                    raise ValueError(f"proposal {p.slug}: context names unknown actor {ref!r}")
            for pos in p.positions:
                if pos.actor not in known_actors:
                    raise ValueError(
                        f"proposal {p.slug}: position names unknown actor {pos.actor!r}"
                    )
                if pos.source and pos.source not in source_ids:
                    raise ValueError(f"proposal {p.slug}: unknown source {pos.source!r}")
            for fact in p.facts:
                if fact.source not in source_ids:
                    raise ValueError(
                        f"proposal {p.slug}: fact cites unknown source {fact.source!r}"
                    )
                if fact.actor and fact.actor not in known_actors:
                    raise ValueError(f"proposal {p.slug}: fact names unknown actor {fact.actor!r}")
        return self

    def source(self, source_id: str | None) -> SourceRef | None:
        return next((s for s in self.sources if s.id == source_id), None)


DEFAULT_DOSSIER = Path(__file__).with_name("ukraine_security_guarantees.yaml")


def load_dossier(path: Path = DEFAULT_DOSSIER) -> DossierIn:
    """Read and validate a dossier file; every problem becomes one DossierError."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DossierError(f"cannot read dossier {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise DossierError(f"dossier {path.name} is not valid YAML: {exc}") from None
    try:
        return DossierIn.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors()[:10]:
            where = ".".join(str(p) for p in err["loc"]) or "top level"
            lines.append(f"{where}: {str(err['msg']).removeprefix('Value error, ')}")
        raise DossierError(f"dossier {path.name} has bad data: " + "; ".join(lines)) from None
