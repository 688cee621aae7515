"""Score figures and their sources against annotated stories, as the claims guidelines say.

A predicted figure matches a gold figure of the same story when the values are equal and the
sentences overlap: at least half of the gold sentence's tokens appear in the predicted one.
Each gold figure matches at most one prediction. Precision, recall and F1 count matches;
attribution accuracy is the share of matched figures whose source is right: both ``None``, or a
token F1 of at least 0.5 between the two names, ignoring case and a leading "the".

>>> source_matches("the United Nations", "United Nations"), source_matches(None, "police")
(True, False)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from os import PathLike
from typing import Any

from tqdm import tqdm

from nutgraf import lexicon, pipeline
from nutgraf.claims.referents import same_party
from nutgraf.read import forms, ingest
from nutgraf.story import Figure


@dataclass(frozen=True, slots=True)
class GoldFigure:
    """One annotated figure: the fields the score reads."""

    text: str
    value: float
    source: str | None
    sentence: str


@dataclass(frozen=True, slots=True)
class Miss:
    """A figure the extractor got wrong, for error analysis: what was expected and found."""

    story: str
    kind: str
    """``missed`` (gold not found), ``spurious`` (found, not gold) or ``source``."""
    text: str
    value: float
    expected: str | None
    found: str | None
    sentence: str


@dataclass(slots=True)
class ClaimsReport:
    """Counts and rates of one scoring run."""

    stories: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    sources_right: int = 0
    misses: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of predicted figures that match a gold one."""
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of gold figures found."""
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def attribution(self) -> float:
        """Share of matched figures credited to the right source (or rightly to none)."""
        return self.sources_right / self.matched if self.matched else 0.0

    def to_dict(self, *, misses: bool = False) -> dict[str, Any]:
        """Return the figures as JSON; ``misses`` adds every error for analysis."""
        data: dict[str, Any] = {
            "stories": self.stories,
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "attribution_accuracy": round(self.attribution, 4),
        }
        if misses:
            data["misses"] = [asdict(m) for m in self.misses]
        return data

    def to_markdown(self) -> str:
        """Return a one-row table for the README."""
        return (
            "| stories | gold | predicted | matched | precision | recall | F1 | attribution |\n"
            "|--:|--:|--:|--:|--:|--:|--:|--:|\n"
            f"| {self.stories} | {self.gold} | {self.predicted} | {self.matched} "
            f"| {self.precision:.3f} | {self.recall:.3f} | {self.f1:.3f} | {self.attribution:.3f} |"
        )


def tokens(text: str) -> list[str]:
    """Lowercased word tokens, as the scorer compares sentences and names."""
    return lexicon.WORD.findall(text.lower())


def sentences_overlap(gold: str, predicted: str) -> bool:
    """Whether at least half of the gold sentence's tokens appear in the predicted one."""
    wanted = tokens(gold)
    present = set(tokens(predicted))
    return bool(wanted) and sum(t in present for t in wanted) * 2 >= len(wanted)


def source_matches(gold: str | None, predicted: str | None) -> bool:
    """Both ``None``, or names of one party (:func:`nutgraf.claims.referents.same_party`)."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    return same_party(gold, predicted)


def load_gold(path: str | PathLike[str]) -> Iterator[tuple[str, str, list[GoldFigure]]]:
    """Annotated stories as ``(id, article, figures)``; a malformed line is an error naming it."""
    return ingest.jsonl_records(
        path,
        _annotated,
        what="an annotated story",
        needs="id, article and figures with text, value, source and sentence",
    )


def _annotated(row: Any) -> tuple[str, str, list[GoldFigure]]:
    figures = [
        GoldFigure(f["text"], float(f["value"]), f["source"], f["sentence"]) for f in row["figures"]
    ]
    return str(row["id"]), str(row["article"]), figures


FORMS: dict[str, Callable[[str], str]] = {
    "cased": str,
    "lowercased": str.lower,
    "lowercased-tokenized": forms.tokenize,  # which lowercases as it tokenizes
}
"""The written forms a story may be scored in: as annotated, lowercased, and lowercased in See
et al.'s tokens. The scorer compares lowercased words, so the annotations stay as written."""


def score(
    path: str | PathLike[str], *, form: str = "cased", progress: bool = False
) -> ClaimsReport:
    """Extract the figures of every annotated story, in ``form``, and score them."""
    report = ClaimsReport()
    rows = list(load_gold(path))
    written = FORMS[form]
    for story_id, article, gold in tqdm(rows, desc="figures", unit="story", disable=not progress):
        story = pipeline.process(
            ingest.read(written(article), where=f"{path}:{story_id}"),
            highlights=False,
            figures="all",
        )
        sentence_of = {i: s.text for i, s in enumerate(story.sentences)}
        _score_story(report, story_id, gold, story.figures, sentence_of)
    return report


def _score_story(
    report: ClaimsReport,
    story_id: str,
    gold: list[GoldFigure],
    predicted: list[Figure],
    sentence_of: dict[int, str],
) -> None:
    report.stories += 1
    report.gold += len(gold)
    report.predicted += len(predicted)
    taken: set[int] = set()
    for g in gold:
        match = next(
            (
                k
                for k, p in enumerate(predicted)
                if k not in taken
                and math.isclose(p.value, g.value, rel_tol=1e-6)
                and sentences_overlap(g.sentence, sentence_of[p.sentence])
            ),
            None,
        )
        if match is None:
            report.misses.append(
                Miss(story_id, "missed", g.text, g.value, g.source, None, g.sentence)
            )
            continue
        taken.add(match)
        report.matched += 1
        found = predicted[match].source
        if source_matches(g.source, found):
            report.sources_right += 1
        else:
            report.misses.append(
                Miss(story_id, "source", g.text, g.value, g.source, found, g.sentence)
            )
    for k, p in enumerate(predicted):
        if k not in taken:
            report.misses.append(
                Miss(story_id, "spurious", p.text, p.value, None, p.source, sentence_of[p.sentence])
            )
