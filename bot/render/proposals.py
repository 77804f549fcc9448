"""Views of proposals: the numbered list and the detail card."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import (
    document_block,
    fact_line,
    fmt_date,
    pager,
    positions_blocks,
    status_label,
)
from bot.render.html import Button, Reply, bold, esc, fit_one, pack, shorten
from bot.render.sharing import card_link_line, proposal_payload, share_button
from bot.services.catalog import FACTS_PER_PAGE
from bot.services.views import FactView, Paged, ProposalView, Ref


def proposal_list(_: Translator, page: Paged[Ref]) -> Reply:
    if not page.items:
        return Reply(_("The dossier has no proposals yet."))
    lines = [_("<b>Proposals on the table</b> ({total})", total=page.total), ""]
    for ref in page.items:
        status = esc(status_label(_, ref.extra))
        lines.append(f"<b>{ref.id}.</b> {esc(shorten(ref.label, 150))} — <i>{status}</i>")
    lines += [
        "",
        _("Open one with /proposal &lt;number or name&gt;, compare two with /compare 1 2."),
    ]
    open_row = [Button(str(r.id), callbacks.make(callbacks.PROPOSAL, r.id)) for r in page.items]
    keyboard = [open_row[:5], open_row[5:], pager(callbacks.PROPOSALS, page.page, page.pages)]
    return Reply("\n".join(lines), [row for row in keyboard if row])


def proposal_card(_: Translator, view: ProposalView) -> list[str]:
    """The detail view as self-contained HTML blocks (packed into messages by the caller)."""
    blocks = [
        f"<b>{view.ref.id}. {esc(view.ref.label)}</b>\n" + status_line(_, view),
    ]
    if view.summary:
        blocks.append(esc(view.summary))
    if view.mechanism:
        blocks.append(bold(_("How it would work")) + "\n" + esc(view.mechanism))
    if view.commitments:
        blocks.append(
            bold(_("What it commits")) + "\n" + "\n".join(f"• {esc(c)}" for c in view.commitments)
        )
    if view.positions:
        blocks.extend(positions_blocks(_, _("Who stands where"), view.positions))
    if view.open_questions:
        blocks.append(
            bold(_("Open questions")) + "\n" + "\n".join(f"• {esc(q)}" for q in view.open_questions)
        )
    if view.documents:
        blocks.append(bold(_("Recent articles")))
        blocks.extend(document_block(_, d, summary_chars=200) for d in view.documents)
    return blocks


def status_line(_: Translator, view: ProposalView) -> str:
    """'Status: agreed (since 2026-03-01; before: under discussion)' once it changed in chat."""
    status = esc(status_label(_, view.status))
    if view.status_since is None:
        return _("Status: {status}", status=status)
    since = fmt_date(view.status_since)
    if view.status_before is None:
        return _("Status: {status} (since {date})", status=status, date=since)
    return _(
        "Status: {status} (since {date}; before: {before})",
        status=status,
        date=since,
        before=esc(status_label(_, view.status_before)),
    )


def facts_blocks(
    _: Translator, page: Paged[FactView], text_chars: int = 600, numbered: bool = False
) -> list[str]:
    title = _("Facts and sources")
    if page.pages > 1:
        title = _.plural(
            "Facts and sources, page {page} of {pages} ({n} fact)",
            "Facts and sources, page {page} of {pages} ({n} facts)",
            page.total,
            page=page.page,
            pages=page.pages,
        )
    lines = (fact_line(_, f, text_chars=text_chars, numbered=numbered) for f in page.items)
    return [bold(title), *lines]


def facts_page(_: Translator, ref: Ref, page: Paged[FactView], numbered: bool = False) -> Reply:
    """One page of a proposal's facts in one message, with ‹ › buttons that edit it."""
    head = f"<b>{ref.id}. {esc(shorten(ref.label, 200))}</b>"
    text = fit_one(lambda chars: [head, *facts_blocks(_, page, chars, numbered)])
    nav = pager(callbacks.PROPOSAL_FACTS, page.page, page.pages, ref.id)
    return Reply(text, [row for row in (nav, _compare_row(_, ref)) if row])


def _compare_row(_: Translator, ref: Ref) -> list[Button]:
    return [Button(_("Compare with…"), callbacks.make(callbacks.COMPARE, ref.id))]


def proposal_replies(
    _: Translator, view: ProposalView, numbered: bool = False, bot_username: str | None = None
) -> list[Reply]:
    """The card packed into as few messages as fit; more facts than one page go to a last
    message that pages in place (‹ ›), instead of dumping many messages. With the bot's
    username the card ends with its deep link."""
    facts = Paged.of(view.facts, 1, FACTS_PER_PAGE, view.fact_total)
    blocks = proposal_card(_, view)
    if view.facts and facts.pages == 1:
        blocks += facts_blocks(_, facts, numbered=numbered)
    blocks.append(card_link_line(_, bot_username, proposal_payload(view)))
    replies = [Reply(m) for m in pack(blocks)]
    if facts.pages > 1:
        replies.append(facts_page(_, view.ref, facts, numbered))
    else:
        replies[-1].keyboard = [_compare_row(_, view.ref)]
    replies[-1].keyboard.append([share_button(_, view.ref.label)])
    return replies


def suggestions_keyboard(prefix: str, refs: list[Ref]) -> list[list[Button]]:
    return [[Button(shorten(r.label, 60), callbacks.make(prefix, r.id))] for r in refs]
