r"""Highlights for a whole corpus: resumable, in bounded memory, on one machine or a cluster.

A corpus (:class:`nutgraf.read.corpus.Corpus`: JSONL, Parquet or a folder of story files) is cut
into partitions of ``partition_size`` records, numbered by where they start. Each partition is
one task (:mod:`nutgraf.run.runner` runs them here, in a process pool or on Dask) and, once done,
one part file of output rows (JSONL or Parquet), one file of its rejects, and last a small
marker saying it is done. Every file is written under a temporary name and renamed, so a run
killed at any moment, even by SIGKILL, leaves only whole parts. Rerunning the same command
finds the markers, skips those partitions without reading their stories, and finishes the
rest; at the end the parts are joined into ``OUT`` (or, for a folder ``OUT/``, left as a
partitioned dataset) and the rejects into one file. So every input record ends up exactly once
in the output or in the rejects, and the output is the same bytes whatever the backend and
however often the run was interrupted.

While a run is unfinished its state lives in a work folder: ``OUT.partial/`` beside a file
``OUT``, or ``OUT/_nutgraf/`` inside a folder ``OUT/``. It holds the run's description (input,
model, options), and a rerun with a different input or options refuses to mix its output with
it unless told to ``restart``.

>>> import json, pathlib, tempfile
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> _ = (tmp / "in.jsonl").write_text(
...     json.dumps({"id": "a", "article": "Rain fell. The match was off. Fans went home."})
...     + "\n{not json\n"
... )
>>> summary = run_batch(tmp / "in.jsonl", tmp / "out.jsonl", progress=False)
>>> (summary.done, summary.rejected)
(1, 1)
>>> json.loads((tmp / "out.jsonl.rejects.jsonl").read_text())["record"]
2
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from tqdm import tqdm

from nutgraf import pipeline, render
from nutgraf.errors import NutgrafError
from nutgraf.read import corpus, sentences
from nutgraf.read.corpus import Corpus, Record
from nutgraf.run import runner
from nutgraf.run.output import (
    OUTPUT_FORMATS,
    OutputFormat,
    Row,
    join_jsonl,
    join_parquet,
    jsonl,
    write_atomic,
    write_parquet,
)
from nutgraf.select.models import load_selector
from nutgraf.story import Story

PARTITION_SIZE = 500
"""Records per partition: the unit of work sent to a worker, of output files, and of what an
interrupted run redoes. Large enough that one LightGBM call scores hundreds of stories, small
enough that two workers share a few thousand stories evenly and a kill loses seconds."""

_STATE = "_nutgraf"
_RUN_FILE = "run.json"
_RUN_VERSION = 1
_PART_NAME = re.compile(r"\.?part-[0-9]{6,}\.(jsonl|parquet)(\.tmp)?")
"""The names of the part files a run writes into a folder ``OUT`` (and their temporary names):
the only files of that folder that a run removes."""


@dataclass(frozen=True, slots=True)
class Reject:
    """A record that yielded no story: its number, why (the message names where), its text.

    ``raw`` is a JSONL line or a Parquet row as JSON; a folder's file is named in ``error``.
    """

    record: int
    error: str
    raw: str | None = None


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a run did: stories done now, skipped as done by an earlier run, rejected, time."""

    done: int
    skipped: int
    rejected: int
    seconds: float
    out_path: Path
    rejects_path: Path

    @property
    def stories_per_second(self) -> float:
        """Throughput of this run over every record it read, rejects included."""
        return (self.done + self.rejected) / self.seconds if self.seconds > 0 else 0.0


def default_rejects_path(out_path: Path) -> Path:
    """``OUT.rejects.jsonl`` beside ``OUT``: where rejects go unless told otherwise."""
    return out_path.with_name(out_path.name + ".rejects.jsonl")


def work_path(out_path: str | os.PathLike[str]) -> Path:
    """Where an unfinished run keeps its parts and state: see the module's description.

    Give ``out_path`` as the user wrote it: a trailing ``/`` makes it a folder, and a
    :class:`~pathlib.Path` has already dropped it.
    """
    return _work(Path(out_path), _is_folder(out_path))


def _work(out: Path, folder: bool) -> Path:
    return out / _STATE if folder else out.with_name(out.name + ".partial")


def run_batch(
    source: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    *,
    rejects_path: Path | None = None,
    input_format: str | None = None,
    output_format: str | None = None,
    workers: int = 1,
    dask: str | None = None,
    limit: int | None = None,
    partition_size: int = PARTITION_SIZE,
    progress: bool = True,
    selector: pipeline.Selector | None = None,
    model: str = "default",
    compress: bool = True,
    figures: bool = True,
    restart: bool = False,
    any_language: bool = False,
    on_reject: Callable[[Reject], None] | None = None,
) -> BatchSummary:
    """Summarize every story of the corpus ``source`` into ``out_path``, or finish doing so.

    Each output row is ``{"id", "record", "highlights": [text, ...], "sentences": [[i, ...],
    ...], "figures": [[figure, ...], ...]}``: ``record`` is the story's number in the input
    (:mod:`nutgraf.read.corpus`), ``sentences[k]`` the indexes of the sentences bullet ``k`` was
    taken from, ``figures[k]`` the figures it states with their sources (as
    :func:`nutgraf.render.figure_json` writes them; ``figures=False`` leaves them out, which
    spares the parse they need and runs several times faster). Each bullet is cut to the
    editors' length, or with ``compress=False`` kept a whole sentence (see
    :func:`nutgraf.pipeline.annotate`). Records that yield no story go to ``rejects_path``
    (default :func:`default_rejects_path`) as ``{"record", "error", "raw"}``, and to
    ``on_reject`` as they are found: among them stories in another language (unless
    ``any_language``) and web pages with no article text to trust, refused as
    :func:`nutgraf.read.ingest.read` refuses them.

    ``out_path`` ending in ``.jsonl`` or ``.parquet`` is one file; a folder (existing, a string
    ending in ``/``, or without a suffix) receives a partitioned dataset, ``part-000000.jsonl``
    and on, beside the folder's other files, which are left alone; ``output_format`` overrides
    the suffix. Missing folders on the way to the output and the rejects are created.
    ``input_format`` is the form of a folder's story files (detected by default). ``limit``
    stops after the record numbered ``limit``.

    ``workers`` local processes, or the Dask cluster ``dask`` (``"local:N"`` or a scheduler
    address; see :func:`nutgraf.run.runner.connect`), run the partitions; the model is loaded here
    first (a missing one fails before any work) and sent to each worker once. With a process
    pool, a calling script needs an ``if __name__ == "__main__":`` guard.

    Raises :class:`~nutgraf.errors.NutgrafError` only for faults of the whole run (an unreadable
    input, a missing model, an unfinished run of other options without ``restart``, an output
    that would overwrite the input), never for one bad story.
    """
    if partition_size < 1:
        raise ValueError(f"partition_size must be at least 1, not {partition_size}")
    started = time.perf_counter()
    out = Path(out_path)
    folder = _is_folder(out_path)
    fmt = _output_format(out, folder, output_format)
    rejects_path = rejects_path or default_rejects_path(out)
    stories = Corpus(source)
    _check_paths(stories.path, out, folder, rejects_path)
    description = {
        "version": _RUN_VERSION,
        "input": stories.fingerprint(),
        "options": {
            "input_format": input_format,
            "output_format": fmt,
            "partition_size": partition_size,
            "limit": limit,
            "model": model if selector is None else type(selector).__name__,
            "compress": compress,
            "figures": figures,
            "any_language": any_language,
        },
    }
    selector = selector or load_selector(model=model)  # first: a typo's run leaves no files
    rejects_path.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(out):
        run = _Run(out, folder, fmt, description, restart)
        finished = run.finished()
        skipped = sum(counts["rows"] + counts["rejects"] for counts in finished.values())
        done = rejected = 0
        total = _total(stories, limit) if progress else None
        bar = tqdm(
            total=total,
            initial=skipped,
            unit=" stories",
            disable=not progress,
            dynamic_ncols=True,
            smoothing=0.1,
        )
        wanted = _Unfinished(partition_size, set(finished))
        partitions = corpus.partitions(stories.records(wanted, upto=limit), partition_size)
        state = _Task(selector, compress, figures, input_format, any_language)
        with bar, runner.connect(workers, dask, state=state) as backend:
            for index, (rows, rejects) in backend.map(_summarize, partitions):
                run.save(index, rows, rejects)
                for reject in rejects:
                    if on_reject is not None:
                        on_reject(reject)
                done += len(rows)
                rejected += len(rejects)
                bar.update(len(rows) + len(rejects))
                bar.set_postfix(rejected=rejected, refresh=False)
        run.finish(rejects_path)
        seconds = time.perf_counter() - started
        return BatchSummary(done, skipped, rejected, seconds, out, rejects_path)


@contextmanager
def _exclusive(out: Path) -> Iterator[None]:
    """Hold the output's lock while a run writes it: a second run at once is refused.

    Two runs of one output would write the same parts and state under each other. The lock
    is the operating system's (filelock), so a killed run leaves none held; the lock file
    itself, empty, stays beside the output.
    """
    from filelock import FileLock, Timeout

    path = out.with_name(out.name + ".lock")  # beside a folder too: its files are the output
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise NutgrafError(
            f"{out}: another nutgraf batch is writing this output now; wait for it to finish, "
            "or give another output"
        ) from None
    try:
        yield
    finally:
        lock.release()  # the file stays: removing it would let a waiting run lock a lost file


def _is_folder(out_path: str | os.PathLike[str]) -> bool:
    out = Path(out_path)
    return out.is_dir() or os.fspath(out_path).endswith(("/", os.sep)) or not out.suffix


def _check_paths(source: Path, out: Path, folder: bool, rejects: Path) -> None:
    """Refuse outputs that would destroy the input or each other, before any work is done.

    The output must not be the input or hold it in its work folder (removed at the end), nor
    the rejects be the input, the output, a folder, or a file in that work folder.
    """
    source, out, rejects = source.resolve(), out.resolve(), rejects.resolve()
    work = _work(out, folder)
    if (not folder and source == out) or source.is_relative_to(work):
        raise NutgrafError(f"{out}: the output would overwrite the input; write it elsewhere")
    if folder and source.parent == out and _PART_NAME.fullmatch(source.name):
        raise NutgrafError(
            f"{source}: the input is a part file of the output folder {out}, which a run"
            " replaces; move it or write elsewhere"
        )
    if rejects in (source, out) or rejects.is_relative_to(work) or rejects.is_dir():
        raise NutgrafError(
            f"--rejects {rejects}: the rejects need a file of their own, not the input, the"
            f" output, a folder or a file inside {work}, which the run removes at its end"
        )


def _output_format(out: Path, folder: bool, given: str | None) -> OutputFormat:
    """Choose the output format: as given, else by the name's suffix, else JSONL for a folder."""
    if given is not None:
        if given not in OUTPUT_FORMATS:
            raise NutgrafError(
                f"unknown output format {given!r}; use {' or '.join(OUTPUT_FORMATS)}"
            )
        return given
    suffix = out.suffix.lower().lstrip(".")
    if suffix in OUTPUT_FORMATS:
        return suffix
    if folder:
        return "jsonl"
    raise NutgrafError(
        f"{out}: cannot tell the output format from {out.suffix!r}; name the output .jsonl or "
        ".parquet, give a folder (ending in /), or say --output-format"
    )


def _total(stories: Corpus, limit: int | None) -> int:
    count = stories.count()
    return count if limit is None else min(count, limit)


@dataclass(frozen=True, slots=True)
class _Unfinished:
    """Whether a record number falls in a partition that an earlier run has not finished."""

    size: int
    finished: set[int]

    def __call__(self, number: int) -> bool:
        return (number - 1) // self.size not in self.finished


@dataclass(frozen=True, slots=True)
class _Task:
    """What every partition's task shares, sent to each worker once: the model and options."""

    selector: pipeline.Selector
    compress: bool
    figures: bool
    input_format: str | None
    any_language: bool


def _summarize(task: _Task, records: list[Record]) -> tuple[list[Row], list[Reject]]:
    """Read, split and annotate one partition; a record with no story becomes a reject.

    Such a record (bad JSON, an article that is only a dateline) is set aside here rather than
    handed to the selector, so one story cannot fail a partition.
    """
    ready: list[tuple[int, Story]] = []
    rejects: list[Reject] = []
    for record in records:
        story = corpus.parse(record, task.input_format, any_language=task.any_language)
        if isinstance(story, Story):
            sentences.split(story)
            if story.sentences:
                ready.append((record.number, story))
                continue
            story = NutgrafError(f"{record.where}: no sentence in the article; give a story")
        rejects.append(Reject(record.number, str(story), _raw(record)))
    annotated = pipeline.annotate(
        [story for _, story in ready],
        task.selector,
        figures="bullets" if task.figures else None,
        compress=task.compress,
    )
    rows = [
        render.row_json(number, story, figures=task.figures)
        for (number, _), story in zip(ready, annotated, strict=True)
    ]
    return rows, rejects


def _raw(record: Record) -> str | None:
    if record.kind == "jsonl":
        assert isinstance(record.data, bytes)
        return record.data.decode("utf-8", errors="replace").rstrip("\r\n")
    if record.kind == "parquet":
        return json.dumps(record.data, ensure_ascii=False, default=str)
    return None


class _Run:
    """The files of one run: its parts, their rejects and markers, and its description.

    A part counts as done only once its marker exists, and the marker is written after the
    part and its rejects, each renamed into place whole: so whatever moment a kill comes at,
    a marker means a whole part.
    """

    def __init__(
        self, out: Path, folder: bool, fmt: OutputFormat, description: Row, restart: bool
    ) -> None:
        self.out = out
        self.fmt = fmt
        self.folder = folder
        self.figures = bool(description["options"]["figures"])
        self.parts = out if folder else _work(out, folder)
        self.state = self.parts / _STATE
        description_file = self.state / _RUN_FILE
        if description_file.is_file() and not restart:
            before = json.loads(description_file.read_text(encoding="utf-8"))
            if before != description:
                raise NutgrafError(
                    f"{self.state} holds an unfinished run of other input or options "
                    f"({_difference(before, description)}); rerun it as it was to finish it, "
                    "or add --restart to start this one afresh"
                )
        else:
            self._clear()
            self.state.mkdir(parents=True)
            write_atomic(description_file, json.dumps(description, indent=2).encode())

    def _clear(self) -> None:
        """Remove an earlier run's parts and state (not other files of a folder ``OUT``)."""
        if self.folder:
            self._remove_parts(temporary_only=False)
            shutil.rmtree(self.state, ignore_errors=True)
        else:
            shutil.rmtree(self.parts, ignore_errors=True)

    def _remove_parts(self, *, temporary_only: bool) -> None:
        """Remove the part files (or only those a killed run left half-written) of folder OUT."""
        if not self.parts.is_dir():
            return
        for file in self.parts.iterdir():
            match = _PART_NAME.fullmatch(file.name)
            if match and (match.group(2) or not temporary_only) and file.is_file():
                file.unlink()

    def _part(self, index: int) -> Path:
        return self.parts / f"part-{index:06d}.{self.fmt}"

    def _rejects(self, index: int) -> Path:
        return self.state / f"rejects-{index:06d}.jsonl"

    def _marker(self, index: int) -> Path:
        return self.state / f"done-{index:06d}.json"

    def finished(self) -> dict[int, dict[str, int]]:
        """Return the partitions done by an earlier run, with their counts of rows and rejects."""
        found = {}
        for marker in self.state.glob("done-*.json"):
            found[int(marker.stem.removeprefix("done-"))] = json.loads(marker.read_bytes())
        return found

    def save(self, index: int, rows: list[Row], rejects: list[Reject]) -> None:
        """Write one partition's part, rejects and, last, its marker."""
        self.parts.mkdir(parents=True, exist_ok=True)
        if self.fmt == "parquet":
            write_parquet(self._part(index), rows, self.figures)
        else:
            write_atomic(self._part(index), jsonl(rows))
        write_atomic(self._rejects(index), jsonl(asdict(reject) for reject in rejects))
        counts = {"rows": len(rows), "rejects": len(rejects)}
        write_atomic(self._marker(index), json.dumps(counts).encode())

    def finish(self, rejects_path: Path) -> None:
        """Join the rejects (and, for a file ``OUT``, the parts), then drop the run's state.

        The run's description goes only once both are whole, so a run killed while finishing
        finishes again on a rerun, and one killed after starts afresh.
        """
        indexes = sorted(self.finished())
        join_jsonl([self._rejects(i) for i in indexes], rejects_path)
        if not self.folder:
            parts = [self._part(i) for i in indexes]
            if self.fmt == "parquet":
                join_parquet(parts, self.out, self.figures)
            else:
                join_jsonl(parts, self.out)
        else:
            self._remove_parts(temporary_only=True)
        (self.state / _RUN_FILE).unlink()
        shutil.rmtree(self.state if self.folder else self.parts)


def _difference(before: Row, now: Row) -> str:
    if before.get("input") != now.get("input"):
        return "the input has changed"
    changed = [
        f"{key} {before['options'].get(key)!r} then, {value!r} now"
        for key, value in now["options"].items()
        if before.get("options", {}).get(key) != value
    ]
    return "; ".join(changed) or "a different nutgraf wrote it"
