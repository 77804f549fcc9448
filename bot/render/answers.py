"""Answers to plain-language questions: positions, facts and articles, cited, with buttons to
the full cards; and the list of questions the bot understands."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.common import document_block, fact_line, source_line, stance_label, status_label
from bot.render.html import Button, Reply, bold, esc, pack, shorten
from bot.services.questions import Answer
from bot.services.questions.model import PositionLine
from bot.services.views import Ref

MAX_POSITIONS = 12
SUMMARY_CHARS = 500
OVERVIEW_CHARS = 160


def example_questions(_: Translator) -> list[str]:
    """Examples shown when a question is not understood (each is tested to work)."""
    return [
        _("what does Italy propose?"),
        _("who opposes the reassurance force?"),
        _("Meloni's position on NATO membership"),
        _("what's new on air support?"),
        _("compare air support and troops"),
        _("is Ukraine joining NATO?"),
        _("what did Trump say?"),
    ]


def questions_help(_: Translator) -> Reply:
    lines = [
        _("I answer questions about the proposals and the people and states behind them, e.g.:"),
        "",
        *(f"• {esc(q)}" for q in example_questions(_)),
        "",
        _("Ask in English, Ukrainian or Russian. /help lists the commands."),
    ]
    return Reply("\n".join(lines))


def _position(_: Translator, pos: PositionLine, about: str) -> str:
    """One stance: about the actor ("Italy") or about the proposal, with its source."""
    name = pos.actor.label if about == "actor" else pos.proposal.label
    note = f" — {esc(shorten(pos.note, 300))}" if pos.note else ""
    line = f"{stance_label(_, pos.stance)}: <b>{esc(shorten(name, 120))}</b>{note}"
    if pos.source_url or pos.source_name:
        line += f"\n  <i>{source_line(_, pos.source_url, pos.source_name, None)}</i>"
    return line


def _positions(_: Translator, title: str, lines: list[PositionLine], about: str) -> list[str]:
    if not lines:
        return []
    body = [_position(_, pos, about) for pos in lines[:MAX_POSITIONS]]
    return [bold(title) + "\n" + "\n".join(body)]


def _names(refs: list[Ref]) -> str:
    return ", ".join(r.label for r in refs)


def _head(_: Translator, answer: Answer) -> list[str]:
    """The title of the answer, and what to say when the dossier holds nothing on it."""
    p, a = _names(answer.proposals[:1]), _names(answer.actors[:1])
    intent = answer.intent
    if intent == "proposes":
        head = [bold(_("What {actor} proposes", actor=a))]
        if answer.via is not None and answer.positions:
            head.append(
                esc(
                    _(
                        "{actor} has no recorded position of their own; these are {state}'s:",
                        actor=a,
                        state=answer.via.label,
                    )
                )
            )
        return head
    if intent == "backers":
        return [bold(_("Who backs “{proposal}”", proposal=p))]
    if intent == "opponents":
        head = [bold(_("Who opposes “{proposal}”", proposal=p))]
        if not any(pos.stance == "opposes" for pos in answer.positions):
            head.append(esc(_("No one is recorded as opposing it.")))
        return head
    if intent == "said":
        return [bold(_("What {actor} said", actor=a))]
    if intent == "position":
        if answer.proposals and answer.indirect:
            return [
                bold(_("{actor} on “{proposal}”", actor=a, proposal=p)),
                esc(_("No recorded position on this one. Their recorded positions:")),
            ]
        if answer.proposals:
            return [bold(_("{actor} on “{proposal}”", actor=a, proposal=p))]
        return [bold(_("Where {actor} stands", actor=a))]
    if intent == "overview":
        return [bold(_("Proposals on the table"))]
    if intent == "news":
        name = p or a
        if name:
            return [bold(_("What is new on “{name}”", name=name))]
        return [bold(_("The newest articles"))]
    return []


def _briefs(_: Translator, answer: Answer) -> list[str]:
    blocks = []
    for n, brief in enumerate(answer.briefs):
        mark = f"{'①②'[n]} " if answer.intent == "compare" and n < 2 else ""
        head = f"<b>{mark}{esc(brief.ref.label)}</b>\n" + esc(
            _("Status: {status}", status=status_label(_, brief.status))
        )
        chars = OVERVIEW_CHARS if answer.intent == "overview" else SUMMARY_CHARS
        if answer.intent != "compare" and brief.summary:
            head += "\n" + esc(shorten(brief.summary, chars))
        blocks.append(head)
        if answer.intent == "compare":
            lines = [pos for pos in answer.positions if pos.proposal.id == brief.ref.id]
            groups = (
                (_("Who backs it"), ("proposes", "supports")),
                (_("Who opposes it"), ("opposes",)),
            )
            for title, stances in groups:
                names = [pos.actor.label for pos in lines if pos.stance in stances]
                blocks[-1] += "\n" + esc(f"{title}: {', '.join(names) or _('none recorded')}")
    for brief in answer.actor_briefs:
        text = f"<b>{esc(brief.ref.label)}</b>"
        if brief.role:
            text += f"\n<i>{esc(brief.role)}</i>"
        if brief.summary:
            text += "\n" + esc(shorten(brief.summary, SUMMARY_CHARS))
        blocks.append(text)
    return blocks


def answer_blocks(_: Translator, answer: Answer) -> list[str]:
    blocks = _head(_, answer) + _briefs(_, answer)
    about = "proposal" if answer.intent in ("proposes", "position", "said", "actor") else "actor"
    if answer.intent != "compare":
        title = _("Who stands where") if about == "actor" else _("Positions")
        blocks += _positions(_, title, answer.positions, about)
    if answer.facts:
        blocks.append(bold(_("Facts and sources")))
        # the proposal's name on each fact, unless the whole answer is about that one
        named = len(answer.proposals) != 1 or about == "proposal"
        blocks += [fact_line(_, f, with_proposal=named, text_chars=400) for f in answer.facts]
    if answer.documents:
        blocks.append(bold(_("Recent articles")))
        blocks += [document_block(_, d, summary_chars=200) for d in answer.documents]
    elif answer.intent == "news":
        blocks.append(esc(_("No articles about it yet.")))
    if len(blocks) <= len(_head(_, answer)):
        blocks.append(esc(_("The dossier has nothing recorded on that yet.")))
    return blocks


def answer_keyboard(_: Translator, answer: Answer) -> list[list[Button]]:
    buttons: list[Button] = []
    if answer.intent == "compare" and len(answer.proposals) >= 2:
        left, right = answer.proposals[:2]
        buttons.append(
            Button(_("Full comparison"), callbacks.make(callbacks.COMPARE, left.id, right.id))
        )
    buttons += [
        Button("📄 " + shorten(r.label, 40), callbacks.make(callbacks.PROPOSAL, r.id))
        for r in answer.proposals[: 6 if answer.intent == "overview" else 3]
    ]
    buttons += [
        Button("👤 " + shorten(r.label, 40), callbacks.make(callbacks.ACTOR, r.id))
        for r in answer.actors[:3]
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def answer_replies(_: Translator, answer: Answer) -> list[Reply]:
    """The answer in as few messages as fit; the buttons to the full cards on the last."""
    replies = [Reply(m) for m in pack(answer_blocks(_, answer))]
    replies[-1].keyboard = answer_keyboard(_, answer)
    return replies
