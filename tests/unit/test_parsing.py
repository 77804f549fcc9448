"""Parsing: RSS, Atom and article pages to plain-text items; charsets; what is not a feed."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.services.fetching.parsing import (
    NotAFeed,
    ParsedItem,
    decode_body,
    extract_article,
    is_teaser,
    parse_source,
)
from bot.services.fetching.plaintext import html_to_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbour &amp; Ledger</title>
  <link>https://ledger.example/</link>
  <item>
    <title>Grain talks resume</title>
    <link>https://ledger.example/a/grain?utm_source=rss</link>
    <guid isPermaLink="false">ledger-1001</guid>
    <pubDate>Fri, 14 Mar 2025 09:30:00 +0200</pubDate>
    <dc:creator>Olena Marchuk</dc:creator>
    <description><![CDATA[<p>Negotiators <b>met</b> again&nbsp;on Friday.</p>]]></description>
    <content:encoded><![CDATA[<p>First paragraph.</p><p>Second &amp; last.</p>]]></content:encoded>
  </item>
  <item>
    <title>Relative link item</title>
    <link>/a/relative</link>
    <description>Plain description.</description>
  </item>
  <item>
    <guid isPermaLink="true">https://ledger.example/a/permalink</guid>
    <title>Only a permalink guid</title>
  </item>
  <item><title>No address at all</title><description>dropped</description></item>
  <item><title>Script link</title><link>javascript:alert(1)</link></item>
</channel>
</rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Council Watch</title>
  <id>urn:council</id>
  <updated>2025-05-01T12:00:00Z</updated>
  <entry>
    <title type="html">Summit &lt;em&gt;agrees&lt;/em&gt; on sanctions</title>
    <link rel="alternate" href="https://council.example/2025/summit"/>
    <id>tag:council.example,2025:summit</id>
    <updated>2025-05-01T10:15:00+02:00</updated>
    <author><name>Jan Novak</name></author>
    <summary>Leaders agreed.</summary>
    <content type="html">&lt;p&gt;Leaders agreed on a new package.&lt;/p&gt;</content>
  </entry>
</feed>"""


UK_TITLE, UK_ITEM = "Новини України", "Зеленський і Макрон обговорили гарантії безпеки"
RU_TITLE, RU_ITEM = "Новости недели", "Переговоры о перемирии продолжатся в пятницу"


def cyrillic_feed(encoding: str, *, declare: bool = True, russian: bool = False) -> bytes:
    decl = f'<?xml version="1.0" encoding="{encoding}"?>' if declare else ""
    title, item = (RU_TITLE, RU_ITEM) if russian else (UK_TITLE, UK_ITEM)
    text = f"""{decl}<rss version="2.0"><channel><title>{title}</title>
    <item><title>{item}</title><link>https://news.example/1</link>
    <description>Стороны договорились продолжить переговоры.</description>
    </item></channel></rss>"""
    return text.encode(encoding)


# ---- feeds -----------------------------------------------------------------------------


def test_rss_items_are_plain_text_with_utc_dates() -> None:
    feed = parse_source(RSS, "https://ledger.example/rss.xml", "application/rss+xml")
    assert feed.kind == "rss" and feed.title == "Harbour & Ledger"
    first = feed.items[0]
    assert first == ParsedItem(
        url="https://ledger.example/a/grain?utm_source=rss",
        guid="ledger-1001",
        title="Grain talks resume",
        published=datetime(2025, 3, 14, 7, 30, tzinfo=UTC),
        summary="Negotiators met again on Friday.",
        content="First paragraph.\nSecond & last.",
        author="Olena Marchuk",
    )


def test_rss_links_are_resolved_and_items_without_address_dropped() -> None:
    feed = parse_source(RSS, "https://ledger.example/feeds/rss.xml", None)
    urls = [item.url for item in feed.items]
    assert urls == [
        "https://ledger.example/a/grain?utm_source=rss",
        "https://ledger.example/a/relative",
        "https://ledger.example/a/permalink",
    ]
    assert feed.items[1].published is None and feed.items[1].content == ""


def test_atom_entries() -> None:
    feed = parse_source(ATOM, "https://council.example/atom", "application/atom+xml")
    assert feed.kind == "atom" and feed.title == "Council Watch"
    [entry] = feed.items
    assert entry.title == "Summit agrees on sanctions"
    assert entry.url == "https://council.example/2025/summit"
    assert entry.guid == "tag:council.example,2025:summit"
    assert entry.published == datetime(2025, 5, 1, 8, 15, tzinfo=UTC)
    assert entry.published.tzinfo is not None
    assert entry.author == "Jan Novak"
    assert entry.summary == "Leaders agreed."
    assert entry.content == "Leaders agreed on a new package."


@pytest.mark.parametrize(
    "title_xml",
    [
        "&lt;script&gt;alert('x')&lt;/script&gt;Ceasefire talks",  # escaped markup
        "<![CDATA[<script>alert('x')</script>Ceasefire talks]]>",  # raw markup in CDATA
        "&amp;lt;script&amp;gt;alert('x')&amp;lt;/script&amp;gt;Ceasefire talks",  # twice
        "<![CDATA[<style>h1{}</style><b onclick='x()'>Ceasefire</b> talks]]>",
    ],
)
def test_script_tags_in_titles_become_plain_text(title_xml: str) -> None:
    body = f"""<rss version="2.0"><channel><title>T</title><item><title>{title_xml}</title>
    <link>https://news.example/1</link><description>&lt;script&gt;steal()&lt;/script&gt;Body
    </description></item></channel></rss>""".encode()
    [item] = parse_source(body, "https://news.example/feed", None).items
    assert item.title == "Ceasefire talks"
    assert item.summary == "Body"


def test_recoverable_sloppy_feed_is_accepted() -> None:
    sloppy = b"""<rss version="2.0"><channel><title>Fish & Chips</title>
    <item><title>Bare & ampersand</title><link>https://sloppy.example/1</link></item>
    </channel></rss>"""
    feed = parse_source(sloppy, "https://sloppy.example/feed", None)
    assert feed.kind == "rss"
    assert [i.title for i in feed.items] == ["Bare & ampersand"]


def test_well_formed_empty_feed_has_no_items() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    feed = parse_source(empty, "https://quiet.example/feed", None)
    assert (feed.kind, feed.title, feed.items) == ("rss", "Quiet", [])


def test_a_large_feed_parses_quickly() -> None:
    items = "".join(
        f"<item><title>Story {i} &amp; more</title><link>https://big.example/{i}</link>"
        f"<description>&lt;p&gt;Paragraph {i} of the story.&lt;/p&gt;</description></item>"
        for i in range(500)
    )
    body = f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()
    started = time.perf_counter()
    feed = parse_source(body, "https://big.example/feed", None)
    assert len(feed.items) == 500 and feed.items[499].title == "Story 499 & more"
    assert time.perf_counter() - started < 1.0


# ---- charsets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "content_type", "declare"),
    [
        ("windows-1251", "text/xml", True),  # only the XML declaration knows
        ("windows-1251", "application/rss+xml; charset=windows-1251", False),  # only HTTP
        ("windows-1251", "text/xml; charset=ISO-8859-1", True),  # a lazy server default
        ("koi8-r", "application/xml", True),
        ("koi8-u", "application/rss+xml; charset=KOI8-U", False),
        ("windows-1251", None, False),  # nobody says: charset-normalizer guesses
    ],
)
def test_cyrillic_feeds_decode_right(encoding: str, content_type: str | None, declare) -> None:
    russian = encoding == "koi8-r"
    body = cyrillic_feed(encoding, declare=declare, russian=russian)
    feed = parse_source(body, "https://news.example/feed", content_type)
    assert feed.title == (RU_TITLE if russian else UK_TITLE)
    assert feed.items[0].title == (RU_ITEM if russian else UK_ITEM)


def test_latin1_feed_decodes_right() -> None:
    body = '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel>'
    body += "<title>Café Zürich</title><item><title>Größere Schritte für Straßen</title>"
    body += "<link>https://de.example/1</link></item></channel></rss>"
    feed = parse_source(body.encode("latin-1"), "https://de.example/feed", "text/xml")
    assert feed.title == "Café Zürich"
    assert feed.items[0].title == "Größere Schritte für Straßen"


def test_decode_body_order() -> None:
    cp = "Привіт, світе".encode("cp1251")
    assert decode_body(cp, "text/html; charset=windows-1251") == "Привіт, світе"
    meta = b'<html><head><meta charset="windows-1251"></head><body>' + cp + b"</body></html>"
    assert "Привіт, світе" in decode_body(meta, "text/html")
    assert decode_body("Über".encode("utf-8-sig"), "text/plain; charset=cp1251") == "Über"
    assert decode_body(b"plain ascii", "text/xml; charset=no-such-charset") == "plain ascii"
    assert decode_body(b"", None) == ""
    # A wrong UTF-8 label cannot break single-byte text: strict decoding fails, we move on.
    sentence = "Президенти домовилися продовжити переговори щодо миротворців у п'ятницю."
    assert decode_body(sentence.encode("cp1251"), "text/xml; charset=utf-8") == sentence


# ---- article pages ---------------------------------------------------------------------


def test_html_article_page_becomes_one_item() -> None:
    body = (FIXTURES / "article.html").read_bytes()
    feed = parse_source(body, "https://ledger.example/world/grain-talks", "text/html")
    assert feed.kind == "html"
    [item] = feed.items
    assert item.url == "https://ledger.example/world/grain-talks"
    assert "Grain corridor talks resume in Istanbul" in item.title
    assert item.author == "Olena Marchuk"
    assert item.published is not None and item.published.date().isoformat() == "2025-03-14"
    assert "protected corridor for grain vessels" in item.content
    assert "memorandum on the coordination centre" in item.content
    for boilerplate in ("cookies", "Subscribe", "Most read", "All rights reserved", "analytics"):
        assert boilerplate not in item.content
    assert feed.title == item.title


def test_extract_article_returns_none_without_text() -> None:
    assert extract_article(b"", "https://x.example/", None) is None
    assert extract_article(b"\x89PNG\r\n\x1a\n\0\0", "https://x.example/", None) is None
    assert extract_article(b"<html><body><nav>Home</nav></body></html>", "https://x/", None) is None


# ---- what is not a feed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the server returned an empty body"),
        (b"  \r\n\t ", "the server returned an empty body"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "binary data (a PNG image), not a feed or a web page"),
        (b"PK\x03\x04" + bytes(64), "binary data (a ZIP archive)"),
        (b"%PDF-1.7\n%\xe2\xe3", "binary data (a PDF document)"),
        (random.Random(7).randbytes(2048), "binary data (binary data)"),
        (b'{"version": "https://jsonfeed.org/version/1"}', "JSON data, not an RSS or Atom feed"),
        (b"Just some words, nothing else.", "plain text, not a feed or a web page"),
        (
            b"<?xml version='1.0'?><rss version='2.0'><channel><<<item>>>",
            "malformed XML that cannot be read as a feed (line 1, column",
        ),
        (b"<rss><channel><title>x</channel", "malformed XML that cannot be read as a feed"),
    ],
)
def test_not_a_feed_says_what_came_back(body: bytes, message: str) -> None:
    with pytest.raises(NotAFeed) as caught:
        parse_source(body, "https://x.example/feed", None)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("page", "name"),
    [
        (
            "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
            "<noscript>Enable JavaScript and cookies to continue</noscript></body></html>",
            "Cloudflare “Just a moment…”",
        ),
        (
            "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
            "<body><h1>Sorry, you have been blocked</h1></body></html>",
            "Cloudflare “Attention Required”",
        ),
        (
            "<html><head><title>Security check</title></head><body><form>"
            "<div class='g-recaptcha' data-sitekey='x'></div></form></body></html>",
            "a captcha",
        ),
    ],
)
def test_challenge_pages_are_named(page: str, name: str) -> None:
    with pytest.raises(NotAFeed) as caught:
        parse_source(page.encode(), "https://blocked.example/feed", "text/html")
    assert str(caught.value) == f"an anti-bot challenge page ({name}) instead of content"


def test_html_page_without_article_points_to_its_feed() -> None:
    page = b"""<!DOCTYPE html><html><head><title>Home</title>
    <link rel="alternate" type="application/rss+xml" href="/news/rss.xml"></head>
    <body><nav><a href="/a">A</a> <a href="/b">B</a></nav></body></html>"""
    with pytest.raises(NotAFeed) as caught:
        parse_source(page, "https://site.example/", "text/html")
    assert str(caught.value) == (
        "an HTML page without article text; the page links to a feed: "
        "https://site.example/news/rss.xml"
    )


def test_article_with_a_captcha_comment_form_is_still_an_article() -> None:
    body = (FIXTURES / "article.html").read_text(encoding="utf-8")
    body = body.replace("</article>", "<form><div class='g-recaptcha'></div></form></article>")
    feed = parse_source(body.encode(), "https://ledger.example/world/grain-talks", "text/html")
    assert feed.kind == "html" and "grain vessels" in feed.items[0].content


# ---- teasers and plain text ------------------------------------------------------------


def _item(summary: str = "", content: str = "") -> ParsedItem:
    return ParsedItem("https://x.example/1", None, "T", None, summary, content, None)


def test_is_teaser() -> None:
    assert is_teaser(_item(summary="Two lines about the story."))
    assert is_teaser(_item(summary="word " * 150 + "Read more"))
    assert is_teaser(_item(summary="word " * 150 + "…"))
    assert not is_teaser(_item(summary="word " * 150 + "end."))
    assert not is_teaser(_item(summary="short", content="sentence. " * 200))


def test_html_to_text() -> None:
    assert html_to_text("<p>A</p><p>B&nbsp;&amp;  C</p>") == "A B & C"
    assert html_to_text("<p>A</p><ul><li>B</li></ul>", paragraphs=True) == "A\nB"
    assert html_to_text("x<script>evil()</script><style>p{}</style>y") == "xy"
    assert html_to_text("a < b and c > d") == "a < b and c > d"
    assert html_to_text("zero\u200bwidth\x00nul") == "zerowidthnul"
    assert html_to_text(None) == ""


@pytest.mark.parametrize(
    "title",
    [
        "Invoice \u202egpj.exe",  # right-to-left override
        "Invoice &#x202E;gpj.exe",  # the same as an entity
        "Invoice &amp;#8238;gpj.exe",  # and escaped twice
        "\u2067Invoice\u2069 \u200fgpj.exe\u200e\u202a\u202b\u202c\u202d\u2066\u2068\u061c",
    ],
)
def test_bidi_controls_in_feed_titles_are_neutralised(title: str) -> None:
    body = (
        f"<rss version='2.0'><channel><title>{title}</title><item><title>{title}</title>"
        "<link>https://news.example/1</link></item></channel></rss>"
    ).encode()
    feed = parse_source(body, "https://news.example/feed", "application/rss+xml")
    for text in (feed.title, feed.items[0].title):
        assert text == "Invoice gpj.exe"
        assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in text)
        assert not set(text) & {"\u200e", "\u200f", "\u061c"}


# ---- fastfeedparser first, feedparser for what it reads badly ---------------------------


def _items(feed) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(i.url, i.title) for i in feed.items]


def test_well_formed_feeds_are_read_by_fastfeedparser(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.services.fetching import feeds

    monkeypatch.setattr(feeds, "parse_feed_slow", lambda *a: pytest.fail("fell back"))
    rss = parse_source(cyrillic_feed("utf-8"), "https://news.example/feed", None)
    assert _items(rss) == [("https://news.example/1", UK_ITEM)]
    atom = parse_source(ATOM, "https://council.example/feed", None)
    assert _items(atom) == [("https://council.example/2025/summit", "Summit agrees on sanctions")]


def test_an_item_without_a_usable_address_leaves_the_feed_to_feedparser() -> None:
    from bot.services.fetching.feeds import parse_feed_slow

    expected = _items(parse_feed_slow(RSS.decode(), "https://ledger.example/feed"))
    assert len(expected) == 3
    assert _items(parse_source(RSS, "https://ledger.example/feed", None)) == expected


RSS_090 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://my.netscape.com/rdf/simple/0.9/">
  <channel><title>Old Netscape</title><link>https://old.example/</link></channel>
  <item><title>First</title><link>https://old.example/1</link></item>
  <item><title>Second</title><link>https://old.example/2</link></item>
</rdf:RDF>"""

RSS_10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF Site</title></channel>
  <item rdf:about="https://rdf.example/a"><title>A &amp; B</title>
    <link>https://rdf.example/a</link><dc:date>2025-01-02T03:04:05+01:00</dc:date></item>
</rdf:RDF>"""


def test_rss_090_and_rss_10_rdf_feeds() -> None:
    old = parse_source(RSS_090, "https://old.example/feed", None)
    assert old.title == "Old Netscape"
    assert _items(old) == [("https://old.example/1", "First"), ("https://old.example/2", "Second")]
    rdf = parse_source(RSS_10, "https://rdf.example/feed", None)
    assert rdf.title == "RDF Site" and _items(rdf) == [("https://rdf.example/a", "A & B")]
    assert rdf.items[0].published == datetime(2025, 1, 2, 2, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "body",
    [
        # an unescaped ampersand and an unclosed tag: fastfeedparser would drop characters
        b"<rss version='2.0'><channel><title>T</title><item><title>Tom & Jerry</title>"
        b"<link>https://m.example/1</link><description>open <b>bold</description></item>"
        b"</channel></rss>",
        # HTML entities XML does not know
        b"<rss version='2.0'><channel><title>T</title><item><title>Tom&nbsp;&amp; Jerry</title>"
        b"<link>https://m.example/1</link></item></channel></rss>",
        # markup inside a title, unescaped
        b"<rss version='2.0'><channel><title>T</title><item><title>Tom <b>&amp;</b> Jerry</title>"
        b"<link>https://m.example/1</link></item></channel></rss>",
        # truncated in the middle of the second item
        b"<rss version='2.0'><channel><title>T</title><item><title>Tom &amp; Jerry</title>"
        b"<link>https://m.example/1</link></item><item><title>Cut",
    ],
)
def test_malformed_feeds_are_read_as_feedparser_reads_them(body: bytes) -> None:
    from bot.services.fetching.feeds import parse_feed_slow

    feed = parse_source(body, "https://m.example/feed", None)
    assert feed.items[0].title == "Tom & Jerry"
    assert _items(feed) == _items(parse_feed_slow(body.decode(), "https://m.example/feed"))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("declared", [True, False])
def test_utf16_and_utf32_feeds_with_and_without_bom(codec: str, bom: bool, declared: bool) -> None:
    label = codec[:6].upper()
    decl = f'<?xml version="1.0" encoding="{label}"?>' if declared else ""
    text = (
        f"{decl}<rss version='2.0'><channel><title>{UK_TITLE}</title><item>"
        f"<title>{UK_ITEM}</title><link>https://news.example/1</link></item></channel></rss>"
    )
    body = ("\ufeff" if bom else "").encode(codec) + text.encode(codec)
    feed = parse_source(body, "https://news.example/feed", "application/xml")
    assert feed.title == UK_TITLE and _items(feed) == [("https://news.example/1", UK_ITEM)]


def test_an_xhtml_doctype_before_rss_is_still_a_feed() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0'
        b' Transitional//EN" "http://site.invalid/"><rss><channel><title>found</title>'
        b"<item><title>x</title><link>https://d.example/1</link></item></channel></rss>"
    )
    feed = parse_source(body, "https://d.example/feed", None)
    assert feed.title == "found" and len(feed.items) == 1


def test_a_link_that_is_no_address_does_not_refuse_the_feed() -> None:
    body = (
        b"<rss version='2.0'><channel><title>T</title>"
        b"<item><title>bad</title><link>http://[oops/</link></item>"
        b"<item><title>good</title><link>https://g.example/1</link></item></channel></rss>"
    )
    assert _items(parse_source(body, "https://g.example/feed", None)) == [
        ("https://g.example/1", "good")
    ]


def test_a_cdf_channel_is_an_empty_feed_not_an_error() -> None:
    body = b'<CHANNEL HREF="http://cdf.example/"><TITLE>Channel</TITLE></CHANNEL>'
    feed = parse_source(body, "https://cdf.example/feed", "application/xml")
    assert feed.items == []
