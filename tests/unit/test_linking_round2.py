"""Linking round 2 (issue 8 §2): comparison and protection frames, "до" as an "until" in
Ukrainian and Russian, the model kept off framed proposals, and Article-5-like and
European-force paraphrases in seven languages. Texts written for these tests; rules only
(no model is trained here) except where `decide` is called directly."""

from __future__ import annotations

import pytest

from bot.services.knowledge.model import Prediction
from bot.services.text.linking import (
    Gazetteer,
    LinkResult,
    cue_features,
    framed_only,
    link_document,
)
from bot.services.text.relevance import MODEL_ALONE, decide
from tests.support.linking_fixtures import actors, proposals


def link(g: Gazetteer, title: str, text: str = "") -> LinkResult:
    return link_document(g, title, text, use_model=False)


# the wording of a proposal in other words and languages, each row expected to link it
PARAPHRASES: dict[str, list[tuple[str, str]]] = {
    # Article-5-like: paraphrases in seven languages, then wording seen in reporting
    "art5-like": [
        (
            "Senators ask for a vote on any defence pledge to Ukraine",
            "Lawmakers said a promise modelled on the alliance's mutual-defence clause for"
            " Ukraine must go through the Senate.",
        ),
        (
            "Rome keeps pushing a mutual assistance clause for Kyiv",
            "Italian officials told partners that Ukraine needs a written commitment.",
        ),
        (
            "Гарантії для України за логікою п'ятої статті Північноатлантичного договору",
            "Американська сторона підтвердила, що готує текст.",
        ),
        (
            "Киеву предложат гарантии по образцу пятой статьи устава НАТО",
            "Украина ждёт подробностей от союзников.",
        ),
        (
            "Washington bietet Kiew eine Beistandszusage an",
            "Die Ukraine soll bei einem neuen Angriff rasch Hilfe erhalten.",
        ),
        (
            "Meloni défend une clause d'assistance mutuelle pour l'Ukraine",
            "La présidente du Conseil italien veut convaincre ses partenaires.",
        ),
        (
            "Meloni rilancia la clausola di mutua difesa per l'Ucraina",
            "La premier ne ha parlato con gli alleati.",
        ),
        (
            "Meloni chce dla Ukrainy klauzuli wzajemnej pomocy",
            "Włoska premier przedstawiła pomysł partnerom.",
        ),
        (
            "Лідери підтримали гарантії для України на кшталт статті 5",
            "Деталі ще узгоджують у Вашингтоні.",
        ),
        (
            "Киеву обещают гарантии по типу статьи 5",
            "Украина ждёт текста соглашения.",
        ),
        (
            "США готові дати Україні гарантії, подібні до прописаних у 5 статті Статуту НАТО",
            "Київ чекає деталей.",
        ),
    ],
    "european-troops": [
        (
            "Allies draft a post-ceasefire mission for Ukraine",
            "Defence chiefs met in London to plan the deployment.",
        ),
        (
            "Британія і Франція готують сили заспокоєння для України",
            "Генштаби обговорили чисельність.",
        ),
        (
            "Лондон и Париж обсуждают многонациональный контингент на Украине",
            "Решение ожидается после прекращения огня.",
        ),
        (
            "London plant eine Rückversicherungstruppe für die Ukraine",
            "Die Truppe soll nach einem Waffenstillstand kommen.",
        ),
    ],
}


@pytest.mark.parametrize(
    ("slug", "title", "text"),
    [(slug, title, text) for slug, rows in PARAPHRASES.items() for title, text in rows],
)
def test_paraphrases_link(gazetteer: Gazetteer, slug: str, title: str, text: str) -> None:
    assert slug in proposals(link(gazetteer, title, text))


def test_air_cover_for_the_european_contingent_is_a_frame(gazetteer: Gazetteer) -> None:
    title = "Вашингтон виключив відправлення своїх солдатів в Україну"
    text = (
        "Джерела в Пентагоні кажуть, що США можуть дати повітряне прикриття європейського"
        " контингенту з баз у Польщі, але американських солдатів на землі не буде."
    )
    found = proposals(link(gazetteer, title, text))
    assert "european-troops" not in found
    assert "us-air-support" in found
    cues = cue_features(gazetteer, title, text)
    assert "§framed:european-troops" in cues and "§cue:european-troops" not in cues
    # the same contingent as the subject of the sentence stays news
    news = "Європейський контингент буде розгорнуто в Україні після перемир'я."
    assert "european-troops" in proposals(link(gazetteer, "Коаліція готується", news))


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Мелоні: італійський механізм запрацює швидше, ніж членство в НАТО",
            "Прем'єрка Італії говорила про гарантії для України.",
        ),
        (
            "Мелони: итальянский механизм заработает быстрее, чем членство в НАТО",
            "Премьер Италии говорила о гарантиях для Украины.",
        ),
    ],
)
def test_than_frames_the_compared_alternative(gazetteer: Gazetteer, title: str, text: str) -> None:
    assert "nato-membership" not in proposals(link(gazetteer, title, text))


@pytest.mark.parametrize(
    "text",
    [
        "Угода діятиме десять років або до вступу України в НАТО.",
        "Документ действует до вступления Украины в НАТО.",
    ],
)
def test_validity_until_joining_is_a_term_not_membership_news(
    gazetteer: Gazetteer, text: str
) -> None:
    title = "Україна та Італія оновили двосторонню безпекову угоду"
    if "Документ" in text:
        title = "Украина и Италия обновили двустороннее соглашение о безопасности"
    found = proposals(link(gazetteer, title, text))
    assert "nato-membership" not in found
    assert "bilateral-agreements" in found


def test_to_without_validity_still_links_membership(gazetteer: Gazetteer) -> None:
    """ "Шлях до вступу" (the road to joining) is membership news: "до" frames only a term."""
    found = proposals(
        link(gazetteer, "Зеленський: шлях до вступу України в НАТО відкритий", "Київ чекає.")
    )
    assert "nato-membership" in found


def test_model_alone_never_links_a_framed_proposal() -> None:
    prediction = Prediction(0.9, {"european-troops": MODEL_ALONE + 0.1, "us-air-support": 0.9})
    rules = {"us-air-support": "no American soldiers"}
    framed = decide(rules, prediction, framed={"european-troops"})
    assert set(framed.proposals) == {"us-air-support"}
    unframed = decide(rules, prediction)
    assert set(unframed.proposals) == {"european-troops", "us-air-support"}


def test_framed_only_needs_every_hit_framed() -> None:
    assert framed_only(["§framed:european-troops", "§cue:us-air-support"]) == {"european-troops"}
    assert framed_only(["§framed:european-troops", "§cue:european-troops"]) == set()


@pytest.mark.parametrize(
    ("title", "text", "absent", "present"),
    [
        (
            "Meloni backs a pledge for Ukraine",
            "She wants a mechanism inspired by Article 5 of the Washington Treaty.",
            "nato",
            "ukraine",
        ),
        (
            "Мелоні просуває механізм для України",
            "Він натхненний статтею 5 Вашингтонського договору.",
            "nato",
            "ukraine",
        ),
        (
            "Les limites de l'« Otan light » italienne pour l'Ukraine",
            "Rome veut convaincre ses partenaires.",
            "nato",
            "italy",
        ),
        (
            "США можуть дати Україні розвідку",
            "Про це пише британська ділова газета з посиланням на джерела.",
            "uk",
            "us",
        ),
        (
            "Gli Usa offrono radar all'Ucraina",
            "Lo riferisce la stampa finanziaria britannica.",
            "uk",
            "ukraine",
        ),
        (
            "Le Tour de France s'achève à Paris",
            "Les coureurs ont traversé la capitale dimanche.",
            "france",
            None,
        ),
    ],
)
def test_treaties_nicknames_press_and_names_are_not_actors(
    gazetteer: Gazetteer, title: str, text: str, absent: str, present: str | None
) -> None:
    found = actors(link(gazetteer, title, text))
    assert absent not in found
    if present:
        assert present in found


def test_the_state_itself_stays_an_actor(gazetteer: Gazetteer) -> None:
    """The same names used for the organisation or the state are kept: NATO next to the
    treaty, Britain as a subject near a newspaper, London after 'afterwards.'."""
    found = actors(
        link(
            gazetteer,
            "NATO allies discuss Ukraine",
            "Officials recalled the Washington Treaty. Britain told a newspaper it would help."
            " She spoke afterwards. Paris and London pressed ahead.",
        )
    )
    assert {"nato", "uk", "france"} <= found


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "NATO reaffirms Article 5 for the Baltic states",
            "Ministers said the alliance's mutual defence clause fully covers Estonia.",
        ),
        (
            "L'UE rappelle sa clause d'assistance mutuelle",
            "Les ministres européens en ont débattu à Bruxelles.",
        ),
    ],
)
def test_generic_mutual_defence_wording_needs_ukraine(
    gazetteer: Gazetteer, title: str, text: str
) -> None:
    assert "art5-like" not in proposals(link(gazetteer, title, text))


def test_bare_peacekeepers_need_europe_or_a_contributor_nearby(gazetteer: Gazetteer) -> None:
    aside = (
        "Київ хоче залучити Альянс до гарантій для України.",
        "У Вашингтоні наполягали, що миротворці мають діяти поза межами НАТО.",
    )
    assert "european-troops" not in proposals(link(gazetteer, *aside))
    news = (
        "Лондон і Париж готові направити миротворців в Україну",
        "Генштаби обох країн уже узгоджують чисельність.",
    )
    assert "european-troops" in proposals(link(gazetteer, *news))
    ru = ("Европейские миротворцы могут появиться на Украине", "Решение за коалицией.")
    assert "european-troops" in proposals(link(gazetteer, *ru))


def test_russian_comparative_frames_the_alternative(gazetteer: Gazetteer) -> None:
    title = "Мелони: механизм для Украины будет эффективнее отправки европейских миротворцев"
    found = proposals(link(gazetteer, title, "Премьер Италии выступила в Брюсселе."))
    assert "european-troops" not in found
