"""Scoring figure sources against an attribution corpus (PolNeAR's layout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nutgraf.claims import sources, train
from nutgraf.evaluate.sources import SourcesReport, credits_source, is_named, score

SAMPLE = Path(__file__).parents[3] / "tests" / "fixtures" / "polnear_sample.jsonl"


@pytest.mark.parametrize(
    ("source", "named"),
    [("Chief Anna Lopez", True), ("The New York Post", True), ("he", False), ("a source", False)],
)
def test_a_named_source_has_a_capitalized_word_that_is_no_pronoun(source: str, named: bool) -> None:
    assert is_named(source) is named


@pytest.mark.parametrize(
    ("source", "credit", "right"),
    [
        ("Charlie King, a prominent New York Democrat", "Charlie King", True),
        ("a memo released Friday by the agency's watchdog", "memo", True),
        ("The New York Times", "the Times", True),
        ("Mr. Rhodes", "Benjamin J. Rhodes", True),
        ("Caddell", None, False),
        ("Reuters", "The governor", False),
    ],
)
def test_a_credit_names_the_source(source: str, credit: str | None, right: bool) -> None:
    assert credits_source(source, credit) is right


def test_the_sample_is_judged_figure_by_figure() -> None:
    report = score(train.parse(SAMPLE, progress=False), sources.load())
    # named: 12 (Police), 40 (Chief Anna Lopez); outside: 300 ("three days" is no figure);
    # "the ministry" and "The governor" name nobody, so their 500 and 20 are counted apart
    assert (report.named, report.outside, report.unnamed) == (2, 1, 2)
    assert report.named_right == 2 and report.outside_right == 1
    assert report.to_markdown().splitlines()[2].startswith("| 2 | 2 | 1.000 | 1 | 1.000 |")


def test_reports_add_up() -> None:
    total = SourcesReport(articles=1, named=2, named_right=1)
    total.add(SourcesReport(articles=2, named=2, named_right=2, outside=4, outside_right=3))
    assert (total.named_accuracy, total.outside_accuracy, total.overall) == (0.75, 0.75, 0.75)
