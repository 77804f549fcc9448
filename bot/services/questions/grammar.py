"""A small intent grammar for questions in English, Ukrainian and Russian.

Cues are looked for in the question with the names taken out ("who backs air support" must
not read "support" as a cue), as word beginnings, so "підтримує", "підтримують" and
"підтримав" all meet the cue "підтрим".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# intents, in the order a question is tested for them
COMPARE = "compare"
OPPONENTS = "opponents"
BACKERS = "backers"
NEWS = "news"
SAID = "said"
POSITION = "position"
PROPOSES = "proposes"
STATUS = "status"
DECIDED = "decided"  # a cue only: "вже домовились?", "что решили": how it stands, or a stance
CONDITIONS = "conditions"  # a cue only: "Putin's conditions" (a stance), "умови вступу" (the card)
HAPPENS = "happens"  # a cue only: "is that actually happening?" asks how it stands
WHEN = "when"  # a cue only: "when did Italy sign", "коли британія підписала": how it stands
YES_NO = "yes_no"  # a cue only: "is …", "чи …", "… ли"
WHO = "who"  # a cue only: "who …", "хто …", "кто …"
ABOUT_PROPOSAL = "proposal"
ABOUT_ACTOR = "actor"
OVERVIEW = "overview"  # no name, but asks what is on the table
UNKNOWN = "unknown"


def _cues(text: str) -> re.Pattern[str]:
    """Cues separated by "|", each matched at a word start; "$" at the end: the whole word."""
    parts = []
    for cue in (c.strip() for c in text.split("|")):
        if cue:
            whole = cue.endswith("$")
            body = re.escape(cue.rstrip("$").strip()).replace(r"\ ", r"\s+")
            parts.append(body + (r"\b" if whole else ""))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


CUES: dict[str, re.Pattern[str]] = {
    COMPARE: _cues(
        "compar | differ | vs$ | vs.$ | versus$ | better than | worse than | порівня | "
        "різниц | відрізня | краще за | краще ніж | сравн | разниц | отлича | "
        "лучше чем | which is better | which works better | which one is better | what is better | "
        "what's better | more realistic | more reliable | more effective | що краще | "
        "що надійн | що ефективн | що реальн | що дієв | что лучше | что надежн | "
        "что эффективн | что реальн | краще$ | лучше$ | надійніше | надежнее"
    ),
    OPPONENTS: _cues(
        "oppos | opponent | against$ | reject | block | veto | stand in the way | stands in the way | "
        "obstruct | блоку | блокир | вето$ | заважа | мешает | мешают | не пуска | не пуст | "
        "say no | says no | saying no | said no | каже ні | кажуть ні | говорит нет | говорят нет | "
        "keep out | keeps out | keep _ out | keeps _ out | keeping _ out |  object to | objects to | critic | resist | "
        "doesn't want | does not want | don't want | doesnt want | dont want | didnt want | "
        "didn't want | doesn't support | doesnt support | don't support | dont support | "
        "does not support | do not support | not on board | refuse | проти$ | заперечу | "
        "відкида | опонент | критику | не хоче | не хочуть | не підтриму | відмовля | "
        "против$ | возража | отверга | оппонент | критику | не хочет | не хотят | "
        "не поддержива | отказыва"
    ),
    BACKERS: _cues(
        "back$ | backs$ | backed$ | backing$ | backer | support | behind$ | in favour | "
        "in favor | endorse | champion | promot | топить за | топит за | "
        "came up with | come up with | comes up with | whose idea | whose plan | whose proposal | "
        "who invented | who thought of | придума | чия ідея | чия це ідея | чиє | чья идея | "
        "чья это идея | чье | чьё | чей$ | чий$ | "
        "which countries | which states | who's in | who is in | who else is in | які країни | "
        "які держави | какие страны | какие государства | хто входить | кто входит | "
        "топлять за | топят за | топлю за | топив за | топил за | who proposed | who put forward | "
        "who wants | who is for | allies of | signed | ready to | prepared to | готов | виступає за | выступает за | выступают за | виступають за | contribut | willing to | would send | підтрим | стоїть за | хто за$ | "
        "схвалю | хто запропонува | хто пропонує | хто хоче | просува | підписа | "
        "поддерж | стоит за | кто за$ | одобря | кто предложил | кто предлагает | "
        "кто хочет | продвига | подписа"
    ),
    NEWS: _cues(
        "new$ | news | latest | recent | update | happening | developments | lately | "
        "anything new | going on | нового | нове$ | новин | останн | оновлен | відбува | "
        "чути$ | нового | новое | новост | последн | обновлен | происходит | слышно | "
        "reported | reporting | reports$ | in the press | in the media | пишуть | пишут | "
        "у пресі | в прессе | в сми | у змі"
    ),
    SAID: _cues(
        "say | said | statement | quote | remark | told | speak | spoke | claim | "
        "announc | comment | сказа | заяв | говори | каже | кажуть | казав | казала | повідоми | "
        "коментув | сказал | заявл | говорил | говорит | говорят | сообщ | коммент"
    ),
    POSITION: _cues(
        "position | stance | view | think | feel about | stand on | stands on | stand$ | "
        "attitude | opinion | where is | make of | accept | agree to | agrees to | "
        "думаю | думал | думк | думаєт | думаете | думаешь | думаєш | "
        "ok with | okay with | fine with | happy with | cool with | on board with | "
        "thoughts on | thoughts about | "
        "doing$ | робить$ | роблять | делает | делают | "
        "welcome | позиці | думає | думка | ставит | погляд | точка зору | вважає | "
        "погоджується на | приймає | позици | думает | мнени | относит | взгляд | "
        "считает | согласна на | согласен на | соглашается | принимает"
    ),
    PROPOSES: _cues(
        "propos | plan$ | plans$ | planned | planning | suggest | offer | ask for | asks for | "
        "promis | pledg | vow | обіця | пообіця | обеща | пообеща | "
        "asking for | seek | пропону | просить | просят | просит | домага | добива | put forward | want | idea | push | demand | пропону | "
        "пропозиц | план | хоче | хочуть | хотіл | ідея | пропоз | предлага | предложени | "
        "хочет | хотят | хотел | "
        "идея | вимага | требу"
    ),
    STATUS: _cues(
        "status | when$ | join | become | chance | likely | agreed | in force | still$ | "
        "yes or no | так чи ні | да или нет | off the table | на столі | на столе | "
        "going to | where does | stand now | progress | happen | статус | коли$ | "
        "вступ | приєдна | стан$ | ухвал | погодж | станом | статус | когда$ | вступ | "
        "присоедин | состояни | принят | соглас | how far | how close | where do things | "
        "where are things | decided | етап | зараз$ | де зараз | вирішен | этап | где сейчас | "
        "решен | сейчас$"
    ),
    DECIDED: _cues(
        "домовил | домовлен | договорил | договорен | вирішил | вирішують | решил | решают | "
        "узгодил | узгоджен | согласовал | settled | finalised | finalized | sorted out | "
        "signed off | done deal | set in stone | locked in | been agreed | agreed so far | "
        "погодили | погоджено | согласовано | договорились"
    ),
    CONDITIONS: _cues(
        "conditions | condition$ | requirements | terms$ | умови$ | умов$ | умовами | вимоги | "
        "условия | условий | условиях | требования"
    ),
    WHEN: _cues(
        "when$ | коли$ | когда$ | what date | which date | since when | з якого | с какого"
    ),
    WHO: _cues(
        "who | which | whose | хто | які | яка | кто | какие | какая | чьи | чья | чия | чий$ | чей$ | "
        "чиє | чье | чьё"
    ),
    OVERVIEW: _cues(
        "proposals | options | guarantees | on the table | пропозиці | варіант | гаранті | "
        "предложени | вариант | гаранти"
    ),
    # English asks yes or no with its first word ("what does Italy propose" does not);
    # Ukrainian and Russian with a particle anywhere
    YES_NO: re.compile(
        r"(?:^\W*|(?:[,;:—–]|\s-)\s*|^\W*(?:so|and|but|ok|okay|then|also|well|hey|and so)\W+)"
        r"(?:is|are|was|were|will|does|do|did|has|have|can|could|would|should|shall)\b"
        r"|(?<!\w)(?:чи|ли)\b",
        re.IGNORECASE,
    ),
}
# "who would send troops?", "хто відправить війська?": asks who backs it, only after "who"
SENDS = _cues(
    "send | sending | sent$ | contribut | provide | providing | deploy | commit troops | "
    "put$ | station | commit$ | надісл | дати$ | дадуть | дасть | дать$ | дадут | даст$ | розміст | размест | ввести | введут | введе | ввод | "
    "відправ | надішл | пошл | направ | надас | нада$ | розгорн | отправ | пошл | направ | "
    "предостав | развернут | развернёт | развернет"
)
# "how will it work": future and conditional forms of "work"
WORKS = (
    "conditions | condition for | requirements | criteria | умови$ | умов$ | вимог | "
    "условия | условий | требовани | критери | "
    "have to | has to | obliged | oblige | obligat | binding | зобов'яз | обов'яз | обязан | "
    "обязат | would work | will work | supposed to work | is meant to work | be working | "
    "працюватим | працюват | діятим | буде працю | буде діят | будет работ | будут работ | "
    "будет действ | будет функцион | работать будет | працювати буде"
)
ABOUT = _cues(
    "what is | what's | whats | what are | tell me | explain | how would | "
    "how does | who is | who's | details | describe | about$ | що таке | розкажи | "
    "поясн | як працю | як би | хто такий | хто така | хто це | про$ | что такое | "
    "расскажи | объясн | как работ | кто такой | кто такая | кто это | о$ | об$ | " + WORKS
)


# "A or B?": the words that offer a choice, and the ones after them that do not ("… or not")
OR_WORDS = frozenset({"or", "или", "або", "либо", "чи"})
NOT_WORDS = frozenset({"not", "нет", "ні", "не"})


def or_compares(cues: Cues) -> Cues:
    """ "European troops or American aviation?" with nothing else asked: a comparison."""
    if cues.found - {WHO, YES_NO}:
        return cues
    return Cues(cues.found | {COMPARE}, cues.about, cues.explain)


# news words that in a yes-or-no question ask whether a thing happens
HAPPENING = _cues("happening | going on | відбува | происходит")
# "be accepted", "been admitted": what happens to someone, not what anyone thinks
PASSIVE = re.compile(
    r"(?<!\w)(?:be|been|being|get|gets|got|getting)\s+"
    r"(?:accepted|admitted|invited|let in|taken in|welcomed|allowed)\b",
    re.IGNORECASE,
)


# asks how a thing works rather than whose it is: "how does the Italian mechanism work?",
# "как будет работать итальянский план", "як працюватиме механізм"
EXPLAIN = _cues(
    "how does | how would | how will | how do | explain | describe | details | як працю | "
    "поясн | опиш | как работ | объясн | опиш | " + WORKS
)
# asks where a claim comes from: the proposal's card with its citations, not how it stands
# ("where does this come from", "звідки інфа", "откуда это известно")
SOURCE = _cues(
    "come from | comes from | came from | coming from | source | sources$ | sauce$ | "
    "where did you get | where'd you get | who said so | citation | cite | "
    "звідки | джерел | хто це сказав | откуда | источник | кто это сказал"
)


@dataclass(frozen=True)
class Cues:
    found: frozenset[str]
    about: bool
    explain: bool = False

    def has(self, intent: str) -> bool:
        return intent in self.found


def read_cues(masked: str) -> Cues:
    """Which intent cues occur in the question (names already replaced by "_")."""
    text = " ".join(masked.replace("’", "'").split()) + " "
    found = frozenset(intent for intent, pattern in CUES.items() if pattern.search(text))
    if WHO in found and SENDS.search(text):
        found |= {BACKERS}
    if YES_NO in found and NEWS in found and not CUES[NEWS].search(HAPPENING.sub(" ", text)):
        # "is that actually happening?", "is anything going on with the force?": whether it
        # happens, not what the news says
        found = (found - {NEWS}) | {STATUS, HAPPENS}
    about = bool(ABOUT.search(text))
    if SOURCE.search(text):
        # "where does the air support claim come from": the cited card, not its status
        found = found - {STATUS}
        about = True
    if PASSIVE.search(text):
        # "will Kyiv be accepted into the alliance?" asks how things stand, not whose view
        found = (found - {POSITION}) | {STATUS}
    return Cues(found, about, bool(EXPLAIN.search(text)))


def choose_intent(cues: Cues, n_proposals: int, n_actors: int) -> str:
    """The intent from the cues and how many proposals and actors the question names."""
    if n_proposals >= 2 and (cues.has(COMPARE) or not cues.found & _ONE_PROPOSAL_CUES):
        return COMPARE
    if n_proposals and n_actors:
        return _actor_and_proposal(cues)
    if n_proposals:
        if cues.has(DECIDED):
            cues = Cues(cues.found | {STATUS}, cues.about, cues.explain)
        if cues.has(YES_NO) and cues.has(STATUS) and not cues.has(COMPARE):
            return STATUS  # "is the reassurance force happening?" is not asking for news
        for intent in (COMPARE, OPPONENTS, BACKERS, NEWS, STATUS):
            if cues.has(intent):
                return intent
        if cues.has(WHO) and cues.has(PROPOSES):
            return BACKERS  # "who's pushing the Article 5 idea?"
        if cues.has(YES_NO) and not cues.about:
            return STATUS
        return ABOUT_PROPOSAL
    if n_actors:
        for intent in (NEWS, SAID, POSITION, PROPOSES):
            if cues.has(intent):
                return intent
        if cues.found & {OPPONENTS, BACKERS, DECIDED, CONDITIONS}:
            return POSITION  # "what did Trump decide?", "какие условия у Путина"
        return ABOUT_ACTOR
    if cues.has(NEWS):
        return NEWS
    if cues.found & {OVERVIEW, DECIDED}:
        return OVERVIEW  # "what has been agreed so far?", "що вже вирішили?"
    return UNKNOWN


_ONE_PROPOSAL_CUES = frozenset({OPPONENTS, BACKERS, NEWS, SAID, POSITION})


def _actor_and_proposal(cues: Cues) -> str:
    """ "Does the US back air support?" asks for a position; "who backs it" would name none."""
    if cues.has(COMPARE):
        return COMPARE
    if cues.has(NEWS):
        return NEWS
    if cues.has(SAID):
        return SAID
    if cues.has(HAPPENS) or (cues.has(WHEN) and not cues.has(WHO)):
        return STATUS  # "when did Italy sign its deal?", "коли британія підписала угоду?"
    if cues.has(POSITION) or cues.has(DECIDED):
        return POSITION  # "англия и франция что решили насчет войск"
    if cues.has(OPPONENTS) or cues.has(BACKERS):
        # "is Meloni against European troops?", "мелони против европейских войск?" (a yes or no
        # without its particle): only "who …" asks for the side rather than the stance
        return who_side(cues) if cues.has(WHO) else POSITION
    if cues.has(STATUS) and not cues.has(YES_NO):
        return STATUS  # "when will the US send planes?"
    return POSITION  # "will the US send soldiers?" asks where the US stands


def who_side(cues: Cues) -> str:
    """Who is asked for: the opponents or the backers."""
    return OPPONENTS if cues.has(OPPONENTS) else BACKERS


def asks_stance(cues: Cues) -> bool:
    """Cues that ask what an actor thinks, wants or said ("does NATO want Ukraine as a
    member?"), not who does ("who backs NATO's role?")."""
    if cues.found & {POSITION, PROPOSES, SAID}:
        return True
    return bool(cues.found & {BACKERS, OPPONENTS}) and not cues.has(WHO)


def needs_proposal(cues: Cues) -> bool:
    """Cues that ask about a proposal: then "NATO" may mean NATO membership."""
    return bool(cues.found & {COMPARE, OPPONENTS, BACKERS, STATUS})
