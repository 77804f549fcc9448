"""SQLAlchemy 2 typed ORM models for the knowledge base, ingestion, subscriptions and delivery."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict: JSON,
        list: JSON,
    }


# --- knowledge base -------------------------------------------------------------------


class Proposal(Base):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    mechanism: Mapped[str] = mapped_column(Text, default="")
    # proposed | under_discussion | agreed | implemented | rejected | withdrawn
    status: Mapped[str] = mapped_column(String(30), default="proposed")
    commitments: Mapped[list] = mapped_column(default=list)
    open_questions: Mapped[list] = mapped_column(default=list)
    keywords: Mapped[list] = mapped_column(default=list)  # linking rules: phrases
    aliases: Mapped[list] = mapped_column(default=list)  # other names users may type
    # conditional linking rules from the dossier: {"requires_any": [...],
    # "context_keywords": [{"phrases": [...], "requires_any": [...], "window": n | None}]}
    link_rules: Mapped[dict] = mapped_column(default=dict)
    # other languages' versions of the shown texts: {"uk": {"title": …, "summary": …}};
    # a field missing there is shown in English (bot/services/localize.py)
    translations: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    positions: Mapped[list[Position]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan"
    )
    facts: Mapped[list[Fact]] = relationship(back_populates="proposal")


class Actor(Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(
        String(30), default="person"
    )  # person|state|organisation|group
    country: Mapped[str | None] = mapped_column(String(80), default=None)
    role: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # other languages' versions of the shown texts: {"uk": {"title": …, "summary": …}};
    # a field missing there is shown in English (bot/services/localize.py)
    translations: Mapped[dict] = mapped_column(default=dict)

    aliases: Mapped[list[ActorAlias]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", order_by="ActorAlias.id"
    )
    positions: Mapped[list[Position]] = relationship(
        back_populates="actor", cascade="all, delete-orphan"
    )


class ActorAlias(Base):
    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    # linking-only aliases (adjectives like "Italian") are not shown as names
    for_linking_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # links only when the document also has a non-weak actor name (a capital as a place)
    weak: Mapped[bool] = mapped_column(Boolean, default=False)

    actor: Mapped[Actor] = relationship(back_populates="aliases")


class Position(Base):
    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("actor_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    stance: Mapped[str] = mapped_column(String(20))  # supports|opposes|proposes|conditional
    note: Mapped[str] = mapped_column(String(500), default="")
    source_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    source_name: Mapped[str | None] = mapped_column(String(300), default=None)
    # other languages' versions of the shown texts: {"uk": {"title": …, "summary": …}};
    # a field missing there is shown in English (bot/services/localize.py)
    translations: Mapped[dict] = mapped_column(default=dict)

    actor: Mapped[Actor] = relationship(back_populates="positions")
    proposal: Mapped[Proposal] = relationship(back_populates="positions")


class Fact(Base):
    __tablename__ = "facts"
    __table_args__ = (Index("ix_facts_status_published", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # stable identity for idempotent imports: hash of proposal slug + normalised text
    key: Mapped[str] = mapped_column(String(64), unique=True)
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL"), index=True, default=None
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True, default=None
    )
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True, default=None
    )
    text: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    source_name: Mapped[str | None] = mapped_column(String(300), default=None)
    published_at: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|approved|rejected
    added_by: Mapped[str] = mapped_column(String(100), default="dossier")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reviewed_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    # order of approval, the digest cursor (storage/repositories/approvals.py); None if not approved
    approval_seq: Mapped[int | None] = mapped_column(Integer, unique=True, default=None)
    # other languages' versions of the shown texts: {"uk": {"title": …, "summary": …}};
    # a field missing there is shown in English (bot/services/localize.py)
    translations: Mapped[dict] = mapped_column(default=dict)

    proposal: Mapped[Proposal | None] = relationship(back_populates="facts")
    actor: Mapped[Actor | None] = relationship()
    # candidate facts from ingestion (migration 0008): the suggested stance of the claim, who
    # made it when not a known actor (a candidate actor's name), the source article's title,
    # and every article that carried the same claim (the first one is also source_url above)
    stance: Mapped[str | None] = mapped_column(String(20), default=None)
    speaker: Mapped[str | None] = mapped_column(String(200), default=None)
    source_title: Mapped[str | None] = mapped_column(String(500), default=None)
    sources: Mapped[list[FactSource]] = relationship(
        cascade="all, delete-orphan", order_by="FactSource.id"
    )


class FactSource(Base):
    """One article that carried a fact's claim: the same claim from two outlets is one fact."""

    __tablename__ = "fact_sources"
    __table_args__ = (UniqueConstraint("fact_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("facts.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(500), default=None)
    outlet: Mapped[str | None] = mapped_column(String(300), default=None)
    published_at: Mapped[date | None] = mapped_column(Date, default=None)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), default=None
    )


# --- ingestion ------------------------------------------------------------------------


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(10), default="rss")  # rss|atom|html
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    etag: Mapped[str | None] = mapped_column(String(500), default=None)
    last_modified: Mapped[str | None] = mapped_column(String(100), default=None)
    last_fetched_at: Mapped[datetime | None] = mapped_column(default=None)
    last_ok_at: Mapped[datetime | None] = mapped_column(default=None)
    last_status: Mapped[str] = mapped_column(String(20), default="new")  # new|ok|error|backoff
    last_error: Mapped[str | None] = mapped_column(String(1000), default=None)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    next_fetch_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    added_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # who publishes it (migration 0007): official|wire|outlet|state-affiliated|think-tank
    outlet_kind: Mapped[str | None] = mapped_column(String(20), default=None)
    country: Mapped[str | None] = mapped_column(String(80), default=None)
    language: Mapped[str | None] = mapped_column(String(10), default=None)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)  # canonical URL
    title: Mapped[str] = mapped_column(String(1000), default="")
    author: Mapped[str | None] = mapped_column(String(300), default=None)
    published_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    minhash: Mapped[bytes | None] = mapped_column(default=None)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True, default=None
    )
    # relevance to the dossier (migration 0004): off-topic documents stay stored and searchable
    # but stay out of digests, cards and /latest (bot/services/text/relevance.py)
    on_topic: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    relevance_score: Mapped[float | None] = mapped_column(Float, default=None)
    relevance_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")

    source: Mapped[Source | None] = relationship()
    actor_links: Mapped[list[DocumentActor]] = relationship(cascade="all, delete-orphan")
    proposal_links: Mapped[list[DocumentProposal]] = relationship(cascade="all, delete-orphan")


class DocumentSource(Base):
    """Every source a (deduplicated) document was seen in, with the URL it had there."""

    __tablename__ = "document_sources"
    __table_args__ = (UniqueConstraint("document_id", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    guid: Mapped[str | None] = mapped_column(String(2000), default=None)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentActor(Base):
    __tablename__ = "document_actors"
    __table_args__ = (UniqueConstraint("document_id", "actor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    matched: Mapped[str] = mapped_column(String(300), default="")  # why the link was made

    actor: Mapped[Actor] = relationship()


class DocumentProposal(Base):
    __tablename__ = "document_proposals"
    __table_args__ = (UniqueConstraint("document_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    matched: Mapped[str] = mapped_column(String(300), default="")

    proposal: Mapped[Proposal] = relationship()


class CandidateActor(Base):
    """A name seen in ingested text that looks like an actor but is not in the dossier."""

    __tablename__ = "candidate_actors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|approved|rejected
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- subscriptions and delivery -------------------------------------------------------


class Subscription(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("chat_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    thread_id: Mapped[int] = mapped_column(BigInteger, default=0)  # 0 = no forum topic
    chat_type: Mapped[str] = mapped_column(String(20), default="private")
    mode: Mapped[str] = mapped_column(String(10), default="daily")  # instant|daily|weekly
    schedule: Mapped[str] = mapped_column(String(40), default="")  # "08:00" or "mon 08:00"
    filter_proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL"), default=None
    )
    filter_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), default=None
    )
    include_keywords: Mapped[list] = mapped_column(default=list)
    exclude_keywords: Mapped[list] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    inactive_reason: Mapped[str | None] = mapped_column(String(300), default=None)
    language: Mapped[str] = mapped_column(String(10), default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # cursors: every document id and fact approval_seq at or below these has been considered
    last_document_id: Mapped[int] = mapped_column(Integer, default=0)
    last_fact_seq: Mapped[int] = mapped_column(Integer, default=0)
    # announced dossier changes (DossierChange.seq) at or below this have been considered
    last_change_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_digest_at: Mapped[datetime | None] = mapped_column(default=None)
    # `/subscribe … all`: every stored article, off-topic ones included (migration 0004)
    all_articles: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    next_due_at: Mapped[datetime | None] = mapped_column(default=None, index=True)


class Digest(Base):
    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="SET NULL"), index=True, default=None
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    document_count: Mapped[int] = mapped_column(Integer, default=0)
    fact_count: Mapped[int] = mapped_column(Integer, default=0)
    trigger: Mapped[str] = mapped_column(
        String(20), default="scheduled"
    )  # scheduled|instant|manual
    # the articles the digest showed, in order (the admin's link-correction picker; 0009)
    document_ids: Mapped[list | None] = mapped_column(default=None)


class OutboxMessage(Base):
    """One Telegram message to send, written before sending (crash-safe fan-out)."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("digest_id", "part"),
        Index("ix_outbox_state_due", "state", "not_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id", ondelete="CASCADE"))
    part: Mapped[int] = mapped_column(Integer, default=0)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    thread_id: Mapped[int] = mapped_column(BigInteger, default=0)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    # several processes on one PostgreSQL: who claimed the row, and until when (migration 0003)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(default=None)
    # an inline keyboard sent with the message, as Telegram's JSON (migration 0009)
    reply_markup: Mapped[dict | None] = mapped_column(default=None)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str] = mapped_column(Text, default="")


# --- chat preferences -----------------------------------------------------------------


class ChatLanguage(Base):
    """The language a chat chose with /language; chats without a row follow Telegram's."""

    __tablename__ = "chat_languages"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(10))
    set_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DossierChange(Base):
    """One change an admin made to the dossier from chat: enough to show it, date it and undo it.

    `before` and `after` hold the changed fields (None = the row did not exist), so every change
    can be inverted. Status changes, positions and retractions are announced in digests: they
    get `seq`, numbered in commit order like Fact.approval_seq (storage/repositories/changes.py).
    Ids are plain integers, not foreign keys: the history outlives what it talks about."""

    __tablename__ = "dossier_changes"
    __table_args__ = (Index("ix_dossier_changes_user", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int | None] = mapped_column(Integer, unique=True, default=None)
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    effective_on: Mapped[date] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    proposal_id: Mapped[int | None] = mapped_column(Integer, index=True, default=None)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True, default=None)
    fact_id: Mapped[int | None] = mapped_column(Integer, index=True, default=None)
    item_id: Mapped[int | None] = mapped_column(Integer, default=None)  # e.g. a candidate actor
    before: Mapped[dict | None] = mapped_column(default=None)
    after: Mapped[dict | None] = mapped_column(default=None)
    source_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    undone_at: Mapped[datetime | None] = mapped_column(default=None)
    undone_by: Mapped[int | None] = mapped_column(BigInteger, default=None)


class DossierSource(Base):
    """A citable source of the dossier YAML (`sources:`), by its id there (`ref`)."""

    __tablename__ = "dossier_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000), default=None)
    publisher: Mapped[str | None] = mapped_column(String(300), default=None)
    published: Mapped[date | None] = mapped_column(Date, default=None)
    # other languages' versions, when the dossier schema has them ({"uk": {"title": …}})
    translations: Mapped[dict] = mapped_column(default=dict)


# --- linking: curators' labels and the trained model (migration 0004) ------------------


class LinkLabel(Base):
    """A curator's correction of one document: a proposal link (target_id = proposal id) or
    its relevance (kind "topic", target_id 0). value True = linked / on-topic."""

    __tablename__ = "link_labels"
    __table_args__ = (UniqueConstraint("document_id", "kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # proposal | topic
    target_id: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[bool] = mapped_column(Boolean)
    user_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LinkModelBlob(Base):
    """A trained linking model (pickled scikit-learn objects written by this bot only)."""

    __tablename__ = "link_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    document_count: Mapped[int] = mapped_column(Integer, default=0)
    label_count: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    blob: Mapped[bytes] = mapped_column(LargeBinary)
