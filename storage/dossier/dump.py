"""The dossier as it stands in the database, in the YAML file's schema (`briefbot dossier dump`).

Fields are read generically: every field of the schema models (storage/dossier/schema.py)
that has a column of the same name is copied from it, so a new field with a new column flows
through without code here. Only what is stored differently is mapped by hand: actor aliases
(one table with flags), a proposal's linking rules (one JSON column), its positions and facts
(rows that cite a source by title and URL), and the `sources:` list.

The dossier's title and description are not stored; the built-in file's are used."""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from storage.dossier.schema import (
    DEFAULT_DOSSIER,
    ActorIn,
    DossierIn,
    FactIn,
    PositionIn,
    ProposalIn,
    SourceRef,
    load_dossier,
)
from storage.models import Actor, DossierSource, Fact, Position, Proposal
from storage.repositories.curation import slugify

NO_SOURCE_TITLE = "(no source given)"


def from_row(model: type[BaseModel], row: object, mapped: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of `model`: from `mapped` when given, else from a same-named column of `row`
    (a NULL column leaves the model's default)."""
    columns = {attr.key for attr in inspect(row).mapper.column_attrs}  # type: ignore[union-attr]
    data: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name in mapped:
            data[name] = mapped[name]
        elif name in columns and getattr(row, name) is not None:
            data[name] = fit(field.annotation, getattr(row, name))
    return data


def fit(annotation: Any, value: Any) -> Any:
    """`value` (from a JSON column) cut to what `annotation` can hold: keys a nested model
    does not define are left out (a column may keep more than the file's schema has)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not isinstance(value, dict):
            return value
        fields = annotation.model_fields
        return {k: fit(fields[k].annotation, v) for k, v in value.items() if k in fields}
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is list and args and isinstance(value, list):
        return [fit(args[0], v) for v in value]
    if origin is dict and len(args) == 2 and isinstance(value, dict):
        fitted = {k: fit(args[1], v) for k, v in value.items()}
        # an entry left with nothing the schema holds (e.g. {"uk": {}}) is no entry
        return {k: v for k, v in fitted.items() if v != {} or value[k] == {}}
    if origin in (Union, types.UnionType) and value is not None:
        inner = [a for a in args if a is not type(None)]
        return fit(inner[0], value) if len(inner) == 1 else value
    return value


class SourceCatalogue:
    """Source ids for the (title, URL) pairs that facts and positions store.

    Known pairs come from dossier_sources (what `apply` stored), then from the built-in file
    (databases seeded from it); anything else gets an id made from its title."""

    def __init__(self, session: Session) -> None:
        self._by_pair: dict[tuple[str, str | None], SourceRef] = {}
        self.stored: list[SourceRef] = []
        for row in session.scalars(select(DossierSource).order_by(DossierSource.id)):
            ref = SourceRef.model_validate(from_row(SourceRef, row, {"id": row.ref}))
            self.stored.append(ref)
            self._by_pair.setdefault((ref.title, ref.url), ref)
        self._fallback = {(s.title, s.url): s for s in load_dossier(DEFAULT_DOSSIER).sources}
        self.used: dict[str, SourceRef] = {s.id: s for s in self.stored}
        self._titles: dict[str, dict[str, str]] = {}  # source id → language → cited title

    def translated_titles(self, ref_id: str, translations: Mapping[str, Any] | None) -> None:
        """Facts and positions keep their source's title in other languages (`source_name` in
        their translations): that is where a source's translations are stored."""
        for language, texts in (translations or {}).items():
            if texts.get("source_name"):
                self._titles.setdefault(ref_id, {})[language] = texts["source_name"]

    def listed(self) -> list[SourceRef]:
        out = []
        for ref in self.used.values():
            titles = {lang: {"title": t} for lang, t in self._titles.get(ref.id, {}).items()}
            known = {lang: t.model_dump(exclude_none=True) for lang, t in ref.translations.items()}
            merged = {**titles, **known}
            out.append(
                ref.model_copy(
                    update={
                        "translations": SourceRef.model_validate(
                            {"id": ref.id, "title": ref.title, "translations": merged}
                        ).translations
                    }
                )
            )
        return out

    def ref(self, title: str | None, url: str | None) -> SourceRef:
        key = ((title or url or NO_SOURCE_TITLE), url)
        found = self._by_pair.get(key) or self._fallback.get(key)
        if found is None or self.used.get(found.id, found) != found:
            base = slugify(key[0])[:40] or "source"
            ref_id, n = base, 1
            while ref_id in self.used:
                n += 1
                ref_id = f"{base}-{n}"
            found = SourceRef(id=ref_id, title=key[0], url=url)
        self._by_pair[key] = found
        self.used.setdefault(found.id, found)
        return found


def dump_dossier(session: Session) -> DossierIn:
    """Everything the dossier holds now: curators' changes included, pending items not."""
    base = load_dossier(DEFAULT_DOSSIER)
    sources = SourceCatalogue(session)
    actors = list(session.scalars(select(Actor).order_by(Actor.id)))
    slugs = {a.id: a.slug for a in actors}
    proposals = [
        _proposal(session, p, slugs, sources)
        for p in session.scalars(select(Proposal).order_by(Proposal.id))
    ]
    return DossierIn.model_validate(
        {
            "title": base.title,
            "description": base.description,
            "sources": sources.listed(),
            "actors": [_actor(a) for a in actors],
            "proposals": proposals,
        }
    )


def _actor(actor: Actor) -> ActorIn:
    aliases = sorted(actor.aliases, key=lambda a: a.id)
    mapped = {
        "aliases": [a.alias for a in aliases if not a.for_linking_only],
        "link_terms": [a.alias for a in aliases if a.for_linking_only],
        "weak_terms": [a.alias for a in aliases if a.weak],
    }
    return ActorIn.model_validate(from_row(ActorIn, actor, mapped))


def _proposal(
    session: Session, proposal: Proposal, slugs: dict[int, str], sources: SourceCatalogue
) -> ProposalIn:
    rules = proposal.link_rules or {}
    positions = session.scalars(
        select(Position).where(Position.proposal_id == proposal.id).order_by(Position.id)
    )
    facts = session.scalars(
        select(Fact)
        .where(Fact.proposal_id == proposal.id, Fact.status == "approved")
        .order_by(Fact.id)
    )
    mapped = {
        "requires_any": list(rules.get("requires_any", [])),
        "not_owned_by": list(rules.get("not_owned_by", [])),
        "context_keywords": list(rules.get("context_keywords", [])),
        "lemma_keywords": dict(rules.get("lemma_keywords", {})),
        "lookup_names": list(rules.get("lookup_names", [])),
        "positions": [_position(p, slugs, sources) for p in positions],
        "facts": [_fact(f, slugs, sources) for f in facts],
    }
    return ProposalIn.model_validate(from_row(ProposalIn, proposal, mapped))


def _position(position: Position, slugs: dict[int, str], sources: SourceCatalogue) -> PositionIn:
    cited = position.source_name or position.source_url
    source = sources.ref(position.source_name, position.source_url) if cited else None
    if source is not None:
        sources.translated_titles(source.id, position.translations)
    mapped = {
        "actor": slugs[position.actor_id],
        "source": source.id if source else None,
        "translations": _own_texts(position.translations),
    }
    return PositionIn.model_validate(from_row(PositionIn, position, mapped))


def _fact(fact: Fact, slugs: dict[int, str], sources: SourceCatalogue) -> FactIn:
    source = sources.ref(fact.source_name, fact.source_url)
    # a fact without its own date shows its source's date: write the date only when it differs
    published = None if fact.published_at == source.published else fact.published_at
    sources.translated_titles(source.id, fact.translations)
    mapped = {
        "source": source.id,
        "published": published,
        "actor": slugs.get(fact.actor_id) if fact.actor_id else None,
        "translations": _own_texts(fact.translations),
    }
    return FactIn.model_validate(from_row(FactIn, fact, mapped))


def _own_texts(translations: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """A fact's or position's translations without its source's title (a source's own)."""
    out = {}
    for language, texts in (translations or {}).items():
        own = {k: v for k, v in texts.items() if k != "source_name"}
        if own:
            out[language] = own
    return out


def to_yaml(dossier: DossierIn) -> str:
    """The dossier as YAML in the file's schema (defaults left out, as a curator writes it)."""
    data = dossier.model_dump(mode="json", exclude_defaults=True)
    header = (
        "# briefbot dossier, written by `briefbot dossier dump`.\n"
        "# Edit, then `briefbot dossier diff FILE` and `briefbot dossier apply FILE`.\n"
    )
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
