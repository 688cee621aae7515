"""Real web pages: the body nutgraf summarizes next to trafilatura alone, and its bullets' junk.

The pages are half of a public article-extraction benchmark (``shared/data/pages``: saved HTML
and the article body a person marked). Three figures, one run:

* **Body.** The benchmark's measure, side by side on the English pages: words are ``\\w+``,
  each text is counted as 4-word shingles; a page's true positives (shared counts), false
  positives and false negatives are divided by their sum, summed over pages, and give
  precision, recall and F1. nutgraf's body is the joined body spans of the Story that
  :func:`nutgraf.read.ingest.read_file` builds (the lines it summarizes, not every line it
  extracted); a page it refuses scores an empty body. trafilatura is
  ``trafilatura.extract(html)`` with its defaults.
* **Bullets.** Each English page through the default pipeline as ``nutgraf highlights`` runs
  it: the pages with a bullet from outside the marked body (under 60% of its 4-word shingles
  in it; a bullet of under four words has none, and counts as outside) and the bullets under
  6 words, each printed. A compressed bullet's shingles are counted within each span its words
  come from (``Highlight.spans``), since a 4-gram across a cut is one no text ever had; the
  count over the bullet's text as written is given beside it.
* **Refusals.** Every page whose marked body is not in English (told by
  :func:`nutgraf.read.language.detect` on that body) must be refused with a
  :class:`~nutgraf.errors.LanguageError` naming its language; each is printed with what
  nutgraf said.

    python bench/pages.py                      # the table, then every bullet and refusal
    python bench/pages.py --json               # the same figures as JSON
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import trafilatura
from _common import ROOT

from nutgraf import pipeline
from nutgraf.errors import LanguageError, NutgrafError
from nutgraf.read import ingest, language
from nutgraf.select.models import load_selector

DEFAULT_PAGES = ROOT.parent / "shared" / "data" / "pages"
INSIDE = 0.6
"""The share of a bullet's 4-word shingles that must be in the marked body."""
MIN_WORDS = 6
"""A bullet under this many words is a fragment."""
_WORD = re.compile(r"\w+")
_SHINGLE = 4


def shingles(text: str) -> collections.Counter[tuple[str, ...]]:
    """The benchmark's 4-word shingles of ``text``, counted."""
    words = _WORD.findall(text)
    return collections.Counter(
        tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)
    )


def page_counts(predicted: str, true: str) -> tuple[float, float, float]:
    """One page's true positives, false positives and false negatives, over their sum."""
    guess, truth = shingles(predicted), shingles(true)
    tp = sum((guess & truth).values())
    fp, fn = sum(guess.values()) - tp, sum(truth.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


@dataclass
class Score:
    """Summed page counts, and precision, recall and F1 from them."""

    tp: float = 0.0
    fp: float = 0.0
    fn: float = 0.0

    def add(self, counts: tuple[float, float, float]) -> None:
        self.tp, self.fp, self.fn = (
            a + b for a, b in zip((self.tp, self.fp, self.fn), counts, strict=True)
        )

    def prf(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


@dataclass
class Report:
    """Everything one run measured."""

    english: int = 0
    nutgraf: Score = field(default_factory=Score)
    trafilatura: Score = field(default_factory=Score)
    bullets: int = 0
    outside: list[tuple[str, float, str]] = field(default_factory=list)
    outside_as_written: list[tuple[str, float, str]] = field(default_factory=list)
    short: list[tuple[str, str]] = field(default_factory=list)
    refused_english: list[tuple[str, str]] = field(default_factory=list)
    other: list[tuple[str, str, str]] = field(default_factory=list)

    def markdown(self) -> str:
        rows = ["| system | precision | recall | F1 |", "|---|---:|---:|---:|"]
        for name, score in (
            ("trafilatura.extract", self.trafilatura),
            ("nutgraf body", self.nutgraf),
        ):
            p, r, f = score.prf()
            rows.append(f"| {name} | {p:.4f} | {r:.4f} | {f:.4f} |")
        outside_pages = sorted({page for page, _, _ in self.outside})
        refused = sum(1 for _, _, said in self.other if said.startswith("refused"))
        rows += [
            "",
            f"English pages: {self.english}; bullets: {self.bullets}; pages with a bullet from"
            f" outside the marked body: {len(outside_pages)} (by the bullets' text as written:"
            f" {len({page for page, _, _ in self.outside_as_written})});"
            f" bullets under {MIN_WORDS} words:"
            f" {len(self.short)}; English pages refused: {len(self.refused_english)}.",
            f"Other languages: {len(self.other)} pages, {refused} refused naming the language.",
        ]
        return "\n".join(rows)

    def details(self) -> str:
        lines = []
        for page, share, text in self.outside:
            lines.append(f"outside  {page[:8]}  {share:.2f}  {text}")
        for page, share, text in self.outside_as_written:
            lines.append(f"written  {page[:8]}  {share:.2f}  {text}")
        for page, text in self.short:
            lines.append(f"short    {page[:8]}  {text}")
        for page, said in self.refused_english:
            lines.append(f"refused  {page[:8]}  {said}")
        for page, found, said in self.other:
            lines.append(f"language {page[:8]}  {found}: {said}")
        return "\n".join(lines)


def measure(pages: Path) -> Report:
    """Run the three measurements over every page of ``pages``."""
    truth = json.loads((pages / "ground-truth.json").read_text(encoding="utf-8"))
    selector = load_selector()
    report = Report()
    for page_id in sorted(truth):
        path = pages / "html" / f"{page_id}.html.gz"
        marked = truth[page_id]["articleBody"]
        found = language.detect(marked)
        if found is not None and found.code != language.ENGLISH:
            report.other.append((page_id, f"{found.name} ({found.code})", _refusal(path)))
            continue
        report.english += 1
        page = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        report.trafilatura.add(page_counts(trafilatura.extract(page) or "", marked))
        try:
            story = ingest.read_file(path)
        except NutgrafError as error:
            report.refused_english.append((page_id, str(error)))
            report.nutgraf.add(page_counts("", marked))
            continue
        body = "\n".join(story.text[start:end] for start, end in story.body)
        report.nutgraf.add(page_counts(body, marked))
        pipeline.process(story, selector)
        inside_marked = shingles(marked)
        for bullet in story.highlights:
            report.bullets += 1
            spans = sum((shingles(story.text[a:b]) for a, b in bullet.spans), collections.Counter())
            for own, where in (
                (spans, report.outside),
                (shingles(bullet.text), report.outside_as_written),
            ):
                share = sum(n for s, n in own.items() if s in inside_marked) / max(
                    1, sum(own.values())
                )
                if share < INSIDE:
                    where.append((page_id, share, bullet.text))
            if len(_WORD.findall(bullet.text)) < MIN_WORDS:
                report.short.append((page_id, bullet.text))
    return report


def _refusal(path: Path) -> str:
    """What reading a page in another language gives: the refusal, or that it was read."""
    try:
        ingest.read_file(path)
    except LanguageError as error:
        return f"refused: {error}"
    except NutgrafError as error:
        return f"refused, but not for its language: {error}"
    return "NOT REFUSED"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="The pages' folder.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every page it finds thin
    report = measure(args.pages)
    if args.json:
        print(json.dumps(asdict(report), indent=2, ensure_ascii=False))
    else:
        print(report.markdown())
        print()
        print(report.details())


if __name__ == "__main__":
    main()
