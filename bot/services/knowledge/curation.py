"""Curators correct a document's links from chat; each correction is stored as a label.

A correction changes the document at once (its links, or whether it is on-topic) and is
kept in link_labels, where the next training run finds it: the curator's word wins for that
document, and teaches the model for the others. Every correction is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.orm import Session

from storage.repositories.audit import AuditRepo
from storage.repositories.linking import LinkingRepo
from storage.repositories.outbox import OutboxRepo

Action = Literal["add", "remove", "confirm", "on", "off"]
ACTIONS: tuple[Action, ...] = ("add", "remove", "confirm", "on", "off")
CURATOR = "curator"  # the `matched` text of a link a curator made or confirmed


@dataclass(frozen=True)
class ProposalChoice:
    id: int
    title: str
    linked: bool
    confirmed: bool  # a curator has said so (either way)


@dataclass(frozen=True)
class LinkEditor:
    document_id: int
    title: str
    url: str
    on_topic: bool
    score: float | None
    reason: str
    proposals: list[ProposalChoice] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleChoice:
    """One article of a digest, in the admin's picker: its number is its place in the digest."""

    number: int
    document_id: int
    title: str
    url: str


def digest_articles(session: Session, digest_id: int, chat_id: int) -> list[ArticleChoice] | None:
    """The articles a digest sent to this chat showed, numbered in its order (those deleted
    since are left out); None when no such digest was sent to this chat."""
    ids = OutboxRepo(session).digest_document_ids(digest_id, chat_id)
    if ids is None:
        return None
    found = LinkingRepo(session).titles(ids)
    return [
        ArticleChoice(n, doc_id, found[doc_id][0] or found[doc_id][1], found[doc_id][1])
        for n, doc_id in enumerate(ids, start=1)
        if doc_id in found
    ]


def link_editor(session: Session, document_id: int) -> LinkEditor | None:
    repo = LinkingRepo(session)
    doc = repo.document(document_id)
    if doc is None:
        return None
    linked = {link.proposal_id for link in doc.proposal_links}
    labelled = {lab.target_id for lab in repo.labels_of(doc.id) if lab.kind == "proposal"}
    choices = [
        ProposalChoice(p.id, p.title, p.id in linked, p.id in labelled) for p in repo.proposals()
    ]
    return LinkEditor(
        doc.id,
        doc.title or doc.url,
        doc.url,
        doc.on_topic,
        doc.relevance_score,
        doc.relevance_reason,
        choices,
    )


def correct(
    session: Session, document_id: int, action: Action, proposal_id: int | None, user_id: int | None
) -> LinkEditor | None:
    """Apply one correction; None when the document or proposal no longer exists."""
    repo = LinkingRepo(session)
    doc = repo.document(document_id)
    if doc is None:
        return None
    proposals = {p.id: p for p in repo.proposals()}
    if action in ("add", "remove") and proposal_id not in proposals:
        return None
    if action == "add" and proposal_id is not None:
        repo.link(doc.id, proposal_id, CURATOR)
        repo.set_label(doc.id, "proposal", proposal_id, True, user_id)
        _set_topic(repo, doc, True, user_id)  # a proposal of the dossier: on-topic
    elif action == "remove" and proposal_id is not None:
        repo.unlink(doc.id, proposal_id)
        repo.set_label(doc.id, "proposal", proposal_id, False, user_id)
    elif action == "confirm":
        for link in doc.proposal_links:
            repo.set_label(doc.id, "proposal", link.proposal_id, True, user_id)
            link.matched = CURATOR
        _set_topic(repo, doc, doc.on_topic, user_id)
    elif action in ("on", "off"):
        _set_topic(repo, doc, action == "on", user_id)
    target = proposals[proposal_id].slug if proposal_id in proposals else ""
    AuditRepo(session).record(user_id, "link_correction", f"document {doc.id}: {action} {target}")
    session.flush()
    session.expire(doc)
    return link_editor(session, document_id)


def _set_topic(repo: LinkingRepo, doc, on_topic: bool, user_id: int | None) -> None:  # type: ignore[no-untyped-def]
    doc.on_topic = on_topic
    doc.relevance_score = 1.0 if on_topic else 0.0
    doc.relevance_reason = CURATOR
    repo.set_label(doc.id, "topic", 0, on_topic, user_id)
