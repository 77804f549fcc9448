"""Search results, grouped by kind, one page per message with ‹ › buttons."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import document_block, fact_line, status_label
from bot.render.html import Button, Reply, bold, esc, fit_one, shorten
from bot.services.search import SearchResults


def search_blocks(_: Translator, results: SearchResults, chars: int) -> list[str]:
    query = esc(shorten(" ".join(results.words), 100))
    head = _("<b>Results for</b> “{query}”", query=query)
    if results.page > 1:
        head = _("<b>Results for</b> “{query}”, page {page}", query=query, page=results.page)
    blocks = [head]
    if results.proposals:
        lines = [bold(_("Proposals"))]
        lines += [
            f"<b>{r.id}.</b> {esc(shorten(r.label, 150))} — <i>{esc(status_label(_, r.extra))}</i>"
            for r in results.proposals
        ]
        blocks.append("\n".join(lines))
    if results.actors:
        lines = [bold(_("Actors"))]
        lines += [f"• {esc(shorten(r.label, 100))} — /actor {r.id}" for r in results.actors]
        blocks.append("\n".join(lines))
    if results.facts:
        blocks.append(bold(_("Facts")))
        blocks += [fact_line(_, f, with_proposal=True, text_chars=chars) for f in results.facts]
    if results.documents:
        blocks.append(bold(_("Articles")))
        blocks += [document_block(_, d, summary_chars=chars // 3) for d in results.documents]
    return blocks


def search_reply(_: Translator, query: str, results: SearchResults, token: str | None) -> Reply:
    """One page of results; `token` (a QueryCache key) lets ‹ › buttons find the query again."""
    if results.empty:
        if results.page > 1:
            return Reply(_("No more results for “{query}”.", query=esc(shorten(query, 100))))
        return Reply(
            _(
                "Nothing found for “{query}”. Try fewer or other words, or browse /proposals and /actors.",
                query=esc(shorten(query, 100)),
            )
        )
    text = fit_one(lambda chars: search_blocks(_, results, chars))
    row: list[Button] = []
    if token is not None:
        if results.page > 1:
            row.append(Button("‹", callbacks.make(callbacks.SEARCH, token, results.page - 1)))
        if results.page > 1 or results.has_more:
            row.append(Button(str(results.page), callbacks.NOOP))
        if results.has_more:
            row.append(Button("›", callbacks.make(callbacks.SEARCH, token, results.page + 1)))
    return Reply(text, [row] if row else [])
