"""The side-by-side comparison and the inline picker that leads to it."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import pager, source_line, status_label
from bot.render.html import Button, Reply, bold, esc, pack, shorten
from bot.services.compare import Comparison, backers, conditional, opponents
from bot.services.views import Paged, ProposalView, Ref

LEFT, RIGHT = "①", "②"
SOURCES_PER_SIDE = 4


def _none(_: Translator) -> str:
    # kept out of f-strings: Babel on Python 3.11 does not look inside them for `_()` calls
    return "<i>" + esc(_("none recorded")) + "</i>"


def _names(_: Translator, names: list[str]) -> str:
    return esc(", ".join(names)) if names else _none(_)


def _items(_: Translator, items: list[str], limit: int = 6) -> str:
    """A short bulleted list under one side's marker; the rest is counted, not dropped silently."""
    if not items:
        return _none(_)
    lines = [f"• {esc(shorten(i, 200))}" for i in items[:limit]]
    if len(items) > limit:
        lines.append(esc(_("… and {more} more", more=len(items) - limit)))
    return "\n    ".join(lines)


def _aspect(title: str, left: str, right: str) -> str:
    return f"{bold(title)}\n{LEFT} {left}\n{RIGHT} {right}"


def _sources(_: Translator, view: ProposalView) -> str:
    seen: list[str] = []
    lines = []
    for fact in view.facts:
        key = fact.source_url or fact.source_name or ""
        if key in seen:
            continue
        seen.append(key)
        lines.append(source_line(_, fact.source_url, fact.source_name, fact.published_at))
        if len(lines) == SOURCES_PER_SIDE:
            break
    return "\n   ".join(lines) if lines else _none(_)


def comparison_blocks(_: Translator, cmp: Comparison) -> list[str]:
    left, right = cmp.left, cmp.right
    blocks = [
        _("<b>Side by side</b>")
        + f"\n{LEFT} <b>{esc(left.ref.label)}</b>\n{RIGHT} <b>{esc(right.ref.label)}</b>",
        _aspect(_("Status"), esc(status_label(_, left.status)), esc(status_label(_, right.status))),
        _aspect(
            _("Mechanism"),
            esc(shorten(left.mechanism or left.summary, 700)),
            esc(shorten(right.mechanism or right.summary, 700)),
        ),
        _aspect(_("Who backs it"), _names(_, backers(left)), _names(_, backers(right))),
        _aspect(_("Who opposes it"), _names(_, opponents(left)), _names(_, opponents(right))),
        _aspect(_("With conditions"), _names(_, conditional(left)), _names(_, conditional(right))),
        _aspect(_("What it commits"), _items(_, left.commitments), _items(_, right.commitments)),
        _aspect(
            _("Open questions"), _items(_, left.open_questions), _items(_, right.open_questions)
        ),
    ]
    if cmp.common_backers:
        blocks.append(_("Backing both: {names}", names=esc(", ".join(cmp.common_backers))))
    if cmp.split_actors:
        blocks.append(
            _("Backing one, opposing the other: {names}", names=esc(", ".join(cmp.split_actors)))
        )
    blocks.append(_aspect(_("Sources"), _sources(_, left), _sources(_, right)))
    return blocks


def comparison_replies(_: Translator, cmp: Comparison) -> list[Reply]:
    replies = [Reply(m) for m in pack(comparison_blocks(_, cmp))]
    replies[-1].keyboard = [
        [
            Button(
                f"{LEFT} " + shorten(cmp.left.ref.label, 28),
                callbacks.make(callbacks.PROPOSAL, cmp.left.ref.id),
            ),
            Button(
                f"{RIGHT} " + shorten(cmp.right.ref.label, 28),
                callbacks.make(callbacks.PROPOSAL, cmp.right.ref.id),
            ),
        ]
    ]
    return replies


def picker(_: Translator, page: Paged[Ref], left: Ref | None) -> Reply:
    """Inline keyboard to choose the first proposal, then the second."""
    if left is None:
        text = _("Compare two proposals. Pick the <b>first</b> one:")
        rows = [
            [Button(shorten(f"{r.id}. {r.label}", 60), callbacks.make(callbacks.COMPARE, r.id))]
            for r in page.items
        ]
        nav = pager(callbacks.COMPARE_LEFT_PAGE, page.page, page.pages)
    else:
        text = _("First: <b>{left}</b>. Now pick the <b>second</b> one:", left=esc(left.label))
        rows = [
            [
                Button(
                    shorten(f"{r.id}. {r.label}", 60),
                    callbacks.make(callbacks.COMPARE, left.id, r.id),
                )
            ]
            for r in page.items
            if r.id != left.id
        ]
        nav = pager(callbacks.COMPARE_RIGHT_PAGE, page.page, page.pages, left.id)
    if nav:
        rows.append(nav)
    return Reply(text, rows)
