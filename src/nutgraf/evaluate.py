"""Side-by-side ROUGE of nutgraf, its peers and the baselines, on stories with references.

Every system gets the same stories, split once by :func:`nutgraf.sentences.split`, and is
scored by :func:`nutgraf.rouge.score` (rouge-score's ROUGE-1, ROUGE-2 and ROUGE-Lsum F1, Porter
stemmer, newline-separated sentences), so the table compares choices of sentences and nothing
else. Only the system call is timed: splitting and scoring are shared costs, not the system's.

Beside ROUGE, each system's bullets are checked for the one fault ROUGE cannot see: a bullet
that opens with a pronoun it cannot resolve ("He said ...", :func:`nutgraf.style.opening_pronoun`
defines it), reported as a share of bullets and weighted like ROUGE.

Scores are reported per publisher because CNN and the Daily Mail differ (CNN's highlights are
shorter, and Lead-3 is weaker on it), and the validation files here do not mix the two in the
proportion of the test split that published numbers use. The *weighted* figure re-weights the
per-publisher means to the test split's make-up, so it can be set beside published results
(which used ROUGE-1.5.5 and run about one point above rouge-score).

>>> from nutgraf.peers import lead3
>>> from nutgraf.story import Sentence, Story
>>> story = Story("Rain fell.", reference=["Rain fell."], publisher="cnn")
>>> story.sentences = [Sentence(0, "Rain fell.", 0, 10, 0)]
>>> report = evaluate([story], {"lead3": lead3})
>>> report.system("lead3").weighted.rouge1
100.0
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]

from nutgraf import ingest, rouge
from nutgraf.errors import NutgrafError
from nutgraf.peers import System, get_system
from nutgraf.sentences import split
from nutgraf.story import Story
from nutgraf.style import opening_pronoun

logger = logging.getLogger(__name__)

# The CNN/DailyMail test split (See et al. 2017) holds 1,093 CNN and 10,397 Daily Mail stories;
# published scores average over it, so the weighted figure uses the same shares.
TEST_SPLIT_STORIES = {"cnn": 1093, "dailymail": 10397}
TEST_SPLIT_TOTAL = sum(TEST_SPLIT_STORIES.values())  # 11,490
PUBLISHERS = tuple(TEST_SPLIT_STORIES)
OTHER = "other"
"""The publisher of stories from anywhere else: reported, but outside the weighted figure."""


@dataclass(frozen=True, slots=True)
class Rouge:
    """Mean ROUGE F1 over ``n`` stories, times 100 as published tables give it."""

    rouge1: float
    rouge2: float
    rougeLsum: float
    n: int

    @classmethod
    def mean(cls, scores: Sequence[rouge.RougeScores]) -> Rouge:
        """Average per-story scores (each in [0, 1]) into the 0-100 scale of published tables."""
        n = len(scores)
        if not n:
            return cls(0.0, 0.0, 0.0, 0)
        r1, r2, rl = (100 * sum(column) / n for column in zip(*scores, strict=True))
        return cls(r1, r2, rl, n)

    def minus(self, other: Rouge) -> tuple[float, float, float]:
        """Subtract ``other`` metric by metric: the gap the report shows to Lead-3."""
        return (
            self.rouge1 - other.rouge1,
            self.rouge2 - other.rouge2,
            self.rougeLsum - other.rougeLsum,
        )


@dataclass(frozen=True, slots=True)
class Openings:
    """How many bullets a system wrote, and how many open with an unresolved pronoun."""

    bullets: int = 0
    pronoun: int = 0

    def add(self, summary: Sequence[str]) -> Openings:
        """Count one more summary's bullets."""
        found = sum(opening_pronoun(bullet) is not None for bullet in summary)
        return Openings(self.bullets + len(summary), self.pronoun + found)

    @property
    def share(self) -> float:
        """The pronoun openings as a percentage of bullets (0 with no bullets)."""
        return 100 * self.pronoun / self.bullets if self.bullets else 0.0


def _weighted_share(by_publisher: Mapping[str, Openings]) -> float:
    """Return the share of pronoun openings, re-weighted to the test split as ROUGE is.

    Each publisher's share of its own bullets is weighted by its stories in the test split,
    as :func:`_weighted` weights ROUGE; with a publisher missing, the plain share of all
    bullets.
    """
    if all(p in by_publisher for p in PUBLISHERS):
        return sum(TEST_SPLIT_STORIES[p] * by_publisher[p].share for p in PUBLISHERS) / (
            TEST_SPLIT_TOTAL
        )
    total = Openings(
        sum(o.bullets for o in by_publisher.values()),
        sum(o.pronoun for o in by_publisher.values()),
    )
    return total.share


def _weighted(by_publisher: Mapping[str, Rouge], plain: Rouge) -> Rouge:
    """Re-weight CNN and Daily Mail means to the test split's make-up, when both are there.

    With one publisher missing there is nothing to re-weight, and the plain mean over every
    story is the honest figure.
    """
    if not all(p in by_publisher for p in PUBLISHERS):
        return plain
    cnn, dm = (by_publisher[p] for p in PUBLISHERS)
    w_cnn, w_dm = (TEST_SPLIT_STORIES[p] / TEST_SPLIT_TOTAL for p in PUBLISHERS)
    return Rouge(
        rouge1=w_cnn * cnn.rouge1 + w_dm * dm.rouge1,
        rouge2=w_cnn * cnn.rouge2 + w_dm * dm.rouge2,
        rougeLsum=w_cnn * cnn.rougeLsum + w_dm * dm.rougeLsum,
        n=plain.n,
    )


@dataclass(frozen=True, slots=True)
class SystemResult:
    """One system's scores: overall, by publisher, and its speed.

    ``weighted`` is the test-split re-weighting when both publishers are present (see
    :attr:`Report.weighted`), else the plain mean. ``seconds`` counts only time inside the
    system. ``fallbacks`` is how many stories the system answered with its fallback (summa's
    lead sentences when its graph is empty); zero for systems without one. ``openings``
    counts, per publisher, the bullets and those opening with an unresolved pronoun.
    """

    name: str
    weighted: Rouge
    publishers: Mapping[str, Rouge]
    seconds: float
    fallbacks: int = 0
    openings: Mapping[str, Openings] = field(default_factory=dict)

    @property
    def pronoun_share(self) -> float:
        """Percentage of bullets opening with an unresolved pronoun, weighted as ROUGE is."""
        return _weighted_share(self.openings)

    @property
    def stories_per_second(self) -> float | None:
        """Count stories summarized per second of system time; None if too fast to measure."""
        return self.weighted.n / self.seconds if self.seconds > 0 else None


@dataclass(frozen=True, slots=True)
class Report:
    """The result of :func:`evaluate`: one :class:`SystemResult` per system, in given order.

    ``stories`` were scored; ``skipped`` had no reference. ``weighted`` says whether the
    headline figures are the test-split re-weighting (both publishers present) or plain means.
    """

    systems: tuple[SystemResult, ...]
    stories: int
    skipped: int
    weighted: bool

    def system(self, name: str) -> SystemResult:
        """Look up the result of the system called ``name``."""
        for result in self.systems:
            if result.name == name:
                return result
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON; :meth:`from_dict` reads it back."""
        return {
            "stories": self.stories,
            "skipped": self.skipped,
            "weighted": self.weighted,
            "weights": dict(TEST_SPLIT_STORIES),
            "systems": [
                {
                    "name": result.name,
                    "weighted": _rouge_dict(result.weighted),
                    "publishers": {p: _rouge_dict(r) for p, r in result.publishers.items()},
                    "seconds": result.seconds,
                    "stories_per_second": result.stories_per_second,
                    "fallbacks": result.fallbacks,
                    "pronoun_openings": {
                        "share": result.pronoun_share,
                        "publishers": {
                            p: {"bullets": o.bullets, "pronoun": o.pronoun}
                            for p, o in result.openings.items()
                        },
                    },
                }
                for result in self.systems
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Read back :meth:`to_dict`'s output, e.g. to compare a saved run with a new one."""
        return cls(
            systems=tuple(
                SystemResult(
                    name=item["name"],
                    weighted=Rouge(**item["weighted"]),
                    publishers={p: Rouge(**r) for p, r in item["publishers"].items()},
                    seconds=item["seconds"],
                    fallbacks=item["fallbacks"],
                    openings={
                        p: Openings(**counts)
                        for p, counts in item.get("pronoun_openings", {})
                        .get("publishers", {})
                        .items()
                    },
                )
                for item in data["systems"]
            ),
            stories=data["stories"],
            skipped=data["skipped"],
            weighted=data["weighted"],
        )

    def to_markdown(self) -> str:
        """Render a table with one row per system, and its gap to Lead-3 when Lead-3 was run."""
        lead = next((r for r in self.systems if r.name == "lead3"), None)
        overall = "weighted" if self.weighted else "all"
        header = [
            "system",
            *(f"{overall} {m}" for m in _METRICS),
            *(f"CNN {m}" for m in _METRICS),
            *(f"DM {m}" for m in _METRICS),
            "stories/s",
            "pronoun openings %",
        ]
        if lead is not None:
            header.append("Δ lead3 R1 / R2 / RLsum")
        lines = [_row(header), _row(["---", *("---:" for _ in header[1:])])]
        for result in self.systems:
            cells = [result.name, *_cells(result.weighted)]
            for publisher in PUBLISHERS:
                cells += _cells(result.publishers.get(publisher))
            speed = result.stories_per_second
            cells.append("-" if speed is None else f"{speed:,.0f}")
            cells.append(f"{result.pronoun_share:.2f}")
            if lead is not None:
                gaps = result.weighted.minus(lead.weighted)
                cells.append(" / ".join(f"{gap:+.2f}" for gap in gaps))
            lines.append(_row(cells))
        return "\n".join([self._caption(), "", *lines, *self._notes()]) + "\n"

    def _caption(self) -> str:
        counts = self.systems[0].publishers if self.systems else {}
        made_of = ", ".join(f"{r.n:,} {p}" for p, r in counts.items())
        caption = (
            f"ROUGE F1 x 100 (rouge-score, Porter stemmer, Lsum on newline-separated sentences) "
            f"on {self.stories:,} stories ({made_of})"
        )
        if self.weighted:
            caption += (
                f"; weighted = ({TEST_SPLIT_STORIES['cnn']:,}·CNN + "
                f"{TEST_SPLIT_STORIES['dailymail']:,}·DM) / {TEST_SPLIT_TOTAL:,}, "
                "the test split's make-up"
            )
        caption += (
            "; pronoun openings % = share of bullets opening with a pronoun they cannot"
            " resolve (nutgraf.style.opening_pronoun)"
        )
        return caption + (", weighted the same way." if self.weighted else ".")

    def _notes(self) -> list[str]:
        notes = []
        if self.skipped:
            notes.append(f"{self.skipped:,} stories without a reference were skipped.")
        notes += [
            f"{r.name} fell back to its lead sentences on {r.fallbacks:,} stories."
            for r in self.systems
            if r.fallbacks
        ]
        return ["", *notes] if notes else []


_METRICS = ("R1", "R2", "RLsum")


def _rouge_dict(scores: Rouge) -> dict[str, float | int]:
    return {
        "rouge1": scores.rouge1,
        "rouge2": scores.rouge2,
        "rougeLsum": scores.rougeLsum,
        "n": scores.n,
    }


def _cells(scores: Rouge | None) -> list[str]:
    if scores is None or not scores.n:
        return ["-"] * len(_METRICS)
    return [f"{scores.rouge1:.2f}", f"{scores.rouge2:.2f}", f"{scores.rougeLsum:.2f}"]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _resolve(systems: Sequence[str] | Mapping[str, System]) -> dict[str, System]:
    if isinstance(systems, Mapping):
        return dict(systems)
    if isinstance(systems, str):
        raise TypeError("systems must be a sequence of names, not one string")
    return {name: get_system(name) for name in systems}


def evaluate(
    stories: Iterable[Story],
    systems: Sequence[str] | Mapping[str, System],
    *,
    progress: bool = False,
) -> Report:
    """Run every system on every story with a reference and score them side by side.

    ``systems`` are names known to :func:`nutgraf.peers.get_system` (loaded before the first
    story, so a missing package fails at once) or a mapping of names to systems. Stories
    without sentences are split first; stories without a reference are skipped and counted.
    ``progress`` shows a progress bar on stderr. The result depends only on the stories and
    the systems: same input, same report, apart from the timings.

    A system that raises stops the run; the error names the system and the story.
    """
    chosen = _resolve(systems)
    scores: dict[str, dict[str, list[rouge.RougeScores]]] = {name: {} for name in chosen}
    openings: dict[str, dict[str, Openings]] = {name: {} for name in chosen}
    seconds = dict.fromkeys(chosen, 0.0)
    fallbacks_before = {name: getattr(s, "fallbacks", 0) for name, s in chosen.items()}
    stories_done = skipped = 0
    for story in tqdm(stories, desc="evaluate", unit=" stories", disable=not progress):
        if not story.reference:
            skipped += 1
            continue
        if not story.sentences:
            split(story)
        publisher = story.publisher if story.publisher in PUBLISHERS else OTHER
        for name, system in chosen.items():
            start = time.perf_counter()
            try:
                summary = system(story)
            except Exception as error:
                error.add_note(f"nutgraf evaluate: system {name!r} on story {story.id!r}")
                raise
            seconds[name] += time.perf_counter() - start
            scores[name].setdefault(publisher, []).append(rouge.score(summary, story.reference))
            openings[name][publisher] = openings[name].get(publisher, Openings()).add(summary)
        stories_done += 1
    results = []
    for name, system in chosen.items():
        by_publisher = {p: Rouge.mean(scores[name][p]) for p in sorted(scores[name])}
        everything = Rouge.mean([s for p in sorted(scores[name]) for s in scores[name][p]])
        results.append(
            SystemResult(
                name=name,
                weighted=_weighted(by_publisher, everything),
                publishers=by_publisher,
                seconds=seconds[name],
                fallbacks=getattr(system, "fallbacks", 0) - fallbacks_before[name],
                openings=dict(sorted(openings[name].items())),
            )
        )
    present = next(iter(scores.values()), {})
    return Report(
        systems=tuple(results),
        stories=stories_done,
        skipped=skipped,
        weighted=all(p in present for p in PUBLISHERS),
    )


def load_corpus(path: str | PathLike[str], limit: int | None = None) -> Iterator[Story]:
    """Read the stories of a JSONL file, skipping (and logging) rows that cannot be read.

    A corpus of thousands of rows should not fail on one bad row: each skipped row is logged
    (to stderr, unless logging is configured otherwise) with ingest's message, which names the
    file, the line and the fix, and the count of skipped rows is logged at the end.
    ``limit`` stops after that many stories.
    """
    read = skipped = 0
    for _line, item in ingest.iter_jsonl(path):
        if limit is not None and read >= limit:
            break
        if isinstance(item, NutgrafError):
            skipped += 1
            logger.warning("skipped: %s", item)  # ingest's message names the file and line
            continue
        read += 1
        yield item
    if skipped:
        logger.warning("%s: skipped %d bad rows, read %d stories", path, skipped, read)
