"""Scoring figures and sources against annotations, as the claims guidelines say.

``tests/fixtures/claims_sample.jsonl`` holds three made-up stories. By hand:

- ``a``: 12 (gold "Police", found "police") and About 300 (gold "Utility Company", found "the
  utility company"): 2 matched, both sources right; 1999 is a year, not a figure.
- ``b``: $4 million (no source either side) and Forty-five (gold "the school board", found "the
  union"): 2 matched, 1 source right; "Dozens" is not a figure.
- ``c``: 150 annotated twice for one mention (the second copy without the full stop, which
  still overlaps), found once; 2,000 and 500 found but not annotated: 1 matched, 1 missed,
  2 spurious.

So gold 6, predicted 7, matched 5: precision 5/7, recall 5/6, F1 10/13; attribution 4/5.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nutgraf.errors import InputFormatError, NutgrafError
from nutgraf.evaluate import claims as claims_eval
from nutgraf.evaluate.claims import load_gold, score, sentences_overlap, source_matches

SAMPLE = Path(__file__).parents[3] / "tests" / "fixtures" / "claims_sample.jsonl"


@pytest.fixture(scope="module")
def report() -> claims_eval.ClaimsReport:
    return score(SAMPLE)


def test_score_counts_by_hand(report: claims_eval.ClaimsReport) -> None:
    assert (report.stories, report.gold, report.predicted, report.matched) == (3, 6, 7, 5)
    assert report.sources_right == 4
    assert report.precision == pytest.approx(5 / 7)
    assert report.recall == pytest.approx(5 / 6)
    assert report.f1 == pytest.approx(10 / 13)
    assert report.attribution == pytest.approx(4 / 5)


def test_score_as_json(report: claims_eval.ClaimsReport) -> None:
    assert report.to_dict() == {
        "stories": 3,
        "gold": 6,
        "predicted": 7,
        "matched": 5,
        "precision": 0.7143,
        "recall": 0.8333,
        "f1": 0.7692,
        "attribution_accuracy": 0.8,
    }


def test_score_lists_every_error(report: claims_eval.ClaimsReport) -> None:
    misses = [(m.story, m.kind, m.text, m.expected, m.found) for m in report.misses]
    assert misses == [
        ("b", "source", "Forty-five", "the school board", "the union"),
        ("c", "missed", "150", None, None),
        ("c", "spurious", "2,000", None, "the mayor"),
        ("c", "spurious", "500", None, "the mayor"),
    ]
    rows = report.to_dict(misses=True)["misses"]
    assert [row["kind"] for row in rows] == ["source", "missed", "spurious", "spurious"]


def test_markdown_row(report: claims_eval.ClaimsReport) -> None:
    row = report.to_markdown().splitlines()[-1]
    assert row == "| 3 | 6 | 7 | 5 | 0.714 | 0.833 | 0.769 | 0.800 |"


def test_an_empty_report_is_all_zeros() -> None:
    empty = claims_eval.ClaimsReport()
    assert (empty.precision, empty.recall, empty.f1, empty.attribution) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ("the United Nations", "United Nations", True),
        ("United Nations", "The United Nations", True),
        ("POLICE", "police", True),
        (None, None, True),
        (None, "police", False),
        ("police", None, False),
        ("the police", "police department spokesman", True),  # F1 exactly 0.5, "the" dropped
        ("police", "police department spokesman", True),  # precision 1/3, recall 1: 0.5
        ("police department spokesman", "police", True),  # the other way round: 0.5
        ("city police department spokesman", "police", False),  # 0.4
        ("the union", "the school board", False),
        ("Local Coordination Committees of Syria", "the group", False),
        (
            "Turkish Foreign Ministry official",
            "Turkish Foreign Ministry official and a commander in the Free Syrian Army camp",
            False,  # 4 of 13 tokens: F1 8/17
        ),
        ("Anadolu", "the Anadolu news agency", True),  # 1 of 3: 0.5
        ("the Anadolu news agency", "Anadolu", True),
    ],
)
def test_source_matches(gold: str | None, predicted: str | None, expected: bool) -> None:
    assert source_matches(gold, predicted) is expected


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ("Flood waters reached 150 homes.", "Flood waters reached 150 homes.", True),
        ("Flood waters reached 150 homes.", "FLOOD waters, reached: 150 homes", True),
        ("one two three four", "one two and more", True),  # exactly half
        ("one two three four", "one and more", False),  # a quarter
        ("one two three four", "", False),
        ("", "anything at all", False),
        ("a b", "a", True),
        ("150 homes flooded in the valley", "The valley has 150 homes", True),  # 4 of 6
    ],
)
def test_sentences_overlap(gold: str, predicted: str, expected: bool) -> None:
    assert sentences_overlap(gold, predicted) is expected


def test_sentences_overlap_reads_the_gold_side() -> None:
    long = "police said twelve people were pulled from the river on a cold Monday"
    assert sentences_overlap("police said twelve", long)
    assert not sentences_overlap(long, "police said twelve")


def test_load_gold_reads_the_fields() -> None:
    stories = list(load_gold(SAMPLE))
    assert [story_id for story_id, _, _ in stories] == ["a", "b", "c"]
    _, article, figures = stories[1]
    assert article.startswith("The council approved")
    assert [(f.text, f.value, f.source) for f in figures] == [
        ("$4 million", 4e6, None),
        ("Forty-five", 45, "the school board"),
    ]


GOOD = {"id": "ok", "article": "Rain fell.", "figures": []}


@pytest.mark.parametrize(
    "bad",
    [
        "{not json",
        json.dumps({"id": "x", "article": "Rain fell."}),
        json.dumps({"id": "x", "article": "Rain.", "figures": [{"text": "2", "value": 2}]}),
        json.dumps(
            {
                "id": "x",
                "article": "Rain.",
                "figures": [{"text": "2", "value": "two", "source": None, "sentence": "Rain."}],
            }
        ),
        json.dumps(["a", "list"]),
    ],
    ids=["json", "no-figures", "no-source", "value-not-a-number", "not-an-object"],
)
def test_a_malformed_line_names_its_file_and_line(bad: str, tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(f"{json.dumps(GOOD)}\n\n{bad}\n", encoding="utf-8")
    with pytest.raises(NutgrafError) as caught:
        list(load_gold(path))
    assert isinstance(caught.value, InputFormatError)
    assert f"{path}:3" in str(caught.value)
    with pytest.raises(NutgrafError, match=":3"):
        score(path)


def test_a_line_that_is_not_utf8_is_an_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_bytes(b'{"id": "x", "article": "caf\xe9", "figures": []}\n')
    with pytest.raises(InputFormatError, match=r"gold\.jsonl:1"):
        list(claims_eval.load_gold(bad))
