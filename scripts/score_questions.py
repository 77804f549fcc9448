"""Score the question service on a file of questions and print a table per language.

    .venv/bin/python scripts/score_questions.py [FILE.yaml ...] [--misses]

Each file is a YAML list of {q, lang, intent, expect_proposals, expect_actors} (or a mapping
with that list under `questions:`); a question is
right when the intent matches and every expected proposal and actor slug is among the
answer's (`Answer.proposal_slugs`, `Answer.actor_slugs`). Runs on a fresh SQLite database
seeded with the built-in dossier, with no network. The default file is the development set.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.services.questions import answer_question  # noqa: E402
from storage.scratch import scratch_database  # noqa: E402

DEV_SET = ROOT / "tests" / "fixtures" / "questions" / "dev_questions.yaml"


def load_questions(path: Path) -> list[dict]:
    """The questions of a file: a YAML list, or a mapping holding the list under `questions`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("questions") or []
    return [item for item in data or [] if isinstance(item, dict) and item.get("q")]


def main(argv: list[str]) -> int:
    show_misses = "--misses" in argv
    files = [Path(a) for a in argv if not a.startswith("--")] or [DEV_SET]
    items = [item for f in files for item in load_questions(f)]
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    intents_right: Counter[str] = Counter()
    with scratch_database("briefbot-score-") as db, db.session() as session:
        for item in items:
            answer = answer_question(session, item["q"], item.get("lang", "en"))
            lang = item.get("lang", "en")
            total[lang] += 1
            intent_ok = answer.intent == item.get("intent", answer.intent)
            names_ok = set(item.get("expect_proposals") or []) <= set(
                answer.proposal_slugs
            ) and set(item.get("expect_actors") or []) <= set(answer.actor_slugs)
            intents_right[lang] += intent_ok
            right[lang] += intent_ok and names_ok
            if show_misses and not (intent_ok and names_ok):
                print(
                    f"miss [{lang}] {item['q']!r}: got {answer.intent} "
                    f"{answer.proposal_slugs} {answer.actor_slugs}"
                )
    print(f"{'language':<10}{'right':>8}{'of':>6}{'score':>8}{'intent ok':>11}")
    for lang in sorted(total):
        score = right[lang] / total[lang]
        print(f"{lang:<10}{right[lang]:>8}{total[lang]:>6}{score:>8.1%}{intents_right[lang]:>11}")
    all_right, all_total = sum(right.values()), sum(total.values())
    print(f"{'all':<10}{all_right:>8}{all_total:>6}{all_right / max(all_total, 1):>8.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
