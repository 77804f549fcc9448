"""Spot names in a text that look like people but are unknown to the dossier."""

from __future__ import annotations

from collections.abc import Container
from functools import lru_cache

from bot.services.text.tokens import Token, words

MAX_NAMES = 10

# Titles before a name: "Defence Minister X", "President Y", "міністр оборони Z".
TITLES = words(
    """
    president minister chancellor secretary senator governor general gen ambassador
    commissioner premier spokesman spokeswoman spokesperson envoy mr mrs ms dr prof admiral
    colonel col lt mayor speaker king queen prince pope marshal
    президент президента міністр міністра министр министра прем'єр прем'єрка премьер канцлер
    генсек генсекретар генсекретарь посол посла речник речниця спікер спикер пан пані господин
    сенатор генерал голова глава мер король
    """
)
# Words that qualify a title and are capitalised with it: "Prime Minister", "Defence Minister".
TITLE_QUALIFIERS = words(
    """
    prime deputy vice foreign defence defense finance interior economy justice health trade
    first former acting chief secretary state general executive
    """
)
MONTHS_DAYS = words(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    січень лютий березень квітень травень червень липень серпень вересень жовтень листопад
    грудень понеділок вівторок середа четвер п'ятниця субота неділя январь февраль март апрель
    май июнь июль август сентябрь октябрь ноябрь декабрь понедельник вторник среда четверг
    пятница суббота воскресенье
    """
)
# Capitalised words that end or fill the names of places, bodies and events, not people.
NOT_PERSON = words(
    """
    the a an and of for in on at to by with from as but or if under after before during
    this that these those it its he she they we our their his her when while since
    north south east west eastern western northern southern central new old great
    sea ocean river island islands mountains lake bay gulf coast valley street square road avenue
    league cup championship games olympics stadium stadio arena club team
    union council ministry committee commission association agency office party bank fund
    forces force army navy command headquarters court parliament senate congress assembly
    summit declaration agreement treaty accord pact act law plan programme program initiative
    university institute foundation news times post press media company group corporation
    organization organisation alliance coalition federation republic kingdom state states
    region oblast province district county city department cabinet administration government
    centre center festival prize award week day airport station palace hall cathedral
    airlines motors energy euro atlantic pacific arctic baltic mediterranean
    """
)
# A country in the genitive between a Ukrainian/Russian title and a name: "Фінляндії".
GENITIVE_ENDINGS = ("ії", "ї", "ии", "ы", "и")
LEADING_NOISE = TITLE_QUALIFIERS | NOT_PERSON | MONTHS_DAYS
NAME_GLUE = words("of for on de des du")
NAME_PARTICLES = words("von van der den de da di la le del bin al")


def find_candidate_names(
    tokens: list[Token],
    doc: str,
    body_start: int,
    covered: list[tuple[int, int]],
    known_words: frozenset[str],
) -> list[str]:
    """Person-like names in the body, in order of appearance, without known ones."""
    # runs start only at capitalised words of the body: visit those, in order, rather than
    # every token; the lower-case words are listed only if a judgement asks for them
    starts = [k for k, t in enumerate(tokens) if t.start >= body_start and _capital(t.surface)]
    lower_words = _LowerWords(tokens)
    taken = {i for first, last in covered for i in range(first, last + 1)}
    names: list[str] = []
    i = 0
    for k in starts:
        if len(names) >= MAX_NAMES:
            break
        if k < i:
            continue  # inside the previous run
        run = _capitalised_run(tokens, doc, k)
        name = _judge(tokens, run, taken, known_words, lower_words)
        if name and name not in names:
            names.append(name)
        i = run[-1] + 1
    return names


class _LowerWords:
    """The casefolded words a text also uses in lower case, listed on the first question."""

    def __init__(self, tokens: list[Token]) -> None:
        self._tokens: list[Token] | None = tokens
        self._words: set[str] = set()

    def __contains__(self, word: object) -> bool:
        if self._tokens is not None:
            self._words = {t.surface.casefold() for t in self._tokens if t.surface.islower()}
            self._tokens = None
        return word in self._words


def _is_capitalised(tok: Token) -> bool:
    return _capital(tok.surface)


@lru_cache(maxsize=65536)
def _capital(word: str) -> bool:
    """ "Stubb", "McCarthy"; not "MPs", "NATO" or "iPhone" (cached: asked of every word)."""
    return len(word) >= 2 and word[0].isupper() and word[1].islower() and word.isalpha()


def _capitalised_run(tokens: list[Token], doc: str, i: int) -> list[int]:
    """Indexes of consecutive capitalised words (joined by a space or hyphen) from i."""
    if not _is_capitalised(tokens[i]):
        return []
    run = [i]
    k = i + 1
    while k < len(tokens) and len(run) < 6:
        gap = doc[tokens[k - 1].end : tokens[k].start]
        if gap.strip(" -\n") or tokens[k].hard_before:
            break
        word = tokens[k].surface
        particle = word in NAME_PARTICLES and k + 1 < len(tokens) and _is_capitalised(tokens[k + 1])
        if not (_is_capitalised(tokens[k]) or particle):
            break
        run.append(k)
        k += 1
    return run


def _judge(
    tokens: list[Token],
    run: list[int],
    taken: set[int],
    known_words: frozenset[str],
    lower_words: Container[str],
) -> str | None:
    """The person name inside a capitalised run, or None if it looks like anything else."""
    if _continues_a_name(tokens, run[0]):
        return None  # "Association of Theatre Owners": the tail of an institution's name
    folded = [tokens[k].surface.casefold() for k in run]
    titles = [n for n, w in enumerate(folded) if w in TITLES]
    if titles:  # "On Monday Finnish President Alexander Stubb" -> "Alexander Stubb"
        run = run[titles[-1] + 1 :]
        titled = True
    else:
        titled = _title_before(tokens, run[0])
        while run and tokens[run[0]].surface.casefold() in LEADING_NOISE:
            run = run[1:]  # "On Monday Pete Hegseth": leading function words go
    words = [tokens[k].surface for k in run]
    if titled and len(words) >= 3 and words[0].endswith(GENITIVE_ENDINGS):
        run, words = run[1:], words[1:]  # "міністр оборони Фінляндії Антті Хяккянен"
    if not words or any(k in taken for k in run):
        return None
    folded = [w.casefold() for w in words]
    if any(w in NOT_PERSON or w in MONTHS_DAYS or w in known_words for w in folded):
        return None
    if len(words) > 4 or (len(words) == 1 and not titled):
        return None
    first = tokens[run[0]]
    sentence_initial = run[0] == 0 or first.hard_before
    if sentence_initial and not titled and folded[0] in lower_words:
        return None  # "Officials Said" style: the word is also used in lower case
    return " ".join(words)


def _continues_a_name(tokens: list[Token], i: int) -> bool:
    if i < 2 or tokens[i].hard_before or tokens[i - 1].hard_before:
        return False
    glue, head = tokens[i - 1], tokens[i - 2]
    return glue.surface in NAME_GLUE and _is_capitalised(head)


def _title_before(tokens: list[Token], i: int) -> bool:
    """A title among the three words before i: "the defence minister X", "міністр оборони X"."""
    if tokens[i].hard_before:
        return False
    for k in range(i - 1, max(i - 4, -1), -1):
        if tokens[k].surface.casefold() in TITLES:
            return True
        if tokens[k].hard_before:
            return False
    return False
