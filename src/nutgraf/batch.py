r"""Highlights for a whole corpus: JSONL in, one JSONL row per story out, bad lines set aside.

A corpus run must not stop at the first bad line, nor drop it silently: a line that is not JSON,
or holds an empty story, goes to a *rejects* file with its line number and raw text, and every
other story is summarized. Output rows keep input order, whatever the number of workers, so two
runs over the same input write the same bytes.

Speed comes from two places. The selector scores many stories per call (one LightGBM call for
all their sentences instead of one per story), so stories travel in chunks of ``chunk_size``.
With ``workers > 1`` chunks go to a process pool: the parent loads the model (so a missing one
fails before any output), each worker receives it once when it starts, and the parent only
parses JSON and writes rows. Workers start from a clean ``forkserver`` process rather than a
fork of the parent, because LightGBM's OpenMP runtime can hang in a child forked after the
parent used it; starting them costs about a second, so they pay off on thousands of stories.

>>> import json, pathlib, tempfile
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> _ = (tmp / "in.jsonl").write_text(
...     json.dumps({"id": "a", "article": "Rain fell. The match was off. Fans went home."})
...     + "\n{not json\n"
... )
>>> summary = run_batch(tmp / "in.jsonl", tmp / "out.jsonl", progress=False)
>>> (summary.done, summary.rejected)
(1, 1)
>>> json.loads((tmp / "out.jsonl.rejects.jsonl").read_text())["line"]
2
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from nutgraf import claims, ingest, sentences
from nutgraf.errors import NutgrafError
from nutgraf.select import load_selector
from nutgraf.story import Story

CHUNK_SIZE = 256
"""Stories per ``annotate`` call: large enough to amortize the model call, small enough that
two workers stay busy on a few thousand stories and the progress bar moves."""


class Annotator(Protocol):
    """What a batch needs from a selector: write ``highlights`` on split stories, in bulk.

    :class:`nutgraf.select.HighlightSelector` is one; a baseline such as Lead-3 can be another,
    so that it is timed through exactly the same reading and writing path.
    """

    def annotate(self, stories: Sequence[Story]) -> list[Story]:
        """Fill ``story.highlights`` for every story and return the stories."""
        ...


@dataclass(frozen=True, slots=True)
class Reject:
    """A line of the input that yielded no story, and why (the message names file and line)."""

    line: int
    error: str


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a run did: counts, wall time, and where it wrote."""

    done: int
    rejected: int
    seconds: float
    out_path: Path
    rejects_path: Path

    @property
    def stories_per_second(self) -> float:
        """Throughput over every line read, rejects included (they cost reading time too)."""
        return (self.done + self.rejected) / self.seconds if self.seconds > 0 else 0.0


_GZIP_MAGIC = b"\x1f\x8b"
Row = dict[str, Any]
_Chunk = list[tuple[int, Story]]
_Result = list[tuple[int, Row | None]]


def default_rejects_path(out_path: Path) -> Path:
    """``OUT.rejects.jsonl`` beside ``OUT``: where rejects go unless told otherwise."""
    return out_path.with_name(out_path.name + ".rejects.jsonl")


def run_batch(
    in_path: Path,
    out_path: Path,
    *,
    rejects_path: Path | None = None,
    workers: int = 1,
    limit: int | None = None,
    progress: bool = True,
    selector: Annotator | None = None,
    model: str = "default",
    chunk_size: int = CHUNK_SIZE,
    on_reject: Callable[[Reject], None] | None = None,
    figures: bool = True,
) -> BatchSummary:
    """Summarize every story of the JSONL(.gz) corpus ``in_path`` into ``out_path``.

    Each output row is ``{"id", "line", "highlights": [text, ...], "sentences": [[i, ...], ...],
    "figures": [[figure, ...], ...]}`` where ``sentences[k]`` are the indexes of the sentences
    bullet ``k`` was taken from, ``figures[k]`` the figures it states with their sources (as
    :func:`nutgraf.claims.figure_json` writes them) and ``line`` is the story's line in the
    input. ``figures=False`` leaves the figures out, which spares the parse they need and
    runs several times faster. Lines that yield no story are written to
    ``rejects_path`` (default :func:`default_rejects_path`) as ``{"line", "error", "raw"}`` and
    passed to ``on_reject`` as they are found; the rejects file is rewritten on every run, so an
    empty one means a clean input. ``limit`` stops after that many records (blank lines are
    not records).

    ``selector`` defaults to the packaged ``model``, loaded here before anything is written; with
    ``workers > 1`` it is pickled once into each worker, and, as with any ``forkserver`` or
    ``spawn`` pool, a calling script needs an ``if __name__ == "__main__":`` guard. Raises
    :class:`~nutgraf.errors.NutgrafError` only for faults of the whole run (an unreadable input
    file, a missing model), never for one bad story.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, not {chunk_size}")
    rejects_path = rejects_path or default_rejects_path(out_path)
    started = time.perf_counter()
    lines = islice(ingest.iter_jsonl(in_path), limit)  # a missing file raises here
    selector = selector or load_selector(model=model)
    done = 0
    rejects: list[Reject] = []
    chunks = _chunks(lines, chunk_size, rejects, on_reject)
    if workers == 1:
        results: Iterator[_Result] = (_process_chunk(chunk, selector, figures) for chunk in chunks)
    else:
        results = _map_in_pool(chunks, workers, selector, figures)
    bar = tqdm(total=limit, unit=" stories", disable=not progress, dynamic_ncols=True)
    with bar, out_path.open("w", encoding="utf-8") as out:
        for result in results:
            for line, row in result:
                if row is None:
                    message = f"{in_path}, line {line}: no sentence in the article; give a story"
                    _reject(Reject(line, message), rejects, on_reject)
                else:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    done += 1
            bar.update(done + len(rejects) - bar.n)  # records read, rejects included
    seconds = time.perf_counter() - started
    _write_rejects(in_path, rejects_path, sorted(rejects, key=lambda reject: reject.line))
    return BatchSummary(done, len(rejects), seconds, out_path, rejects_path)


def _chunks(
    lines: Iterable[tuple[int, Story | NutgrafError]],
    chunk_size: int,
    rejects: list[Reject],
    on_reject: Callable[[Reject], None] | None,
) -> Iterator[_Chunk]:
    """Group stories in chunks; lines that failed to parse go to ``rejects`` at once."""
    chunk: _Chunk = []
    for line, item in lines:
        if isinstance(item, NutgrafError):
            _reject(Reject(line, str(item)), rejects, on_reject)
            continue
        chunk.append((line, item))
        if len(chunk) == chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _reject(
    reject: Reject, rejects: list[Reject], on_reject: Callable[[Reject], None] | None
) -> None:
    rejects.append(reject)
    if on_reject is not None:
        on_reject(reject)


def _map_in_pool(
    chunks: Iterable[_Chunk], workers: int, selector: Annotator, figures: bool
) -> Iterator[_Result]:
    """Process chunks in a pool of ``workers`` processes, yielding results in input order.

    At most two chunks per worker are in flight, so memory stays flat on any corpus size while
    no worker waits for the parent to parse the next chunk.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(selector,)
    ) as pool:
        pending: deque[Future[_Result]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_process_chunk_in_worker, chunk, figures))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


_worker_selector: Annotator | None = None
"""The selector of this worker process, set once by :func:`_start_worker`."""


def _start_worker(selector: Annotator) -> None:
    global _worker_selector
    _worker_selector = selector


def _process_chunk_in_worker(chunk: _Chunk, figures: bool) -> _Result:
    assert _worker_selector is not None, "worker used before _start_worker ran"
    return _process_chunk(chunk, _worker_selector, figures)


def _process_chunk(chunk: _Chunk, selector: Annotator, figures: bool) -> _Result:
    """Split and annotate one chunk; a story with no sentence comes back as ``None``.

    Such a story (an article that is only a dateline or a byline, say) is rejected here rather
    than handed to the selector, so one story cannot fail a whole chunk.
    """
    results: dict[int, Row | None] = {}
    ready: list[tuple[int, Story]] = []
    for line, story in chunk:
        if not story.sentences:
            sentences.split(story)
        if story.sentences:
            ready.append((line, story))
        else:
            results[line] = None
    annotated = selector.annotate([story for _, story in ready])
    if figures:
        claims.of_highlights(annotated)
    for (line, _), story in zip(ready, annotated, strict=True):
        results[line] = _row(line, story, figures)
    return [(line, results[line]) for line, _ in chunk]


def _row(line: int, story: Story, figures: bool) -> Row:
    row: Row = {
        "id": story.id,
        "line": line,
        "highlights": [highlight.text for highlight in story.highlights],
        "sentences": [list(highlight.sentences) for highlight in story.highlights],
    }
    if figures:
        row["figures"] = [
            [claims.figure_json(story, f) for f in claims.in_highlight(story, highlight)]
            for highlight in story.highlights
        ]
    return row


def _write_rejects(in_path: Path, rejects_path: Path, rejects: Sequence[Reject]) -> None:
    """Write ``{"line", "error", "raw"}`` per reject, rereading only the rejected lines.

    The raw text is fetched in a second pass instead of being kept for every line: rejects
    are rare, and holding each line's raw text would double the parent's work on clean data.
    """
    raw = _raw_lines(in_path, {reject.line for reject in rejects}) if rejects else {}
    with rejects_path.open("w", encoding="utf-8") as out:
        for reject in rejects:
            record = {"line": reject.line, "error": reject.error, "raw": raw.get(reject.line)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _raw_lines(path: Path, wanted: set[int]) -> dict[int, str]:
    """Read the 1-based lines ``wanted`` of a JSONL(.gz) file, undecodable bytes replaced.

    Lines are counted, and gzip told by its magic bytes, as :func:`nutgraf.ingest.iter_jsonl`
    does, so the numbers match its messages.
    """
    with path.open("rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    found: dict[int, str] = {}
    last = max(wanted)
    with gzip.open(path, "rb") if compressed else path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if number in wanted:
                found[number] = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if number == last:
                break
    return found
