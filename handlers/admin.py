"""Admin commands on the dossier and the bot itself: /addfact, /stats.

Every command here is for ADMIN_IDS only; anyone else gets a polite refusal and nothing runs.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.render import admin as admin_view
from bot.render.stats import stats_replies
from bot.services import facts
from bot.services.stats import collect_stats
from handlers.common.context import Context, deps, in_session, raw_args, tr
from handlers.common.guards import UsageError, admin_only, command
from handlers.common.replies import send


@command
@admin_only
async def addfact(update: Update, context: Context) -> None:
    _ = tr(update)
    try:
        fact = facts.parse_fact_input(raw_args(update))
    except facts.FactInputError as exc:
        raise UsageError(admin_view.addfact_input_error(_, exc)) from None
    user = update.effective_user
    assert user is not None
    result = await in_session(context, facts.add_fact, fact, user.id)
    await send(update, context, admin_view.addfact_result(_, fact, result))


@command
@admin_only
async def stats(update: Update, context: Context) -> None:
    tz = deps(context).settings.tz
    snapshot = await in_session(context, collect_stats, tz)
    await send(update, context, stats_replies(tr(update), snapshot))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("addfact", addfact))
    app.add_handler(CommandHandler("stats", stats))
