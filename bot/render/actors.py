"""Views of actors: the list and the detail card."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.render import callbacks
from bot.render.common import document_block, fact_line, pager, positions_blocks
from bot.render.html import Button, Reply, bold, esc, pack, shorten
from bot.render.sharing import actor_payload, card_link_line, share_button
from bot.services.views import ActorView, Paged, Ref

KINDS = {
    "person": N_("person"),
    "state": N_("state"),
    "organisation": N_("organisation"),
    "group": N_("group"),
}


def actor_list(_: Translator, page: Paged[Ref]) -> Reply:
    if not page.items:
        return Reply(_("The dossier has no actors yet."))
    lines = [_("<b>Actors</b> ({total})", total=page.total), ""]
    for ref in page.items:
        role = f" — <i>{esc(shorten(ref.extra, 100))}</i>" if ref.extra else ""
        lines.append(f"<b>{ref.id}.</b> {esc(ref.label)}{role}")
    lines += ["", _("Open one with /actor &lt;name&gt;.")]
    open_row = [Button(str(r.id), callbacks.make(callbacks.ACTOR, r.id)) for r in page.items]
    keyboard = [open_row[:5], open_row[5:], pager(callbacks.ACTORS, page.page, page.pages)]
    return Reply("\n".join(lines), [row for row in keyboard if row])


def actor_card(_: Translator, view: ActorView) -> list[str]:
    head = f"<b>{esc(view.ref.label)}</b>"
    details = [_(KINDS.get(view.kind, view.kind))]
    if view.country:
        details.append(view.country)
    head += f"\n<i>{esc(' · '.join(details))}</i>"
    if view.role:
        head += f"\n{esc(view.role)}"
    blocks = [head]
    if view.summary:
        blocks.append(esc(view.summary))
    if view.aliases:
        blocks.append(_("Also known as: {names}", names=esc(", ".join(view.aliases[:12]))))
    if view.positions:
        blocks.extend(positions_blocks(_, _("Positions"), view.positions))
    else:
        blocks.append(_("No recorded positions on the proposals yet."))
    if view.facts:
        blocks.append(bold(_("Facts and sources")))
        blocks.extend(fact_line(_, f, with_proposal=True) for f in view.facts)
    if view.documents:
        blocks.append(bold(_("Recent articles")))
        blocks.extend(document_block(_, d, summary_chars=200) for d in view.documents)
    return blocks


def actor_replies(_: Translator, view: ActorView, bot_username: str | None = None) -> list[Reply]:
    blocks = [*actor_card(_, view), card_link_line(_, bot_username, actor_payload(view))]
    replies = [Reply(m) for m in pack(blocks)]
    buttons = [
        Button(shorten(p.ref.label, 40), callbacks.make(callbacks.PROPOSAL, p.ref.id))
        for p in view.positions[:6]
    ]
    replies[-1].keyboard = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    replies[-1].keyboard.append([share_button(_, view.ref.label)])
    return replies
