"""Rebuild a packaged highlight model from CNN/DailyMail training stories.

``nutgraf train --data FILE [--model accurate]`` reads a JSONL(.gz) corpus of stories with
their editors' highlights (one ``{"id", "article", "highlights"}`` object a line, the
highlights one per line, as the CNN/DailyMail training split is distributed), splits each
story the way inference does, fits the model's selector
(:class:`~nutgraf.select.selector.HighlightSelector`, or
:class:`~nutgraf.select.accurate.selector.AccurateSelector`) against the highlights and writes
the model file that ships in the package. Each story is learned in both written forms (see
:func:`train`), so the default model reads 86,980 stories from the 43,490 of the shared
training split: 34.5 minutes on a 2-core machine that a second training shared. The accurate
model took 46 minutes on one form, most of it encoding the stories (25) and training the
inter-sentence head (14).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

from nutgraf.read import ingest, sentences
from nutgraf.read.forms import detokenize, tokenize
from nutgraf.select.models import default_model_path, selector_class
from nutgraf.story import Casing, Story


def other_form(story: Story) -> Story:
    """Return the split story in its other written form, with the same reference highlights.

    A cased story is tokenized as See et al.'s data is; a tokenized one is detokenized (still
    lowercased: its casing is lost). Its paragraphs become one line, as the data has them.
    """
    text = story.body_text
    converted = detokenize(text) if story.casing is Casing.TOKENIZED else tokenize(text)
    other = ingest.read(converted, "plain")
    other.id, other.publisher, other.reference = story.id, story.publisher, story.reference
    return sentences.split(other)


@dataclass(frozen=True)
class TrainReport:
    """What a training run used and produced."""

    stories: int
    skipped: int
    seconds: float
    model: Path
    model_bytes: int


def _log(message: str) -> None:
    print(f"[nutgraf train] {message}", file=sys.stderr, flush=True)


def train(
    data: str | Path,
    out: str | Path | None = None,
    *,
    limit: int | None = None,
    n_jobs: int = 2,
    verbose: bool = True,
    model: str = "default",
    both_forms: bool = True,
) -> TrainReport:
    """Fit ``model``'s selector on ``data`` and save it to ``out`` (by default, the packaged file).

    Rows without reference highlights, and rows that fail to parse, are skipped and counted.
    With ``both_forms`` every story is learned from twice, as given and in the other written
    form (:func:`other_form`), so that no feature becomes a crutch the cased form lacks: the
    model is then fitted on both forms of every story, the two in the same fold.
    """
    log = _log if verbose else (lambda _: None)
    selector = selector_class(model)(n_jobs=n_jobs)  # an unknown model or missing extra fails here
    started = time.perf_counter()
    stories: list[Story] = []
    skipped = 0
    for _, item in ingest.iter_jsonl(data):
        if isinstance(item, Exception) or not item.reference:
            skipped += 1
            continue
        stories.append(sentences.split(item))
        if limit is not None and len(stories) >= limit:
            break
    log(f"read {len(stories)} stories ({skipped} skipped) from {data}")
    groups = list(range(len(stories)))
    if both_forms:
        stories = [form for story in stories for form in (story, other_form(story))]
        groups = [g for g in groups for _ in range(2)]
        log(f"each story in both forms: {len(stories)} stories")
    selector.fit(stories, [story.reference for story in stories], groups=groups, progress=log)
    target = Path(out) if out is not None else default_model_path(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    selector.save(target)
    seconds = time.perf_counter() - started
    log(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB) in {seconds / 60:.1f} min")
    return TrainReport(len(stories), skipped, seconds, target, target.stat().st_size)
