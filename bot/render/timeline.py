"""The timeline of dated facts and the list of the latest ingested articles."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import document_block, fact_line, fmt_date, pager
from bot.render.html import Reply, pack
from bot.services.views import DocumentView, FactView, Paged


def timeline_reply(_: Translator, page: Paged[FactView]) -> Reply:
    if not page.items:
        return Reply(_("No dated facts in the dossier yet."))
    blocks = [
        _.plural(
            "<b>Timeline</b>, newest first ({n} dated fact)",
            "<b>Timeline</b>, newest first ({n} dated facts)",
            page.total,
        )
    ]
    current = ""
    for fact in page.items:
        day = fmt_date(fact.published_at)
        if day != current:
            blocks.append(f"<b>📅 {day}</b>")
            current = day
        blocks.append(fact_line(_, fact, with_proposal=True))
    return Reply(
        pack(blocks)[0], [row for row in [pager(callbacks.TIMELINE, page.page, page.pages)] if row]
    )


def latest_reply(_: Translator, page: Paged[DocumentView]) -> Reply:
    if not page.items:
        return Reply(
            _(
                "No articles have been ingested yet. Admins add sources with /addsource; "
                "meanwhile see /timeline."
            )
        )
    blocks = [_("<b>Latest articles</b> ({total} in all)", total=page.total)]
    blocks += [document_block(_, d) for d in page.items]
    return Reply(
        pack(blocks)[0], [row for row in [pager(callbacks.LATEST, page.page, page.pages)] if row]
    )
