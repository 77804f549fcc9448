"""One-line curation commands: /setstatus /newproposal /newactor /retract /undo (admins) and
/changes (everyone)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from telegram import Update

from bot.render import curation as view
from bot.render.html import Reply
from bot.services.curation import history, requests
from bot.services.curation.undo import last_change
from handlers.common.context import Context, args_text, in_session, is_admin, raw_args, tr
from handlers.common.guards import UsageError, command
from handlers.common.lookup import find_or_answer
from handlers.common.replies import send
from handlers.curation.preview import END, Step, offer, parse_args, step, user_id_of

# --- one-line commands ---------------------------------------------------------------------


@step
async def setstatus(update: Update, context: Context) -> int:
    parsed = parse_args(update, "setstatus", requests.parse_setstatus, args_text(context))
    proposal = await find_or_answer(update, context, "proposal", parsed.proposal_query)
    if proposal is None:
        return END
    request = requests.SetStatus(proposal.id, parsed.status, parsed.source_url)
    return await offer(update, context, request)


def _one_line(
    name: str, parse: Callable[[str], requests.ChangeRequest], *, raw: bool = False
) -> Step:
    """/<name> ARGS: parse the arguments (`raw`: line breaks kept) and offer the change."""

    @step
    async def handle(update: Update, context: Context) -> int:
        text = raw_args(update) if raw else args_text(context)
        return await offer(update, context, parse_args(update, name, parse, text))

    handle.__name__ = handle.__qualname__ = name
    return handle


newproposal = _one_line("newproposal", requests.parse_new_proposal)
newactor = _one_line("newactor", requests.parse_new_actor)
retract = _one_line("retract", requests.parse_retract, raw=True)


@step
async def undo(update: Update, context: Context) -> int:
    _ = tr(update)
    outcome = await in_session(context, last_change, user_id_of(update))
    if outcome.status != "done" or outcome.view is None or outcome.view.id is None:
        await send(update, context, Reply(view.refusal(_, outcome)))
        return END
    return await offer(update, context, requests.Undo(outcome.view.id))


@command
async def changes(update: Update, context: Context) -> None:
    _ = tr(update)
    words = context.args or []
    days = history.DEFAULT_DAYS
    if words:
        if not (words[0].isascii() and words[0].isdigit()) or not 1 <= int(words[0]) <= 366:
            raise UsageError(_("Send /changes [DAYS], with DAYS from 1 to 366 (7 if left out)."))
        days = int(words[0])
    now = datetime.now(UTC)
    page = await in_session(context, history.recent_changes, days, now, is_admin(update, context))
    await send(update, context, view.changes_reply(_, page))
