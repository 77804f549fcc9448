"""/coverage [days]: how many articles each proposal got per day, as text and as a chart."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.render.coverage import coverage_caption, coverage_picture, coverage_reply
from bot.services import coverage as service
from handlers.common.context import Context, args_text, in_session, tr
from handlers.common.guards import UsageError, command
from handlers.common.replies import send, send_picture


@command
async def coverage(update: Update, context: Context) -> None:
    _ = tr(update)
    text = args_text(context)
    days = service.DEFAULT_DAYS
    if text:
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= service.MAX_DAYS:
            raise UsageError(
                _(
                    "Send /coverage alone for the last {default} days, or /coverage followed by a number of days from 1 to {most}.",
                    default=service.DEFAULT_DAYS,
                    most=service.MAX_DAYS,
                )
            )
        days = int(text)
    data = await in_session(context, service.coverage, days)
    await send(update, context, coverage_reply(_, data))
    if data.series:
        await send_picture(
            update, context, lambda: coverage_picture(_, data), coverage_caption(_, data)
        )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("coverage", coverage))
