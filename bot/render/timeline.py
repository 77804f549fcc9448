"""The timeline of dated facts and the list of the latest ingested articles."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import document_block, fact_line, fmt_date, pager
from bot.render.curation import change_line
from bot.render.html import Button, Reply, esc, fit_one, shorten
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


def latest_reply(
    _: Translator,
    page: Paged[DocumentView],
    proposal: Ref | None = None,
    *,
    every: bool = False,
    curate: bool = False,
) -> Reply:
    """The newest articles (of one proposal, when given); `every`: off-topic ones too
    (marked); `curate`: an admin's 🏷 buttons, one per article, open its link editor."""
    if proposal is not None:
        return _latest_of_proposal(_, page, proposal)
    if not page.items:
        return Reply(
            _(
                "No articles have been ingested yet. Admins add sources with /addsource; "
                "meanwhile see /timeline."
            )
        )
    if every:
        head = _(
            "<b>All stored articles</b> ({total} in all, off-topic ones too)", total=page.total
        )
    else:
        head = _("<b>Latest articles</b> ({total} in all)", total=page.total)

    off_topic = _("(off-topic for the dossier)")

    def block(d: DocumentView, chars: int) -> str:
        text = document_block(_, d, summary_chars=chars)
        return text if d.on_topic else f"{text}\n{off_topic}"

    numbered = curate and len(page.items) > 1
    text = fit_one(
        lambda chars: [
            head,
            *(
                (f"{n}. " if numbered else "") + block(d, chars // 2)
                for n, d in enumerate(page.items, 1)
            ),
        ]
    )
    rows = [pager(callbacks.LATEST_ALL if every else callbacks.LATEST, page.page, page.pages)]
    if curate:
        rows.append(
            [
                Button(f"🏷 {n}" if numbered else "🏷", callbacks.make(callbacks.LINKS, "o", d.id))
                for n, d in enumerate(page.items, 1)
            ]
        )
    return Reply(text, [row for row in rows if row])


def _latest_of_proposal(_: Translator, page: Paged[DocumentView], proposal: Ref) -> Reply:
    """/latest <proposal>: one page of its newest articles; ‹ › to page."""
    title = esc(shorten(proposal.label, 150))
    if not page.items:
        return Reply(_("No articles about “{title}” yet.", title=title))
    head = _.plural(
        "<b>Latest articles on “{title}”</b> ({n} in all)",
        "<b>Latest articles on “{title}”</b> ({n} in all)",
        page.total,
        title=title,
    )
    text = fit_one(
        lambda chars: [head, *(document_block(_, d, summary_chars=chars // 2) for d in page.items)]
    )
    nav = pager(callbacks.LATEST_PROPOSAL, page.page, page.pages, proposal.id)
    return Reply(text, [nav] if nav else [])
