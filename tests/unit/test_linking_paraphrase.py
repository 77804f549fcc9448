"""Linking that generalises: paraphrases in each language, frames, negation, the rules' cue
features for the model, and the evaluation's splits by language and by event. The texts are
written for these tests (rules only: no model is trained here)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from _pytest.mark import ParameterSet

from bot.services.knowledge.evaluation import grouped_folds
from bot.services.knowledge.labels_file import LabelledDoc
from bot.services.text.linking import Gazetteer, LinkResult, cue_features, link_document
from tests.support.linking_fixtures import actors, proposals

PARAPHRASES = Path(__file__).parents[1] / "fixtures" / "linking" / "paraphrases.yaml"


def link(g: Gazetteer, title: str, text: str = "") -> LinkResult:
    return link_document(g, title, text, use_model=False)


def _paraphrases() -> list[ParameterSet]:
    by_slug = yaml.safe_load(PARAPHRASES.read_text(encoding="utf-8"))
    return [
        pytest.param(slug, a["title"], a["text"], id=f"{slug}-{n}")
        for slug, articles in by_slug.items()
        for n, a in enumerate(articles)
    ]


@pytest.mark.parametrize(("slug", "title", "text"), _paraphrases())
def test_a_proposal_in_other_words_and_languages(
    gazetteer: Gazetteer, slug: str, title: str, text: str
) -> None:
    assert slug in proposals(link(gazetteer, title, text))


def test_without_and_until_clauses_frame_membership(gazetteer: Gazetteer) -> None:
    plan = link(
        gazetteer,
        "Rome's plan for Kyiv",
        "Meloni wants allies to protect Ukraine without admitting the country into the"
        " alliance as a full member.",
    )
    assert "nato-membership" not in proposals(plan)
    accord = link(
        gazetteer,
        "Kyiv and Oslo sign a ten-year bilateral security agreement",
        "The bilateral agreement stays in force until Ukraine becomes a member of NATO.",
    )
    assert proposals(accord) == {"bilateral-agreements"}
    assert "nato" not in actors(accord)  # named only as the accord's term


def test_giving_membership_up_is_news_about_membership(gazetteer: Gazetteer) -> None:
    result = link(
        gazetteer,
        "Zelensky on guarantees",
        "Zelensky said Ukraine could accept guarantees instead of NATO membership, dropping a"
        " goal written into its constitution.",
    )
    assert "nato-membership" in proposals(result)


def test_a_summit_and_a_treaty_name_no_actor(gazetteer: Gazetteer) -> None:
    result = link(
        gazetteer,
        "Meloni sets out her idea for Ukraine",
        "Speaking at an EU summit, Meloni said allies should copy Article 5 of the Washington"
        " Treaty for Ukraine.",
    )
    assert "eu" not in actors(result)
    assert "us" not in actors(result)
    assert {"meloni", "ukraine"} <= actors(result)


def test_near_miss_spending_story_links_no_proposal(gazetteer: Gazetteer) -> None:
    result = link(
        gazetteer,
        "NATO allies agree a higher defence spending target",
        "The allies will spend more on defence by 2035; Ukraine was discussed over dinner.",
    )
    assert proposals(result) == set()


def test_cue_features_name_the_proposal_in_any_language(gazetteer: Gazetteer) -> None:
    uk = cue_features(gazetteer, "Членство України в НАТО", "Київ наполягає на запрошенні.")
    de = cue_features(gazetteer, "Beitritt der Ukraine zur Nato", "Kiew drängt auf eine Einladung.")
    assert "§cue:nato-membership" in uk and "§head:nato-membership" in uk
    assert "§cue:nato-membership" in de
    framed = cue_features(
        gazetteer, "Rome's idea", "Protection for Ukraine without NATO membership, Meloni said."
    )
    assert "§framed:nato-membership" in framed and "§cue:nato-membership" not in framed


def _doc(n: int, lang: str, event: str) -> LabelledDoc:
    return LabelledDoc(f"d{n}", lang, "t", "x", True, False, frozenset(), frozenset(), event=event)


def test_grouped_folds_never_share_a_language_or_an_event() -> None:
    docs = [_doc(n, lang, f"2025-0{n % 4 + 1}") for n, lang in enumerate(["en", "uk", "de"] * 8)]
    by_lang = grouped_folds(docs, "language", 5)
    assert sorted(len({d.lang for d in fold}) for fold in by_lang) == [1, 1, 1]
    by_event = grouped_folds(docs, "event", 3)
    events = [{d.event for d in fold} for fold in by_event]
    assert sum(len(e) for e in events) == len(set().union(*events)) == 4
    assert sum(len(fold) for fold in by_event) == len(docs)
