"""Candidate facts as attributed claims: who, what, which proposal, a suggested stance, clean
text; the same claim from two outlets becomes one candidate with both sources."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from bot.i18n import get_translator
from bot.render.common import fact_line
from bot.render.review import review_card
from bot.services import review as review_service
from bot.services.catalog import fact_view
from bot.services.text.claims import extract_claims, same_claim, suggest_stance
from bot.services.text.linking import Gazetteer
from storage.db import Database
from storage.models import Fact
from storage.repositories.knowledge import KnowledgeRepo, fact_key
from storage.repositories.review import PendingFact, ReviewRepo
from tests.support.fake_telegram import check_telegram_html

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "knowledge" / "dev.yaml"
DOCS: dict[str, dict[str, Any]] = {
    d["id"]: d for d in yaml.safe_load(DEV.read_text(encoding="utf-8"))["documents"]
}
_ = get_translator("en")


def _claims(g: Gazetteer, doc_id: str) -> list[tuple[str | None, str, str, str]]:
    doc = DOCS[doc_id]
    by_slug = {slug: pid for pid, slug in g.proposal_slugs.items()}
    found = extract_claims(g, doc["title"], doc["body"], [by_slug[p] for p in doc["proposals"]])
    return [
        (
            g.actor_slugs.get(c.actor_id) if c.actor_id else c.speaker,
            g.proposal_slugs[c.proposal_id],
            c.stance,
            c.text,
        )
        for c in found
    ]


@pytest.mark.parametrize(
    ("doc_id", "actor", "proposal", "stance"),
    [
        ("dev-en-001", "meloni", "art5-like", "proposes"),  # "suggested"
        ("dev-en-008", "crosetto", "european-troops", "opposes"),  # "would not take part"
        ("dev-en-013", "zelensky", "nato-membership", "supports"),  # "remained … goal"
        ("dev-uk-001", "meloni", "art5-like", "proposes"),  # "запропонувала"
        ("dev-ru-005", "russia", "european-troops", "opposes"),  # "отвергает"
        (
            "dev-ru-014",
            "russia",
            "nato-membership",
            "opposes",
        ),  # "Отказ … от вступления … условием, заявил пресс-секретарь Кремля" (as labelled)
        ("dev-fr-002", "france", "european-troops", "proposes"),
    ],
)
def test_claims_name_speaker_proposal_and_stance(
    gazetteer: Gazetteer, doc_id: str, actor: str, proposal: str, stance: str
) -> None:
    found = _claims(gazetteer, doc_id)
    assert (actor, proposal) in [(a, p) for a, p, _s, _t in found], found
    assert stance in [s for a, p, s, _t in found if (a, p) == (actor, proposal)], found


def test_claim_text_has_no_headline_dateline_or_byline(gazetteer: Gazetteer) -> None:
    for doc_id in (
        "dev-en-001",
        "dev-en-003",
        "dev-en-012",
        "dev-uk-006",
        "dev-ru-003",
        "dev-it-003",
    ):
        title = DOCS[doc_id]["title"]
        for _a, _p, _s, text in _claims(gazetteer, doc_id):
            assert title not in text
            assert not text.startswith(("BRUSSELS", "KYIV", "ROME", "Київ,", "ВАШИНГТОН", "Roma,"))
            assert "Reporting by" not in text and "Автор:" not in text and "date 20" not in text


def test_no_claims_without_a_linked_proposal(gazetteer: Gazetteer) -> None:
    doc = DOCS["dev-en-023"]  # Meloni on migration: a near-miss
    assert extract_claims(gazetteer, doc["title"], doc["body"], []) == []


def test_an_unknown_speaker_is_proposed_as_a_new_name(gazetteer: Gazetteer) -> None:
    pid = next(p for p, s in gazetteer.proposal_slugs.items() if s == "european-troops")
    text = (
        "The multinational force would deploy only after a ceasefire, said Radoslaw Sikorski, "
        "speaking in Warsaw on Monday."
    )
    [claim] = extract_claims(gazetteer, "Warsaw weighs in", text, [pid])
    assert claim.actor_id is None and claim.speaker == "Radoslaw Sikorski"
    assert claim.stance == "conditional"  # "would deploy only after a ceasefire"


@pytest.mark.parametrize(
    ("sentence", "slug", "stance"),
    [
        (
            "Trump ruled out American ground troops but offered help from the air.",
            "us-air-support",
            "proposes",
        ),
        ("Italy will not send soldiers to the multinational force.", "european-troops", "opposes"),
        (
            "Merz said German troops could join only with a Bundestag mandate.",
            "european-troops",
            "conditional",
        ),
        ("Kyiv welcomed the Italian idea.", "art5-like", "supports"),
        ("Росія відкидає розміщення військ країн НАТО.", "european-troops", "opposes"),
        ("Мелони предложила распространить статью 5 на Украину.", "art5-like", "proposes"),
        ("Die Nato sei an den Gesprächen beteiligt.", "nato-participation", "reports"),
        (
            "Rutte said NATO would help with planning but would not command the mission.",
            "nato-participation",
            "conditional",
        ),
        ("Meloni ha ribadito l'indisponibilità dell'Italia.", "european-troops", "opposes"),
        ("Лавров потребовал отказа Украины от вступления в НАТО.", "nato-membership", "opposes"),
        ("Рябков предостерег Вашингтон от воздушного прикрытия.", "us-air-support", "opposes"),
    ],
)
def test_suggested_stance_from_cue_words(sentence: str, slug: str, stance: str) -> None:
    assert suggest_stance(sentence, slug) == stance


def test_same_claim_survives_cuts_and_edits() -> None:
    wire = "Italian Prime Minister Giorgia Meloni on Thursday proposed an Article 5-style pledge for Ukraine."
    copy = (
        "Prime Minister Giorgia Meloni proposed on Thursday an Article 5-style pledge for Ukraine"
    )
    other = "Crosetto said Italy would not send troops to a multinational force in Ukraine."
    assert same_claim(wire, copy)
    assert not same_claim(wire, other)


def _pending(slug_id: int, text: str, url: str, outlet: str, actor_id: int | None) -> PendingFact:
    return PendingFact(
        key=fact_key("art5-like", text),
        text=text,
        proposal_id=slug_id,
        actor_id=actor_id,
        document_id=None,
        source_url=url,
        source_name=outlet,
        published_at=date(2025, 8, 20),
        stance="proposes",
        source_title=f"Story at {outlet}",
    )


def test_same_claim_from_two_outlets_is_one_candidate_with_both_sources(db: Database) -> None:
    wire = "Meloni proposed an Article 5-style pledge for Ukraine on Thursday, officials said."
    cut = "Meloni proposed an Article 5-style pledge for Ukraine on Thursday."
    with db.session() as s:
        repo = KnowledgeRepo(s)
        art5 = repo.proposal_by_slug("art5-like")
        meloni = next(a for a, slug, _n, _al in repo.actor_names() if slug == "meloni")
        assert art5 is not None
        review = ReviewRepo(s)
        first = review.add_pending_facts(
            [_pending(art5.id, wire, "https://a.example/1", "Wire A", meloni)], same_claim
        )
        again = review.add_pending_facts(
            [
                _pending(art5.id, cut, "https://b.example/2", "Outlet B", meloni),
                _pending(art5.id, wire, "https://c.example/3", "Outlet C", meloni),  # same key
                _pending(art5.id, cut, "https://d.example/4", "Outlet D", None),  # no speaker
            ],
            same_claim,
        )
        assert len(first) == 1 and len(again) == 1  # only the one without a speaker is new
        fact = s.scalars(select(Fact).where(Fact.id == first[0].id)).one()
        assert [x.outlet for x in fact.sources] == ["Wire A", "Outlet B", "Outlet C"]
        item = review_service.get_item(s, "fact", fact.id)
        assert item is not None and item.stance == "proposes" and len(item.sources) == 3
        card = check_telegram_html(review_card(_, item).text)
        fact.status = "approved"
        s.flush()
        line = check_telegram_html(fact_line(_, fact_view(fact)))
    assert "Suggested stance: 💡 proposes" in card and "Actor: Giorgia Meloni" in card
    assert "Also reported by:" in card and "Story at Outlet B (Outlet B, 2025-08-20)" in card
    assert "Wire A" in line and "also: Outlet B, Outlet C" in line  # an approved fact cites all


def test_a_new_name_speaker_shows_on_the_card(db: Database) -> None:
    with db.session() as s:
        art5 = KnowledgeRepo(s).proposal_by_slug("art5-like")
        assert art5 is not None
        pending = _pending(
            art5.id, "A clause would bind allies, said Jane Roe.", "https://e.example/5", "E", None
        )
        pending.speaker = "Jane Roe"
        [fact] = ReviewRepo(s).add_pending_facts([pending], same_claim)
        item = review_service.get_item(s, "fact", fact.id)
        assert item is not None
        card = check_telegram_html(review_card(_, item).text)
    assert "Speaker: Jane Roe (a new name, not yet an actor)" in card


def _speakers(g: Gazetteer, text: str, *slugs: str) -> list[tuple[str | None, str, str]]:
    by_slug = {slug: pid for pid, slug in g.proposal_slugs.items()}
    found = extract_claims(g, "Guarantees for Ukraine", text, [by_slug[s] for s in slugs])
    return [
        (
            g.actor_slugs.get(c.actor_id) if c.actor_id else c.speaker,
            g.proposal_slugs[c.proposal_id],
            c.stance,
        )
        for c in found
    ]


# the speaker is the subject of the claim (with the cases of the reporting verb below)
SUBJECT_CASES = [
    (  # the subject opens the sentence; NATO later on is an object
        "Russia will not accept any deployment of troops from NATO countries on Ukrainian "
        "territory, the foreign ministry said on Thursday.",
        "european-troops",
        ("russia", "european-troops", "opposes"),
    ),
    (  # Ukraine opening the sentence is its subject
        "МЗС України привітало італійську ідею колективного захисту за зразком статті 5.",
        "art5-like",
        ("ukraine", "art5-like", "supports"),
    ),
    (  # "Washington" inside the treaty's name is not a speaker
        "During a video call, Prime Minister Giorgia Meloni set out her proposal for a "
        "collective security mechanism inspired by Article 5 of the Washington Treaty, "
        "her office said.",
        "art5-like",
        ("meloni", "art5-like", "proposes"),
    ),
    (  # the next sentence names who said the quote
        "\"Estendere l'articolo 5 della Nato all'Ucraina sarebbe una garanzia duratura\".\n\n"
        "Lo ha detto la presidente del Consiglio Giorgia Meloni a Bruxelles.",
        "art5-like",
        ("meloni", "art5-like", "reports"),
    ),
    (  # a new name right before the speech verb, not NATO named later
        "Pete Hegseth also said any troops keeping the peace should come from European "
        "countries, under a mission that is not run by NATO.",
        "european-troops",
        ("Pete Hegseth", "european-troops", "supports"),  # "should come from": wanted
    ),
]


def test_he_said_continues_the_previous_speaker(gazetteer: Gazetteer) -> None:
    text = (
        "US Defense Secretary Pete Hegseth told allies that NATO membership for Kyiv was not a "
        "realistic outcome.\n\nAny guarantee would have to be backed by European troops, he "
        "said, deployed as a non-NATO mission."
    )
    found = _speakers(gazetteer, text, "nato-membership", "european-troops")
    assert ("us", "nato-membership", "opposes") in found
    assert [a for a, p, _s in found if p == "european-troops"] == ["us"]  # not "nato"


def test_well_attributed_claims_win_the_per_proposal_quota(gazetteer: Gazetteer) -> None:
    text = (
        "Twenty-six states promised to take part in the reassurance force in Ukraine.\n\n"
        "The force is meant to deter a new attack, France said.\n\n"
        "Italian Prime Minister Giorgia Meloni again ruled out sending Italian soldiers to the "
        "multinational force."
    )
    found = _speakers(gazetteer, text, "european-troops")
    assert ("meloni", "european-troops", "opposes") in found and len(found) == 2


def test_no_speaker_in_a_condition_or_a_nickname(gazetteer: Gazetteer) -> None:
    text = (
        'Der italienische Vorschlag wird gern als "Nato light" bezeichnet.\n\n'
        "If Russia attacks Ukraine again, a group of signatory states would meet within 24 "
        "hours and agree on collective help."
    )
    speakers = {a for a, _p, _s in _speakers(gazetteer, text, "art5-like")}
    assert not speakers & {"nato", "russia", "ukraine"}, speakers


@pytest.mark.parametrize(
    ("text", "slug", "expected"),
    [
        *SUBJECT_CASES,
        (  # the person opening the sentence speaks, not the EU named in a phrase before the verb
            "Premier Giorgia Meloni po spotkaniu Rady UE w Brukseli powiedziała, że wyklucza "
            "wysłanie włoskich żołnierzy do misji na Ukrainie.",
            "european-troops",
            ("meloni", "european-troops", "opposes"),
        ),
        (  # the agent of a passive ("by US negotiators") is the one proposing
            "A plan drafted by US negotiators would give Ukraine a guarantee mirroring NATO's "
            "collective defence clause.",
            "art5-like",
            ("us", "art5-like", "proposes"),
        ),
        (  # a left-out subject: the previous speaker goes on
            "Giorgia Meloni ha parlato a lungo con i giornalisti a Bruxelles.\n\n"
            "Ha ribadito che l'Italia non manderà soldati nella forza multinazionale.",
            "european-troops",
            ("meloni", "european-troops", "opposes"),
        ),
        (  # a bare title: the person named before
            "Keir Starmer hosted Volodymyr Zelensky in London on Friday.\n\n"
            "The prime minister said British troops could join a multinational force only "
            "after a ceasefire.",
            "european-troops",
            ("uk", "european-troops", "conditional"),
        ),
        (  # a reporting verb set off by commas, with no subject of its own
            "Giorgia Meloni è intervenuta a New York.\n\n"
            "Il meccanismo italiano, ha ricordato, prevede un impegno di assistenza collettiva "
            "entro 24 ore.",
            "art5-like",
            ("meloni", "art5-like", "proposes"),
        ),
        (  # a place after an articulated preposition ("alla Casa Bianca") is no subject
            "Dopo la cena alla Casa Bianca con Donald Trump, la premier Giorgia Meloni ha "
            "ribadito che l'Italia non manderà soldati nella forza multinazionale.",
            "european-troops",
            ("meloni", "european-troops", "opposes"),
        ),
        (  # "without the US" is no subject; "a plaidé pour" advocates
            "La dirigeante Giorgia Meloni a plaidé pour une clause de défense mutuelle.\n\n"
            "Sans les États-Unis, notent des diplomates, une clause de ce type resterait "
            "politique.",
            "art5-like",
            ("meloni", "art5-like", "supports"),
        ),
        (  # the allies speak as NATO
            "Allies gathered in Vilnius called Ukraine's path to membership irreversible.",
            "nato-membership",
            ("nato", "nato-membership", "supports"),
        ),
        (  # a new name whose title names the state: the state's claim, also by surname
            "Nel pomeriggio è intervenuto il vicesegretario americano Jonah Whitfield.\n\n"
            "Whitfield ha definito irrealistico l'ingresso dell'Ucraina nella Nato come esito "
            "dei negoziati.",
            "nato-membership",
            ("us", "nato-membership", "opposes"),
        ),
    ],
)
def test_the_speaker_is_the_subject_of_the_reporting_verb(
    gazetteer: Gazetteer, text: str, slug: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _speakers(gazetteer, text, slug)


def test_the_terms_of_a_plan_go_with_its_author(gazetteer: Gazetteer) -> None:
    text = (
        "A draft drawn up by American envoys offers Kyiv a pledge that mirrors NATO's mutual "
        "defence.\n\nIn exchange, Kyiv would give up its bid to join NATO."
    )
    found = _speakers(gazetteer, text, "art5-like", "nato-membership")
    assert ("us", "art5-like", "proposes") in found
    assert ("us", "nato-membership", "opposes") in found  # a demand, not Kyiv's own offer


def test_a_merely_named_actor_gives_way_to_a_speaker(gazetteer: Gazetteer) -> None:
    text = (
        "The talks about the reassurance force went on late, and Russia's envoy was not there."
        "\n\n"
        "Emmanuel Macron said France would lead a multinational force after a ceasefire."
    )
    found = _speakers(gazetteer, text, "european-troops")
    assert found == [("france", "european-troops", "proposes")]


@pytest.mark.parametrize(
    ("sentence", "slug", "stance", "recipient"),
    [
        (
            "Крозетто считает, что механизм должен опираться на структуры НАТО.",
            "nato-participation",
            "supports",
            False,
        ),
        (
            "Zelensky said membership remained the best guarantee for Ukraine.",
            "nato-membership",
            "supports",
            True,
        ),
        (
            "Gli alleati hanno definito irreversibile il percorso di Kiev.",
            "nato-membership",
            "supports",
            False,
        ),
        (
            "Escludo l'invio di soldati italiani, ha detto la premier.",
            "european-troops",
            "opposes",
            False,
        ),
        (
            "Le ministre a jugé que l'adhésion n'était pas un résultat réaliste.",
            "nato-membership",
            "opposes",
            False,
        ),
        ("Die Zusage soll vom Senat ratifiziert werden.", "art5-like", "conditional", False),
        ("The pledge would have to be ratified by the Senate.", "art5-like", "conditional", False),
        (
            "Ukraine could drop its NATO bid if it received binding guarantees.",
            "nato-membership",
            "conditional",
            True,
        ),
        (
            "Ukraine must renounce NATO membership in exchange for guarantees.",
            "nato-membership",
            "opposes",
            False,
        ),
        (
            "Italia non manderà soldati, ma potrebbe addestrare i militari ucraini.",
            "european-troops",
            "opposes",
            False,
        ),
        (  # cues are read as casefolded texts are: "ß" is "ss"
            "Rutte schließt einen Einsatz der Nato als Organisation in der Ukraine aus.",
            "nato-participation",
            "opposes",
            False,
        ),
        (
            "Putin zażądał, by Ukraina zrezygnowała z wejścia do NATO.",
            "nato-membership",
            "opposes",
            False,
        ),
        (
            "Двадцать шесть стран пообещали участвовать в силах заверения.",
            "european-troops",
            "supports",
            False,
        ),
        (
            "W zamian zaproponowała ochronę na wzór art. 5 dla Ukrainy.",
            "art5-like",
            "proposes",
            False,
        ),
    ],
)
def test_stance_cues_in_every_language(
    sentence: str, slug: str, stance: str, recipient: bool
) -> None:
    assert suggest_stance(sentence, slug, recipient=recipient) == stance


def test_a_byline_glued_onto_the_claim_goes(gazetteer: Gazetteer) -> None:
    text = (
        "Di Lorenza Bassi, inviata a Bruxelles\n"
        "Giorgia Meloni ha proposto una clausola di assistenza collettiva per l'Ucraina.\n"
    )
    [(_a, _p, _s, claim)] = [
        (c.actor_id, c.proposal_id, c.stance, c.text)
        for c in extract_claims(
            gazetteer,
            "Meloni e le garanzie",
            text,
            [p for p, s in gazetteer.proposal_slugs.items() if s == "art5-like"],
        )
    ]
    assert claim.startswith("Giorgia Meloni ha proposto"), claim


def test_american_troops_are_the_us_offer_not_a_european_force(gazetteer: Gazetteer) -> None:
    us_troops = "Американських військових на українській землі не буде, заявив Трамп."
    found = _speakers(gazetteer, us_troops, "european-troops", "us-air-support")
    assert [(a, p) for a, p, _s in found] == [("trump", "us-air-support")], found
    french = "Emmanuel Macron said French troops would lead the multinational force."
    assert ("france", "european-troops", "proposes") in _speakers(
        gazetteer, french, "european-troops"
    )


def test_a_bilateral_accord_is_the_partners_claim(gazetteer: Gazetteer) -> None:
    signed = (
        "Volodymyr Zelensky and Emmanuel Macron signed a ten-year bilateral security "
        "agreement at a ceremony in western Germany."
    )
    assert [(a, p) for a, p, _s in _speakers(gazetteer, signed, "bilateral-agreements")] == [
        ("france", "bilateral-agreements")
    ]
    alone = "Volodymyr Zelensky said the bilateral agreement would stay in force for ten years."
    assert [a for a, _p, _s in _speakers(gazetteer, alone, "bilateral-agreements")] == ["zelensky"]


def test_a_bare_title_inside_the_sentence_is_the_person_named_before(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "Guido Crosetto gab der Zeitung ein langes Interview.\n\n"
        "Klar sei für den italienischen Verteidigungsminister nur eines: Die Nato als "
        "Organisation müsse bei der Planung eine Rolle spielen."
    )
    found = _speakers(gazetteer, text, "nato-participation")
    assert [(a, p) for a, p, _s in found] == [("crosetto", "nato-participation")], found


def test_a_titled_name_run_maps_its_surname_to_the_state(gazetteer: Gazetteer) -> None:
    text = (
        "Lo ha detto il sottosegretario americano Jonah Whitfield al Consiglio atlantico.\n\n"
        "Il Cremlino ha criticato il piano.\n\n"
        "Whitfield ha escluso l'ingresso dell'Ucraina nella Nato."
    )
    assert ("us", "nato-membership", "opposes") in _speakers(gazetteer, text, "nato-membership")


def test_a_title_stands_for_the_last_person_not_the_last_state(gazetteer: Gazetteer) -> None:
    text = (
        "Guido Crosetto ha incontrato i colleghi a Bruxelles.\n\n"
        "La Russia ha respinto il piano di formazione.\n\n"
        "Il ministro ha ribadito che l'Italia non manderà soldati nella forza multinazionale."
    )
    assert _speakers(gazetteer, text, "european-troops") == [
        ("crosetto", "european-troops", "opposes")
    ]
