"""Texts of /start and /help, and the command menu for setMyCommands."""

from __future__ import annotations

from bot.i18n import N_, Translator

PUBLIC_COMMANDS: list[tuple[str, str]] = [
    ("proposals", N_("Proposals on the table")),
    ("proposal", N_("One proposal in detail: /proposal 1")),
    ("actors", N_("Who is involved")),
    ("actor", N_("One actor: /actor meloni")),
    ("compare", N_("Two proposals side by side: /compare 1 2")),
    ("search", N_("Search the dossier and articles")),
    ("latest", N_("Newest articles")),
    ("timeline", N_("Dated facts, newest first")),
    ("sources", N_("Where the news comes from")),
    ("subscribe", N_("Get digests: instant, daily or weekly")),
    ("unsubscribe", N_("Stop digests")),
    ("digest", N_("What is new since your last digest")),
    ("changes", N_("What changed in the dossier: /changes [days]")),
    ("help", N_("How to use this bot")),
]
ADMIN_COMMANDS: list[tuple[str, str]] = [
    ("addsource", N_("Add a feed or page: /addsource URL [name]")),
    ("removesource", N_("Remove a source: /removesource ID")),
    ("fetch", N_("Poll all sources now")),
    ("review", N_("Review pending facts")),
    ("addfact", N_("Add a fact: /addfact PROPOSAL TEXT [URL]")),
    ("stats", N_("Numbers for operators")),
    ("setstatus", N_("Change a status: /setstatus PROPOSAL STATUS [URL]")),
    ("position", N_("Record a position: /position ACTOR STANCE PROPOSAL TEXT [URL]")),
    ("newproposal", N_("Add a proposal: /newproposal TITLE")),
    ("editproposal", N_("Edit a proposal step by step: /editproposal PROPOSAL")),
    ("newactor", N_("Add an actor: /newactor NAME [KIND] [COUNTRY]")),
    ("editfact", N_("Correct a fact: /editfact NUMBER")),
    ("retract", N_("Retract a fact: /retract NUMBER REASON")),
    ("undo", N_("Undo your last change")),
]


def start_text(_: Translator, first_name: str | None) -> str:
    from bot.render.html import esc

    greeting = _("Hello, {name}!", name=esc(first_name)) if first_name else _("Hello!")
    return "\n".join(
        [
            greeting,
            _(
                "I keep a curated, cited dossier on <b>security guarantees for Ukraine</b>: "
                "the proposals on the table, who backs them, and the news about them."
            ),
            "",
            _("Start with /proposals, or try /compare 1 2 or /actor meloni."),
            _("/subscribe gets you a digest when new articles arrive. /help lists everything."),
        ]
    )


def help_text(_: Translator, is_admin: bool) -> str:
    lines = [_("<b>What I can do</b>"), ""]
    lines += [f"/{name} — {_(desc)}" for name, desc in PUBLIC_COMMANDS]
    if is_admin:
        lines += ["", _("<b>Admin commands</b>"), ""]
        lines += [f"/{name} — {_(desc)}" for name, desc in ADMIN_COMMANDS]
    lines += [
        "",
        _("Names can be typed loosely: /proposal art5, /actor zelenskyy, /compare air troops."),
    ]
    return "\n".join(lines)
