"""Linking that generalises: languages by lemma, frames, relevance from rules and model."""

from __future__ import annotations

import pytest

from bot.services.knowledge.model import Prediction
from bot.services.text.lemmas import guess_language, lemma
from bot.services.text.linking import Gazetteer, link_document
from bot.services.text.relevance import MODEL_ALONE, RULE_FLOOR, SECONDARY_FLOOR, decide


def proposals(g: Gazetteer, title: str, text: str) -> set[str]:
    return {link.slug for link in link_document(g, title, text, use_model=False).proposals}


def actors(g: Gazetteer, title: str, text: str) -> set[str]:
    return {link.slug for link in link_document(g, title, text, use_model=False).actors}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The president said that the plan is on the table.", "en"),
        ("Президент заявив, що Україна отримає гарантії безпеки.", "uk"),
        ("Президент заявил, что Украина получит гарантии безопасности.", "ru"),
        ("Die Regierung will der Ukraine nicht mit Soldaten helfen, sagt der Kanzler.", "de"),
        ("Le président a dit que la France est prête pour une force.", "fr"),
        ("Il governo italiano propone una garanzia per la sicurezza di Kiev.", "it"),
        ("Rząd nie wyśle żołnierzy, powiedział premier w Warszawie i że to jest plan.", "pl"),
    ],
)
def test_language_guess(text: str, lang: str) -> None:
    assert guess_language(text) == lang


def test_lemmas_come_from_the_precomputed_simplemma_table() -> None:
    assert lemma("Ukrainy", "pl") == lemma("Ukraina", "pl") == "ukraina"
    assert lemma("żołnierze", "pl") == lemma("żołnierz", "pl")
    assert lemma("zzzunknown", "de") == "zzzunknown"


def test_inflected_names_link_in_other_languages(gazetteer: Gazetteer) -> None:
    assert {"ukraine", "nato"} <= actors(
        gazetteer, "", "Polska chce gwarancji dla Ukrainy, ale bez członkostwa w NATO."
    )
    assert {"zelensky", "nato"} <= actors(
        gazetteer, "Selenskyj hält an Nato-Beitritt fest", "Der Präsident sprach in Kiew."
    )
    assert "ukraine" in actors(gazetteer, "", "La Francia e l'Ucraina hanno firmato.")


def test_proposals_link_by_lemma_in_other_languages(gazetteer: Gazetteer) -> None:
    text = "Die Koalition der Willigen plant eine Friedenstruppe für die Ukraine."
    assert proposals(gazetteer, "", text) == {"european-troops"}
    text = "Trump a promis un appui aérien à l'Ukraine, mais pas de soldats américains."
    assert proposals(gazetteer, "", text) == {"us-air-support"}


def test_a_frame_is_not_news_about_membership(gazetteer: Gazetteer) -> None:
    framed = (
        "Meloni proposed a collective assistance mechanism for Ukraine without NATO membership."
    )
    assert proposals(gazetteer, "", framed) == {"art5-like"}
    news = "Zelensky said NATO membership remains Ukraine's goal."
    assert proposals(gazetteer, "", news) == {"nato-membership"}


def test_rules_alone_decide_without_a_model() -> None:
    on = decide({"art5-like": "Article 5-style"}, None)
    assert on.relevance.on_topic and on.proposals == {"art5-like": "Article 5-style"}
    off = decide({}, None)
    assert not off.relevance.on_topic and off.relevance.reason


def test_model_vetoes_weak_rules_and_adds_confident_links() -> None:
    prediction = Prediction(
        0.9,
        {"art5-like": RULE_FLOOR / 2, "european-troops": MODEL_ALONE + 0.1, "us-air-support": 0.3},
    )
    decision = decide({"art5-like": "Article 5", "us-air-support": "air cover"}, prediction)
    assert set(decision.proposals) == {"european-troops", "us-air-support"}
    assert decision.proposals["european-troops"].startswith("model")
    assert decision.relevance.on_topic and "model 0.90" in decision.relevance.reason


def test_a_proposal_the_headline_leaves_out_needs_the_model() -> None:
    """A US backstop story that mentions the European contingent it would back: the force is
    context unless the model agrees; with no proposal in the headline, the usual floors hold."""
    rules = {"us-air-support": "backstop", "european-troops": "European contingent"}
    unsure = Prediction(0.9, {"us-air-support": 0.8, "european-troops": SECONDARY_FLOOR - 0.05})
    sure = Prediction(0.9, {"us-air-support": 0.8, "european-troops": SECONDARY_FLOOR + 0.05})
    salient = set(rules)
    headline = {"us-air-support"}
    assert set(decide(rules, unsure, salient, headline=headline).proposals) == {"us-air-support"}
    assert set(decide(rules, sure, salient, headline=headline).proposals) == set(rules)
    assert set(decide(rules, unsure, salient, headline=set()).proposals) == set(rules)
    both = {"us-air-support", "european-troops"}
    assert set(decide(rules, unsure, salient, headline=both).proposals) == set(rules)


def test_near_miss_is_off_topic_even_with_a_rule_hit() -> None:
    decision = decide({"nato-membership": "NATO membership"}, Prediction(0.05, {}))
    assert not decision.relevance.on_topic
    assert decision.proposals == {}
    assert "another subject" in decision.relevance.reason


def test_lemma_table_covers_the_dossier() -> None:
    """Changed the dossier's names or phrases? Run scripts/build_lemma_forms.py."""
    import gzip
    import json

    from bot.services.text.lemmas import FORMS_PATH, dossier_words

    stored = json.loads(gzip.decompress(FORMS_PATH.read_bytes()))["words"]
    assert stored == sorted(dossier_words())
