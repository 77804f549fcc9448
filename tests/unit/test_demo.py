"""`briefbot chat --demo`: the sample feed on loopback makes the admin commands work offline."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime

import feedparser
import pytest

from bot.cli import main
from bot.demo import DemoFeedServer, load_articles, render_feed


def test_the_sample_feed_is_valid_rss_with_recent_dates() -> None:
    title, articles = load_articles()
    now = datetime.now(UTC)
    parsed = feedparser.parse(render_feed("http://127.0.0.1:1", title, articles, now))
    assert not parsed.bozo
    assert len(parsed.entries) == len(articles) >= 4
    assert all(e.link.startswith("http://127.0.0.1:1/articles/") for e in parsed.entries)


def test_the_server_serves_the_feed_and_its_pages() -> None:
    import httpx

    with DemoFeedServer(port=0) as demo:
        feed = httpx.get(demo.feed_url)
        assert feed.status_code == 200 and "<rss" in feed.text
        page = httpx.get(feedparser.parse(feed.text).entries[0].link)
        assert page.status_code == 200 and "<article>" in page.text
        assert httpx.get(demo.base_url + "/nope").status_code == 404


def test_chat_demo_runs_the_admin_commands_offline(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("bot.demo.DEFAULT_PORT", 0)  # any free port: tests run side by side
    script = "/subscribe daily 08:00\n/addsource {feed}\n/fetch\n/latest\n/digest\n/review\n"

    class Stdin(io.StringIO):
        """The script, with the feed's address filled in once the server has a port."""

        def readline(self, *args: object) -> str:  # type: ignore[override]
            if not self.getvalue():
                out = capsys.readouterr().out
                sys.stdout.write(out)
                feed = next(w for w in out.split() if w.endswith("/feed.xml"))
                self.write(script.format(feed=feed))
                self.seek(0)
            return super().readline()

    monkeypatch.setattr("sys.stdin", Stdin())
    assert main(["chat", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "only the bot's admins" not in out
    assert "It has 5 items right now" in out  # /addsource
    assert "5 new documents" in out  # /fetch
    assert "Demo: Washington repeats its offer of air support" in out  # /latest
    assert "Your digest" in out  # /digest
    assert "Pending fact" in out  # /review
    assert "error" not in out.lower()
