"""Rules and model together: which proposals a document is linked to, and whether it is
about the dossier at all (with a score and a reason a curator can read).

The rules (dossier phrases, context windows, frames) are precise but miss paraphrases and
languages; the model (bot/services/knowledge/model.py) generalises but can be fooled by the
same names in another story. A rule link stands unless the model is clearly against it; the
model alone links only when it is confident. Thresholds were chosen by cross-validation on
the development set (`briefbot linking eval`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.knowledge.model import Prediction

RULE_FLOOR = 0.02  # a rule link is dropped when the model gives its proposal less than this
ASIDE_FLOOR = 0.3  # …and a rule link from one mention deep in the body (an aside), less than this
# …and one the headline leaves out when it names another proposal (the force a US backstop would
# back, the coalition NATO's planners would plan for): context of the story, unless the model agrees
SECONDARY_FLOOR = 0.3
MODEL_ALONE = 0.65  # the model links a proposal no rule found at this probability
TOPIC_ALONE = 0.85  # on-topic on the model's word alone
TOPIC_WITH_LINK = 0.3  # on-topic when a proposal is linked and the model does not object
MAX_REASON = 300


@dataclass(frozen=True)
class Relevance:
    on_topic: bool
    score: float  # 0..1
    reason: str


@dataclass(frozen=True)
class Decision:
    proposals: dict[str, str]  # slug → why (the matched phrase, or the model's probability)
    relevance: Relevance


def decide(
    rule_links: dict[str, str],
    prediction: Prediction | None,
    salient: set[str] | None = None,
    possible: set[str] | None = None,
    framed: set[str] | None = None,
    headline: set[str] | None = None,
) -> Decision:
    """Proposal links and relevance from the rules' links (slug → matched phrase; `salient`:
    those named in the headline, the lead or more than once) and the model's prediction
    (None when no model is trained yet: the rules decide alone). `possible`: the proposals
    whose required context the document has (Ukraine named): the model alone links no
    other (US air strikes in Yemen are not US air support for Ukraine). `framed`: proposals
    whose every rule phrase in the document stands in a frame ("air cover for the European
    contingent", "without NATO membership"): the rules read them and said no, so the model
    alone links none of them either. `headline`: the proposals the headline names: when it
    names some, a rule link it leaves out needs the model's agreement (SECONDARY_FLOOR)."""
    if prediction is None:
        return _rules_only(rule_links)
    links: dict[str, str] = {}
    for slug, matched in rule_links.items():
        p = prediction.proposals.get(slug)
        floor = RULE_FLOOR if salient is None or slug in salient else ASIDE_FLOOR
        if headline and slug not in headline:
            floor = max(floor, SECONDARY_FLOOR)
        if p is None or p >= floor:
            links[slug] = matched
    for slug, p in prediction.proposals.items():
        if slug in links or p < MODEL_ALONE or (framed and slug in framed):
            continue
        if possible is None or slug in possible:
            links[slug] = f"model {p:.2f}"
    topic = prediction.topic
    on_topic = topic >= TOPIC_ALONE or (bool(links) and topic >= TOPIC_WITH_LINK)
    if not on_topic:
        return Decision({}, Relevance(False, topic, _reason(topic, rule_links, off=True)))
    score = max(topic, 0.5) if links else topic
    return Decision(links, Relevance(True, score, _reason(topic, links, off=False)))


def _rules_only(rule_links: dict[str, str]) -> Decision:
    if rule_links:
        first = next(iter(rule_links.values()))
        return Decision(dict(rule_links), Relevance(True, 1.0, f"rules: “{first}”"[:MAX_REASON]))
    return Decision({}, Relevance(False, 0.0, "rules: no proposal named"))


def _reason(topic: float, links: dict[str, str], *, off: bool) -> str:
    named = ", ".join(f"{slug} (“{why}”)" for slug, why in list(links.items())[:3])
    if off:
        text = f"model {topic:.2f}: another subject"
        if named:
            text += f"; rules named {named}"
    else:
        text = f"model {topic:.2f}" + (f"; {named}" if named else "")
    return text[:MAX_REASON]
