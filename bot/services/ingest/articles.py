"""Pure steps of ingestion for one feed item: canonical URL, text, hashes, summary, links."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from datasketch import LeanMinHash

from bot.services.fetching.parsing import ParsedItem
from bot.services.ingest.dedup import (
    canonical_url,
    content_hash_of_words,
    fingerprint_words,
    minhash_of_words,
)
from bot.services.text.article_body import article_body
from bot.services.text.claims import Claim, extract_claims
from bot.services.text.linking import Gazetteer, LinkResult, link_document
from bot.services.text.summarize import brief_summary
from storage.repositories.knowledge import fact_key
from storage.repositories.review import PendingFact

MAX_TEXT_CHARS = 200_000  # a runaway page must not fill the database


@dataclass
class Candidate:
    """A feed item worth looking at, with the URL it will be stored under."""

    item: ParsedItem
    url: str  # canonical
    known_id: int | None = None  # stored already (seen in another source)


@dataclass
class PreparedArticle:
    url: str
    source_url: str
    guid: str | None
    title: str
    text: str
    author: str | None
    published_at: datetime | None
    summary: str
    content_hash: str
    minhash: LeanMinHash | None
    links: LinkResult
    claims: list[Claim] = field(default_factory=list)  # candidate facts, attributed


def candidates_from(items: list[ParsedItem]) -> list[Candidate]:
    """Items with a usable URL, each canonical URL once (feeds repeat themselves)."""
    seen: set[str] = set()
    out: list[Candidate] = []
    for item in items:
        if not item.url:
            continue
        url = canonical_url(item.url)
        if url in seen:
            continue
        seen.add(url)
        out.append(Candidate(item=item, url=url))
    return out


def item_text(item: ParsedItem) -> str:
    """The fuller of the item's body and its summary."""
    content, summary = item.content or "", item.summary or ""
    return content if len(content) >= len(summary) else summary


def with_article(item: ParsedItem, article: ParsedItem | None) -> ParsedItem:
    """A teaser item completed with the text extracted from its article page."""
    if article is None or len(article.content or "") <= len(item_text(item)):
        return item
    return replace(
        item,
        content=article.content,
        title=item.title or article.title,
        author=item.author or article.author,
        published=item.published or article.published,
    )


def prepare_article(candidate: Candidate, gazetteer: Gazetteer) -> PreparedArticle:
    """Everything CPU-bound about one item; runs in a worker thread."""
    item = candidate.item
    title = " ".join((item.title or "").split())
    text = item_text(item)[:MAX_TEXT_CHARS]
    fingerprint = fingerprint_words(f"{title}\n{text}")
    links = link_document(gazetteer, title, text)
    focus = links.focus
    # the cleaned body and its sentences, found once for the summary and the claims
    body = article_body(title, text) if text else None
    summary = brief_summary(title, text, focus, body=body) if text else ""
    linked = [link.target_id for link in links.proposals]
    claims = extract_claims(gazetteer, title, text, linked, cleaned=body) if text and linked else []
    return PreparedArticle(
        url=candidate.url,
        source_url=item.url,
        guid=item.guid,
        title=title or candidate.url,
        text=text,
        author=item.author,
        published_at=item.published,
        summary=summary,
        content_hash=content_hash_of_words(fingerprint),
        minhash=minhash_of_words(fingerprint),
        links=links,
        claims=claims,
    )


def pending_facts(
    article: PreparedArticle, document_id: int, source_name: str | None
) -> list[PendingFact]:
    """Candidate facts of a new document (its attributed claims), queued for review with
    where they came from: URL, title, outlet and date."""
    slugs = {link.target_id: link.slug for link in article.links.proposals}
    published = article.published_at.date() if article.published_at else None
    return [
        PendingFact(
            key=fact_key(slugs.get(claim.proposal_id), claim.text),
            text=claim.text,
            proposal_id=claim.proposal_id,
            actor_id=claim.actor_id,
            document_id=document_id,
            source_url=article.url,
            source_name=source_name or None,
            published_at=published,
            added_by="ingest",
            stance=claim.stance,
            speaker=claim.speaker,
            source_title=article.title,
        )
        for claim in article.claims
    ]
