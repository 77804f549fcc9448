"""Texts and buttons of /subscribe, /unsubscribe and /digest."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render import callbacks
from bot.render.digest import filter_text
from bot.render.html import Button, Reply, esc, shorten
from bot.services.digests.filters import MAX_KEYWORD_CHARS, MAX_KEYWORDS, KeywordError
from bot.services.digests.schedules import DAYS, Schedule, ScheduleError
from bot.services.digests.subscriptions import SubscriptionView
from bot.services.views import Ref

SUBSCRIBE = "sb"  # sb:i:<tok> | sb:d:<tok>[:HHMM] | sb:w:<tok>[:day[:HHMM]] | sb:u
NO_FILTER = "-"
TIMES = ("0600", "0700", "0800", "0900", "1200", "1500", "1800", "2100")
DAY_LABELS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
DAY_NAMES = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
    N_("Friday"), N_("Saturday"), N_("Sunday"),
)  # fmt: skip


def usage(_: Translator) -> str:
    return "\n".join(
        [
            _("<b>How to subscribe</b>"),
            _("/subscribe instant — a digest as soon as new articles arrive"),
            _("/subscribe daily 08:00 — every day at that time"),
            _("/subscribe weekly mon 08:00 — once a week"),
            "",
            _(
                "Add a proposal or an actor to get only their news, and words to include "
                "(+word) or leave out (-word):"
            ),
            _("/subscribe daily 08:00 art5 +sanctions -sport"),
            _("Add “all” for every stored article, off-topic ones too: /subscribe daily 08:00 all"),
            "",
            _("Or send /subscribe alone and choose with buttons."),
        ]
    )


def schedule_error(_: Translator, exc: ScheduleError) -> str:
    shown = esc(shorten(exc.value, 40))
    if exc.problem == "time":
        first = _(
            "“{value}” is not a time I understand: use 24-hour HH:MM, e.g. 08:00 or 18:30.",
            value=shown,
        )
    elif exc.problem == "day":
        first = _(
            "“{value}” is not a day of the week: use mon, tue, wed, thu, fri, sat or sun.",
            value=shown,
        )
    else:
        first = _("“{value}” is not a delivery mode: use instant, daily or weekly.", value=shown)
    return first + "\n\n" + usage(_)


def keyword_error(_: Translator, exc: KeywordError) -> str:
    if exc.problem == "many":
        return _("At most {n} words to include and {n} to leave out, please.", n=MAX_KEYWORDS)
    if exc.problem == "long":
        return _(
            "“{value}” is too long for a keyword (at most {n} characters).",
            value=esc(shorten(exc.value, 50)),
            n=MAX_KEYWORD_CHARS,
        )
    return _(
        "“{value}” has no letters or digits to look for. Write +word to require a word "
        "and -word to leave it out.",
        value=esc(shorten(exc.value, 50)),
    )


def filter_not_found(_: Translator, query: str, suggestions: list[Ref]) -> str:
    """The words after /subscribe were neither a schedule nor a known proposal or actor."""
    shown = esc(shorten(query, 80))
    # "/subscribe hourly" is more likely a schedule that does not exist than a filter
    hint = _("Schedules are: instant, daily HH:MM, weekly DAY HH:MM.")
    if suggestions:
        names = "\n".join(f"• {esc(s.label)} (<code>{esc(s.slug)}</code>)" for s in suggestions)
        text = _(
            "No proposal or actor is called “{query}”. Did you mean one of these?\n{names}",
            query=shown,
            names=names,
        )
    else:
        text = _(
            "No proposal or actor matches “{query}”. See /proposals and /actors for the names.",
            query=shown,
        )
    return f"{text}\n\n{hint}"


def schedule_text(_: Translator, schedule: Schedule, tz: ZoneInfo) -> str:
    if schedule.mode == "instant" or schedule.at is None:
        return _("a digest as soon as new articles arrive")
    clock = schedule.at.strftime("%H:%M")
    if schedule.mode == "weekly":
        day = _(DAY_NAMES[schedule.weekday or 0])
        return _("a weekly digest on {day} at {time} ({tz})", day=day, time=clock, tz=esc(tz.key))
    return _("a daily digest at {time} ({tz})", time=clock, tz=esc(tz.key))


def subscribed(_: Translator, view: SubscriptionView, tz: ZoneInfo, in_topic: bool) -> Reply:
    lines = [_("✅ Subscribed: {what}.", what=schedule_text(_, view.schedule, tz))]
    lines += _details(_, view, tz)
    if in_topic:
        lines.append(_("Digests will come to this topic."))
    lines += [
        "",
        _(
            "/digest sends what is new right now; /unsubscribe stops the digests; "
            "/subscribe again changes the schedule or filter."
        ),
    ]
    return Reply("\n".join(lines))


def _details(_: Translator, view: SubscriptionView, tz: ZoneInfo) -> list[str]:
    lines = []
    if view.next_due_at is not None:
        when = view.next_due_at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        lines.append(_("Next digest: {when}.", when=when))
    if not view.label.is_empty:
        lines.append(_("Only news matching: {filter}.", filter=filter_text(_, view.label)))
    return lines


def status(_: Translator, view: SubscriptionView | None, tz: ZoneInfo) -> Reply:
    """/subscribe alone: what this chat gets now, and buttons to choose or change."""
    if view is None or not view.active:
        text = _("How often would you like a digest of new articles?")
        return Reply(text, mode_keyboard(_, NO_FILTER, subscribed=False))
    lines = [_("This chat gets {what}.", what=schedule_text(_, view.schedule, tz))]
    lines += _details(_, view, tz)
    lines += ["", _("Choose a new schedule below, or see /subscribe help for filters.")]
    return Reply("\n".join(lines), mode_keyboard(_, NO_FILTER, subscribed=True))


def choose_mode(_: Translator, token: str, filter_shown: str) -> Reply:
    text = _("How often would you like news matching {filter}?", filter=filter_shown)
    return Reply(text, mode_keyboard(_, token, subscribed=False))


def mode_keyboard(_: Translator, token: str, subscribed: bool) -> list[list[Button]]:
    rows = [
        [
            Button(_("⚡ Instant"), callbacks.make(SUBSCRIBE, "i", token)),
            Button(_("☀️ Daily"), callbacks.make(SUBSCRIBE, "d", token)),
            Button(_("📅 Weekly"), callbacks.make(SUBSCRIBE, "w", token)),
        ]
    ]
    if subscribed:
        rows.append([Button(_("🛑 Unsubscribe"), callbacks.make(SUBSCRIBE, "u"))])
    return rows


def choose_time(_: Translator, token: str, weekday: int | None, tz: ZoneInfo) -> Reply:
    prefix: tuple[str, ...]
    if weekday is None:
        text, prefix = _("At what time ({tz} time)?", tz=esc(tz.key)), ("d", token)
    else:
        day = _(DAY_NAMES[weekday])
        text = _("On {day}, at what time ({tz} time)?", day=day, tz=esc(tz.key))
        prefix = ("w", token, DAYS[weekday])
    buttons = [Button(f"{t[:2]}:{t[2:]}", callbacks.make(SUBSCRIBE, *prefix, t)) for t in TIMES]
    return Reply(text, [buttons[:4], buttons[4:]])


def choose_day(_: Translator, token: str) -> Reply:
    buttons = [
        Button(_(label), callbacks.make(SUBSCRIBE, "w", token, DAYS[n]))
        for n, label in enumerate(DAY_LABELS)
    ]
    return Reply(_("Which day of the week?"), [buttons[:4], buttons[4:]])


def unsubscribed(_: Translator, was_subscribed: bool) -> Reply:
    if was_subscribed:
        return Reply(_("Unsubscribed: no more digests here. /subscribe starts them again."))
    return Reply(_("This chat has no digest subscription. /subscribe starts one."))


def not_subscribed(_: Translator) -> Reply:
    return Reply(
        _(
            "This chat is not subscribed yet: /subscribe chooses how often you get digests. "
            "Meanwhile /latest shows the newest articles."
        )
    )


def nothing_new(_: Translator, since: datetime | None, first: bool, tz: ZoneInfo) -> Reply:
    if since is None:
        return Reply(_("Nothing new yet. /latest shows the newest articles."))
    when = since.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if first:
        return Reply(
            _(
                "Nothing new since you subscribed ({when}). /latest shows the newest articles.",
                when=when,
            )
        )
    return Reply(
        _(
            "Nothing new since your last digest ({when}). /latest shows the newest articles.",
            when=when,
        )
    )


def admins_only(_: Translator) -> Reply:
    return Reply(_("Only this chat's admins can change its digest subscription."))
