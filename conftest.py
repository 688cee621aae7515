"""Shared fixtures for the tests of the accurate tier (encoder graphs, a tiny fitted model).

They live at the root so that ``src/nutgraf/*_test.py`` and ``tests/*_test.py`` share one
build of the encoder graphs and one fitted selector per session. Nothing here is autouse: the
rest of the suite never builds a graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from nutgraf.select.accurate.selector import AccurateSelector
    from nutgraf.story import Story

CNNDM_SAMPLE = Path(__file__).parent / "tests" / "fixtures" / "cnndm_sample.jsonl"


def cnndm_stories() -> list[Story]:
    """Read and split the 12 CNN/DailyMail fixture stories, fresh on every call."""
    from nutgraf.read import ingest, sentences
    from nutgraf.story import Story

    return [
        sentences.split(story)
        for _, story in ingest.iter_jsonl(CNNDM_SAMPLE)
        if isinstance(story, Story)
    ]


@pytest.fixture(scope="session")
def encoder_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point ``$NUTGRAF_CACHE`` at a session directory and build both encoder graphs there."""
    from nutgraf.select.accurate import encoder

    cache = tmp_path_factory.mktemp("nutgraf-cache")
    patch = pytest.MonkeyPatch()
    patch.setenv("NUTGRAF_CACHE", str(cache))
    encoder.load_encoder.cache_clear()
    try:
        encoder.graph_path(quantized=False)
        encoder.graph_path(quantized=True)
        yield cache
    finally:
        encoder.load_encoder.cache_clear()
        patch.undo()


TINY_ACCURATE: dict[str, Any] = {
    "n_estimators": 5,
    "min_child_samples": 1,
    "num_leaves": 7,
    "hash_bits": 12,
    "min_df": 1,
    "head_width": 32,
    "head_layers": 2,
    # One epoch would be faster, but head.fit divides by zero when a fold trains in a single
    # step; head_test.py pins that down.
    "head_epochs": 2,
}


@pytest.fixture(scope="session")
def tiny_accurate_fit(encoder_cache: Path) -> tuple[AccurateSelector, list[str]]:
    """Fit an accurate selector in seconds on the fixture stories; keep its progress lines."""
    from nutgraf.select.accurate.selector import AccurateSelector

    stories = cnndm_stories()
    lines: list[str] = []
    selector = AccurateSelector(**TINY_ACCURATE)
    selector.fit(stories, [story.reference for story in stories], progress=lines.append)
    return selector, lines


@pytest.fixture(scope="session")
def tiny_accurate(tiny_accurate_fit: tuple[AccurateSelector, list[str]]) -> AccurateSelector:
    """Return the fitted selector of :func:`tiny_accurate_fit`."""
    return tiny_accurate_fit[0]
