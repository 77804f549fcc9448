"""Finding what the user named: a page of search results, or the one proposal or actor a
query means (with "did you mean" buttons when it is not exact)."""

from __future__ import annotations

from typing import Literal

from telegram import Update

from bot.render import callbacks
from bot.render import proposals as proposals_view
from bot.render.html import Reply, esc, shorten
from bot.render.search import search_reply
from bot.services import resolve, search
from bot.services.views import Ref, Resolution
from handlers.common.context import Context, deps, in_session, tr
from handlers.common.guards import UsageError
from handlers.common.replies import send


async def run_search(
    update: Update, context: Context, query: str, page: int = 1, token: str | None = None
) -> Reply:
    """One page of search results; a query with more pages is kept under a short token."""
    results = await in_session(context, search.search, query, page)
    if token is None and results.has_more:
        token = deps(context).queries.put(query)
    return search_reply(tr(update), query, results, token)


def not_found(update: Update, kind: str, query: str, found: Resolution) -> UsageError | Reply:
    """A 'did you mean' reply with buttons, or a usage error when nothing is close."""
    _ = tr(update)
    shown = esc(shorten(query, 80))
    if found.suggestions:
        prefix = callbacks.PROPOSAL if kind == "proposal" else callbacks.ACTOR
        text = _("No exact match for “{query}”. Did you mean:", query=shown)
        return Reply(text, proposals_view.suggestions_keyboard(prefix, found.suggestions))
    if kind == "proposal":
        return UsageError(
            _("No proposal matches “{query}”. See /proposals for the list.", query=shown)
        )
    return UsageError(_("No actor matches “{query}”. See /actors for the list.", query=shown))


async def find_or_answer(
    update: Update, context: Context, kind: Literal["proposal", "actor"], query: str
) -> Ref | None:
    """The proposal or actor `query` names; otherwise the user has been answered (suggestion
    buttons, or a UsageError raised) and None is returned."""
    lookup = resolve.resolve_proposal if kind == "proposal" else resolve.resolve_actor
    found = await in_session(context, lookup, query)
    if found.match is not None:
        return found.match
    answer = not_found(update, kind, query, found)
    if isinstance(answer, UsageError):
        raise answer
    await send(update, context, answer)
    return None
