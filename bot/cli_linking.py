"""`briefbot linking eval [--labels FILE] [--folds K]` and `briefbot linking train`.

eval: cross-validated precision and recall of linking as shipped (rules + model trained on
the other folds only), per proposal, per language and for actors, and how many on-topic and
near-miss articles would reach a digest. It runs on a throw-away in-memory database seeded
with the built-in dossier, never on the bot's own. train: train the model now on the labels
file and the curators' corrections, and store it in the bot's database."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bot.cli_common import fail, open_database, subcommand
from bot.settings import Settings


def _args(p: argparse.ArgumentParser) -> None:
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    ev = verbs.add_parser("eval", help="cross-validated precision and recall of linking")
    _labels_arg(ev)
    ev.add_argument("--folds", type=int, default=5, help="k of the k-fold split (default 5)")
    ev.add_argument(
        "--split",
        choices=("random", "language", "event"),
        default="random",
        help="how folds are cut: random (default), one per language, or by event (month)",
    )
    ev.add_argument("--rules-only", action="store_true", help="without the model, for comparison")
    ev.add_argument(
        "--train",
        type=Path,
        default=None,
        help="held-out mode: train once on this labelled YAML file or folder and score every"
        " document of --labels, instead of cross-validating on --labels",
    )
    tr = verbs.add_parser("train", help="train the model now and store it in the database")
    _labels_arg(tr)


def _labels_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--labels", type=Path, help="labelled YAML file or folder (default: the bundled sets)"
    )


@subcommand("linking", "linking quality and the model: `briefbot linking eval|train`", _args)
def cmd_linking(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.knowledge import training
    from bot.services.knowledge.labels_file import LabelsFileError, load_labels

    path = args.labels or training.labels_path(settings.linking_labels)
    if path is None:
        return fail("no labels file: pass --labels FILE")
    if args.verb == "train":
        db = open_database(settings)
        run = training.retrain(db, training.file_documents(path))
        if run is None:
            return fail("nothing to learn from (no labelled documents)")
        print(f"model {run.model_id}: {run.documents} documents ({run.curated} curated), "
              f"{run.seconds:.1f} s")  # fmt: skip
        return 0
    try:
        docs = load_labels(path)
    except LabelsFileError as exc:
        return fail(str(exc))
    if args.train is not None:
        try:
            training_docs = load_labels(args.train)
        except LabelsFileError as exc:
            return fail(str(exc))
        return _evaluate(docs, 0, not args.rules_only, training_docs)
    if not 2 <= args.folds <= len(docs):
        return fail(f"--folds must be between 2 and {len(docs)}")
    return _evaluate(docs, args.folds, not args.rules_only, split=args.split)


def _evaluate(
    docs: list,  # type: ignore[type-arg]
    folds: int,
    use_model: bool,
    training_docs: list | None = None,  # type: ignore[type-arg]
    split: str = "random",
) -> int:
    """Cross-validate on `docs`, or (with `training_docs`, `folds` 0) train once and score all."""
    from bot.services.knowledge.evaluation import cross_validate, held_out, render_table, report
    from bot.services.text.linking import Gazetteer
    from storage.scratch import scratch_database

    with scratch_database("briefbot-eval-") as db, db.session() as session:
        gazetteer = Gazetteer.from_session(session)
    started = time.perf_counter()
    if training_docs is not None:
        outcomes = held_out(gazetteer, training_docs, docs, use_model=use_model)
    else:
        outcomes = cross_validate(
            gazetteer,
            docs,
            folds,
            use_model=use_model,
            progress=lambda n: print(f"fold {n}", file=sys.stderr),
            split=split,
        )
    print(render_table(report(outcomes, folds, split)))
    mode = "rules + model" if use_model else "rules only"
    print(f"\n{mode}; {time.perf_counter() - started:.1f} s")
    return 0
