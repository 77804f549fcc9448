"""Search results, grouped by kind."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render.common import document_block, fact_line, status_label
from bot.render.html import bold, esc, pack, shorten
from bot.services.search import SearchResults


def search_messages(_: Translator, query: str, results: SearchResults) -> list[str]:
    if results.empty:
        return [
            _(
                "Nothing found for “{query}”. Try fewer or other words, or browse /proposals and /actors.",
                query=esc(shorten(query, 100)),
            )
        ]
    blocks = [_("<b>Results for</b> “{query}”", query=esc(shorten(" ".join(results.words), 100)))]
    if results.proposals:
        lines = [bold(_("Proposals"))]
        lines += [
            f"<b>{r.id}.</b> {esc(r.label)} — <i>{esc(status_label(_, r.extra))}</i>"
            for r in results.proposals
        ]
        blocks.append("\n".join(lines))
    if results.actors:
        lines = [bold(_("Actors"))]
        lines += [f"• {esc(r.label)} — /actor {esc(r.slug)}" for r in results.actors]
        blocks.append("\n".join(lines))
    if results.facts:
        blocks.append(bold(_("Facts")))
        blocks += [fact_line(_, f, with_proposal=True) for f in results.facts]
    if results.documents:
        blocks.append(bold(_("Articles")))
        blocks += [document_block(_, d, summary_chars=200) for d in results.documents]
    return pack(blocks)
