"""Linking quality on the labelled corpus: micro precision and recall of at least 0.9."""

from __future__ import annotations

import pytest

from benchmarks.linking_quality import TUNING, evaluate, load_corpus
from bot.services.text.linking import Gazetteer

TARGET = 0.9


@pytest.mark.parametrize("subset", ["all", "held-out"])
def test_precision_and_recall_reach_target(gazetteer: Gazetteer, subset: str) -> None:
    articles = load_corpus()
    assert len(articles) >= 30
    if subset == "held-out":
        articles = [a for a in articles if a.id not in TUNING]
    for kind, score in evaluate(gazetteer, articles).items():
        errors = sorted(score.false_pos) + sorted(score.false_neg)
        assert score.precision >= TARGET, (kind, score.precision, errors)
        assert score.recall >= TARGET, (kind, score.recall, errors)
