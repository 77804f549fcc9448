"""The /stats view: the operator's numbers in one message (packed if sources fail en masse)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.render.html import Reply, bold, esc, link, pack, shorten
from bot.services.stats import FailingSource, Stats

ERROR_CHARS = 160


def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")  # thin grouping that reads the same in every language


def _when(_: Translator, value: datetime | None, tz_name: str) -> str:
    if value is None:
        return _("never")
    return value.astimezone(ZoneInfo(tz_name)).strftime("%Y-%m-%d %H:%M")


def stats_replies(_: Translator, s: Stats) -> list[Reply]:
    facts = s.facts
    per_day = " · ".join(f"{d:%m-%d} {_n(n)}" for d, n in s.documents_per_day)
    modes = s.subscriptions
    blocks = [
        bold(_("Bot status")) + " " + esc(f"({_when(_, s.at, s.tz_name)} {s.tz_name})"),
        "\n".join(
            [
                bold(_("Dossier")),
                _("Proposals: {n}", n=_n(s.proposals)),
                _("Actors: {n}", n=_n(s.actors)),
                _(
                    "Facts: {approved} approved, {pending} pending, {rejected} rejected",
                    approved=_n(facts.get("approved", 0)),
                    pending=_n(facts.get("pending", 0)),
                    rejected=_n(facts.get("rejected", 0)),
                ),
                _(
                    "Waiting for /review: {n} (facts {facts}, candidate actors {actors})",
                    n=_n(s.pending_review),
                    facts=_n(facts.get("pending", 0)),
                    actors=_n(s.pending_actors),
                ),
            ]
        ),
        "\n".join(
            [
                bold(_("Documents")),
                _(
                    "Total {total}, last 24 h {day}",
                    total=_n(s.documents),
                    day=_n(s.documents_24h),
                ),
                _("Per day: {days}", days=esc(per_day)),
            ]
        ),
        _sources_block(_, s),
        "\n".join(
            [
                bold(_("Subscriptions")),
                _(
                    "Active {active}: instant {instant}, daily {daily}, weekly {weekly}; "
                    "inactive {inactive}",
                    active=_n(s.active_subscriptions),
                    instant=_n(modes.get("instant", 0)),
                    daily=_n(modes.get("daily", 0)),
                    weekly=_n(modes.get("weekly", 0)),
                    inactive=_n(s.inactive_subscriptions),
                ),
                _(
                    "Outbox: {pending} pending, {sent} sent, {failed} failed",
                    pending=_n(s.outbox.get("pending", 0)),
                    sent=_n(s.outbox.get("sent", 0)),
                    failed=_n(s.outbox.get("failed", 0)),
                ),
                _("Last digest: {when}", when=esc(_when(_, s.last_digest, s.tz_name))),
            ]
        ),
    ]
    blocks += [_failing_line(_, f) for f in s.failing]
    return [Reply(m) for m in pack(blocks)]


def _sources_block(_: Translator, s: Stats) -> str:
    src = s.sources
    lines = [
        bold(_("Sources")),
        _(
            "Active {active}: {ok} ok, {failing} failing, {backoff} backing off, {new} not "
            "fetched yet; removed {inactive}",
            active=_n(s.active_sources),
            ok=_n(src.get("ok", 0)),
            failing=_n(src.get("failing", 0)),
            backoff=_n(src.get("backing_off", 0)),
            new=_n(src.get("new", 0)),
            inactive=_n(src.get("inactive", 0)),
        ),
        _("Last fetch: {when}", when=esc(_when(_, s.last_fetch, s.tz_name))),
    ]
    if s.failing:
        lines.append(_("Sources with errors:"))
    return "\n".join(lines)


def _failing_line(_: Translator, f: FailingSource) -> str:
    error = esc(shorten(f.error or _("unknown error"), ERROR_CHARS))
    name = link(f.url, shorten(f.name, 60))
    return "• " + _.plural(
        "#{id} {name}: {error} ({n} failure)",
        "#{id} {name}: {error} ({n} failures in a row)",
        f.failures,
        id=f.id,
        name=name,
        error=error,
    )
