"""Answers to the admin's dossier edits (/addfact)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render import callbacks
from bot.render.html import Button, Reply, esc, link, shorten
from bot.services.facts import FACT_MAX, FACT_MIN, AddFactResult, FactInput, FactInputError

ADDFACT_USAGE_EXAMPLE = (
    "/addfact art5 Poland offered to host a logistics hub. https://example.org/a"
)


def addfact_usage(_: Translator) -> str:
    return "\n".join(
        [
            _(
                "Send /addfact PROPOSAL TEXT [URL]: the proposal by number, slug or “quoted name”, "
                "then the fact ({low}–{high} characters), then optionally a link to the source.",
                low=FACT_MIN,
                high=FACT_MAX,
            ),
            _("For example: {example}", example=esc(ADDFACT_USAGE_EXAMPLE)),
        ]
    )


def addfact_input_error(_: Translator, error: FactInputError) -> str:
    if error.reason == "too_short":
        return _("That fact is too short: at least {low} characters, please.", low=FACT_MIN)
    if error.reason == "too_long":
        return _(
            "That fact is too long: {n} characters, at most {high} allowed.",
            n=len(error.value),
            high=FACT_MAX,
        )
    if error.reason == "bad_url":
        return _(
            "“{url}” is not a usable link: the source must be an http:// or https:// address.",
            url=esc(shorten(error.value, 100)),
        )
    return addfact_usage(_)


def addfact_result(_: Translator, fact: FactInput, result: AddFactResult) -> Reply:
    query = esc(shorten(fact.proposal_query, 80))
    if result.status == "no_proposal":
        if result.suggestions:
            names = "\n".join(f"{r.id}. {esc(shorten(r.label, 80))}" for r in result.suggestions)
            return Reply(
                _(
                    "No proposal matches “{query}” exactly. Did you mean one of these? "
                    "Repeat /addfact with its number.",
                    query=query,
                )
                + "\n"
                + names
            )
        return Reply(_("No proposal matches “{query}”. See /proposals for the list.", query=query))
    assert result.proposal is not None
    title = esc(shorten(result.proposal.label, 120))
    if result.status == "duplicate":
        return Reply(
            _(
                "This fact is already in the dossier for “{title}” (fact #{id}, {status}); "
                "nothing added.",
                title=title,
                id=result.fact_id,
                status=esc(result.existing_status),
            )
        )
    text = _("Added fact #{id} to “{title}”:", id=result.fact_id, title=title)
    text += "\n«" + esc(shorten(fact.text, 600)) + "»"
    if fact.url:
        text += "\n" + _("Source: {url}", url=link(fact.url, shorten(fact.url, 200)))
    open_button = Button(
        _("Open the proposal"), callbacks.make(callbacks.PROPOSAL, result.proposal.id)
    )
    return Reply(text, [[open_button]])
