"""Tests of learning the compression model from stories and their highlights."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nutgraf.edit import compression, train
from nutgraf.edit.units import KINDS
from nutgraf.read import ingest, sentences

SAMPLE = Path(__file__).parents[3] / "tests" / "fixtures" / "cnndm_sample.jsonl"

TEXT = (
    "Rebels, who control much of the north, attacked the town of Homs on Monday, an opposition"
    " group said. The group, which is based in London, said at least 80 people were killed."
)


def test_a_unit_whose_words_the_highlights_lack_is_labelled_a_gain() -> None:
    story = sentences.split(ingest.read(TEXT))
    story.reference = ["Rebels attacked the town of Homs, an opposition group said."]
    rows, gains = train.examples([story])
    kinds = [KINDS[int(row[0])] for row in rows]
    assert len(rows) == len(gains) and rows.shape[1] == len(compression.FEATURES)
    # ", who control much of the north," is not in the highlights: cutting it gains
    assert gains[kinds.index("relative")] > 0


def test_training_writes_a_model_that_loads(tmp_path: Path) -> None:
    out = train.train(SAMPLE, tmp_path / "compression.npz", n_jobs=1)
    model = compression.CompressionModel.load(out)
    rows = np.zeros((2, len(compression.FEATURES)), dtype=np.float32)
    assert model.gains(rows).shape == (2,)
