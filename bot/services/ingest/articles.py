"""Pure steps of ingestion for one feed item: canonical URL, text, hashes, summary, links."""

from __future__ import annotations

from collections.abc import Callable
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
from bot.services.text.article_body import ArticleBody, article_body
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
    draft = _Draft.of(candidate)
    for step in _STEPS:
        step(draft, gazetteer)
    return draft.article()


def prepare_articles(
    candidates: list[Candidate], gazetteer: Gazetteer
) -> list[tuple[Candidate, PreparedArticle | Exception]]:
    """prepare_article for a batch (a feed's new items), one step at a time over all of
    them rather than item by item: each step's code and data (the gazetteer, the model's
    vocabularies, the summariser's caches) stay in the CPU caches for the whole batch, about
    a tenth less CPU for the same articles. An item whose step raises gets the exception in
    place of its article, and no further steps; the others go on."""
    drafts = [_Draft.of(c) for c in candidates]
    failed: dict[int, Exception] = {}
    for step in _STEPS:
        for n, draft in enumerate(drafts):
            if n in failed:
                continue
            try:
                step(draft, gazetteer)
            except Exception as exc:  # one odd item must not cost the rest of the feed
                failed[n] = exc
    return [
        (draft.candidate, failed[n] if n in failed else draft.article())
        for n, draft in enumerate(drafts)
    ]


@dataclass
class _Draft:
    """One article between the steps of prepare_article."""

    candidate: Candidate
    title: str
    text: str
    fingerprint: list[str] = field(default_factory=list)
    links: LinkResult | None = None
    body: ArticleBody | None = None
    summary: str = ""
    claims: list[Claim] = field(default_factory=list)

    @classmethod
    def of(cls, candidate: Candidate) -> _Draft:
        item = candidate.item
        title = " ".join((item.title or "").split())
        return cls(candidate, title, item_text(item)[:MAX_TEXT_CHARS])

    def article(self) -> PreparedArticle:
        item = self.candidate.item
        assert self.links is not None
        return PreparedArticle(
            url=self.candidate.url,
            source_url=item.url,
            guid=item.guid,
            title=self.title or self.candidate.url,
            text=self.text,
            author=item.author,
            published_at=item.published,
            summary=self.summary,
            content_hash=content_hash_of_words(self.fingerprint),
            minhash=minhash_of_words(self.fingerprint),
            links=self.links,
            claims=self.claims,
        )


def _fingerprint(d: _Draft, gazetteer: Gazetteer) -> None:
    d.fingerprint = fingerprint_words(f"{d.title}\n{d.text}")


def _link(d: _Draft, gazetteer: Gazetteer) -> None:
    d.links = link_document(gazetteer, d.title, d.text)


def _summarise(d: _Draft, gazetteer: Gazetteer) -> None:
    if not d.text:
        return
    assert d.links is not None
    # the cleaned body and its sentences, found once for the summary and the claims
    d.body = article_body(d.title, d.text)
    d.summary = brief_summary(d.title, d.text, d.links.focus, body=d.body)


def _claims(d: _Draft, gazetteer: Gazetteer) -> None:
    assert d.links is not None
    linked = [link.target_id for link in d.links.proposals]
    if d.text and linked:
        d.claims = extract_claims(gazetteer, d.title, d.text, linked, cleaned=d.body)


_STEPS: tuple[Callable[[_Draft, Gazetteer], None], ...] = (_fingerprint, _link, _summarise, _claims)


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
