"""Learning the source model from an attribution corpus, on two made-up articles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nutgraf.claims import sources, train
from nutgraf.errors import InputFormatError

SAMPLE = Path(__file__).parents[3] / "tests" / "fixtures" / "polnear_sample.jsonl"


@pytest.fixture(scope="module")
def articles() -> list[train.Article]:
    return train.parse(SAMPLE, progress=False)


def test_articles_keep_their_text_and_attributions(articles: list[train.Article]) -> None:
    police, ministry = articles
    assert police.id == "sample_police" and len(police.attributions) == 2
    assert police.story.text.startswith("Police said 12 people")
    assert [a.source_text for a in ministry.attributions] == [
        "the ministry",
        "Reuters",
        "The governor",
    ]


def test_the_innermost_attribution_holds_a_word(articles: list[train.Article]) -> None:
    ministry = articles[1]
    at = ministry.story.text.index("20 shelters")
    assert ministry.attribution_of(at, at + 2).source_text == "The governor"  # type: ignore[union-attr]
    rain = ministry.story.text.index("three days")
    assert ministry.attribution_of(rain, rain + 5) is None


def test_a_malformed_line_names_its_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(SAMPLE.read_text(encoding="utf-8") + '{"id": "x", "text": "no attributions"}\n')
    with pytest.raises(InputFormatError, match=r"bad\.jsonl:3: not an attribution-corpus"):
        list(train.read(bad))


def test_rows_label_the_cue_of_the_attribution_holding_the_word(
    articles: list[train.Article],
) -> None:
    found = [t for t in train.targets(articles) if t.figure]
    # a figure is read at the word it counts; "three days" is a duration, no figure
    assert [t.token.text for t in found] == ["people", "officers", "cars", "homes", "shelters"]
    model = sources.SourceModel(train.cue_rates(articles))
    labelled = {
        target.token.text: [
            (c.cue.text, float(label)) for c, label in zip(cands, labels, strict=True)
        ]
        for target, cands, _, labels in train.rows(articles, found, model)
    }
    assert labelled["people"] == [("said", 1.0)]
    assert labelled["officers"] == []  # nobody is credited near it
    assert ("said", 1.0) in labelled["cars"]
    assert ("reported", 0.0) in labelled["shelters"]  # the governor's "plans" is innermost


def test_training_writes_a_model_that_loads(tmp_path: Path) -> None:
    out = train.train(SAMPLE, tmp_path / "sources.npz")
    model = sources.SourceModel.load(out)
    assert model.rates.seen("say") == 2
    assert model.scores(np.zeros((2, len(sources.FEATURES)), dtype=np.float32)).shape == (2,)
