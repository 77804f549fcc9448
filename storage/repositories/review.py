"""The review queue: pending facts found by ingestion and candidate actors, and their outcome."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from storage.models import CandidateActor, Document, Fact, FactSource, utcnow
from storage.repositories.approvals import stamp_approvals

MAX_CANDIDATE_NAME = 200
SIMILAR_SCAN = 50  # recent pending facts per proposal compared with a new claim


@dataclass
class PendingFact:
    """A fact the pipeline proposes; `key` makes re-ingesting the same sentence a no-op."""

    key: str
    text: str
    proposal_id: int | None
    actor_id: int | None
    document_id: int | None
    source_url: str | None
    source_name: str | None = None
    published_at: date | None = None
    added_by: str = "ingest"
    stance: str | None = None  # suggested: supports|opposes|conditional|proposes|reports
    speaker: str | None = None  # who said it, when not a known actor (a candidate actor)
    source_title: str | None = None  # the title of the article it came from


class ReviewRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    # facts ---------------------------------------------------------------------------
    def existing_fact_keys(self, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return set()
        return set(self.session.scalars(select(Fact.key).where(Fact.key.in_(wanted))))

    def add_pending_facts(
        self,
        facts: Sequence[PendingFact],
        same_claim: Callable[[str, str], bool] | None = None,
    ) -> list[Fact]:
        """Queue facts for review. A fact whose key is already known (any status), or — with
        `same_claim` — a pending fact of the same proposal and speaker saying the same, is
        not queued again: its article is added to that fact's sources instead. A few queries
        per batch, whatever its size (this runs under ingestion's writer lock)."""
        if not facts:
            return []
        added: list[Fact] = []
        with self.session.no_autoflush:
            by_key = self._facts_by_key(f.key for f in facts)
            proposals = {f.proposal_id for f in facts if f.proposal_id is not None}
            similar = self._recent_pending(proposals) if same_claim is not None else []
            cited = self._cited_urls([*by_key.values(), *similar])
            for item in facts:
                same = by_key.get(item.key)
                if same is None and same_claim is not None:
                    same = next(
                        (
                            f
                            for f in [*reversed(added), *similar]
                            if _same_speaker(f, item) and same_claim(f.text, item.text)
                        ),
                        None,
                    )
                if same is None:
                    same = self._new_fact(item)
                    by_key[item.key] = same
                    cited[same] = set()
                    added.append(same)
                self._cite(same, item, cited.setdefault(same, set()))
        self.session.flush()
        return added

    def _new_fact(self, item: PendingFact) -> Fact:
        """A pending fact: PendingFact's fields are the Fact's columns of the same names."""
        fact = Fact(**{f.name: getattr(item, f.name) for f in fields(item)}, status="pending")
        self.session.add(fact)
        return fact

    def _facts_by_key(self, keys: Iterable[str]) -> dict[str, Fact]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        rows = self.session.scalars(select(Fact).where(Fact.key.in_(wanted))).all()
        return {fact.key: fact for fact in rows}

    def _recent_pending(self, proposal_ids: set[int]) -> list[Fact]:
        """The newest pending facts of these proposals, to compare new claims with."""
        if not proposal_ids:
            return []
        stmt = (
            select(Fact)
            .where(Fact.status == "pending", Fact.proposal_id.in_(proposal_ids))
            .order_by(Fact.id.desc())
            .limit(SIMILAR_SCAN * len(proposal_ids))
        )
        return list(self.session.scalars(stmt))

    def _cited_urls(self, facts: Sequence[Fact]) -> dict[Fact, set[str]]:
        by_id = {f.id: f for f in facts}
        out: dict[Fact, set[str]] = {f: set() for f in facts}
        if by_id:
            rows = self.session.execute(
                select(FactSource.fact_id, FactSource.url).where(
                    FactSource.fact_id.in_(list(by_id))
                )
            )
            for fact_id, url in rows:
                out[by_id[fact_id]].add(url)
        return out

    def _cite(self, fact: Fact, item: PendingFact, urls: set[str]) -> None:
        """Record the article `item` came from among the fact's sources (once per URL)."""
        if not item.source_url or item.source_url in urls:
            return
        urls.add(item.source_url)
        source = FactSource(
            url=item.source_url,
            title=item.source_title,
            outlet=item.source_name,
            published_at=item.published_at,
            document_id=item.document_id,
        )
        if fact.id is None or "sources" in fact.__dict__:
            fact.sources.append(source)  # new, or its sources already loaded: no query
        else:
            source.fact_id = fact.id
            self.session.add(source)

    def count_pending_facts(self) -> int:
        stmt = select(func.count(Fact.id)).where(Fact.status == "pending")
        return self.session.scalar(stmt) or 0

    def pending_facts(self, offset: int = 0, limit: int = 10) -> Sequence[Fact]:
        stmt = (
            select(Fact)
            .where(Fact.status == "pending")
            .options(selectinload(Fact.proposal), selectinload(Fact.actor))
            .order_by(Fact.id)
            .offset(offset)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def next_pending_fact(self, after_id: int = 0) -> Fact | None:
        stmt = (
            select(Fact)
            .where(Fact.status == "pending", Fact.id > after_id)
            .options(selectinload(Fact.proposal), selectinload(Fact.actor))
            .order_by(Fact.id)
            .limit(1)
        )
        return self.session.scalars(stmt).first()

    def get_fact(self, fact_id: int) -> Fact | None:
        return self.session.get(Fact, fact_id)

    def set_fact_status(self, fact: Fact, status: str, user_id: int | None) -> None:
        """approved | rejected; who decided and when are kept for the audit trail."""
        fact.status = status
        fact.reviewed_by = user_id
        fact.reviewed_at = utcnow()
        stamp_approvals(self.session)

    def edit_fact_text(self, fact: Fact, text: str) -> None:
        fact.text = text

    # candidate actors ----------------------------------------------------------------
    def upsert_candidate_actors(self, names: Iterable[str], document_id: int | None) -> int:
        """Count a mention of each name; new names enter the queue. Returns how many were new."""
        cleaned = [" ".join(n.split())[:MAX_CANDIDATE_NAME] for n in names]
        wanted = list(dict.fromkeys(n for n in cleaned if n))
        if not wanted:
            return 0
        rows = self.session.scalars(
            select(CandidateActor).where(CandidateActor.name.in_(wanted))
        ).all()
        existing = {row.name: row for row in rows}
        for name in wanted:
            if name in existing:
                existing[name].mentions += 1
            else:
                self.session.add(CandidateActor(name=name, mentions=1, document_id=document_id))
        self.session.flush()
        return len(wanted) - len(existing)

    def add_candidate_mentions(self, mentions: Mapping[str, tuple[int, int | None]]) -> int:
        """Batch form of upsert: name → (mentions, first document id). Returns how many new."""
        cleaned: dict[str, tuple[int, int | None]] = {}
        for raw, (count, document_id) in mentions.items():
            name = " ".join(raw.split())[:MAX_CANDIDATE_NAME]
            if name:
                seen, first = cleaned.get(name, (0, document_id))
                cleaned[name] = (seen + count, first)
        if not cleaned:
            return 0
        rows = self.session.scalars(
            select(CandidateActor).where(CandidateActor.name.in_(list(cleaned)))
        ).all()
        existing = {row.name: row for row in rows}
        for name, (count, document_id) in cleaned.items():
            if name in existing:
                existing[name].mentions += count
            else:
                self.session.add(CandidateActor(name=name, mentions=count, document_id=document_id))
        self.session.flush()
        return len(cleaned) - len(existing)

    def count_pending_actors(self) -> int:
        stmt = select(func.count(CandidateActor.id)).where(CandidateActor.status == "pending")
        return self.session.scalar(stmt) or 0

    def pending_actors(self, offset: int = 0, limit: int = 10) -> Sequence[CandidateActor]:
        stmt = (
            select(CandidateActor)
            .where(CandidateActor.status == "pending")
            .order_by(CandidateActor.mentions.desc(), CandidateActor.id)
            .offset(offset)
            .limit(limit)
        )
        return self.session.scalars(stmt).all()

    def get_candidate_actor(self, candidate_id: int) -> CandidateActor | None:
        return self.session.get(CandidateActor, candidate_id)

    def set_candidate_status(self, candidate: CandidateActor, status: str) -> None:
        candidate.status = status

    # decisions (race-safe: only a pending item changes, so a second press is a no-op) --
    def decide_fact(
        self,
        fact_id: int,
        status: str,
        user_id: int | None,
        text: str | None = None,
        key: str | None = None,
    ) -> bool:
        """Move a pending fact to `status` (optionally with new text and the key of that
        text); False if not pending."""
        values: dict[str, object] = {
            "status": status,
            "reviewed_by": user_id,
            "reviewed_at": utcnow(),
        }
        if text is not None:
            values["text"] = text
        if key is not None:
            values["key"] = key
        stmt = (
            update(Fact)
            .where(Fact.id == fact_id, Fact.status == "pending")
            .values(**values)
            .execution_options(synchronize_session="fetch")
        )
        changed = self.session.execute(stmt).rowcount == 1
        if changed:
            stamp_approvals(self.session)
        return changed

    def decide_candidate(self, candidate_id: int, status: str) -> bool:
        stmt = (
            update(CandidateActor)
            .where(CandidateActor.id == candidate_id, CandidateActor.status == "pending")
            .values(status=status)
            .execution_options(synchronize_session="fetch")
        )
        return self.session.execute(stmt).rowcount == 1

    def first_pending_actor(self) -> CandidateActor | None:
        first = self.pending_actors(0, 1)
        return first[0] if first else None

    def document(self, document_id: int | None) -> Document | None:
        """The article a fact or a candidate name was found in (for its title and link)."""
        return self.session.get(Document, document_id) if document_id else None


def _same_speaker(fact: Fact, item: PendingFact) -> bool:
    return fact.actor_id == item.actor_id and (fact.speaker or None) == (item.speaker or None)
