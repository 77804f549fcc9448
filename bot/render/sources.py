"""Views of the source list and of the admin's source actions (/addsource, /fetch, OPML)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render import callbacks
from bot.render.common import pager
from bot.render.html import Reply, esc, link, pack, shorten

PER_PAGE = 8  # with errors shown, 8 sources stay well inside one message
ERROR_CHARS = 150
LISTED_FAILURES = 20
KINDS = {"rss": N_("RSS feed"), "atom": N_("Atom feed"), "html": N_("web page")}
STATES = {
    "new": N_("not fetched yet"),
    "ok": N_("ok"),
    "error": N_("failing"),
    "backoff": N_("backing off"),
}
ICONS = {"ok": "✅", "error": "⚠️", "backoff": "⏳", "new": "🆕"}


def _when(value: datetime | None, tz_name: str) -> str:
    return value.astimezone(ZoneInfo(tz_name)).strftime("%Y-%m-%d %H:%M") if value else "—"


def kind_label(_: Translator, kind: str) -> str:
    return _(KINDS.get(kind, kind))


def source_error(_: Translator, error: Any) -> str:
    """A SourceError's refusal, translated, with every outside value escaped."""
    return error.text(_, esc)


def source_list(_: Translator, sources: list[Any], page: int, is_admin: bool, tz: str) -> Reply:
    """One page of sources; admins also see when each was fetched, its status and error."""
    if not sources:
        text = _("No sources yet.")
        return Reply(text + ("\n" + _("Add one with /addsource URL [name].") if is_admin else ""))
    pages = max(1, -(-len(sources) // PER_PAGE))
    page = min(max(page, 1), pages)
    lines = [_("<b>Sources</b> ({total})", total=len(sources)), ""]
    for s in sources[(page - 1) * PER_PAGE : page * PER_PAGE]:
        name = link(s.url, shorten(s.name or s.url, 80))
        lines.append(f"<b>#{s.id}</b> {name} — {esc(kind_label(_, s.kind))}")
        if is_admin:
            lines.append("   " + _admin_line(_, s, tz))
    if is_admin:
        lines += ["", _("Times in {tz}. /removesource ID stops one; /fetch polls now.", tz=esc(tz))]
    return Reply("\n".join(lines), [pager(callbacks.SOURCES, page, pages)])


def _admin_line(_: Translator, s: Any, tz: str) -> str:
    state = f"{ICONS.get(s.last_status, '•')} {esc(_(STATES.get(s.last_status, s.last_status)))}"
    parts = [state, _("fetched {when}", when=esc(_when(s.last_fetched_at, tz)))]
    if s.last_status in ("error", "backoff"):
        parts.append(_("next try {when}", when=esc(_when(s.next_fetch_at, tz))))
        error = esc(shorten(s.last_error or _("unknown error"), ERROR_CHARS))
        parts.append(f"<i>{error}</i>")
    return " · ".join(parts)


def source_added(_: Translator, probe: Any) -> Reply:
    lines = [
        _(
            "Added source #{id}: {name}",
            id=probe.source_id,
            name=link(probe.url, shorten(probe.title, 120)),
        ),
        _("Kind: {kind}", kind=esc(kind_label(_, probe.kind))),
        _.plural("It has {n} item right now.", "It has {n} items right now.", probe.item_count),
        _("It will be polled with the others; /fetch polls now."),
    ]
    return Reply("\n".join(lines))


def source_removed(_: Translator, source: Any) -> Reply:
    name = link(source.url, shorten(source.name or source.url, 120))
    return Reply(_("Removed source #{id}: {name}. Its articles stay.", id=source.id, name=name))


def fetch_started(_: Translator) -> Reply:
    return Reply(_("Polling every source now…"))


def fetch_result(_: Translator, summary: Any) -> list[Reply]:
    reports = summary.reports
    if not reports:
        return [Reply(_("There are no sources to poll. Add one with /addsource URL."))]
    errors = [r for r in reports if r.status == "error"]
    busy = [r for r in reports if r.status == "busy"]
    lines = [
        _.plural("Polled {n} source.", "Polled {n} sources.", len(reports))
        + " "
        + _.plural("{n} new document.", "{n} new documents.", summary.new_documents),
        _.plural("{n} failed.", "{n} failed.", len(errors)) if errors else _("No failures."),
    ]
    if busy:
        lines.append(
            _.plural("{n} was being polled already.", "{n} were being polled already.", len(busy))
        )
    for r in errors[:LISTED_FAILURES]:
        name = link(r.url, shorten(r.name or r.url, 60))
        error = esc(shorten(r.error or _("unknown error"), ERROR_CHARS))
        lines.append(f"⚠️ #{r.source_id} {name}: {error}")
    if len(errors) > LISTED_FAILURES:
        lines.append(_("… and {n} more; /sources lists them all.", n=len(errors) - LISTED_FAILURES))
    return [Reply(m) for m in pack(lines, separator="\n")]


def opml_started(_: Translator, feeds: int) -> Reply:
    return Reply(
        _.plural(
            "Importing {n} feed… I will report here when it is done.",
            "Importing {n} feeds… I will report here when they are done.",
            feeds,
        )
    )


def opml_result(_: Translator, result: Any) -> list[Reply]:
    lines = [
        _(
            "OPML import: {added} added, {skipped} already present, {failed} failed.",
            added=len(result.added),
            skipped=len(result.skipped),
            failed=len(result.failed),
        )
    ]
    for probe in result.added[:LISTED_FAILURES]:
        lines.append(f"➕ #{probe.source_id} {link(probe.url, shorten(probe.title, 60))}")
    for url, error in result.failed[:LISTED_FAILURES]:
        lines.append(f"⚠️ {esc(shorten(url, 80))}: {source_error(_, error)}")
    hidden = max(0, len(result.added) - LISTED_FAILURES) + max(
        0, len(result.failed) - LISTED_FAILURES
    )
    if hidden:
        lines.append(_("… and {n} more lines; /sources lists what was added.", n=hidden))
    return [Reply(m) for m in pack(lines, separator="\n")]
