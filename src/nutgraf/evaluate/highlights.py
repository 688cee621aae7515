"""Side-by-side ROUGE of nutgraf, its peers and the baselines, on stories with references.

Every system gets the same stories, split once by :func:`nutgraf.read.sentences.split`, and is
scored by :func:`nutgraf.rouge.score` (rouge-score's ROUGE-1, ROUGE-2 and ROUGE-Lsum F1, Porter
stemmer, newline-separated sentences), so the table compares choices of sentences and nothing
else. Only the system call is timed: splitting and scoring are shared costs, not the system's.

:func:`evaluate` scores stories in memory; :func:`evaluate_corpus` scores a corpus of any size
(:class:`nutgraf.read.corpus.Corpus`: JSONL, Parquet or a folder of story files) the way ``nutgraf
batch`` summarizes one: cut into partitions that :mod:`nutgraf.run.runner` scores in this process,
a process pool or on a Dask cluster. Both keep running sums, not per-story scores, so memory
holds a partition per worker whatever the corpus's size. The sums are exact (fractions, not
floats), so the report is the same to the last bit however the stories were grouped and in
whatever order the partitions finished: in memory or from the corpus, on one worker or many,
apart from the timings.

Beside ROUGE, each system's bullets are checked for the one fault ROUGE cannot see: a bullet
that opens with a pronoun it cannot resolve ("He said ...",
:func:`nutgraf.edit.openings.opening_pronoun` defines it), reported as a share of bullets and
weighted like ROUGE.

Scores are reported per written form too, side by side: users give cased text, while most of
the CNN/DailyMail data is lowercased and tokenized, and a figure on the form the model learned
from most is not the one users meet.

Scores are reported per publisher because CNN and the Daily Mail differ (CNN's highlights are
shorter, and Lead-3 is weaker on it), and the validation files here do not mix the two in the
proportion of the test split that published numbers use. The *weighted* figure re-weights the
per-publisher means to the test split's make-up, so it can be set beside published results
(which used ROUGE-1.5.5 and run about one point above rouge-score).

>>> from nutgraf.evaluate.peers import lead3
>>> from nutgraf.story import Sentence, Story
>>> story = Story("Rain fell.", reference=["Rain fell."], publisher="cnn")
>>> story.sentences = [Sentence(0, "Rain fell.", 0, 10, 0)]
>>> report = evaluate([story], {"lead3": lead3})
>>> report.system("lead3").weighted.rouge1
100.0
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]

from nutgraf import rouge
from nutgraf.edit.openings import opening_pronoun
from nutgraf.errors import NutgrafError
from nutgraf.evaluate.peers import System, get_system
from nutgraf.read import corpus
from nutgraf.read.corpus import Corpus, Record
from nutgraf.read.sentences import split
from nutgraf.run import runner
from nutgraf.story import Casing, Story

logger = logging.getLogger(__name__)

# The CNN/DailyMail test split (See et al. 2017) holds 1,093 CNN and 10,397 Daily Mail stories;
# published scores average over it, so the weighted figure uses the same shares.
TEST_SPLIT_STORIES = {"cnn": 1093, "dailymail": 10397}
TEST_SPLIT_TOTAL = sum(TEST_SPLIT_STORIES.values())  # 11,490
PUBLISHERS = tuple(TEST_SPLIT_STORIES)
OTHER = "other"
"""The publisher of stories from anywhere else: reported, but outside the weighted figure."""

PARTITION_SIZE = 100
"""Records per task of :func:`evaluate_corpus`. Every system reads a story at a time, so there
is no batching to gain from more; the 134 partitions of CNN/DailyMail's validation split keep the
progress bar moving and the workers evenly loaded to the end."""


@dataclass(frozen=True, slots=True)
class Rouge:
    """Mean ROUGE F1 over ``n`` stories, times 100 as published tables give it."""

    rouge1: float
    rouge2: float
    rougeLsum: float
    n: int

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
    """One system's scores: overall, by publisher, by written form, and its speed.

    ``weighted`` is the test-split re-weighting when both publishers are present (see
    :attr:`Report.weighted`), else the plain mean. ``seconds`` counts only time inside the
    system. ``fallbacks`` is how many stories the system answered with its fallback (summa's
    lead sentences when its graph is empty); zero for systems without one. ``openings``
    counts, per publisher, the bullets and those opening with an unresolved pronoun.
    ``forms`` holds the plain means per written form (:class:`~nutgraf.story.Casing` value).
    """

    name: str
    weighted: Rouge
    publishers: Mapping[str, Rouge]
    seconds: float
    fallbacks: int = 0
    openings: Mapping[str, Openings] = field(default_factory=dict)
    forms: Mapping[str, Rouge] = field(default_factory=dict)

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
    """What :func:`evaluate` or :func:`evaluate_corpus` finds: a result per system, in order.

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
                    "forms": {f: _rouge_dict(r) for f, r in result.forms.items()},
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
                    forms={f: Rouge(**r) for f, r in item.get("forms", {}).items()},
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
        return (
            "\n".join([self._caption(), "", *lines, *self._form_table(lead), *self._notes()]) + "\n"
        )

    def _form_table(self, lead: SystemResult | None) -> list[str]:
        """Render the systems on each written form, side by side, with the gap to Lead-3."""
        forms = [c.value for c in Casing if any(c.value in r.forms for r in self.systems)]
        if not forms:
            return []
        counts = ", ".join(f"{self.systems[0].forms[f].n:,} {f}" for f in forms)
        header = ["system"]
        for form in forms:
            header += [*(f"{form} {m}" for m in _METRICS)]
            if lead is not None:
                header.append(f"{form} Δ lead3 R1")
        lines = [
            "",
            f"By written form, plain means ({counts}):",
            "",
            _row(header),
            _row(["---", *("---:" for _ in header[1:])]),
        ]
        for result in self.systems:
            cells = [result.name]
            for form in forms:
                scores = result.forms.get(form)
                cells += _cells(scores)
                if lead is not None:
                    base = lead.forms.get(form)
                    gap = scores.rouge1 - base.rouge1 if scores and base else None
                    cells.append("-" if gap is None else f"{gap:+.2f}")
            lines.append(_row(cells))
        return lines

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
            " resolve (nutgraf.edit.openings.opening_pronoun)"
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


@dataclass(slots=True)
class _Sums:
    """One system's running scores on one publisher's stories: F1 sums, stories, openings.

    The sums are fractions, exact, so that adding stories one by one or merging partitions in
    any order gives the same means to the last bit (float sums would differ with the grouping).
    """

    rouge1: Fraction = Fraction(0)
    rouge2: Fraction = Fraction(0)
    rougeLsum: Fraction = Fraction(0)
    n: int = 0
    openings: Openings = Openings()

    def add(self, summary: Sequence[str], reference: Sequence[str]) -> None:
        """Score one more summary against its reference."""
        scores = rouge.score(summary, reference)
        self.rouge1 += Fraction(scores.rouge1)
        self.rouge2 += Fraction(scores.rouge2)
        self.rougeLsum += Fraction(scores.rougeLsum)
        self.n += 1
        self.openings = self.openings.add(summary)

    def merge(self, other: _Sums) -> None:
        """Add ``other``'s stories to these."""
        self.rouge1 += other.rouge1
        self.rouge2 += other.rouge2
        self.rougeLsum += other.rougeLsum
        self.n += other.n
        self.openings = Openings(
            self.openings.bullets + other.openings.bullets,
            self.openings.pronoun + other.openings.pronoun,
        )

    def mean(self) -> Rouge:
        """Average the scores (each in [0, 1]) into the 0-100 scale of published tables."""
        if not self.n:
            return Rouge(0.0, 0.0, 0.0, 0)
        return Rouge(
            float(100 * self.rouge1 / self.n),
            float(100 * self.rouge2 / self.n),
            float(100 * self.rougeLsum / self.n),
            self.n,
        )


class _Tally:
    """The running sums of an evaluation, per system and publisher: what a report is made of.

    It grows with the systems and publishers, never with the stories, so a worker can score a
    partition into one and send it back small, and the parent can merge them as they come.
    """

    def __init__(self, names: Iterable[str]) -> None:
        # Per system, the sums of each (publisher, written form) group of stories.
        self.sums: dict[str, dict[tuple[str, str], _Sums]] = {name: {} for name in names}
        self.seconds = dict.fromkeys(self.sums, 0.0)
        self.fallbacks = dict.fromkeys(self.sums, 0)
        self.stories = 0
        self.skipped = 0

    def add(self, story: Story, systems: Mapping[str, System], where: str | None = None) -> None:
        """Run every system on ``story`` and score it; a story without reference is skipped.

        A system that raises stops the evaluation; the error gets a note naming the system and
        the story (and ``where`` it was read, when given).
        """
        if not story.reference:
            self.skipped += 1
            return
        if not story.sentences:
            split(story)
        publisher = story.publisher if story.publisher in PUBLISHERS else OTHER
        for name, system in systems.items():
            start = time.perf_counter()
            try:
                summary = system(story)
            except Exception as error:
                read_at = f" ({where})" if where else ""
                error.add_note(f"nutgraf evaluate: system {name!r} on story {story.id!r}{read_at}")
                raise
            self.seconds[name] += time.perf_counter() - start
            group = (publisher, story.casing.value)
            self.sums[name].setdefault(group, _Sums()).add(summary, story.reference)
        self.stories += 1

    def merge(self, other: _Tally) -> None:
        """Add ``other``'s stories, time and fallbacks to these (its systems must be these)."""
        for name, by_group in other.sums.items():
            mine = self.sums[name]
            for group, sums in by_group.items():
                mine.setdefault(group, _Sums()).merge(sums)
            self.seconds[name] += other.seconds[name]
            self.fallbacks[name] += other.fallbacks[name]
        self.stories += other.stories
        self.skipped += other.skipped

    def report(self) -> Report:
        """Turn the sums into means: by publisher, by form, overall, and test-split weighted."""
        results = []
        for name, by_group in self.sums.items():
            by_publisher = _merged(by_group, 0)
            publishers = sorted(by_publisher)
            everything = _Sums()
            for publisher in publishers:
                everything.merge(by_publisher[publisher])
            means = {p: by_publisher[p].mean() for p in publishers}
            forms = {f: sums.mean() for f, sums in sorted(_merged(by_group, 1).items())}
            results.append(
                SystemResult(
                    name=name,
                    weighted=_weighted(means, everything.mean()),
                    publishers=means,
                    seconds=self.seconds[name],
                    fallbacks=self.fallbacks[name],
                    openings={p: by_publisher[p].openings for p in publishers},
                    forms=forms,
                )
            )
        present = {publisher for publisher, _ in next(iter(self.sums.values()), {})}
        return Report(
            systems=tuple(results),
            stories=self.stories,
            skipped=self.skipped,
            weighted=all(p in present for p in PUBLISHERS),
        )


def _merged(by_group: Mapping[tuple[str, str], _Sums], part: int) -> dict[str, _Sums]:
    """Add up the groups' sums by one part of their key: 0 the publisher, 1 the written form."""
    out: dict[str, _Sums] = {}
    for group, sums in sorted(by_group.items()):
        out.setdefault(group[part], _Sums()).merge(sums)
    return out


@contextmanager
def _counting_fallbacks(systems: Mapping[str, System], tally: _Tally) -> Iterator[None]:
    """Add to ``tally`` the fallbacks each system takes in the block (summa's lead sentences).

    A system keeps one count over its life, across evaluations, so only the difference is this
    evaluation's.
    """
    before = {name: getattr(system, "fallbacks", 0) for name, system in systems.items()}
    yield
    for name, system in systems.items():
        tally.fallbacks[name] += getattr(system, "fallbacks", 0) - before[name]


def evaluate(
    stories: Iterable[Story],
    systems: Sequence[str] | Mapping[str, System],
    *,
    progress: bool = False,
) -> Report:
    """Run every system on every story with a reference and score them side by side.

    ``systems`` are names known to :func:`nutgraf.evaluate.peers.get_system` (loaded before
    the first story, so a missing package fails at once) or a mapping of names to systems. Stories
    without sentences are split first; stories without a reference are skipped and counted.
    ``progress`` shows a progress bar on stderr. The result depends only on the stories and
    the systems: same input, same report, apart from the timings.

    A system that raises stops the run; the error names the system and the story.
    """
    chosen = _resolve(systems)
    tally = _Tally(chosen)
    with _counting_fallbacks(chosen, tally):
        for story in tqdm(stories, desc="evaluate", unit=" stories", disable=not progress):
            tally.add(story, chosen)
    return tally.report()


def evaluate_corpus(
    source: str | os.PathLike[str],
    systems: Sequence[str] | Mapping[str, System],
    *,
    workers: int = 1,
    dask: str | None = None,
    limit: int | None = None,
    partition_size: int = PARTITION_SIZE,
    progress: bool = True,
) -> Report:
    """Score ``systems`` on the stories of the corpus ``source``, as :func:`evaluate` would.

    The corpus (JSONL(.gz), Parquet or a folder of story files: :class:`nutgraf.read.corpus.Corpus`)
    is read a partition of ``partition_size`` records at a time, and each partition is parsed,
    split and scored by ``workers`` local processes or on the Dask cluster ``dask``
    (``"local:N"`` or a scheduler's address; see :func:`nutgraf.run.runner.connect`). The report is
    :func:`evaluate`'s on the same stories, whatever the backend, apart from the timings: each
    system's ``seconds`` add up its time in every worker, so its stories per second are one
    worker's speed, comparable between runs on any number of workers.

    ``systems`` are names, loaded here first (a missing package fails before any story) and
    again once in each worker process, or a mapping of names to systems, which then must pickle
    unless ``workers`` is 1. A record that is not a story is skipped and logged with the message
    that says where it is and what is wrong, and the count is logged at the end: one bad line
    does not spoil an evaluation of thousands. ``limit`` stops after the record numbered
    ``limit``. ``progress`` shows a progress bar on stderr. With a process pool, a calling
    script needs an ``if __name__ == "__main__":`` guard.

    Raises :class:`~nutgraf.errors.NutgrafError` for an unreadable corpus, an unknown system or
    a missing package; a system that raises stops the run with a note naming it and the story.
    """
    if partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, not {partition_size}")
    stories = Corpus(source)
    state = _Systems(systems)
    tally = _Tally(state.loaded())
    total = None
    if progress:
        count = stories.count()
        total = count if limit is None else min(count, limit)
    bad = 0
    bar = tqdm(total=total, desc="evaluate", unit=" stories", disable=not progress)
    partitions = corpus.partitions(stories.records(upto=limit), partition_size)
    with bar, runner.connect(workers, dask, state=state) as backend:
        # Sums are exact, so merging in order of finishing gives the same report as in order.
        for _index, (part, errors) in backend.map(_score_partition, partitions):
            tally.merge(part)
            for message in errors:
                logger.warning("skipped: %s", message)  # the message names the file and line
            bad += len(errors)
            bar.update(part.stories + part.skipped + len(errors))
    if bad:
        read = tally.stories + tally.skipped
        logger.warning("%s: skipped %d bad records, read %d stories", source, bad, read)
    return tally.report()


class _Systems:
    """The systems of :func:`evaluate_corpus`: the state that :mod:`nutgraf.run.runner` shares.

    Systems given by name travel by name and are loaded once in each worker process, at its
    first task: nutgraf's own holds a model that is costly to send and sumy's may not pickle at
    all, while loading them is cheap. Systems given as objects travel as themselves. In this
    process (one worker) the systems the parent loaded serve as they are.

    A worker process scores one partition at a time (``lock``), even on a Dask worker of
    several threads: a system's fallback count and the timings are read around a partition,
    and would mix two partitions' otherwise. Python systems gain nothing from threads anyway.
    """

    def __init__(self, systems: Sequence[str] | Mapping[str, System]) -> None:
        self._names = None if isinstance(systems, Mapping) else tuple(systems)
        self._loaded: dict[str, System] | None = _resolve(systems)
        self.lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"names": self._names, "loaded": None if self._names is not None else self._loaded}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._names = state["names"]
        self._loaded = state["loaded"]
        self.lock = threading.Lock()

    def loaded(self) -> dict[str, System]:
        """Return the systems by name, loading them on a worker's first call."""
        if self._loaded is None:
            assert self._names is not None
            self._loaded = _resolve(self._names)
        return self._loaded


def _score_partition(state: _Systems, records: list[Record]) -> tuple[_Tally, list[str]]:
    """Read and score one partition: its tally, and the messages of records that are no story."""
    errors: list[str] = []
    with state.lock:
        systems = state.loaded()
        tally = _Tally(systems)
        with _counting_fallbacks(systems, tally):
            for record in records:
                story = corpus.parse(record)
                if isinstance(story, NutgrafError):
                    errors.append(str(story))
                else:
                    tally.add(story, systems, record.where)
    return tally, errors
