"""The source model's parts: quotations, candidates' features, and its file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nutgraf.claims import sources
from nutgraf.claims.attribution import Attributor
from nutgraf.claims.referents import Parses
from nutgraf.errors import ModelError
from nutgraf.read import ingest, sentences


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("“We counted 40,” she said.", ["“We counted 40,”"]),
        ('He said "no" and "yes".', ['"no"', '"yes"']),
        ('"It goes on\nand stops.', ['"It goes on']),
        ("No quotes here.", []),
        ("A closing mark alone” is no quotation.", []),
    ],
    ids=["curly", "straight-pairs", "open-at-paragraph-end", "none", "stray-closing"],
)
def test_quotations_pair_marks_within_a_paragraph(text: str, quoted: list[str]) -> None:
    assert [text[start:end] for start, end in sources.quotations(text)] == quoted


def _attributor(text: str) -> Attributor:
    story = sentences.split(ingest.read(text))
    return Attributor(story, Parses(story))


def test_a_party_that_holds_the_figure_is_no_candidate() -> None:
    attributor = _attributor(
        "According to a new poll, 51 percent of respondents said they would vote for Clinton."
    )
    figure = next(t for t in attributor.docs[0] if t.text == "respondents")
    candidates = [c for c in attributor.candidates(0, figure) if c.reports]
    assert [(c.cue.lower_, c.party.text) for c in candidates] == [("according", "new poll")]


def test_a_quotation_looks_to_the_sentence_where_it_ends() -> None:
    attributor = _attributor(
        "Rain fell all week. “We counted 40 cars. Then the river rose,” Chief Anna Lopez said."
    )
    assert 0 in attributor.reads(1)  # not read: the sentence does not go on from the first
    figure = next(t for t in attributor.docs[1] if t.text == "cars")
    assert "Anna Lopez" in {c.party.text for c in attributor.candidates(1, figure)}


def test_features_are_one_row_a_candidate() -> None:
    attributor = _attributor("Police said 12 people were arrested, the mayor added.")
    figure = next(t for t in attributor.docs[0] if t.text == "people")
    candidates = attributor.candidates(0, figure)
    rows = sources.featurize(figure, 0, candidates, attributor.context, attributor.model.rates)
    assert rows.shape == (len(candidates), len(sources.FEATURES)) == (2, len(sources.FEATURES))
    ruled = rows[:, sources.FEATURES.index("ruled")].tolist()
    assert [c.cue.text for c in candidates] == ["said", "added"] and ruled == [1.0, 0.0]


def test_the_packaged_model_scores_its_candidates() -> None:
    attributor = _attributor("Police said 12 people were arrested.")
    figure = next(t for t in attributor.docs[0] if t.text == "people")
    assert attributor.source(0, figure) == "Police"
    rows = sources.featurize(
        figure, 0, attributor.candidates(0, figure), attributor.context, attributor.model.rates
    )
    scores = attributor.model.scores(rows)
    assert scores.shape == (1,) and 0.5 <= scores[0] <= 1.0


def test_a_saved_model_loads_the_same(tmp_path: Path) -> None:
    model = sources.load()
    model.save(tmp_path / "copy.npz")
    copy = sources.SourceModel.load(tmp_path / "copy.npz")
    rows = np.random.default_rng(0).random((5, len(sources.FEATURES))).astype(np.float32)
    assert np.allclose(copy.scores(rows), model.scores(rows))
    assert copy.rates.rate("say") == model.rates.rate("say") > 0.5


def test_a_file_that_is_no_model_says_so(tmp_path: Path) -> None:
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="cannot read the source model"):
        sources.SourceModel.load(broken)


def test_an_unfitted_model_says_how_to_fit_it() -> None:
    with pytest.raises(ModelError, match="train-sources"):
        sources.SourceModel(sources.CueRates({}, {})).scores(np.zeros((1, 3), dtype=np.float32))


def test_a_quotation_looks_back_to_where_it_opened() -> None:
    attributor = _attributor(
        "Rain fell. Caddell said: “Many voters worry. They fear a slump. Only 43 people"
        " came to the rally.”"
    )
    assert attributor.reads(3) == [0, 1, 3]  # where the quotation opened, and the one before
    figure = next(t for t in attributor.docs[3] if t.text == "people")
    assert "Caddell" in {c.party.text for c in attributor.candidates(3, figure)}
