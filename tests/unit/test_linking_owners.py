"""A proposal's phrase right after another actor's name is that actor's (`not_owned_by` in the
dossier): "American troops in Ukraine" is not the European force, in any language, while the
same phrase without the owner, or with the owner further away, still links. Texts written for
these tests; rules only, plus the cue the model reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.knowledge.labels_file import LabelsFileError, load_labels
from bot.services.text.linking import Gazetteer, cue_features, link_document
from tests.support.linking_fixtures import proposals


@pytest.mark.parametrize(
    "text",
    [
        "Trump said there would be no American troops in Ukraine, only help from the air.",
        "The vice-president repeated that US ground troops in Ukraine are not an option.",
        "Трамп заявив, що американських військ в Україні не буде, але можлива допомога з повітря.",
        "Вэнс повторил, что американских войск на Украине не будет.",
    ],
)
def test_troops_owned_by_the_us_are_not_the_european_force(g: Gazetteer, text: str) -> None:
    found = proposals(link_document(g, "", text, use_model=False))
    assert "european-troops" not in found
    assert "§owned:european-troops" in cue_features(g, "", text)


@pytest.mark.parametrize(
    "text",
    [
        "Paris and London are ready to send troops to Ukraine once a ceasefire holds.",
        "The United States will not take part, but European troops in Ukraine would be backed"
        " by allied intelligence.",
        "США допомагатимуть розвідкою, а війська в Україні розмістять європейці після перемир'я.",
    ],
)
def test_the_same_phrase_without_an_owner_still_links(g: Gazetteer, text: str) -> None:
    assert "european-troops" in proposals(link_document(g, "", text, use_model=False))


def test_labels_load_from_a_folder_of_files(tmp_path: Path) -> None:
    doc = "  - {{id: {id}, lang: en, title: T, body: B, on_topic: true, near_miss: false}}\n"
    (tmp_path / "a.yaml").write_text("documents:\n" + doc.format(id="a-1"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("documents:\n" + doc.format(id="b-1"), encoding="utf-8")
    assert [d.id for d in load_labels(tmp_path)] == ["a-1", "b-1"]
    (tmp_path / "c.yaml").write_text("documents:\n" + doc.format(id="a-1"), encoding="utf-8")
    with pytest.raises(LabelsFileError, match="appears twice"):
        load_labels(tmp_path)
    assert [d.id for d in load_labels(tmp_path / "c.yaml")] == ["a-1"]  # one file still loads
    (tmp_path / "empty").mkdir()
    with pytest.raises(LabelsFileError, match=r"no \*\.yaml"):
        load_labels(tmp_path / "empty")


@pytest.fixture
def g(gazetteer: Gazetteer) -> Gazetteer:
    return gazetteer
