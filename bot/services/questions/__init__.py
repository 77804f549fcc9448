"""Answer a plain-language question about the dossier (English, Ukrainian, Russian).

`answer_question(session, text, lang)` is a pure service: no Telegram, one session. It finds
the names in the question (names.py), reads the intent from the words around them
(grammar.py) and gathers the positions, facts and articles that answer it (content.py).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.services.questions import grammar
from bot.services.questions.content import fill, proposed_by
from bot.services.questions.model import Answer
from bot.services.questions.names import Named, QuestionGazetteer, gazetteer_for
from bot.services.text.tokens import Token, tokenize
from bot.services.views import Ref

MAX_QUESTION_CHARS = 500

__all__ = ["Answer", "answer_question"]


def answer_question(session: Session, text: str, lang: str = "en") -> Answer:
    text = " ".join(str(text).split())[:MAX_QUESTION_CHARS]
    tokens = tokenize(text)
    gazetteer = gazetteer_for(session)
    named = gazetteer.find(tokens)
    masked = _masked(text, tokens, named)
    cues = grammar.read_cues(masked)

    named = _plans_by_proposer(session, tokens, _misspelt_names(gazetteer, tokens, named))
    proposals = _refs(gazetteer.proposals, [n for n in named if n.kind == "proposal"])
    fallbacks = _refs(gazetteer.proposals, [n for n in named if n.kind == "proposal"], True)
    actors = _refs(gazetteer.actors, [n for n in named if n.kind == "actor"])
    proposers = _refs(gazetteer.actors, [n for n in named if n.kind == "proposer"])
    wants_two = cues.has(grammar.COMPARE) and len(proposals) < 2
    if fallbacks and (wants_two or (not proposals and grammar.needs_proposal(cues))):
        proposals += [f for f in fallbacks if f not in proposals][: 2 - len(proposals)]

    intent = grammar.choose_intent(cues, len(proposals), len(actors))
    if intent == grammar.ABOUT_PROPOSAL and proposers and not actors:
        # "what is Italy's plan?" asks what Italy proposes
        intent, actors, proposals = grammar.PROPOSES, proposers, []
    if intent == grammar.COMPARE and len(proposals) < 2:
        intent = grammar.ABOUT_PROPOSAL
    stance = "opposes" if cues.has(grammar.OPPONENTS) else None
    answer = Answer(intent, lang, proposals[:2] if intent == grammar.COMPARE else proposals, actors)
    if intent != grammar.UNKNOWN:
        fill(session, answer, stance)
    answer.actors += [a for a in proposers if a not in answer.actors]  # named all the same
    return answer


# "Italy's plan", "the US proposal", "план Італії": the proposal that actor proposes
PLAN_WORDS = ("plan", "proposal", "idea", "initiative", "mechanism", "offer")
PLAN_STEMS = ("план", "пропозиц", "предложен", "ініціатив", "инициатив", "ідея", "идея")


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


def _misspelt_names(
    gazetteer: QuestionGazetteer, tokens: list[Token], named: list[Named]
) -> list[Named]:
    """Capitalised words no name covers ("Кросетто" for "Крозетто"), matched fuzzily to an
    actor; the first word is skipped (every question starts with a capital)."""
    covered = {i for n in named for i in range(n.first, n.last + 1)}
    found = list(named)
    for i, token in enumerate(tokens[1:], start=1):
        word = token.surface
        if i in covered or len(word) < MIN_FUZZY_NAME or not word[:1].isupper():
            continue
        actor_id = gazetteer.misspelt_actor(token.norm)
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
