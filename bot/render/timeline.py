"""The timeline of dated facts and the list of the latest ingested articles."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import document_block, fact_line, fmt_date, pager
from bot.render.curation import change_line
from bot.render.html import Reply, esc, fit_one, shorten
from bot.services.views import ChangeView, DocumentView, FactView, Paged, Ref


def timeline_reply(
    _: Translator,
    page: Paged[FactView | ChangeView],
    proposal: Ref | None = None,
    numbered: bool = False,
) -> Reply:
    """One page of dated facts and events (of one proposal, when given) in one message;
    ‹ › to page. `numbered` (for admins) shows fact numbers."""
    if not page.items:
        if proposal is not None:
            return Reply(_("No dated facts about “{title}” yet.", title=esc(proposal.label)))
        return Reply(_("No dated facts in the dossier yet."))
    if proposal is None:
        head = _.plural(
            "<b>Timeline</b>, newest first ({n} dated fact)",
            "<b>Timeline</b>, newest first ({n} dated facts)",
            page.total,
        )
        nav = pager(callbacks.TIMELINE, page.page, page.pages)
    else:
        head = _.plural(
            "<b>Timeline of “{title}”</b>, newest first ({n} dated fact)",
            "<b>Timeline of “{title}”</b>, newest first ({n} dated facts)",
            page.total,
            title=esc(shorten(proposal.label, 150)),
        )
        nav = pager(callbacks.TIMELINE_PROPOSAL, page.page, page.pages, proposal.id)

    def build(chars: int) -> list[str]:
        blocks, current = [head], ""
        for item in page.items:
            day = fmt_date(item.published_at if isinstance(item, FactView) else item.on)
            if day != current:
                blocks.append(f"<b>📅 {day}</b>")
                current = day
            if isinstance(item, ChangeView):
                blocks.append(change_line(_, item))
                continue
            with_proposal = proposal is None
            blocks.append(fact_line(_, item, with_proposal, text_chars=chars, numbered=numbered))
        return blocks

    return Reply(fit_one(build), [nav] if nav else [])


def latest_reply(_: Translator, page: Paged[DocumentView]) -> Reply:
    if not page.items:
        return Reply(
            _(
                "No articles have been ingested yet. Admins add sources with /addsource; "
                "meanwhile see /timeline."
            )
        )
    head = _("<b>Latest articles</b> ({total} in all)", total=page.total)
    text = fit_one(
        lambda chars: [head, *(document_block(_, d, summary_chars=chars // 2) for d in page.items)]
    )
    return Reply(text, [row for row in [pager(callbacks.LATEST, page.page, page.pages)] if row])
