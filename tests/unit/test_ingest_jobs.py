"""Scheduled polling of due sources, review-queue writes, and the ingest CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Bot

from bot import bootstrap
from bot.ingest_jobs import POLL_TICK, poll_due_sources, poll_tick
from bot.services.fetching.parsing import ParsedItem
from bot.services.ingest import store as ingest_store
from bot.services.ingest.articles import Candidate, prepare_article
from bot.services.ingest.dedup import NearDuplicateIndex
from bot.services.text.linking import CandidateFact, Link, LinkResult
from bot.settings import Settings
from storage.db import Database
from storage.models import CandidateActor, Fact, Proposal, Source, utcnow
from storage.repositories.sources import SourceRepo, backoff_delay
from tests.support.http_server import LocalHTTPServer, Reply
from tests.unit.feeds import RSS_TYPE, Story, rss, story_text

TOKEN = "123456:" + "A" * 35


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as srv:
        for name in ("due", "later", "fresh"):
            story = Story(srv.url(f"/{name}/1"), f"{name} story", story_text(name), f"{name}-1")
            srv.route(f"/{name}", Reply(body=rss([story]), headers={"Content-Type": RSS_TYPE}))
        yield srv


async def test_poll_job_ingests_only_due_sources(
    db: Database, settings: Settings, server: LocalHTTPServer
) -> None:
    now = utcnow()
    with db.session() as session:
        repo = SourceRepo(session)
        repo.add(server.url("/due")).next_fetch_at = now - timedelta(seconds=5)
        repo.add(server.url("/later")).next_fetch_at = now + timedelta(minutes=10)
        repo.add(server.url("/fresh"))  # never polled: due at once
    deps = bootstrap.wire(settings, db, Bot(TOKEN), bootstrap.flood_gate(settings))
    try:
        summary = await poll_due_sources(deps)
        again = await poll_due_sources(deps)  # everything just polled: nothing is due
    finally:
        await bootstrap.close(deps)

    assert summary is not None and summary.new_documents == 2
    assert (server.hits["/due"], server.hits["/fresh"], server.hits["/later"]) == (1, 1, 0)
    assert again is not None and again.reports == []
    with db.session() as session:
        polled = session.scalars(select(Source).where(Source.url == server.url("/due"))).one()
    expected = now + timedelta(seconds=settings.fetch_interval)
    assert abs((polled.next_fetch_at - expected).total_seconds()) < 30


def test_wiring_shares_one_fetcher_and_gate(db: Database, settings: Settings) -> None:
    from bot.app import build_application

    app = build_application(settings, db, token=TOKEN)
    deps = app.bot_data.deps
    assert deps.ingestor.fetcher is deps.fetcher
    assert deps.outbox.gate is deps.gate
    assert app.bot.rate_limiter.gate is deps.gate  # type: ignore[union-attr]


def test_poll_tick_follows_a_short_fetch_interval() -> None:
    assert poll_tick(900) == POLL_TICK
    assert poll_tick(5) == 5.0


def test_application_registers_the_polling_job(db: Database, settings: Settings) -> None:
    from bot.app import build_application

    app = build_application(settings, db, token=TOKEN, rate_limit=False)
    assert app.job_queue is not None
    assert "ingest-due-sources" in [job.name for job in app.job_queue.jobs()]
    assert app.post_shutdown is not None  # closes the fetcher's connections


def test_backoff_doubles_and_is_capped() -> None:
    assert backoff_delay(900, 1) == timedelta(seconds=1800)
    assert backoff_delay(900, 3) == timedelta(seconds=7200)
    assert backoff_delay(900, 40) == timedelta(hours=24)


def test_due_orders_never_polled_first(db: Database) -> None:
    now = utcnow()
    with db.session() as session:
        repo = SourceRepo(session)
        old = repo.add("http://a.example/feed")
        old.next_fetch_at = now - timedelta(hours=1)
        new = repo.add("http://b.example/feed")
        repo.add("http://c.example/feed").active = False
        assert [s.id for s in repo.due(now)] == [new.id, old.id]


def test_candidate_facts_and_actors_go_to_review_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.session() as session:
        proposal = session.scalars(select(Proposal)).first()
        source = SourceRepo(session).add("http://feeds.example/rss", name="Feeds")
        proposal_id, slug, source_id = proposal.id, proposal.slug, source.id
    sentence = "Meloni said the Article 5-like guarantee should come first."
    links = LinkResult(
        actors=[],
        proposals=[Link(proposal_id, slug, "Article 5-like")],
        candidate_names=["Jane Example", "Jane Example"],
        candidate_facts=[CandidateFact(sentence, proposal_id, None)],
    )

    monkeypatch.setattr("bot.services.ingest.articles.link_document", lambda g, title, text: links)

    def article(url: str, text: str) -> object:
        item = ParsedItem(url, None, "Title " + url, utcnow(), "", text, None)
        return prepare_article(Candidate(item, url), gazetteer=None)  # type: ignore[arg-type]

    snapshot = ingest_store.load_source(db, source_id)
    index = NearDuplicateIndex()
    first = ingest_store.store_batch(
        db, snapshot, [], [article("http://x.example/1", story_text("one"))], index
    )  # type: ignore[arg-type, list-item]
    second = ingest_store.store_batch(
        db,
        snapshot,
        [],
        [article("http://x.example/2", " ".join(reversed(story_text("two").split())))],
        index,
    )  # type: ignore[arg-type, list-item]

    assert len(first.new_ids) == 1 and len(second.new_ids) == 1
    with db.session() as session:
        facts = session.scalars(select(Fact).where(Fact.added_by == "ingest")).all()
        (candidate,) = session.scalars(select(CandidateActor)).all()
    assert len(facts) == 1  # the same sentence from the second article is not queued twice
    fact = facts[0]
    assert (fact.status, fact.document_id, fact.source_url) == (
        "pending",
        first.new_ids[0],
        "http://x.example/1",
    )
    assert fact.source_name == "Feeds" and fact.published_at is not None
    assert (candidate.name, candidate.mentions) == ("Jane Example", 2)


def test_cli_ingest_and_sources_export(
    db: Database,
    settings: Settings,
    server: LocalHTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    from bot.cli import main

    with db.session() as session:
        SourceRepo(session).add(server.url("/due"), name="Due feed")
        SourceRepo(session).add(server.url("/missing"), name="Missing feed")
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ALLOW_PRIVATE_URLS", "true")

    code = main(["ingest"])
    out = capsys.readouterr().out
    assert code == 1  # one source failed
    assert "Due feed" in out and "Missing feed" in out and "404" in out
    assert "2 sources, 1 new documents" in out

    assert main(["ingest", "--source", server.url("/due")]) == 0
    assert "0 new documents" in capsys.readouterr().out
    assert main(["ingest", "--source", "http://nowhere.example/"]) == 2

    target = tmp_path / "out.opml"
    assert main(["sources", "export", "-o", str(target)]) == 0
    assert server.url("/due") in target.read_text()
