"""A summary leads with the body's sentence about the linked proposal even when the headline
words the proposal differently (the linker hands the summariser every phrase of its hits, the
body's first). Text written for this test; rules only."""

from __future__ import annotations

from bot.services.text.linking import Gazetteer, link_document
from bot.services.text.summarize import brief_summary

TITLE = "Rome pushes a coalition of the willing plan at Paris meeting"
BODY = (
    "Rome pushes a coalition of the willing plan at Paris meeting\n"
    "PARIS, March 11 - Ministers from a dozen countries met on Tuesday to compare notes on"
    " arms production and on the costs of winter energy support for Kyiv.\n"
    "Officials also discussed budgets for drone factories and training centres across the"
    " region in great detail.\n"
    "Italy said it would keep its soldiers at home but could help a European reassurance force"
    " for Ukraine with demining and training once a ceasefire holds."
)


def test_the_summary_leads_with_the_bodys_sentence_on_the_proposal(gazetteer: Gazetteer) -> None:
    links = link_document(gazetteer, TITLE, BODY, use_model=False)
    assert [link.slug for link in links.proposals] == ["european-troops"]
    assert links.focus[0] == "European reassurance force"  # the body's phrase before the headline's
    assert "coalition of the willing" in links.focus
    summary = brief_summary(TITLE, BODY, links.focus)
    assert summary.startswith("Italy said it would keep its soldiers at home")
    # with only the headline's phrase, nothing in the body names it: the lead comes first
    assert brief_summary(TITLE, BODY, [links.proposals[0].matched]).startswith("Ministers")
