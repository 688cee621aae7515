from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from nutgraf import pipeline
from nutgraf.edit import compression
from nutgraf.edit.cuts import Piece, pieces_of, pieces_of_highlight
from nutgraf.errors import ModelError
from nutgraf.read import ingest, sentences
from nutgraf.story import Story

TEXT = (
    "Rebels, who control much of the north, attacked the town of Homs on Monday, an opposition"
    " group said. The group, which is based in London, said at least 80 people were killed in"
    " the fighting across the province. Rain is expected across the region on Tuesday, when"
    " the talks in Geneva resume."
)


class _Fixed(compression.CompressionModel):
    """A model that predicts the same gain for every unit."""

    def __init__(self, gain: float) -> None:
        super().__init__()
        self.gain = gain

    def gains(self, rows: NDArray[np.float32]) -> NDArray[np.float64]:
        return np.full(len(rows), self.gain)


def _bullets(story: Story) -> list[list[tuple[int, list[Piece]]]]:
    return [[(s.index, [(s.start, s.end)]) for s in story.sentences]]


def test_without_cuts_a_range_out_of_the_pieces_and_keeps_inserted_strings() -> None:
    pieces: list[Piece] = [(0, 10), " says", (20, 30)]
    assert compression.without(pieces, 5, 25) == [(0, 5), " says", (25, 30)]
    assert compression.without(pieces, 10, 20) == pieces


def test_every_unit_with_a_positive_gain_goes_and_the_words_left_are_the_storys() -> None:
    story = sentences.split(Story(TEXT))
    [cut] = compression.shorten([story], _bullets(story), _Fixed(1.0))
    whole = [s.text for s in story.sentences]
    texts = [pieces_of(story, pieces) for pieces in cut]
    assert texts[0] == "Rebels attacked the town of Homs, an opposition group said."
    assert all(len(t.split()) < len(w.split()) for t, w in zip(texts, whole, strict=True))
    for pieces, sentence in zip(cut, story.sentences, strict=True):
        spans = [p for p in pieces if isinstance(p, tuple)]
        assert len(spans) == len(pieces)
        assert all(sentence.start <= a < b <= sentence.end for a, b in spans)


def test_no_unit_goes_when_no_gain_is_expected() -> None:
    story = sentences.split(Story(TEXT))
    bullets = _bullets(story)
    [cut] = compression.shorten([story], bullets, _Fixed(-1.0))
    assert cut == [pieces for _, pieces in bullets[0]]


def test_a_quotation_opened_in_an_earlier_sentence_keeps_its_words() -> None:
    text = (
        'The BBC said: "We have suspended the presenter after the incident on Monday. The show'
        ' will not be broadcast this Sunday in Britain." The presenter has not commented.'
    )
    story = sentences.split(Story(text))
    cut = compression.shorten([story], _bullets(story), _Fixed(1.0))[0]
    assert pieces_of(story, cut[1]) == story.sentences[1].text


def test_no_cut_leaves_two_marks_together() -> None:
    text = (
        "Baines, of Arnold, was given a 26-week prison sentence, suspended for two years, on"
        " Friday after pleading guilty to theft earlier this year."
    )
    story = sentences.split(Story(text))
    [[pieces]] = compression.shorten([story], _bullets(story), _Fixed(1.0))
    assert ", ." not in pieces_of(story, pieces) and ",." not in pieces_of(story, pieces)


def test_a_bullet_keeps_at_least_min_words() -> None:
    text = "Smith, the coach of the city team since May, resigned on Monday."
    story = sentences.split(Story(text))
    [[pieces]] = compression.shorten([story], _bullets(story), _Fixed(1.0))
    assert len(pieces_of(story, pieces).split()) >= compression.MIN_WORDS


def test_a_saved_model_loads_with_the_same_predictions(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    rows = rng.random((300, len(compression.FEATURES)), dtype=np.float32)
    rows[:, :3] = rng.integers(0, 4, size=(300, 3))
    model = compression.CompressionModel().fit(rows, rows[:, 3].astype(np.float64) * 2 - 1)
    model.save(tmp_path / "model.npz")
    loaded = compression.CompressionModel.load(tmp_path / "model.npz")
    assert np.allclose(loaded.gains(rows), model.gains(rows))


def test_an_unreadable_model_file_says_which_and_how_to_retrain(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    np.savez(bad, meta=np.array('{"format": 0}'))
    with pytest.raises(ModelError, match="train-compression"):
        compression.CompressionModel.load(bad)


def test_the_packaged_model_shortens_bullets_and_no_compress_keeps_sentences_whole() -> None:
    text = Path(__file__).parents[3].joinpath("examples", "000_7c7ec3b5e1da7bbe.txt").read_text()
    cut = pipeline.process(ingest.read(text), figures=None)
    whole = pipeline.process(ingest.read(text), figures=None, compress=False)
    assert [h.sentences for h in cut.highlights] == [h.sentences for h in whole.highlights]
    assert sum(len(h.text.split()) for h in cut.highlights) < sum(
        len(h.text.split()) for h in whole.highlights
    )
    for short, long in zip(cut.highlights, whole.highlights, strict=True):
        sentence = cut.sentences[short.sentences[0]]
        assert all(sentence.start <= a < b <= sentence.end for a, b in short.spans)
        assert len(short.text.split()) <= len(long.text.split())
        # the words are the spans', with nothing between them but what the editing inserts
        pieces = pieces_of_highlight(cut, short)
        assert pieces_of(cut, pieces) == short.text
        assert {p for p in pieces if isinstance(p, str)} <= {" says", " say"}
