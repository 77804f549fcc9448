"""Link a document to the dossier's actors and proposals, and say why each link was made."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.services.knowledge.model import LinkModel
from bot.services.text.candidate_names import find_candidate_names
from bot.services.text.frames import NEGATIONS, in_until_clause, is_framed
from bot.services.text.lemma_index import LemmaIndex
from bot.services.text.lemmas import guess_language
from bot.services.text.phrases import Hit, PhraseIndex
from bot.services.text.relevance import Relevance, decide
from bot.services.text.sentences import split_sentences
from bot.services.text.tokens import Token, is_acronym, normalize, tokenize
from storage.repositories.knowledge import ActorTerm, KnowledgeRepo, ProposalRules

MAX_FACTS = 5  # per document: the review queue is read by people
MAX_FACT_CHARS = 1000
MAX_MATCHED_CHARS = 300
STATE_PENALTY = 5  # words: a fact names a person over a state or body mentioned nearer
SALIENT_MENTIONS = 2  # a proposal named this often is what the story is about…
LEAD_SHARE = 0.3  # …and so is one named in the headline or this first share of the body
OWNER_GAP = 2  # words between an owner's name and the phrase it owns ("US ground troops")


@dataclass
class Link:
    target_id: int
    slug: str
    matched: str  # the phrase in the document that made the link


@dataclass
class CandidateFact:
    text: str
    proposal_id: int
    actor_id: int | None


@dataclass
class LinkResult:
    actors: list[Link] = field(default_factory=list)
    proposals: list[Link] = field(default_factory=list)
    candidate_names: list[str] = field(default_factory=list)
    candidate_facts: list[CandidateFact] = field(default_factory=list)
    relevance: Relevance = field(default_factory=lambda: Relevance(False, 0.0, ""))
    salient: set[str] = field(default_factory=set)  # rule-linked slugs that are not asides
    language: str = "en"
    # every phrase of the linked proposals' rule hits, those the headline does not use first:
    # what a summary leads with (the body may repeat the headline, then word it otherwise)
    focus: list[str] = field(default_factory=list)
    phrases: dict[str, list[str]] = field(default_factory=dict)  # slug → its hits' phrases


@dataclass(frozen=True)
class Rule:
    requires_any: tuple[str, ...]  # "@slug" or a phrase, within `window` words if given
    window: int | None
    also_requires_any: tuple[str, ...]  # anywhere in the document


@dataclass
class Gazetteer:
    """Everything the linker knows, compiled once per ingest run."""

    index: PhraseIndex
    actor_slugs: dict[int, str]
    actor_kinds: dict[int, str]
    actor_by_slug: dict[str, int]
    proposal_slugs: dict[int, str]
    proposal_requires: dict[int, tuple[str, ...]]
    rules: dict[tuple[int, int], Rule]
    known_words: frozenset[str]  # normalised one-word names: never a candidate's part
    lemmas: LemmaIndex = field(default_factory=LemmaIndex)  # for inflecting languages
    # proposals defined by a negation ("no US ground troops"): "without" does not frame them
    negation_defined: set[int] = field(default_factory=set)
    # proposal id → actors whose name right before a phrase makes it theirs ("American troops")
    owners: dict[int, frozenset[int]] = field(default_factory=dict)
    proposal_by_slug: dict[str, int] = field(default_factory=dict)
    model: LinkModel | None = None  # the trained linking model, when there is one

    @classmethod
    def from_session(cls, session: Session, model: LinkModel | None = None) -> Gazetteer:
        repo = KnowledgeRepo(session)
        g = cls.build(repo.gazetteer(), repo.proposal_link_rules())
        g.model = model
        return g

    @classmethod
    def build(cls, terms: list[ActorTerm], proposals: list[ProposalRules]) -> Gazetteer:
        index = PhraseIndex()
        g = cls(index, {}, {}, {}, {}, {}, {}, frozenset())
        known: set[str] = set()
        for t in terms:
            g.actor_slugs[t.actor_id], g.actor_kinds[t.actor_id] = t.slug, t.kind
            g.actor_by_slug[t.slug] = t.actor_id
            for term in _spellings(t.term):
                index.add(term, "actor", t.actor_id, weak=t.weak)
                g.lemmas.add(term, "actor", t.actor_id, weak=t.weak)
            words = t.term.split()
            if len(words) == 1 and t.kind != "person":
                known.add(words[0].casefold())
        for p in proposals:
            g._add_proposal(p)
        g.known_words = frozenset(known)
        return g

    def _add_proposal(self, p: ProposalRules) -> None:
        self.proposal_slugs[p.proposal_id] = p.slug
        self.proposal_by_slug[p.slug] = p.proposal_id
        rules = p.link_rules or {}
        self.proposal_requires[p.proposal_id] = tuple(rules.get("requires_any") or ())
        owners = {self.actor_by_slug.get(ref[1:]) for ref in rules.get("not_owned_by") or ()}
        if owners - {None}:
            self.owners[p.proposal_id] = frozenset(a for a in owners if a is not None)
        for ref in self.proposal_requires[p.proposal_id]:
            self._add_ref(ref)
        governed: set[str] = set()
        for n, ctx in enumerate(rules.get("context_keywords") or ()):
            rule = Rule(
                tuple(ctx["requires_any"]),
                ctx.get("window"),
                tuple(ctx.get("also_requires_any") or ()),
            )
            self.rules[(p.proposal_id, n)] = rule
            for ref in (*rule.requires_any, *rule.also_requires_any):
                self._add_ref(ref)
            for phrase in ctx["phrases"]:
                self.index.add(phrase, "context", (p.proposal_id, n), plural=True)
                self.lemmas.add(phrase, "context", (p.proposal_id, n))
                governed.add(phrase.casefold())
        # aliases link like keywords, unless a context rule governs the same phrase;
        # lemma_keywords are the dossier's phrases in other languages, matched by lemma
        lemma_keywords = [w for ws in (rules.get("lemma_keywords") or {}).values() for w in ws]
        for phrase in [*p.keywords, *p.aliases, *lemma_keywords]:
            first = tokenize(phrase)[:1]
            if first and first[0].norm in NEGATIONS:
                self.negation_defined.add(p.proposal_id)
            if phrase.casefold() not in governed:
                self.index.add(phrase, "keyword", p.proposal_id, plural=True)
                self.lemmas.add(phrase, "keyword", p.proposal_id)

    def _add_ref(self, ref: str) -> None:
        if not ref.startswith("@"):
            self.index.add(ref, "ref", ref.casefold())
            self.lemmas.add(ref, "ref", ref.casefold())


def link_document(
    gazetteer: Gazetteer, title: str, text: str, *, use_model: bool = True
) -> LinkResult:
    """Actors and proposals of one document, its candidate facts and its relevance: the
    rules' links, weighed by the model when there is one (bot/services/text/relevance.py)."""
    title = " ".join(title.split())
    doc = f"{title}\n\n{text}" if title else text
    body_start = len(doc) - len(text)
    lang = guess_language(doc)
    tokens = tokenize(doc)
    linker = _Linker(gazetteer, doc, tokens, lang)
    result = linker.run(body_start)
    result.language = lang
    model = gazetteer.model if use_model else None
    prediction = None
    framed: set[str] = set()
    headline: set[str] = set()
    if model is not None:
        cues = linker.cues(body_start)
        prediction = model.predict(title, text, lang, tokens, cues)
        framed = framed_only(cues)
        headline = {c.split(":", 1)[1] for c in cues if c.startswith("§head:")}
    rules = {link.slug: link.matched for link in result.proposals}
    decision = decide(rules, prediction, result.salient, linker.possible(), framed, headline)
    by_slug = gazetteer.proposal_by_slug
    result.proposals = [
        Link(by_slug[slug], slug, why[:MAX_MATCHED_CHARS])
        for slug, why in decision.proposals.items()
        if slug in by_slug
    ]
    result.focus = [ph for link in result.proposals for ph in result.phrases.get(link.slug, ())]
    kept = {link.target_id for link in result.proposals}
    result.candidate_facts = [f for f in result.candidate_facts if f.proposal_id in kept]
    result.relevance = decision.relevance
    return result


def framed_only(cues: list[str]) -> set[str]:
    """Proposals whose rule phrases all stand in a frame (only "§framed:" cues, no "§cue:")."""
    framed = {c.split(":", 1)[1] for c in cues if c.startswith("§framed:")}
    return framed - {c.split(":", 1)[1] for c in cues if c.startswith("§cue:")}


def cue_features(gazetteer: Gazetteer, title: str, text: str) -> list[str]:
    """The rules' evidence as model features (what `link_document` gives the model)."""
    title = " ".join(title.split())
    doc = f"{title}\n\n{text}" if title else text
    linker = _Linker(gazetteer, doc, tokenize(doc), guess_language(doc))
    return linker.cues(len(doc) - len(text))


class _Linker:
    """One document's evidence: hits per actor, proposal, rule and context phrase."""

    def __init__(self, g: Gazetteer, doc: str, tokens: list[Token], lang: str = "en") -> None:
        self.g, self.doc, self.tokens = g, doc, tokens
        self.actor_hits: dict[int, list[Hit]] = defaultdict(list)
        self.keyword_hits: dict[int, list[Hit]] = defaultdict(list)
        self.context_hits: dict[tuple[int, int], list[Hit]] = defaultdict(list)
        self.ref_hits: dict[str, list[Hit]] = defaultdict(list)
        hits = g.index.scan(tokens)
        if lang != "en":  # English inflection is what the token norms already handle
            hits += g.lemmas.scan(doc, lang, tokens)
        for hit in hits:
            bucket = {
                "actor": self.actor_hits,
                "keyword": self.keyword_hits,
                "context": self.context_hits,
                "ref": self.ref_hits,
            }[hit.entry.kind]
            bucket[hit.entry.key].append(hit)
        # an owner's name counts even where the filters below drop it as a link
        owner_ids = set().union(*g.owners.values()) if g.owners else set()
        self.owner_hits = {a: list(self.actor_hits.get(a, ())) for a in owner_ids}
        self._drop_nested_actors()
        self._drop_redefined_acronyms()
        self._drop_term_only_organisations()
        self._drop_press_demonyms()

    def _drop_nested_actors(self) -> None:
        """A name inside another actor's longer name is part of it: "EU" in "EU leaders"."""
        # only a name of two words or more can hold another: one-word spans are left out
        spans = [
            (h.first, h.last, a)
            for a, hits in self.actor_hits.items()
            for h in hits
            if h.last > h.first
        ]
        if not spans:
            return  # every name is one word: none is inside another
        self._drop_inside(spans)

    def _keep(self, actor_id: int, kept: list[Hit]) -> None:
        """Keep only these hits of an actor; an actor left with none is no longer linked."""
        if kept:
            self.actor_hits[actor_id] = kept
        else:
            del self.actor_hits[actor_id]

    def _drop_inside(self, spans: list[tuple[int, int, int]]) -> None:
        """Drop every actor hit that lies inside a longer span of another actor."""
        for actor_id, hits in list(self.actor_hits.items()):
            kept = [
                h
                for h in hits
                if not any(
                    other != actor_id
                    and f <= h.first
                    and h.last <= last
                    and last - f > h.last - h.first
                    for f, last, other in spans
                )
            ]
            self._keep(actor_id, kept)

    def _drop_term_only_organisations(self) -> None:
        """An organisation named only in an "until" clause, as a meeting's owner or by its
        founding treaty is a term, a venue or a text, not an actor of the story: "the accord
        stays in force until Ukraine joins NATO", "Meloni spoke at an EU summit", "a pledge
        inspired by Article 5 of the Washington Treaty"."""
        for actor_id, hits in list(self.actor_hits.items()):
            if self.g.actor_kinds.get(actor_id) != "organisation":
                continue
            if all(
                in_until_clause(self.tokens, h)
                or self._at_summit(h)
                or self._treaty(h)
                or self._nickname(h)
                for h in hits
            ):
                del self.actor_hits[actor_id]

    def _treaty(self, hit: Hit) -> bool:
        """Is the name a treaty's ("Washington Treaty", "Вашингтонського договору")?"""
        return any(
            t.norm.startswith(TREATY_STEMS) or t.norm.endswith("vertrag")
            for t in self.tokens[hit.first : hit.last + 1]
        )

    def _nickname(self, hit: Hit) -> bool:
        """Is the name part of a proposal's nickname ("NATO light", "Otan light")?"""
        after = self.tokens[hit.last + 1 : hit.last + 2]
        return bool(after) and after[0].norm == "light" and not after[0].hard_before

    def _drop_press_demonyms(self) -> None:
        """A country's adjective that only describes a newspaper or an agency ("a British
        business daily", "британська ділова газета", "la stampa britannica") names the
        press, not the state."""
        for actor_id, hits in list(self.actor_hits.items()):
            if self.g.actor_kinds.get(actor_id) != "state":
                continue
            kept = [
                h
                for h in hits
                if not (h.first == h.last and (self._press_word_near(h) or self._in_name(h)))
            ]
            self._keep(actor_id, kept)

    def _in_name(self, hit: Hit) -> bool:
        """A country inside another thing's name: "Tour de France", "Forza Italia"."""
        before = [t.norm for t in self.tokens[max(0, hit.first - 2) : hit.first]]
        return tuple(before[-1:]) in NAME_HEADS or tuple(before) in NAME_HEADS

    def _press_word_near(self, hit: Hit) -> bool:
        lo, hi = (
            max(0, hit.first - PRESS_WINDOW),
            min(len(self.tokens), hit.last + 1 + PRESS_WINDOW),
        )
        for k in range(lo, hi):
            if hit.first <= k <= hit.last:
                continue
            between = range(min(k, hit.first) + 1, max(k, hit.last) + 1)
            if any(self.tokens[j].hard_before for j in between):
                continue
            if self.tokens[k].norm.startswith(PRESS_STEMS):
                return True
        return False

    def _at_summit(self, hit: Hit) -> bool:
        """Is the name the owner of a summit ("EU summit", "саміт ЄС", "sommet de l'UE")?"""
        after = self.tokens[hit.last + 1 : hit.last + 2]
        before = self.tokens[max(0, hit.first - 2) : hit.first]
        return any(t.norm in SUMMIT_WORDS for t in (*after, *before))

    def _drop_redefined_acronyms(self) -> None:
        """Drop an acronym spelled out as something else: "Theatre Owners (NATO)"."""
        for actor_id, hits in list(self.actor_hits.items()):
            redefined = {
                self.tokens[h.first].surface
                for h in hits
                if h.first == h.last
                and h.entry.words[0].exact is not None
                and _defines_other(self.tokens, self.doc, h.first, hits)
            }
            if redefined:
                kept = [
                    h
                    for h in hits
                    if self.tokens[h.first].surface not in redefined or h.first != h.last
                ]
                self._keep(actor_id, kept)

    def run(self, body_start: int) -> LinkResult:
        actors = self._linked_actors()
        proposals = self._linked_proposals()
        result = LinkResult()
        result.actors = [Link(a, self.g.actor_slugs[a], self._phrase(h)) for a, h in actors]
        result.proposals = [
            Link(p, self.g.proposal_slugs[p], self._phrase(hits[0])) for p, hits in proposals
        ]
        result.salient = {
            self.g.proposal_slugs[p] for p, hits in proposals if self._salient(hits, body_start)
        }
        headline = " ".join(self.doc[:body_start].casefold().split())
        for p, hits in proposals:
            phrases = dict.fromkeys(self._phrase(h) for h in hits)  # in document order
            result.phrases[self.g.proposal_slugs[p]] = sorted(
                phrases, key=lambda ph: ph.casefold() in headline
            )
        covered = [(h.first, h.last) for hits in self.actor_hits.values() for h in hits]
        result.candidate_names = find_candidate_names(
            self.tokens, self.doc, body_start, covered, self.g.known_words
        )
        result.candidate_facts = self._facts(proposals, body_start)
        return result

    def cues(self, body_start: int) -> list[str]:
        """The rules' evidence per proposal as features the model can weigh in any language:
        one per hit ("§cue:slug", "§framed:slug" after a frame word, "§head:slug" in the
        headline) and per context phrase whose context is missing ("§loose:slug")."""
        feats: list[str] = []
        for pid, slug in self.g.proposal_slugs.items():
            hits = list(self.keyword_hits.get(pid, ()))
            for (rule_pid, n), ctx_hits in self.context_hits.items():
                if rule_pid != pid:
                    continue
                for h in ctx_hits:
                    if self._rule_holds(self.g.rules[(pid, n)], h):
                        hits.append(h)
                    else:
                        feats.append(f"§loose:{slug}")
            for h in hits:
                if self._owned(pid, h):  # another actor's: evidence of neither kind
                    feats.append(f"§owned:{slug}")
                    continue
                if self._framed(pid, h):
                    feats.append(f"§framed:{slug}")
                    continue
                feats.append(f"§cue:{slug}")
                if self.tokens[h.first].start < body_start:
                    feats.append(f"§head:{slug}")
        return feats

    def possible(self) -> set[str]:
        """Proposals whose required context ("@ukraine", "@zelensky") the document names."""
        out = set()
        for pid, slug in self.g.proposal_slugs.items():
            refs = self.g.proposal_requires.get(pid, ())
            if not refs or any(self._named(ref) for ref in refs):
                out.add(slug)
        return out

    def _named(self, ref: str) -> bool:
        if ref.startswith("@"):
            actor_id = self.g.actor_by_slug.get(ref[1:])
            return actor_id is not None and bool(self.actor_hits.get(actor_id))
        return bool(self.ref_hits.get(ref.casefold()))

    def _salient(self, hits: list[Hit], body_start: int) -> bool:
        """Named in the headline, more than once, or in the lead: what the story is about
        rather than an aside (asides need the model's agreement)."""
        if len(hits) >= SALIENT_MENTIONS:
            return True
        start = self.tokens[hits[0].first].start
        return start < body_start or start - body_start < LEAD_SHARE * (len(self.doc) - body_start)

    def _phrase(self, hit: Hit) -> str:
        text = self.doc[self.tokens[hit.first].start : self.tokens[hit.last].end]
        return " ".join(text.split())[:MAX_MATCHED_CHARS]

    def _linked_actors(self) -> list[tuple[int, Hit]]:
        """(actor id, the hit that explains it); weak names only next to a strong one."""
        any_strong = any(not h.entry.weak for hits in self.actor_hits.values() for h in hits)
        linked = []
        for actor_id, hits in self.actor_hits.items():
            strong = [h for h in hits if not h.entry.weak]
            if strong or any_strong:
                best = min(strong or hits, key=lambda h: h.first)
                linked.append((actor_id, best))
        if not any_strong:
            self.actor_hits.clear()
        linked.sort(key=lambda pair: min(h.first for h in self.actor_hits[pair[0]]))
        return linked

    def _linked_proposals(self) -> list[tuple[int, list[Hit]]]:
        """(proposal id, its qualifying hits in document order)."""
        out = []
        for pid in self.g.proposal_slugs:
            hits = list(self.keyword_hits.get(pid, ()))
            for (rule_pid, n), ctx_hits in self.context_hits.items():
                if rule_pid == pid:
                    hits.extend(h for h in ctx_hits if self._rule_holds(self.g.rules[(pid, n)], h))
            hits = [h for h in hits if not (self._owned(pid, h) or self._framed(pid, h))]
            requires = self.g.proposal_requires.get(pid, ())
            if hits and (not requires or self._has_context(requires, hits[0], None)):
                out.append((pid, sorted(hits, key=lambda h: h.first)))
        out.sort(key=lambda pair: pair[1][0].first)
        return out

    def _framed(self, pid: int, hit: Hit) -> bool:
        """Is the hit in a frame (bot/services/text/frames.py)?"""
        return is_framed(self.tokens, hit, negation_ok=pid in self.g.negation_defined)

    def _owned(self, pid: int, hit: Hit) -> bool:
        """Does a name of one of the proposal's `not_owned_by` actors end at most OWNER_GAP
        words before the hit, in its clause ("US ground troops", "американських військ")?"""
        for actor_id in self.g.owners.get(pid, ()):
            for other in self.owner_hits.get(actor_id, ()):
                gap = range(other.last + 1, hit.first + 1)
                if 0 < len(gap) <= OWNER_GAP + 1 and not any(
                    self.tokens[i].hard_before for i in gap
                ):
                    return True
        return False

    def _rule_holds(self, rule: Rule, hit: Hit) -> bool:
        if not self._has_context(rule.requires_any, hit, rule.window):
            return False
        return not rule.also_requires_any or self._has_context(rule.also_requires_any, hit, None)

    def _has_context(self, refs: tuple[str, ...], hit: Hit, window: int | None) -> bool:
        for ref in refs:
            if ref.startswith("@"):
                actor_id = self.g.actor_by_slug.get(ref[1:])
                others = self.actor_hits.get(actor_id, []) if actor_id is not None else []
            else:
                others = self.ref_hits.get(ref.casefold(), [])
            for other in others:
                if window is None or _distance(hit, other) <= window:
                    return True
        return False

    def _facts(
        self, proposals: list[tuple[int, list[Hit]]], body_start: int
    ) -> list[CandidateFact]:
        """Body sentences where a linked proposal's phrase meets a linked actor."""
        if not proposals or not self.actor_hits:
            return []  # no fact without both: skip splitting the document into sentences
        sentences = [s for s in split_sentences(self.doc) if s.start >= body_start]
        facts: list[tuple[int, CandidateFact]] = []
        seen: set[tuple[int, int]] = set()
        for pid, hits in proposals:
            for hit in hits:
                start = self.tokens[hit.first].start
                sent = next((s for s in sentences if s.start <= start < s.end), None)
                if sent is None or (sent.start, pid) in seen:
                    continue
                actor_id = self._actor_in(hit, sent.start, sent.end)
                if actor_id is None:
                    continue
                seen.add((sent.start, pid))
                facts.append((sent.start, CandidateFact(sent.text[:MAX_FACT_CHARS], pid, actor_id)))
        facts.sort(key=lambda pair: pair[0])
        return [fact for _, fact in facts[:MAX_FACTS]]

    def _actor_in(self, hit: Hit, start: int, end: int) -> int | None:
        """The actor a fact is about: the nearest named in its sentence, people first."""
        found = []
        for actor_id, hits in self.actor_hits.items():
            for h in hits:
                if start <= self.tokens[h.first].start < end:
                    penalty = 0 if self.g.actor_kinds.get(actor_id) == "person" else STATE_PENALTY
                    found.append((_distance(hit, h) + penalty, h.first, actor_id))
        return min(found)[2] if found else None


def _spellings(term: str) -> tuple[str, ...]:
    """A long acronym is also written as a name ("Nato", "Otan"); the dossier keeps one
    spelling per name whatever its case, so the other is added here."""
    if len(term) >= 4 and " " not in term and is_acronym(term):
        return (term, term.capitalize())
    return (term,)


def _distance(a: Hit, b: Hit) -> int:
    """Words between two hits (0 when they touch or overlap)."""
    return max(0, b.first - a.last, a.first - b.last)


SUMMIT_WORDS = frozenset(
    normalize(w)
    for w in [
        "summit",
        "summits",
        "саміт",
        "саммит",
        "gipfel",
        "sondergipfel",
        "gipfeltreffen",
        "sommet",
        "vertice",
        "szczyt",
        "szczytu",
        "szczycie",
    ]
)
# names of races, parties and firms that end with a country's name
NAME_HEADS = frozenset({("tour", "de"), ("forza",), ("giro", "d'"), ("air",), ("radio",)})
TREATY_STEMS = tuple(
    normalize(w) for w in ["treaty", "договор", "договір", "trattat", "traité", "traktat"]
)
PRESS_WINDOW = 2  # words between a country's adjective and the newspaper it describes
PRESS_STEMS = tuple(
    normalize(w)
    for w in [
        "newspaper",
        "daily",
        "tabloid",
        "broadcaster",
        "газет",
        "видання",
        "издани",
        "телеканал",
        "stampa",
        "quotidian",
        "giornal",
        "dziennik",
        "gazet",
        "zeitung",
        "journal",
    ]
)
DEFINITION_CUES = (("known", "as"), ("called",), ("dubbed",))
EXPANSION_GLUE = frozenset({"of", "for", "and", "the", "on", "de", "des", "du", "&"})


def _defines_other(tokens: list[Token], doc: str, i: int, same_actor: list[Hit]) -> bool:
    """Is tokens[i], an acronym, spelled out here as something other than this actor?"""
    end = i - 1
    gap = doc[tokens[i - 1].end : tokens[i].start] if i else ""
    if gap.rstrip().endswith("("):
        pass
    else:
        for cue in DEFINITION_CUES:
            n = len(cue)
            if end - n + 1 >= 0 and tuple(t.norm for t in tokens[end - n + 1 : end + 1]) == cue:
                end -= n
                break
        else:
            return False
    start = end
    while start >= 0 and (
        tokens[start].surface[:1].isupper() or tokens[start].norm in EXPANSION_GLUE
    ):
        if start < end and tokens[start + 1].hard_before:
            break
        start -= 1
    start += 1
    if end - start < 1:
        return False  # no spelled-out name of two words or more
    return not any(start <= h.first and h.last <= end for h in same_actor)
