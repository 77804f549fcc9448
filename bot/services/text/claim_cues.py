"""Cue words and patterns for candidate claims, in seven languages (en uk ru de fr it pl): what
marks a proposal, a stance, a speech verb, a title, a back-reference; and how a cue list is
matched ("stem", "=whole word", "a phrase")."""

from __future__ import annotations

import re
from functools import lru_cache


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Evidence that a sentence is about a proposal, beyond the dossier's own phrases: word
# stems (a word starting with one), "=word" for a whole word, phrases with a space or digit.
PROPOSAL_CUES: dict[str, str] = {
    "art5-like": (
        "article 5|artikel 5|articolo 5|artykuł 5|artykułu 5|статті 5|статтю 5|стаття 5|"
        "статье 5|статьи 5|статья 5|статтею 5|collective|kollektiv|collettiv|zbiorow|колектив|"
        "коллектив|mutual|gegenseitig|reciproc|wzajem|взаємн|взаимн|nato-like|nato light|"
        "nato-light|нато-лайт|within 24 hours|within a day|24 heures|24 ore|24 stunden|"
        "24 godzin|24 годин|протягом доби|в течение суток|mirror|віддзеркал|отража|"
        "beistand|=clause|клауз|пункт про|статьей 5|art. 5|пятой стать|пятая стать|"
        "п'ята статт|п'ятої статт|п'яту статт|пятую стать"
    ),
    "european-troops": (
        "troop|soldier|peacekeep|contingent|coalition of the willing|multinational|reassurance|"
        "truppe|soldat|schutztrupp|rückversicherung|koalition der willigen|multinational|"
        "troupe|réassurance|coalition des volontaires|multinationale|soldati|forza multinaz|"
        "volenterosi|militari|wojsk|żołnierz|koalicj|kontyngent|wielonarodow|військ|солдат|"
        "контингент|миротвор|коаліці|багатонаціональн|войск|военнослуж|коалици|многонациональн|"
        "сили підтримки|силы заверения|сил заспокоєння|сили заспокоєння|=hubs|=hub|хаб|stützpunkt|"
        "=force|=forces|=forza|=siły|=sił|=militaires"
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
        "irréversible|незворотн|необратим|nieodwracaln|into nato|in die nato|dans l'otan|"
        "nella nato|do nato|до нато|в нато|=ingresso|euro-atlantic integration|євроатлантичн|"
        "евроатлантическ|euroatlantyck|euro-atlantique|euro-atlantica|euro-atlantische"
    ),
    "nato-participation": (
        "=role|planning|planner|command structure|coordinat|involve|rolle|planung|planer|"
        "kommandostruktur|rôle|planific|commandement|ruolo|pianific|strutture di comando|"
        "coinvolg|=rola|=rolę|planowan|planiści|роль|планув|планувальник|командн|структур|"
        "залучен|планир|командн|as an organisation|as an organization|як організац|"
        "как организац|als organisation|en tant qu|in quanto organizz|jako organizac|"
        "als ganzes|jako całość|jako całości|as an alliance|als bündnis|en tant qu'alliance|"
        "come alleanza|jako sojusz|как альянс|як альянс"
    ),
}


# rejecting or warning against a proposal outright (not a negation that may be its own terms)
# "not a realistic outcome", "n'était pas un résultat réaliste", "не считает … реалистичным"
NOT_REALISTIC = re.compile(
    r"(?:\bnot\W+|\bn'|\bnie\W+|\bне\W+|\bnicht\W+|\bnon\W+|\bkein\w*\W+)(?:\w+\W+){0,6}?"
    r"(?:realist|réalist|реалист|реаліст)"
)


STRONG_OPPOSE_CUES = (
    "criticis|criticiz|раскритик|критикув|критикова|kritisier|critiqu|criticat|skrytyk|"
    "krytyk|предостер|застеріг|warned against|warnte vor|mis en garde|messo in guardia|"
    "rejected|rejects|отверг|відкида|відкин|lehnt|abgelehnt|rejette|respinge|odrzuca"
)


STANCE_CUES: dict[str, str] = {
    "conditional": (
        "only if|only with|only when|unless|provided that|on condition|subject to|depends on|"
        "in exchange|would need|must be approved|за умови|лише якщо|тільки якщо|лише з|"
        "в обмін|залежить|при условии|только если|только при|в обмен|зависит|nur mit|"
        "nur wenn|voraussetzung|unter der bedingung|geknüpft|im gegenzug|à condition|"
        "seulement si|pourvu que|en contrepartie|dépend|purché|solo se|a condizione|solo con|"
        "in cambio|dipende|pod warunkiem|tylko jeśli|o ile|w zamian|zależy|only after|"
        "лише після|только после|erst nach|seulement après|solo dopo|dopiero po|"
        "conditions are met|an eine bedingung|conditions seront réunies|conditions sont réunies|"
        "condizioni saranno|warunki zostaną|умови будуть виконані|условия будут выполнены|"
        "be ratified|be approved by|be submitted to|ратифікован|ратифицирован|утвержден|"
        "затверджен|ratifiziert werden|être ratifié|essere ratificat|ratyfikowan"
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
        "не допуска|should not|must not|need not|не повин|не должн|nicht sollen|nicht soll|"
        "ne doit pas|ne devrait pas|non deve|non dovrebbe|nie powin|esclud|законные цели|"
        "законной целью|законні цілі|законною ціллю|законними цілями|cible légitime|"
        "legitime ziel|bersagli legittimi|obiettivo legittimo|" + STRONG_OPPOSE_CUES
    ),
    "proposes": (
        "proposed|proposes|proposal|suggested|floated|pitched|pitch|push|put forward|unveiled|"
        "set out|presented|offered|offers|would oblige|idea|ідею|ідея|идею|идея|vorschlag|idée|"
        "=proposta|propozycj|pomysł|would deploy|will deploy|would lead|will lead|розмістять|"
        "разместят|schicken wollen|déploy|il y aurait|schiereranno|запропонува|пропону|представил|предлож|"
        "предусматр|передбача|schlug|vorgeschlagen|schlägt|wirbt|warb|sieht vor|propos|"
        "a présenté|prévoit|propon|proposto|illustrato|prevede|zaproponował|proponuj|"
        "przewiduje|=offer|angeboten|anbieten|bietet|offrir|offre|offert|offrire|offerto|"
        "zaoferowa|oferuj|предлага|пропозиці|ipotizz|would give|"
        "=draft|entwurf|projet|bozza|projekt|проєкт|проект"
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
        "promised|пообещ|пообіц|obiecał|obiecuj|versprach|verspricht|a promis|promet|"
        "ha promesso|promette|advocat|plaid|plädier|выступил за|выступила за|виступив за|"
        "виступила за|"
        "concluded|abgeschlossen|conclu|concluso|zawarł|=help|=helps|допомож|поможет|помочь|"
        "helfen|hilft|aidera|aider|aiuter|aiutare|pomoże|pomóc|допусти|допуска|"
        # obligation: the speaker wants it ("must rest on NATO's structures")
        "should|must|needs to|has to|have to|должен|должна|должны|должно|має|мають|повинен|"
        "повинна|повинні|потребу|muss|müssen|soll|sollte|solle|doit|doivent|devrait|deve|"
        "devono|dovrebbe|debbano|musi|muszą|powinien|powinna|powinny|"
        # a stronger, more credible, the best guarantee
        "more credible|more convincing|переконливіш|убедительн|надёжн|надежн|надійн|"
        "glaubwürdig|crédib|credibil|wiarygodn|skuteczn|best guarantee|migliore garanzia|"
        "meilleure garantie|beste garantie|лучшей гарант|лучшая гарант|найкращ|najlepsz|"
        "anstreb|strebt|прагн|стремлен|irreversib|irréversib|unumkehrbar|незворотн|"
        "необратим|nieodwracaln"
    ),
}


# "… if it obtained legally binding guarantees", "якщо отримає", "wenn sie … erhält"
IF_CLAUSE = re.compile(r"\b(?:if|якщо|если|wenn|falls|si|se|jeśli|jeżeli)\b")
# a possibility the speaker opens ("could set aside", "може відкласти", "könne verzichten")
MAY = re.compile(
    r"\b(?:could|might|may|can|може|можуть|может|могут|könne|könnte|kann|pourrait|peut|"
    r"potrebbe|può|może|mogą|mogłaby|mógłby)\b"
)
NEGATION = re.compile(r"\b(?:not|no|never|не|ні|нет|nicht|kein\w*|pas|non|nie)\b")
# asking Ukraine to give up membership (a demand against it)
RENOUNCE_CUES = (
    "renounc|abandon|give up|drop its|отказ|откаж|відмов|verzicht|renonc|rinunc|rezygn|zrezygn|"
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
    "a réaffirmé|powtórzył|warned|попередив|предупредил|warnte|a averti|ha avvertito|ostrzegł|"
    # more reporting verbs (word beginnings cover the feminine and plural forms)
    "stated|noted|explained|wrote|declared|acknowledged|admitted|repeated|recalled|"
    "pointed out|cautioned|indicated|maintained|commented|заяви|сказа|зазнач|наголоси|"
    "розпові|нагада|поясни|додав|додала|зауважи|підкресли|повтори|рассказа|поясни|добави|"
    "напомни|указа|отмети|подчеркну|призна|уточни|говорит|sagt|betont|erklärt|fügte|"
    "warnt|meinte|räumte|unterstrich|versicherte|teilte|a indiqué|a expliqué|a ajouté|"
    "a répété|a rappelé|a estimé|a précisé|a insisté|a martelé|a prévenu|déclare|estime|"
    "affirme|ha ripetuto|ha spiegato|ha aggiunto|ha osservato|ha precisato|ha ricordato|"
    "ha assicurato|ha affermato|ha sostenuto|powiedzia|oświadczy|podkreśli|wyjaśni|dodał|"
    "przekonuje|stwierdzi|zaznaczy|oceni|przypomnia|mówił|zapewni|podkreśla|przyzna|uważa|"
    "twierdzi|zauważ|potwierdzi|ogłasza|zapowiada"
)


# "…, he said": the speaker of the sentence is the one before it
PRONOUN_SPEECH = re.compile(
    r"(?i)[,—–\"”»]\s*(?:he|she|they)\s+(?:said|added|told|says|stressed|argued|insisted)\b|"
    r"\b(?:sagte|erklärte|betonte|fügte) (?:er|sie)\b|-t-(?:il|elle)\b|"
    r"\b(?:сказал|заявил|добавил|подчеркнул|отметил)[аи]? (?:он|она|они)\b|"
    r"\b(?:сказав|заявив|додав|наголосив|зазначив)(?:ла|ли)? (?:він|вона|вони)\b|"
    r"[,—–\"”»]\s*(?:зазначив|зазначила|додав|додала|наголосив|наголосила) (?:він|вона)\b"
)


# a sentence whose subject is the previous speaker ("По его словам, …", "He added that …",
# "Mais il estime…")
PRONOUN_SUBJECT = re.compile(
    r"(?i)^(?:(?:but|and|yet|mais|et|aber|und|doch|ma|e|però|ale|i|але|і|й|но|и|однако),?\s+)?"
    r"(?:по (?:его|её|ее) словам|за (?:його|її) словами|selon (?:lui|elle)|"
    r"secondo (?:lui|lei)|według (?:niego|niej)|in (?:his|her) (?:view|words)|"
    r"(?:he|she|він|вона|он|она|elle|lei|ona|er)\s)"
)
# ", ha ricordato,", ", заявил,", ", a-t-il ajouté,": a speech verb set off by commas
ASIDE = re.compile(r",\s*((?:\w+\s+)?\w+(?:-t-(?:il|elle)\s+\w+)?)\s*,")
# "Allies meeting in Washington described…", "Les alliés ont qualifié…": the alliance speaks
ALLIES = _word_set(
    "allies союзники союзникі союзники verbündeten alliierten alliés alleati sojusznicy"
)
# verbs whose object the allies are ("told allies", "urged allies")
SPEECH_OBJECT_VERBS = _word_set("told urged asked warned assured reassured")
ALLIES_WORDS = 8  # among a sentence's first words, the allies are its subject
# auxiliaries before a past participle ("Ha ripetuto", "Hat erklärt", "A déclaré")
AUXILIARIES = _word_set("ha hat a has had è ist est")


# "За його словами" inside a sentence: its speaker is the previous one
IN_THEIR_WORDS = re.compile(
    r"(?i)\b(?:по (?:его|её|ее) словам|за (?:його|її) словами|selon (?:lui|elle)|"
    r"secondo (?:lui|lei)|według (?:niego|niej)|(?:seiner|ihrer) ansicht nach|"
    r"in (?:his|her) (?:view|words))\b"
)
# a sentence that goes on with the terms of the previous one ("In exchange, Kyiv would…")
CONTINUATION = re.compile(
    r"(?i)^(?:in (?:exchange|return)|instead|under (?:the|this) (?:plan|proposal|draft)|"
    r"взамін|натомість|замість цього|взамен|вместо этого|im gegenzug|stattdessen|"
    r"dafür|en contrepartie|en échange|en retour|in cambio|invece|w zamian|zamiast tego)\b,?\s*"
)
# title words that open a sentence without being a name ("The", "Der", "Le")
TITLE_OPENERS = _word_set("the der die das le la il lo l' the")
TITLE_QUALIFIERS = _word_set("state foreign affairs defence defense")
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
    "aussen",  # casefolded, as the words compared with it
    "verteidig",
    "esteri",
    "difesa",
    "obrony",
    "spraw",
    "закордон",
    "оборон",
    "иностран",
)


# titles that stand for a person named before ("der italienische Verteidigungsminister",
# "the prime minister", "il ministro", "министр")
BARE_TITLES = (
    "minist",
    "verteidigungsminist",
    "aussenminist",
    "kanzler",
    "chancellor",
    "premier",
    "président",
    "president",
    "presidente",
    "prezydent",
    "президент",
    "міністр",
    "министр",
    "прем'єр",
    "премьер",
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
# "if Russia attacks again…": the actor of a condition is not the speaker
IF_WORDS = _word_set("if якщо коли если когда wenn falls si se jeśli jeżeli gdyby")
# "NATO light", "НАТО-лайт": a nickname of a proposal, not the alliance speaking
NICKNAME_WORDS = _word_set("light lite like style лайт light-версія stil")
PREPOSITIONS = _word_set(
    "during while amid despite since під во während pendant durante podczas mentre "
    "for in to with on at from of by about against into within after before under "
    "для у в на з із до від про о об от из к по під над після перед "
    "для в на с из к о об от по под над после перед "
    "für mit nach bei über gegen von zu aus im am vom zum zur "
    "pour en à avec de du des sur contre dans après avant "
    "per a con di da su tra fra contro nel nella dopo prima al allo alla ai agli alle del "
    "dello della dei degli delle dal dallo dalla dai dagli dalle nello negli nelle sul "
    "sullo sulla sui sugli sulle au aux beim ins without sans ohne senza bez без "
    "dla w z ze do na o od przez przeciw po przed"
)


# the agent of a passive ("drawn up by US envoys", "von US-Unterhändlern ausgearbeitet")
AGENT_PREPOSITIONS = _word_set("by von par przez")


def any_cue(cues: str, text: str, words: list[str] | None = None) -> bool:
    return cue_at(cues, text) is not None


def cue_at(cues: str, text: str, words: list[str] | None = None) -> int | None:
    """Where the first of the cues occurs in `text` (a character offset), or None."""
    return _cue_at(cues, text)


@lru_cache(maxsize=8192)
def _cue_at(cues: str, text: str) -> int | None:
    """cue_at, cached: the claim steps ask the same of one sentence several times."""
    _stems, _exact, phrases, words = _cue_sets(cues)
    m = words.search(text)
    return _before_phrases(text, phrases, m.start() if m is not None else None)


def _first_cue_word(text: str, stems: tuple[str, ...], exact: frozenset[str]) -> int | None:
    """Where the first word that starts with a stem or is a whole-word cue begins, or None:
    the word-by-word scan that _cue_sets' word pattern does in one search."""
    for m in WORD.finditer(text):
        word = m.group()
        if "'" in word[:3]:  # "l'indisponibilità", "d'adesione": the elided article goes
            word = word[word.index("'") + 1 :]
        if word in exact or word.startswith(stems):
            return m.start()
    return None


def _before_phrases(text: str, phrases: re.Pattern[str], best: int | None) -> int | None:
    """`best`, or the offset of a cue phrase that occurs earlier in `text` (one pattern of
    all the phrases: its leftmost match is the earliest)."""
    m = phrases.search(text)
    return m.start() if m is not None and (best is None or m.start() < best) else best


@lru_cache(maxsize=64)
def _cue_sets(
    cues: str,
) -> tuple[tuple[str, ...], frozenset[str], re.Pattern[str], re.Pattern[str]]:
    """A cue list as (word beginnings, whole words ("=word"), a pattern of the phrases (a
    cue with a space, a digit or a leading sign) found anywhere, a pattern of the words that
    start with a stem or are a whole-word cue). A word starts after no letter, nor a letter
    and an apostrophe or hyphen ("nato-like" is one word), and an elided article before it
    always goes ("l'indisponibilità", "d'adesione"): one search finds what _first_cue_word
    finds word by word."""
    stems, exact, phrases = [], [], []
    for cue in cues.casefold().split("|"):  # as the texts are: "schließt" -> "schliesst"
        if not cue:
            continue
        if cue.startswith("="):
            exact.append(cue[1:])
        elif " " in cue or any(c.isdigit() for c in cue) or not cue[0].isalnum():
            phrases.append(cue)
        else:
            stems.append(cue)
    alternatives = []
    if stems:
        alternatives.append(_alternation(stems))
    if exact:
        alternatives.append(_alternation(exact) + r"(?!\w|['’-]\w)")
    start = r"(?<!\w)(?<!\w['’-])(?:\w{1,2}'(?=\w))?+"
    words = re.compile(start + "(?:" + "|".join(alternatives) + ")" if alternatives else "(?!)")
    found = re.compile(_alternation(phrases) if phrases else "(?!)")
    return tuple(stems), frozenset(exact), found, words


def _alternation(cues: list[str]) -> str:
    return "(?:" + "|".join(map(re.escape, sorted(set(cues), key=len, reverse=True))) + ")"


def troop_words() -> re.Pattern[str]:
    """The pattern of european-troops' cue words ("troops", "soldati", "військових")."""
    return _cue_sets(PROPOSAL_CUES["european-troops"])[3]
