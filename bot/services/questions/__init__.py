"""Answer a plain-language question about the dossier (English, Ukrainian, Russian).

`answer_question(session, text, lang)` is a pure service: no Telegram, one session. It finds
the names in the question (names.py), reads the intent from the words around them
(grammar.py) and gathers the positions, facts and articles that answer it (content.py).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.services.questions import grammar, translit
from bot.services.questions.content import fill, held_by, proposed_by
from bot.services.questions.model import Answer
from bot.services.questions.names import Named, QuestionGazetteer, gazetteer_for
from bot.services.questions.topics import TopicTable, find_topics, load_topics
from bot.services.text.tokens import Token, tokenize
from bot.services.views import Ref

MAX_QUESTION_CHARS = 500

__all__ = ["Answer", "answer_question"]


def answer_question(session: Session, text: str, lang: str = "en") -> Answer:
    text = " ".join(str(text).split())[:MAX_QUESTION_CHARS]
    gazetteer = gazetteer_for(session)
    scheme = translit.scheme_of(text, lang)
    if scheme is not None:  # "chto predlagaet italiya": its function words say so
        return _answer(session, gazetteer, _in_cyrillic(gazetteer, text, scheme), lang)
    answer = _answer(session, gazetteer, text, lang)
    # a Russian or Ukrainian user's answer that only names a thing; anyone's not understood
    weak = answer.intent in WEAK_INTENTS if lang in translit.SCHEMES else not answer.understood
    if weak and translit.could_be_translit(text):
        # a Latin question with no function word ("makron pro viiska", "makron"): read in
        # Cyrillic, kept when that finds more of what the question asks
        for scheme in [lang] if lang in translit.SCHEMES else list(translit.SCHEMES):
            other = _answer(session, gazetteer, _in_cyrillic(gazetteer, text, scheme), lang)
            if _strength(other) > _strength(answer):
                answer = other
    return answer


# cues that ask how a thing stands, not what anyone thinks of it
HOW_IT_STANDS = frozenset({grammar.DECIDED, grammar.STATUS, grammar.WHEN, grammar.YES_NO})

# cues that ask what an actor thinks or did: then a name beside a proposal is that actor's
STANCE_CUES = frozenset(
    {grammar.POSITION, grammar.SAID, grammar.PROPOSES, grammar.BACKERS, grammar.OPPONENTS}
)

# answers that only name a thing: a Latin-typed question may ask more of it
WEAK_INTENTS = (grammar.UNKNOWN, grammar.ABOUT_ACTOR, grammar.ABOUT_PROPOSAL)


def _strength(answer: Answer) -> tuple[int, int]:
    """How much of a question an answer understood: nothing, a name, a name and what is
    asked; then how many names."""
    if answer.intent == grammar.UNKNOWN:
        return (0, 0)
    return (1 if answer.intent in WEAK_INTENTS else 2, len(answer.proposals) + len(answer.actors))


def _in_cyrillic(gazetteer: QuestionGazetteer, text: str, scheme: str) -> str:
    """The question in Cyrillic by `scheme`, keeping in Latin the names only that spelling
    finds ("rutte": the dossier knows "Rutte" and "Рютте", not "Рутте"; "nato membership")."""
    keep: set[str] = set()
    tokens = tokenize(text)
    for n in _misspelt_names(gazetteer, tokens, gazetteer.find(tokens)):
        span = tokens[n.first : n.last + 1]
        cyrillic = tokenize(" ".join(translit.to_cyrillic(t.surface, scheme) for t in span))
        found = [m for m in gazetteer.find(cyrillic) if (m.kind, m.target) == (n.kind, n.target)]
        if not any((m.first, m.last) == (0, len(cyrillic) - 1) for m in found):
            keep |= {t.surface.casefold() for t in span}
    return translit.transliterate(text, scheme, frozenset(keep))


def _answer(session: Session, gazetteer: QuestionGazetteer, text: str, lang: str) -> Answer:
    tokens = tokenize(text)
    named = gazetteer.find(tokens)
    named = gazetteer.misspelt_proposals(tokens, _misspelt_names(gazetteer, tokens, named))
    named = gazetteer.titled(tokens, named)
    cues = grammar.read_cues(_masked(text, tokens, named))
    if _or_between_things(tokens, named):
        cues = grammar.or_compares(cues)
    # after the cues: the words between the two names still ask ("Украина вступит в НАТО?")
    named = gazetteer.joined(tokens, named)

    named = _plans_by_proposer(session, tokens, named)
    named = _topic_of_stance(session, gazetteer, tokens, named, cues)
    proposals = _refs(gazetteer.proposals, [n for n in named if n.kind == "proposal"])
    fallbacks = _refs(gazetteer.proposals, [n for n in named if n.kind == "proposal"], True)
    actors = _refs(gazetteer.actors, [n for n in named if n.kind == "actor"])
    proposers = _refs(gazetteer.actors, [n for n in named if n.kind == "proposer"])
    inside = [gazetteer.actors[i] for i in gazetteer.actors_inside(tokens, named)]
    n_named = len(proposals)
    table = load_topics()
    naming = _add_topics(gazetteer, tokens, named, cues, proposals, actors, table)
    wants_two = cues.has(grammar.COMPARE) and len(proposals) < 2
    if fallbacks and (wants_two or (not proposals and grammar.needs_proposal(cues))):
        used = [f for f in fallbacks if f not in proposals][: 2 - len(proposals)]
        proposals += used
        # "is Ukraine joining NATO": NATO names the proposal here, it holds no stance
        spans = {(n.first, n.last) for n in named if n.fallback and n.kind == "proposal"}
        naming |= {n.target for n in named if n.kind == "actor" and (n.first, n.last) in spans}

    if cues.has(grammar.COMPARE) and len(proposals) < 2:
        # "compare what Italy and the US propose": each one's own proposal
        for actor in [*proposers, *actors]:
            for pid in proposed_by(session, actor.id)[:1]:
                ref = gazetteer.proposals.get(pid)
                if ref is not None and ref not in proposals and len(proposals) < 2:
                    proposals.append(ref)

    # the actors whose stance the question may ask for: not the ones naming the proposal,
    # not the country the guarantees are for
    if not cues.found - HOW_IT_STANDS:
        # "що вирішили щодо вступу в НАТО": NATO completes the proposal's name, holds no stance
        naming |= _naming_beside(gazetteer, tokens, named)
    if cues.explain and not cues.found & STANCE_CUES:
        # "как будет работать воздушная поддержка США", "які умови вступу в НАТО": the actor
        # right beside a proposal named after it is part of that name
        naming |= _naming_next_to(gazetteer, named)
    if grammar.asks_stance(cues):
        naming = set()
    # "what if Russia attacks again?": an actor in an "if" clause is the case, not a stance holder
    naming |= _in_condition(tokens, named)
    holders = [a for a in actors if a.id not in naming and a.slug not in table.beneficiaries]
    n_proposals = len(proposals) if n_named >= 2 or cues.has(grammar.COMPARE) else n_named
    n_proposals = max(min(n_proposals, len(proposals)), min(len(proposals), 1))
    n_actors = len(holders) if proposals else len(actors)
    if not proposals and not holders and cues.has(grammar.OVERVIEW):
        n_actors = 0  # "what are the options for Ukraine's security?"
    intent = grammar.choose_intent(cues, n_proposals, n_actors)
    if intent == grammar.ABOUT_ACTOR and _stance_on_topic(tokens, named):
        intent = grammar.POSITION  # "Zelensky on security guarantees", "Мелони о войсках"
    if intent == grammar.ABOUT_PROPOSAL and proposers and not actors and not cues.explain:
        # "what is Italy's plan?" asks what Italy proposes
        intent, actors, proposals = grammar.PROPOSES, proposers, []
    if intent == grammar.POSITION and not proposals and len(actors) == 1:
        # "хто підтримує Мелоні?", "who is against Meloni?": the side taken on her proposal
        intent, proposals, actors = _side_on_proposal(session, gazetteer, cues, actors, intent)
    if intent == grammar.COMPARE and len(proposals) < 2:
        intent = grammar.ABOUT_PROPOSAL
    stance = "opposes" if cues.has(grammar.OPPONENTS) else None
    stance_intents = (grammar.POSITION, grammar.SAID, grammar.PROPOSES)
    asked = holders if intent in stance_intents and holders else actors
    answer = Answer(intent, lang, proposals[:2] if intent == grammar.COMPARE else proposals, asked)
    if intent != grammar.UNKNOWN:
        fill(session, answer, stance)
    # named all the same: the other actors, a plan's author, the actors inside a name
    for ref in [*actors, *proposers, *inside]:
        if all(a.id != ref.id for a in answer.actors):
            answer.actors.append(ref)
    return answer


def _add_topics(
    gazetteer: QuestionGazetteer,
    tokens: list[Token],
    named: list[Named],
    cues: grammar.Cues,
    proposals: list[Ref],
    actors: list[Ref],
    table: TopicTable,
) -> set[int]:
    """Add the proposals the question points at with ordinary words (topics.yaml); return
    the ids of the actors that are part of such a proposal's name ("NATO" in "NATO's role")."""
    covered = {i for n in named for i in range(n.first, n.last + 1)}
    of_actors = {i for n in named if n.kind != "proposal" for i in range(n.first, n.last + 1)}
    hits = find_topics(tokens, covered, of_actors, {a.slug for a in actors}, table)
    by_slug = {ref.slug: ref for ref in gazetteer.proposals.values()}
    by_actor = {a.slug: a.id for a in actors}
    naming: set[int] = set()
    had_named = bool(proposals)
    for hit in hits:
        ref = by_slug.get(hit.proposal)
        if ref is None or not hit.actors:
            continue
        if ref not in proposals:
            proposals.append(ref)
        if hit.part:
            naming |= {by_actor[slug] for slug in hit.actors}
    wants_two = cues.has(grammar.COMPARE) and len(proposals) < 2
    if not had_named or wants_two:
        for hit in hits:
            ref = by_slug.get(hit.proposal)
            if ref is not None and not hit.actors and ref not in proposals:
                proposals.append(ref)
    return naming


# "what does Putin demand about NATO": the word before a name that makes it the topic
TOPIC_WORDS = frozenset(
    t.norm
    for t in tokenize(
        "about on regarding concerning over towards toward re про щодо стосовно відносно "
        "насчет насчёт о об по относительно касательно"
    )
)


def _topic_of_stance(
    session: Session,
    gazetteer: QuestionGazetteer,
    tokens: list[Token],
    named: list[Named],
    cues: grammar.Cues,
) -> list[Named]:
    """ "What does Putin want regarding NATO?", "Crosetto on NATO": an actor that is the topic
    of another actor's stance stands for the proposal named after it that the other one holds
    a position on (Russia: NATO membership; Crosetto: NATO's role). Only when the question asks
    for a stance and names no proposal."""
    # a bare "Crosetto on NATO" asks for a stance too
    asks = grammar.asks_stance(cues) or not cues.found
    if not asks or any(n.kind == "proposal" and not n.fallback for n in named):
        return named
    actors = [n for n in named if n.kind == "actor"]
    for topic in actors:
        if topic.first == 0 or tokens[topic.first - 1].norm not in TOPIC_WORDS:
            continue
        after = gazetteer.named_after.get(topic.target, [])
        holders = [a.target for a in actors if a.target != topic.target and a.first < topic.first]
        held = [pid for h in holders for pid in held_by(session, h) if pid in after]
        if not held:
            continue
        span = (topic.first, topic.last)
        kept = [n for n in named if (n.first, n.last) != span]
        return sorted([*kept, Named("proposal", held[0], *span)], key=lambda n: n.first)
    return named


def _or_between_things(tokens: list[Token], named: list[Named]) -> bool:
    """An "or"/"или"/"чи" inside the question, not between two actors' names ("the US or
    France" offers no choice of proposals; "art5 or NATO" does: NATO may name a proposal) and
    with no "not" after it ("… or not")."""
    shadowed = {(n.first, n.last) for n in named if n.fallback}
    actors = [n for n in named if n.kind == "actor" and (n.first, n.last) not in shadowed]
    ends, starts = {n.last for n in actors}, {n.first for n in actors}
    for i, token in enumerate(tokens[1:-1], start=1):
        if token.surface.casefold() not in grammar.OR_WORDS:
            continue
        if tokens[i + 1].surface.casefold() in grammar.NOT_WORDS:
            continue
        if not (i - 1 in ends and i + 1 in starts):
            return True
    return False


NAME_GAP = 3  # words from a proposal's word to the actor completing its name
# "вступление Украины в НАТО", "membership of Ukraine in NATO": the word before such an actor
INTO_WORDS = frozenset(t.norm for t in tokenize("in into to of в у до во"))


def _naming_beside(
    gazetteer: QuestionGazetteer, tokens: list[Token], named: list[Named]
) -> set[int]:
    """ "вступление Украины в НАТО", "membership for Ukraine in NATO": with nothing asked of
    them, an actor a few words after a proposal named after it, behind "in"/"в"/"до",
    completes that proposal's name."""
    out: set[int] = set()
    for n in named:
        if n.kind != "actor" or n.first == 0 or tokens[n.first - 1].norm not in INTO_WORDS:
            continue
        after = set(gazetteer.named_after.get(n.target, ()))
        for p in named:
            near = p.last < n.first <= p.last + NAME_GAP + 1
            if p.kind == "proposal" and not p.fallback and p.target in after and near:
                out.add(n.target)
    return out


# words that open a condition ("if Russia attacks again", "якщо росія нападе")
IF_WORDS = frozenset(t.norm for t in tokenize("if якщо если unless"))


def _in_condition(tokens: list[Token], named: list[Named]) -> set[int]:
    """Actors named after an "if"/"якщо"/"если" that is not the question's first word."""
    starts = [i for i, t in enumerate(tokens) if i > 0 and t.norm in IF_WORDS]
    if not starts:
        return set()
    return {n.target for n in named if n.kind == "actor" and n.first > starts[0]}


def _side_on_proposal(
    session: Session,
    gazetteer: QuestionGazetteer,
    cues: grammar.Cues,
    actors: list[Ref],
    intent: str,
) -> tuple[str, list[Ref], list[Ref]]:
    """ "Who backs Meloni?" names a person and asks who is on her side: the backers (or
    opponents) of the one proposal she proposes. Anything else stays as it was."""
    asks_side = cues.has(grammar.WHO) and cues.found & {grammar.BACKERS, grammar.OPPONENTS}
    if not asks_side or cues.found & {grammar.POSITION, grammar.SAID, grammar.PROPOSES}:
        return intent, [], actors
    proposed = proposed_by(session, actors[0].id)
    ref = gazetteer.proposals.get(proposed[0]) if len(proposed) == 1 else None
    if ref is None:
        return intent, [], actors
    return grammar.who_side(cues), [ref], actors


def _naming_next_to(gazetteer: QuestionGazetteer, named: list[Named]) -> set[int]:
    """Actors right before or after (one word between at most) a proposal named after them."""
    out: set[int] = set()
    for n in named:
        if n.kind != "actor" or n.fallback:
            continue
        after = set(gazetteer.named_after.get(n.target, ()))
        for p in named:
            near = 0 < n.first - p.last <= 2 or 0 < p.first - n.last <= 2
            if p.kind == "proposal" and p.target in after and near:
                out.add(n.target)
    return out


def _stance_on_topic(tokens: list[Token], named: list[Named]) -> bool:
    """An actor's name right before a topic word and a topic that is no name: "Zelensky on
    security guarantees", "зеленский о гарантиях" asks where they stand on it."""
    covered = {i for n in named for i in range(n.first, n.last + 1)}
    for n in named:
        at = n.last + 1
        if n.kind != "actor" or at + 1 >= len(tokens) or tokens[at].norm not in TOPIC_WORDS:
            continue
        if any(i not in covered for i in range(at + 1, len(tokens))):
            return True
    return False


# "Italy's plan", "the US proposal", "план Італії": the proposal that actor proposes
PLAN_WORDS = ("plan", "proposal", "idea", "initiative", "mechanism", "offer")
PLAN_STEMS = (
    "план",
    "пропозиц",
    "предложен",
    "ініціатив",
    "инициатив",
    "ідея",
    "идея",
    "механізм",
    "механизм",
)


def _is_plan_word(token: Token) -> bool:
    norm = token.norm
    return norm.rstrip("s") in PLAN_WORDS or norm.startswith(PLAN_STEMS)


def _plans_by_proposer(session: Session, tokens: list[Token], named: list[Named]) -> list[Named]:
    out = []
    for n in named:
        after = n.last + 1 < len(tokens) and _is_plan_word(tokens[n.last + 1])
        before = n.first > 0 and _is_plan_word(tokens[n.first - 1])
        if n.kind != "actor" or n.fallback or not (after or before):
            out.append(n)
            continue
        proposed = proposed_by(session, n.target)
        if not proposed:
            out.append(n)
            continue
        first, last = (n.first, n.last + 1) if after else (n.first - 1, n.last)
        out += [Named("proposal", pid, first, last) for pid in proposed]
        out.append(Named("proposer", n.target, first, last))
    return out


MIN_FUZZY_NAME = 5  # letters: shorter words match too much by chance
MIN_LOOSE_NAME = 7  # shorter words in lower case: only swapped letters ("itlay")


def _misspelt_names(
    gazetteer: QuestionGazetteer, tokens: list[Token], named: list[Named]
) -> list[Named]:
    """Words no name covers ("Кросетто", "крозето", "melonni"), matched fuzzily to an actor's
    one-word name; words that are cues of the grammar ("support", "propose") are never names."""
    covered = {i for n in named for i in range(n.first, n.last + 1)}
    found = list(named)
    for i, token in enumerate(tokens):
        word = token.surface
        if i in covered or len(word) < MIN_FUZZY_NAME or not word.isalpha():
            continue
        if grammar.read_cues(word).found or grammar.read_cues(word).about:
            continue
        short = len(word) < MIN_LOOSE_NAME and not word[:1].isupper()
        actor_id = gazetteer.misspelt_actor(token.norm, word.casefold(), swap_only=short)
        if actor_id is not None:
            found.append(Named("actor", actor_id, i, i))
    return sorted(found, key=lambda n: (n.first, n.fallback))


def _refs(known: dict[int, Ref], named: list[Named], fallback: bool = False) -> list[Ref]:
    out: list[Ref] = []
    for n in named:
        ref = known.get(n.target)
        if n.fallback == fallback and ref is not None and ref not in out:
            out.append(ref)
    return out


def _masked(text: str, tokens: list, named: list[Named]) -> str:
    """The question with each name replaced by "_", so names never count as cues."""
    spans = sorted({(tokens[n.first].start, tokens[n.last].end) for n in named}, reverse=True)
    for start, end in spans:
        text = text[:start] + " _ " + text[end:]
    return text
