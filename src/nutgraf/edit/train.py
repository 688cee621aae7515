"""Rebuild the packaged compression model from CNN/DailyMail training stories.

``nutgraf train-compression --data FILE`` reads stories with their editors' highlights (the
format ``nutgraf train`` reads), chooses and edits each story's bullets as the pipeline does
with compression off, and measures for every unit :mod:`nutgraf.edit.units` proposes how much
cutting it alone raises ROUGE-1 + ROUGE-2 F1 of the story's bullets against the highlights
(points: the label of CUPS and JECS). :class:`~nutgraf.edit.compression.CompressionModel` is
fitted to those gains and written where the package loads it. Each story is read in both
written forms, as the selector learns them (:func:`nutgraf.select.train.other_form`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed
from numpy.typing import NDArray
from tqdm import tqdm

from nutgraf.edit.bullets import edit
from nutgraf.edit.compression import CompressionModel, default_path, story_cuts, without
from nutgraf.edit.cuts import pieces_of, pieces_of_highlight
from nutgraf.read import ingest, sentences
from nutgraf.select.models import load_selector
from nutgraf.select.train import other_form
from nutgraf.story import Story

BATCH = 500
"""Stories annotated and parsed together while the examples are built."""


def _log(message: str) -> None:
    print(f"[nutgraf train-compression] {message}", file=sys.stderr, flush=True)


def examples(stories: Sequence[Story]) -> tuple[NDArray[np.float32], NDArray[np.float64]]:
    """Every unit of the stories' whole bullets: its features and its measured gain (points).

    The stories carry their reference highlights; their bullets are chosen and edited here
    with compression off, as inference sees them before it cuts.
    """
    from nutgraf.rouge import Reference, rouge_tokens

    selector = load_selector()
    selector.annotate(stories)
    edit(stories, selector, compress=False)
    bullets = [
        [(h.sentences[0], pieces_of_highlight(story, h)) for h in story.highlights]
        for story in stories
    ]
    rows: list[tuple[float, ...]] = []
    gains: list[float] = []
    for story, own, found in zip(stories, bullets, story_cuts(stories, bullets), strict=True):
        reference = Reference(story.reference)
        tokens = [rouge_tokens(pieces_of(story, pieces)) for _, pieces in own]
        before = reference.gain_of(tokens)
        for k, ((_, pieces), candidates) in enumerate(zip(own, found, strict=True)):
            for cut in candidates:
                trial = list(tokens)
                trial[k] = rouge_tokens(pieces_of(story, without(pieces, cut.start, cut.end)))
                rows.append(cut.row)
                gains.append(100 * (reference.gain_of(trial) - before))
    return np.array(rows, dtype=np.float32), np.array(gains, dtype=np.float64)


def train(
    data: str | Path,
    out: str | Path | None = None,
    *,
    limit: int | None = None,
    both_forms: bool = True,
    n_jobs: int = 2,
) -> Path:
    """Fit the compression model on ``data`` and save it to ``out`` (the packaged file)."""
    started = time.perf_counter()
    stories: list[Story] = []
    for _, item in ingest.iter_jsonl(data):
        if isinstance(item, Exception) or not item.reference:
            continue
        stories.append(sentences.split(item))
        if limit is not None and len(stories) >= limit:
            break
    if both_forms:
        stories = [form for story in stories for form in (story, other_form(story))]
    _log(f"read {len(stories)} stories from {data}")
    batches = [stories[at : at + BATCH] for at in range(0, len(stories), BATCH)]
    found = Parallel(n_jobs=n_jobs)(
        delayed(examples)(batch) for batch in tqdm(batches, desc="stories", unit="batch")
    )
    rows = np.concatenate([batch_rows for batch_rows, _ in found])
    gains = np.concatenate([batch_gains for _, batch_gains in found])
    _log(f"{len(gains)} units, {np.mean(gains > 0):.0%} of them worth cutting alone")
    model = CompressionModel().fit(rows, gains)
    target = Path(out) if out is not None else default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    model.save(target)
    minutes = (time.perf_counter() - started) / 60
    _log(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB) in {minutes:.1f} min")
    return target
