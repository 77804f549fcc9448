"""Views of proposals: the numbered list and the detail card."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import document_block, fact_line, pager, stance_label, status_label
from bot.render.html import Button, Reply, bold, esc, pack, shorten
from bot.services.views import Paged, ProposalView, Ref


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
        f"<b>{view.ref.id}. {esc(view.ref.label)}</b>\n"
        + _("Status: {status}", status=esc(status_label(_, view.status)))
        + f" · <code>{esc(view.ref.slug)}</code>",
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
        lines = [bold(_("Who stands where"))]
        for pos in view.positions:
            note = f" — {esc(pos.note)}" if pos.note else ""
            lines.append(f"{stance_label(_, pos.stance)}: <b>{esc(pos.ref.label)}</b>{note}")
        blocks.append("\n".join(lines))
    if view.open_questions:
        blocks.append(
            bold(_("Open questions")) + "\n" + "\n".join(f"• {esc(q)}" for q in view.open_questions)
        )
    if view.facts:
        blocks.append(bold(_("Facts and sources")))
        blocks.extend(fact_line(_, f) for f in view.facts)
        if view.fact_total > len(view.facts):
            blocks.append(
                _.plural(
                    "… and {n} older fact (see /timeline).",
                    "… and {n} older facts (see /timeline).",
                    view.fact_total - len(view.facts),
                )
            )
    if view.documents:
        blocks.append(bold(_("Recent articles")))
        blocks.extend(document_block(_, d, summary_chars=200) for d in view.documents)
    return blocks


def proposal_replies(_: Translator, view: ProposalView) -> list[Reply]:
    messages = pack(proposal_card(_, view))
    replies = [Reply(m) for m in messages]
    replies[-1].keyboard = [
        [Button(_("Compare with…"), callbacks.make(callbacks.COMPARE, view.ref.id))]
    ]
    return replies


def suggestions_keyboard(prefix: str, refs: list[Ref]) -> list[list[Button]]:
    return [[Button(shorten(r.label, 60), callbacks.make(prefix, r.id))] for r in refs]
