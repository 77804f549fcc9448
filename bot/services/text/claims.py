"""Candidate facts as attributed claims: who said or did what about which proposal, and a
suggested stance — from the cleaned article, in its own language, ready for a curator.

A claim is a body sentence (headline, dateline, byline and credits stripped) about one of the
document's linked proposals — the dossier's phrases (the linker's index) or this module's
multilingual cues — with a speaker: a known actor named in it (people before states, Ukraine
last, as it is mostly the object: "guarantees for Ukraine"), the speaker of the previous claim
when the sentence continues it ("He said…"), or else a new name (a candidate actor).
The stance is suggested from cue words in seven languages; a curator confirms it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.services.text.candidate_names import find_candidate_names
from bot.services.text.cleaning import clean_article, same_words
from bot.services.text.linking import Gazetteer
from bot.services.text.sentences import Sentence, split_sentences
from bot.services.text.stopwords import ALL as STOPWORDS
from bot.services.text.tokens import Token, normalize, tokenize


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


MAX_CLAIMS = 5  # per document: the review queue is read by people
MAX_PER_PROPOSAL = 2
MAX_CLAIM_CHARS = 600
MAX_SENTENCES = 80  # read per document: claims come early, and a digest of wires is long
SAME_CLAIM = 0.5  # content-word overlap (Jaccard) above which two sentences are one claim
STANCES = ("supports", "opposes", "conditional", "proposes", "reports")
LEAD_WORDS = 12  # a person named this early in the sentence is its subject
INVERTED_WORDS = 6  # "…, said the Kremlin's spokesman": the speaker follows the verb closely
ADJACENT_WORDS = 4  # "Defence Minister Guido Crosetto said": the speaker precedes the verb closely
SUBJECT_WORDS = 5  # an actor named among a sentence's first words is its subject
TITLE_WORDS = 4  # "US-Präsident Donald Trump": a person named right after the state is the subject
# how surely a claim is attributed (with a suggested stance, +1): the best go to the queue
SPOKE, NAMED, CARRIED = 2, 1, 1

# Evidence that a sentence is about a proposal, beyond the dossier's own phrases: word
# stems (a word starting with one), "=word" for a whole word, phrases with a space or digit.
PROPOSAL_CUES: dict[str, str] = {
    "art5-like": (
        "article 5|artikel 5|articolo 5|artykuł 5|artykułu 5|статті 5|статтю 5|стаття 5|"
        "статье 5|статьи 5|статья 5|статтею 5|collective|kollektiv|collettiv|zbiorow|колектив|"
        "коллектив|mutual|gegenseitig|reciproc|wzajem|взаємн|взаимн|nato-like|nato light|"
        "nato-light|нато-лайт|within 24 hours|within a day|24 heures|24 ore|24 stunden|"
        "24 godzin|24 годин|протягом доби|в течение суток|mirror|віддзеркал|отража|"
        "beistand|=clause|клауз|пункт про"
    ),
    "european-troops": (
        "troop|soldier|peacekeep|contingent|coalition of the willing|multinational|reassurance|"
        "truppe|soldat|schutztrupp|rückversicherung|koalition der willigen|multinational|"
        "troupe|réassurance|coalition des volontaires|multinationale|soldati|forza multinaz|"
        "volenterosi|militari|wojsk|żołnierz|koalicj|kontyngent|wielonarodow|військ|солдат|"
        "контингент|миротвор|коаліці|багатонаціональн|войск|военнослуж|коалици|многонациональн|"
        "сили підтримки|силы заверения|сил заспокоєння|сили заспокоєння|=hubs|=hub|хаб|stützpunkt|"
        "=force|=forces|=forza|=siły|=sił"
    ),
    "us-air-support": (
        "=air|aerial|=sky|=skies|aircraft|backstop|luftunterstützung|aus der luft|luftraum|"
        "appui aérien|soutien aérien|dans les airs|dal cielo|supporto aereo|sostegno aereo|"
        "per via aerea|z powietrza|lotnicz|з повітря|повітрян|авіац|с воздуха|воздушн|авиац|"
        "ппо|пво|air defence|air defense|boots on the ground|ground troops|bodentruppen|"
        "au sol|sul terreno|na ziemi|на землі|на земле|на українській землі|monitoring|"
        "мониторинг|überwachung|surveillance|monitoraggio|intelligence|"
        "aufklärung|renseignement|wywiad|розвідк|разведк"
    ),
    "bilateral-agreements": (
        "bilateral|=agreement|=agreements|=accord|=accords|=pact|abkommen|=accordo|=intesa|"
        "umow|umowę|porozumien|угод|соглашен|ten-year|десятиріч|десятилетн|zehn jahre|"
        "dix ans|decennal|dziesięcioletni|dwustronn|двосторонн|двусторонн|bilatéral|bilateral"
    ),
    "nato-membership": (
        "membership|=join|=joins|=joining|accession|beitritt|mitgliedschaft|adhésion|adesione|"
        "ingresso nella|członkostw|wejści|przystąpien|членств|вступ|irreversible|unumkehrbar|"
        "irréversible|незворотн|необратим|nieodwracaln"
    ),
    "nato-participation": (
        "=role|planning|planner|command structure|coordinat|involve|rolle|planung|planer|"
        "kommandostruktur|rôle|planific|commandement|ruolo|pianific|strutture di comando|"
        "coinvolg|=rola|=rolę|planowan|planiści|роль|планув|планувальник|командн|структур|"
        "залучен|планир|командн|as an organisation|as an organization|як організац|"
        "как организац|als organisation|en tant qu|in quanto organizz|jako organizac|"
        "als ganzes|jako całość"
    ),
}

# rejecting or warning against a proposal outright (not a negation that may be its own terms)
# "not a realistic outcome", "n'était pas un résultat réaliste", "не считает … реалистичным"
NOT_REALISTIC = re.compile(
    r"(?:\bnot|n'|\bnie|\bне|\bnicht|\bnon|\bkein\w*)\W+(?:\w+\W+){0,6}?"
    r"(?:realist|réalist|реалист|реаліст)"
)
STRONG_OPPOSE_CUES = (
    "criticis|criticiz|раскритик|критикув|критикова|kritisier|critiqu|criticat|skrytyk|"
    "krytyk|предостер|застеріг|warned against|warnte vor|mis en garde|messo in guardia|"
    "rejected|rejects|отверг|відкида|відкин|lehnt|abgelehnt|rejette|respinge|odrzuca"
)
_STANCE_CUES: dict[str, str] = {
    "conditional": (
        "only if|only with|only when|unless|provided that|on condition|subject to|depends on|"
        "in exchange|would need|must be approved|за умови|лише якщо|тільки якщо|лише з|"
        "в обмін|залежить|при условии|только если|только при|в обмен|зависит|nur mit|"
        "nur wenn|voraussetzung|unter der bedingung|geknüpft|im gegenzug|à condition|"
        "seulement si|pourvu que|en contrepartie|dépend|purché|solo se|a condizione|solo con|"
        "in cambio|dipende|pod warunkiem|tylko jeśli|o ile|w zamian|zależy"
    ),
    "opposes": (
        "rejected|rejects|ruled out|rules out|opposes|opposed|will not|would not|won't|"
        "not accept|unacceptable|refuse|dismissed|not available|indisponib|не войдут|не ввійдуть|"
        "not a realistic|not realistic|legitimate target|"
        "did not see|irrealistic|unrealistic|не вважає|не считает|kein realistisch|"
        "not on the table|відкин|відкида|виключ|не погодить|не відправ|не буде|неприйнятн|"
        "нереалістичн|законними цілями|отверг|исключ|не примет|неприемлем|не будет|не пошл|"
        "не направ|нереалистич|законными целями|lehnt|abgelehnt|ausgeschlossen|schließt|"
        "schloss|keine|unrealistisch|legitime ziele|rejette|refuse|exclu|n'enverr|pas de soldats|"
        "irréaliste|cibles légitimes|respinge|escluso|esclude|non invier|non mander|"
        "irrealistic|indisponibilità|obiettivi legittimi|non parteciperà|odrzuca|wykluczył|"
        "wyklucz|nie wyśle|nie pojad|nierealn|nie będzie|nie wejdą|werde nicht|wird nicht|"
        "werden nicht|werde sie nicht|werde er nicht|nicht schicken|nicht entsenden|не допуст|"
        "не допуска|" + STRONG_OPPOSE_CUES
    ),
    "proposes": (
        "proposed|proposes|proposal|suggested|floated|pitched|pitch|push|put forward|unveiled|"
        "set out|presented|offered|offers|would oblige|idea|ідею|ідея|идею|идея|vorschlag|idée|"
        "=proposta|propozycj|pomysł|would deploy|will deploy|would lead|will lead|розмістять|"
        "разместят|schicken wollen|déploy|il y aurait|schiereranno|запропонува|пропону|представил|предлож|"
        "предусматр|передбача|schlug|vorgeschlagen|schlägt|wirbt|warb|sieht vor|propos|"
        "a présenté|prévoit|propon|proposto|illustrato|prevede|zaproponował|proponuj|"
        "przewiduje"
    ),
    "supports": (
        "welcomed|welcomes|backed|backs|supports|supported|in favour|in favor|endorsed|signed|"
        "called for|urged|pledged|committed|agreed|ready to|willing|goal|stronger|strongest|"
        "defended|defends|défendu|difeso|захищ|защищ|verteidig|bronił|rivendica|"
        "мет|сильніш|весоміш|целью|сильнее|весомее|ziel|stärker|objectif|plus fort|obiettivo|"
        "più fort|=cel|celem|silniejsz|вітає|підтрима|підписал|погодил|зобов'язал|"
        "готов|приветств|поддерж|подписал|согласил|обязал|begrüß|unterstütz|unterzeichn|"
        "zugesagt|bereit|salué|soutien|signé|engag|prêt|sostien|firmat|impegnat|pronti|"
        "popiera|podpisał|zobowiązał|gotow|poparci|=sign|=signs|привіта|уклал|уклав|заключил|"
        "concluded|abgeschlossen|conclu|concluso|zawarł|=help|=helps|допомож|поможет|помочь|"
        "helfen|hilft|aidera|aider|aiuter|aiutare|pomoże|pomóc|допусти|допуска"
    ),
}
NEGATION = re.compile(r"\b(?:not|no|never|не|ні|нет|nicht|kein\w*|pas|non|nie)\b")
# asking Ukraine to give up membership (a demand against it)
RENOUNCE_CUES = (
    "renounc|abandon|give up|drop its|отказ|откаж|відмов|verzicht|renonc|rinunc|rezygn|"
    "neutral|нейтрал|outside nato|вне нато|поза нато|außerhalb der nato|hors de l'otan|"
    "fuori dalla nato|poza nato"
)
CONTRAST = re.compile(
    r"(?:,\s*(?:but|але|проте|однак|но|однако|aber|doch|mais|ma|però|ale)"
    r"|\s(?:but|але|проте|однако|aber|mais|però))\s"
)
OFFER_CUES = (
    "could|might|may|would help|offer|open to|ready|можуть|може|готов|допустил|могут|может|"
    "könnte|stellte|in aussicht|bereit|pourrai|laissé entendre|prêt|potrebb|aperto|pronti|"
    "mogą|może|zasugerował|gotow|suggested|suggest|proposed|запропонува|предлож|propos"
)
SPEECH_CUES = (
    "said|told|added|says|according to|stressed|заявив|сказав|зазначив|наголосив|заявила|"
    "заявил|сказал|отметил|подчеркнул|заявила|sagte|erklärte|betonte|a déclaré|a dit|"
    "a affirmé|a souligné|ha detto|ha dichiarato|ha sottolineato|powiedział|oświadczył|"
    "podkreślił|zdaniem|на думку|по его словам|за його словами|за її словами|selon|"
    "insisted|argued|claimed|rivendicat|наполяга|настаива|insiste|считает|вважає|"
    "announced|оголосив|объявил|kündigte|a annoncé|ha annunciato|ogłosił|"
    "повідомив|сообщил|erklärt|a assuré|ha chiarito|zapowiedział|"
    "called|described|назвав|назвала|назвал|назвала|nannte|bezeichnete|a qualifié|"
    "ha definito|nazwał|uznał|a jugé|confirmed|підтвердив|підтвердила|подтвердил|bestätigte|"
    "a confirmé|ha confermato|potwierdził|reiterated|ribadito|повторив|повторил|bekräftigte|"
    "a réaffirmé|powtórzył|warned|попередив|предупредил|warnte|a averti|ha avvertito|ostrzegł"
)
# "…, he said": the speaker of the sentence is the one before it
PRONOUN_SPEECH = re.compile(
    r"(?i)[,—–\"”»]\s*(?:he|she|they)\s+(?:said|added|told|says|stressed|argued|insisted)\b|"
    r"\b(?:sagte|erklärte|betonte|fügte) (?:er|sie)\b|-t-(?:il|elle)\b|"
    r"\b(?:сказал|заявил|добавил|подчеркнул|отметил)[аи]? (?:он|она|они)\b|"
    r"\b(?:сказав|заявив|додав|наголосив|зазначив)(?:ла|ли)? (?:він|вона|вони)\b|"
    r"[,—–\"”»]\s*(?:зазначив|зазначила|додав|додала|наголосив|наголосила) (?:він|вона)\b"
)
# a sentence whose subject is the previous speaker ("По его словам, …", "He added that …")
PRONOUN_SUBJECT = re.compile(
    r"(?i)^(?:по (?:его|её|ее) словам|за (?:його|її) словами|selon (?:lui|elle)|"
    r"secondo (?:lui|lei)|według (?:niego|niej)|in (?:his|her) (?:view|words)|"
    r"(?:he|she|він|вона|он|она|elle|lei|ona)\s)"
)
# an actor's name inside these is part of a document's name, not a speaker
TREATY = re.compile(r"(?i)treaty|trattato|traité|vertrag|traktat|договор|договір")
# words that may stand between a state and a person in a title ("US Defence Secretary Pete
# Hegseth", "премьер Италии Джорджа Мелони")
TITLE_STEMS = (
    "presid",
    "prezyd",
    "президент",
    "prime",
    "premier",
    "прем",
    "minist",
    "міністр",
    "министр",
    "chancel",
    "kanzl",
    "канцлер",
    "secretar",
    "sekret",
    "секретар",
    "chef",
    "head",
    "глав",
    "голов",
    "leader",
    "лідер",
    "лидер",
    "regierungs",
    "capo",
    "spokes",
    "речни",
    "sprecher",
    "porte",
    "portavoce",
    "rzeczni",
    "foreign",
    "defen",
    "affairs",
    "state",
    "außen",
    "verteidig",
    "esteri",
    "difesa",
    "obrony",
    "spraw",
    "закордон",
    "оборон",
    "иностран",
)
TITLE_LINKS = _word_set("of the der des de di del della du la le dei")
PRONOUN_START = re.compile(
    r"(?i)^(?:he|she|they|він|вона|вони|он|она|они|er|sie|il|elle|lui|lei|on|ona|oni)\b"
)
WORD = re.compile(r"\w+(?:['’-]\w+)*")
# a sentence that names the speaker of the one before it ("Lo ha detto Meloni", "Об этом
# заявил Макрон", "Das sagte Merz")
BACK_REFERENCE = re.compile(
    r"(?i)^(?:lo ha (?:detto|dichiarato|affermato|annunciato|spiegato)|l'ha detto|"
    r"об этом (?:заявил|заявила|сообщил|сообщила|объявил|объявила|сказал|сказала|рассказал)|"
    r"про це (?:заявив|заявила|повідомив|повідомила|сказав|сказала|оголосив|оголосила)|"
    r"(?:das|dies) (?:sagte|erklärte|betonte|kündigte)|c'est ce qu|"
    r"(?:this|that) was (?:said|announced|stated) by|so said|"
    r"(?:tak|to) (?:powiedział|powiedziała|oświadczył|oświadczyła)|powiedział to)"
)
# words after which a name is a place or an object, not the subject
PREPOSITIONS = _word_set(
    "during while amid despite since під во während pendant durante podczas mentre "
    "for in to with on at from of by about against into within after before under "
    "для у в на з із до від про о об от из к по під над після перед "
    "для в на с из к о об от по под над после перед "
    "für mit nach bei über gegen von zu aus im am vom zum zur "
    "pour en à avec de du des sur contre dans après avant "
    "per a con di da su tra fra contro nel nella dopo prima "
    "dla w z ze do na o od przez przeciw po przed"
)


@dataclass(frozen=True)
class Claim:
    """An attributed claim: `text` said or done by the actor (or `speaker`, a new name)."""

    text: str
    proposal_id: int
    actor_id: int | None
    speaker: str | None  # a name the dossier does not know yet (a candidate actor)
    stance: str


def extract_claims(g: Gazetteer, title: str, text: str, proposal_ids: Sequence[int]) -> list[Claim]:
    """The claims of one document about its linked proposals, in document order: the best
    attributed ones when there are more than the review queue takes."""
    wanted = [p for p in dict.fromkeys(proposal_ids) if p in g.proposal_slugs]
    body = clean_article(title, text)
    if not wanted or not body:
        return []
    sentences = [s for s in split_sentences(body) if not same_words(s.text, title)]
    tokens = tokenize(body)
    starts = [s.start for s in sentences]
    about, actors = _evidence(g, tokens, starts, wanted)
    covered = [(t, t) for found in actors.values() for _a, t, _w in found]
    names = find_candidate_names(tokens, body, 0, covered, g.known_words)
    sentences = sentences[:MAX_SENTENCES]
    said = [_speaker(g, actors.get(i, []), s, tokens, body) for i, s in enumerate(sentences)]
    found: list[tuple[int, int, Claim]] = []  # (score, sentence, claim)
    previous: Who | None = None  # the last speaker, for "He said…"
    used: set[int] = set()  # sentences already read as the end of a previous claim
    for i in range(len(sentences)):
        if i in used:
            continue
        if _enough(found, wanted):
            break  # every proposal has its best-attributed claims: nothing later can win
        who, strength, span = _attribute(i, sentences, said, previous, tokens, body, names)
        used.update(span[1:])
        if who.actor_id is not None or who.name is not None:
            previous = who
        if who.actor_id is None and who.name is None:
            who = Who(None, _new_name(names, " ".join(sentences[j].text for j in span)))
            if who.name is None:
                continue  # nobody to attribute it to
        topics = _topics(g, about, sentences, span, wanted)
        nxt = i + 1
        if who.actor_id is not None and not topics and _alone(nxt, said, used):
            # "Trump pledged US involvement. There would be no American ground troops.": the
            # proposal is in the next sentence, which names nobody else
            topics = _topics(g, about, sentences, [nxt], wanted)
            if topics:
                span = [i, nxt]
                used.add(nxt)
        text = " ".join(sentences[j].text for j in span)
        for pid in [p for p in wanted if p in topics]:
            stance = suggest_stance(text, g.proposal_slugs[pid])
            claim = Claim(_shorten(text), pid, who.actor_id, who.name, stance)
            found.append((strength + (stance != "reports"), i, claim))
    return _best(found)


@dataclass(frozen=True)
class Who:
    """A claim's speaker: a known actor, or a new name (a candidate actor)."""

    actor_id: int | None
    name: str | None = None


def _attribute(
    i: int,
    sentences: list[Sentence],
    said: list[tuple[int | None, int]],
    previous: Who | None,
    tokens: list[Token],
    body: str,
    names: list[str],
) -> tuple[Who, int, list[int]]:
    """Who says sentence i, how surely, and the sentences the claim spans (i, and the next
    one when that one names the speaker: "«…» Lo ha detto Meloni")."""
    sentence = sentences[i]
    actor_id, strength = said[i]
    if i + 1 < len(sentences) and BACK_REFERENCE.match(sentences[i + 1].text):
        if said[i + 1][0] is not None:
            return Who(said[i + 1][0]), SPOKE, [i, i + 1]
        return Who(actor_id), strength, [i, i + 1]
    if previous is not None and (
        PRONOUN_SPEECH.search(sentence.text) or PRONOUN_SUBJECT.match(sentence.text)
    ):
        return previous, SPOKE, [i]  # "…, he said", "По его словам, …"
    if strength != SPOKE:
        named = _name_before_verb(sentence, tokens, body, names)
        if named is not None:  # "Pete Hegseth also said…": a new name, not "NATO" later on
            return Who(None, named), SPOKE, [i]
    if actor_id is None and previous is not None and _continues(sentence.text):
        return previous, CARRIED, [i]
    return Who(actor_id), strength, [i]


def _enough(found: list[tuple[int, int, Claim]], wanted: list[int]) -> bool:
    best = Counter(c.proposal_id for score, _i, c in found if score >= SPOKE + 1)
    return all(best[p] >= MAX_PER_PROPOSAL for p in wanted) or len(found) >= 4 * MAX_CLAIMS


def _token_start(token: Token) -> int:
    return token.start


def _alone(i: int, said: list[tuple[int | None, int]], used: set[int]) -> bool:
    """Sentence i exists, is not part of another claim, and names no speaker of its own."""
    return i < len(said) and i not in used and said[i][0] is None


def _name_before_verb(
    sentence: Sentence, tokens: list[Token], body: str, names: list[str]
) -> str | None:
    """A new person's name right before the sentence's speech verb ("…, Pete Hegseth said")."""
    first = bisect_right(tokens, sentence.start - 1, key=_token_start)
    if first >= len(tokens):
        return None
    verb = _speech_token(sentence, tokens, first)
    if verb is None or verb >= len(tokens) or verb == first:
        return None
    lead_in = body[tokens[max(first, verb - ADJACENT_WORDS)].start : tokens[verb].start].rstrip()
    for name in names:
        at = lead_in.rfind(name)
        rest = lead_in[at + len(name) :].split() if at >= 0 else []
        if len(name.split()) >= 2 and at >= 0 and len(rest) <= 1 and all(w.isalpha() for w in rest):
            return name  # "Pete Hegseth said", "Pete Hegseth also said"
    return None


def _topics(
    g: Gazetteer,
    about: dict[int, set[int]],
    sentences: list[Sentence],
    indexes: list[int],
    wanted: list[int],
) -> set[int]:
    """The linked proposals these sentences are about (dossier phrases or cue words)."""
    topics: set[int] = set()
    for j in indexes:
        topics |= about.get(j, set()) | _cued(g, sentences[j].text, wanted)
    return topics


def _best(found: list[tuple[int, int, Claim]]) -> list[Claim]:
    """At most MAX_PER_PROPOSAL per proposal and MAX_CLAIMS in all, the best attributed first
    (a named speaker with a stance over a sentence that only mentions an actor), shown in
    document order."""
    kept: list[tuple[int, int, Claim]] = []
    per_proposal: dict[int, int] = {}
    for item in sorted(found, key=lambda f: (-f[0], f[1])):
        pid = item[2].proposal_id
        if per_proposal.get(pid, 0) < MAX_PER_PROPOSAL and len(kept) < MAX_CLAIMS:
            kept.append(item)
            per_proposal[pid] = per_proposal.get(pid, 0) + 1
    return [c for _score, _i, c in sorted(kept, key=lambda f: f[1])]


def suggest_stance(sentence: str, proposal_slug: str = "") -> str:
    """supports | opposes | conditional | proposes | reports, from cue words."""
    text = " ".join(sentence.casefold().split())
    words = WORD.findall(text)
    if _cue_at(_STANCE_CUES["conditional"], text, words) is not None:
        return "conditional"
    turn = CONTRAST.search(text)
    if turn is not None:  # "ruled out troops, but offered air support": the offer counts
        before, after = text[: turn.start()], text[turn.end() :]
        if _any_cue(OFFER_CUES, after, WORD.findall(after)):
            return "proposes"
        if NEGATION.search(after) and any(
            _cue_at(_STANCE_CUES[s], before) is not None for s in ("supports", "proposes")
        ):
            return "conditional"  # "NATO will help with planning, but will not command it"
    if NOT_REALISTIC.search(text):
        return "opposes"
    if proposal_slug == "nato-membership" and _cue_at(RENOUNCE_CUES, text) is not None:
        return "opposes"  # "Ukraine must renounce membership": against it, whoever says it
    found = []
    for stance in ("opposes", "proposes", "supports"):
        if (
            stance == "opposes"
            and proposal_slug == "us-air-support"
            and not _air_refused(text)
            and _cue_at(STRONG_OPPOSE_CUES, text) is None
        ):
            continue  # "no US boots on the ground" is the air-support offer, not against it
        at = _cue_at(_STANCE_CUES[stance], text, words)
        if at is not None:
            found.append((at, stance))
    return min(found)[1] if found else "reports"  # the main verb comes first


def same_claim(a: str, b: str) -> bool:
    """Two sentences that say the same (a wire story cut or edited by another outlet)."""
    left, right = _content(a), _content(b)
    if not left or not right:
        return False
    return len(left & right) / len(left | right) >= SAME_CLAIM


def _evidence(
    g: Gazetteer, tokens: list[Token], starts: list[int], wanted: list[int]
) -> tuple[dict[int, set[int]], dict[int, list[tuple[int, int, bool]]]]:
    """Per sentence: proposals named by dossier phrases, and actors (id, token, weak)."""
    about: dict[int, set[int]] = {}
    actors: dict[int, list[tuple[int, int, bool]]] = {}
    for hit in g.index.scan(tokens):
        i = bisect_right(starts, tokens[hit.first].start) - 1
        if i < 0:
            continue
        kind, key = hit.entry.kind, hit.entry.key
        if kind == "actor" and _in_a_name(tokens, hit.first, hit.last):
            continue
        if kind == "actor":
            actors.setdefault(i, []).append((key, hit.first, hit.entry.weak))  # type: ignore[arg-type]
        elif kind in ("keyword", "context"):
            pid = key if kind == "keyword" else key[0]  # type: ignore[index]
            if pid in wanted:
                about.setdefault(i, set()).add(pid)  # type: ignore[arg-type]
    if not any(not weak for found in actors.values() for _a, _t, weak in found):
        actors.clear()  # only weak names ("Rome", "Paris"): places, not actors
    return about, actors


def _in_a_name(tokens: list[Token], first: int, last: int) -> bool:
    """ "the Washington Treaty", "Вашингтонського договору": a place in a document's name."""
    near = tokens[max(0, first - 2) : first] + tokens[last + 1 : last + 2]
    return any(TREATY.match(t.surface) for t in near)


def _speaker(
    g: Gazetteer,
    found: list[tuple[int, int, bool]],
    sentence: Sentence,
    tokens: list[Token],
    body: str,
) -> tuple[int | None, int]:
    """The subject among the actors named in a sentence, and how sure that is (SPOKE, NAMED).

    With a speech verb: the actor named right after it when the attribution is inverted
    ("…, заявил пресс-секретарь Кремля"), or right before it ("Crosetto said…"). Else the
    sentence's grammatical subject when an actor opens it ("Russia will not accept…", "МЗС
    України привітало…"; a title before a name gives the person: "US-Präsident Donald Trump").
    Else the first person named early, then any other actor but Ukraine, which in the rest
    of a sentence is mostly the object ("guarantees for Ukraine")."""
    if not found:
        return None, 0
    first_token = min(t for _a, t, _w in found)
    verb = _speech_token(sentence, tokens, first_token)

    def penalty(actor_id: int) -> int:
        slug, kind = g.actor_slugs.get(actor_id, ""), g.actor_kinds.get(actor_id, "")
        return 2 if slug == "ukraine" else 0 if kind == "person" else 1

    if verb is not None:
        inverted = _comma_before(tokens, verb, body)
        after = [f for f in found if verb <= f[1] <= verb + INVERTED_WORDS]
        before = [
            f
            for f in found
            if verb - ADJACENT_WORDS <= f[1] < verb
            and not any(c in body[tokens[f[1]].end : tokens[verb].start] for c in ',;:"”»—–()')
        ]
        if inverted and after:
            return min(after, key=lambda f: (penalty(f[0]), f[1]))[0], SPOKE
        if before and not inverted:
            return max(before, key=lambda f: (-penalty(f[0]), f[1]))[0], SPOKE
    subject = _lead_subject(found, sentence, tokens, body, penalty)
    if subject is not None:
        return subject, SPOKE
    early = [f for f in found if penalty(f[0]) == 0 and f[1] - first_token <= LEAD_WORDS]
    if early:
        return min(early, key=lambda f: f[1])[0], NAMED
    others = [f for f in found if penalty(f[0]) < 2]
    if others:
        return min(others, key=lambda f: (penalty(f[0]), f[1]))[0], NAMED
    return None, 0


def _lead_subject(
    found: list[tuple[int, int, bool]],
    sentence: Sentence,
    tokens: list[Token],
    body: str,
    penalty: Callable[[int], int],
) -> int | None:
    """The actor that opens the sentence (its first words, not after a preposition), or the
    person named right after it ("Italian Prime Minister Giorgia Meloni")."""
    first = bisect_right(tokens, sentence.start - 1, key=_token_start)
    opening = [f for f in found if f[1] - first < SUBJECT_WORDS]
    if not opening:
        return None
    lead = min(opening, key=lambda f: f[1])
    before = tokens[first : lead[1]]
    if any(t.surface.casefold() in PREPOSITIONS for t in before):
        return None  # "For Ukraine, …", "В Україні …": a place or an object, not a subject
    if "," in body[sentence.start : tokens[lead[1]].start]:
        return None  # "On Monday, after talks with Kyiv, …"
    person = [
        f
        for f in found
        if penalty(f[0]) == 0
        and 0 < f[1] - lead[1] <= TITLE_WORDS
        and all(_title_word(t.surface) for t in tokens[lead[1] + 1 : f[1]])
    ]
    if penalty(lead[0]) != 0 and person:
        return min(person, key=lambda f: f[1])[0]
    return lead[0]


def _title_word(word: str) -> bool:
    """A word of a title or a name between a state and a person ("Defence", "Minister",
    "Italii"), not a verb or a noun of the sentence."""
    low = word.casefold()
    return word[:1].isupper() or low in TITLE_LINKS or low.startswith(TITLE_STEMS)


def _comma_before(tokens: list[Token], i: int, body: str) -> bool:
    """Is the speech verb at `i` preceded by a comma, dash or closing quote ("…, said X")?"""
    if i <= 0 or i >= len(tokens):
        return False
    gap = body[tokens[i - 1].end : tokens[i].start]
    return any(c in gap for c in ",—–-\"”»'")


def _speech_token(sentence: Sentence, tokens: list[Token], near: int) -> int | None:
    """The token index of the sentence's speech verb ("said", "заявив"), if any."""
    text = sentence.text.casefold()
    at = _cue_at(SPEECH_CUES, text, WORD.findall(text))
    if at is None:
        return None
    i = near
    while i > 0 and tokens[i - 1].start >= sentence.start:
        i -= 1
    offset = sentence.start + at
    while i < len(tokens) and tokens[i].end <= offset:
        i += 1
    return i if i < len(tokens) else None


def _continues(sentence: str) -> bool:
    """ "He said…", "Він наголосив…": the previous speaker goes on."""
    text = sentence.casefold()
    return bool(PRONOUN_START.match(sentence)) or _any_cue(SPEECH_CUES, text, WORD.findall(text))


def _new_name(names: list[str], sentence: str) -> str | None:
    """A person-like name the dossier does not know, as the speaker of a sentence that
    reports speech ("…, said Jane Roe"): a candidate actor for the curator."""
    text = sentence.casefold()
    if not _any_cue(SPEECH_CUES, text, WORD.findall(text)):
        return None
    inside = [n for n in names if len(n.split()) >= 2 and n in sentence]
    return inside[0] if inside else None


def _cued(g: Gazetteer, sentence: str, wanted: Iterable[int]) -> set[int]:
    text = " ".join(sentence.casefold().split())
    words = WORD.findall(text)
    return {
        pid for pid in wanted if _any_cue(PROPOSAL_CUES.get(g.proposal_slugs[pid], ""), text, words)
    }


def _any_cue(cues: str, text: str, words: list[str] | None = None) -> bool:
    return _cue_at(cues, text) is not None


def _cue_at(cues: str, text: str, words: list[str] | None = None) -> int | None:
    """Where the first of the cues occurs in `text` (a character offset), or None."""
    stems, exact, phrases = _cue_sets(cues)
    best = None
    for m in WORD.finditer(text):
        word = m.group()
        if "'" in word[:3]:  # "l'indisponibilità", "d'adesione": the elided article goes
            word = word[word.index("'") + 1 :]
        if word in exact or word.startswith(stems):
            best = m.start()
            break
    for phrase in phrases:
        at = text.find(phrase, 0, best)
        if at >= 0 and (best is None or at < best):
            best = at
    return best


@lru_cache(maxsize=64)
def _cue_sets(cues: str) -> tuple[tuple[str, ...], frozenset[str], tuple[str, ...]]:
    """A cue list as (word beginnings, whole words, phrases found anywhere): "=word" is a
    whole word; a cue with a space, a digit or a leading sign is a phrase."""
    stems, exact, phrases = [], set(), []
    for cue in cues.split("|"):
        if not cue:
            continue
        if cue.startswith("="):
            exact.add(cue[1:])
        elif " " in cue or any(c.isdigit() for c in cue) or not cue[0].isalnum():
            phrases.append(cue)
        else:
            stems.append(cue)
    return tuple(stems), frozenset(exact), tuple(phrases)


def _air_refused(text: str) -> bool:
    return bool(re.search(r"\b(?:no|not|without|refus\w*|reject\w*)\b[^.]{0,30}\bair\b", text))


@lru_cache(maxsize=8192)
def _content(sentence: str) -> frozenset[str]:
    """Content-word stems of a sentence (cached: a batch compares one claim with many)."""
    out = set()
    for raw in WORD.findall(sentence):
        norm = normalize(raw)
        if norm and not norm.isdigit() and raw.casefold() not in STOPWORDS:
            out.add(norm[:6])  # a crude stem: "guarantees"/"guarantee", "Мелоні"/"Мелони"
    return frozenset(out)


def _shorten(text: str) -> str:
    if len(text) <= MAX_CLAIM_CHARS:
        return text
    cut = text[: MAX_CLAIM_CHARS - 1]
    return cut[: cut.rfind(" ")].rstrip(" ,;:") + "…"
