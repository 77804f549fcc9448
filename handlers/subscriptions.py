"""/subscribe /unsubscribe /digest in private chats, groups, forum topics and channels."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.render import callbacks
from bot.render import subscriptions as view
from bot.render.digest import filter_text, render_digest
from bot.render.html import Reply
from bot.render.linking import digest_keyboard
from bot.services.digests import subscriptions as service
from bot.services.digests.enqueue import enqueue_manual
from bot.services.digests.filters import FilterLabel, KeywordError
from bot.services.digests.schedules import DAYS, Schedule, ScheduleError, parse_day, parse_time
from handlers.common.actions import register_action
from handlers.common.chat_rights import may_manage
from handlers.common.context import Context, args_text, deps, in_session, tr
from handlers.common.guards import UsageError, command
from handlers.common.replies import edit, send

log = logging.getLogger(__name__)
COMMAND_UPDATES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST


def target_of(update: Update) -> service.ChatTarget:
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None
    thread = message.message_thread_id if message and message.is_topic_message else None
    # the chat's /language choice when it made one (see handlers/language.py)
    language = tr(update).language
    return service.ChatTarget(chat.id, thread or 0, chat.type, language)


@command
async def subscribe(update: Update, context: Context) -> None:
    _ = tr(update)
    tz = deps(context).settings.tz
    text = args_text(context)
    if text.casefold() in ("help", "?"):
        await send(update, context, Reply(view.usage(_)))
        return
    if not await may_manage(update, context):
        await send(update, context, view.admins_only(_))
        return
    target = target_of(update)
    request = _parse(update, text)
    choice = await _resolve(update, context, request)
    if request.schedule is None:
        if not request.filter_text:
            current = await in_session(context, service.current, target.chat_id, target.thread_id)
            await send(update, context, view.status(_, current, tz))
            return
        token = deps(context).queries.put(request.filter_text)
        shown = filter_text(_, _label(choice, request))
        await send(update, context, view.choose_mode(_, token, shown))
        return
    reply = await _subscribe(update, context, target, request.schedule, request, choice)
    await send(update, context, reply)


def _parse(update: Update, text: str) -> service.SubscribeRequest:
    _ = tr(update)
    try:
        return service.parse_subscribe(text)
    except ScheduleError as exc:
        raise UsageError(view.schedule_error(_, exc)) from None
    except KeywordError as exc:
        raise UsageError(view.keyword_error(_, exc)) from None


async def _resolve(
    update: Update, context: Context, request: service.SubscribeRequest
) -> service.FilterChoice:
    choice = await in_session(context, service.resolve_filter, request.query)
    if request.query and not choice.found:
        raise UsageError(view.filter_not_found(tr(update), request.query, choice.suggestions))
    return choice


def _label(choice: service.FilterChoice, request: service.SubscribeRequest) -> FilterLabel:
    return FilterLabel(
        choice.proposal.label if choice.proposal else None,
        choice.actor.label if choice.actor else None,
        request.include,
        request.exclude,
    )


async def _subscribe(
    update: Update,
    context: Context,
    target: service.ChatTarget,
    schedule: Schedule,
    request: service.SubscribeRequest,
    choice: service.FilterChoice,
) -> Reply:
    tz = deps(context).settings.tz
    now = datetime.now(UTC)
    result = await in_session(
        context, service.subscribe, target, schedule, choice, request, tz, now
    )
    reply = view.subscribed(tr(update), result, tz, in_topic=target.thread_id != 0)
    if request.every:
        _ = tr(update)
        every = _("Every stored article, off-topic ones too.")
        reply = Reply(f"{reply.text}\n{every}", reply.keyboard)
    return reply


@command
async def unsubscribe(update: Update, context: Context) -> None:
    _ = tr(update)
    if not await may_manage(update, context):
        await send(update, context, view.admins_only(_))
        return
    target = target_of(update)
    was = await in_session(context, service.unsubscribe, target.chat_id, target.thread_id)
    await send(update, context, view.unsubscribed(_, was))


@command
async def digest(update: Update, context: Context) -> None:
    """What is new since this chat's last digest, now (it moves the chat's cursor, so in
    groups only admins may ask)."""
    _ = tr(update)
    if not await may_manage(update, context):
        await send(update, context, view.admins_only(_))
        return
    d = deps(context)
    target = target_of(update)
    now = datetime.now(UTC)
    result = await asyncio.to_thread(
        enqueue_manual,
        d.db,
        target.chat_id,
        target.thread_id,
        d.settings,
        now,
        render=render_digest,
        keyboard=digest_keyboard,
    )
    if not result.subscribed:
        await send(update, context, view.not_subscribed(_))
    elif result.digest_id is None:
        await send(update, context, view.nothing_new(_, result.since, result.first, d.settings.tz))
    else:
        await d.outbox.deliver_now(result.digest_id)


async def on_button(update: Update, context: Context, cb: callbacks.Callback) -> bool | str:
    """sb:i:<tok> | sb:d:<tok>[:HHMM] | sb:w:<tok>[:day[:HHMM]] | sb:u"""
    _ = tr(update)
    if not await may_manage(update, context, button=True):
        return view.admins_only(_).text
    tz = deps(context).settings.tz
    kind, args = (cb.args[0], cb.args[1:]) if cb.args else ("", ())
    if kind == "u":
        target = target_of(update)
        was = await in_session(context, service.unsubscribe, target.chat_id, target.thread_id)
        await edit(update, view.unsubscribed(_, was))
        return True
    if not args or kind not in ("i", "d", "w"):
        return False
    token, rest = args[0], args[1:]
    filter_words = "" if token == view.NO_FILTER else deps(context).queries.get(token)
    if filter_words is None:
        return False
    try:
        schedule = _button_schedule(kind, rest)
    except ScheduleError:
        return False
    if schedule is None:
        weekday = parse_day(rest[0]) if kind == "w" and rest else None
        if kind == "w" and weekday is None:
            await edit(update, view.choose_day(_, token))
        else:
            await edit(update, view.choose_time(_, token, weekday, tz))
        return True
    try:
        request = service.parse_subscribe(filter_words)
        choice = await _resolve(update, context, request)
    except (ScheduleError, KeywordError, UsageError):
        return False
    reply = await _subscribe(update, context, target_of(update), schedule, request, choice)
    await edit(update, reply)
    return True


def _button_schedule(kind: str, rest: tuple[str, ...]) -> Schedule | None:
    """The schedule a button stands for, or None while a day or time is still to choose."""
    if kind == "i":
        return Schedule("instant")
    clock = rest[-1] if rest else ""
    if kind == "d":
        return Schedule("daily", parse_time(f"{clock[:2]}:{clock[2:]}")) if clock else None
    if len(rest) < 2:
        if rest and rest[0] not in DAYS:
            raise ScheduleError("day", rest[0])
        return None
    return Schedule("weekly", parse_time(f"{clock[:2]}:{clock[2:]}"), parse_day(rest[0]))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("subscribe", subscribe, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("unsubscribe", unsubscribe, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("digest", digest, filters=COMMAND_UPDATES))
    register_action(app, view.SUBSCRIBE, on_button)
