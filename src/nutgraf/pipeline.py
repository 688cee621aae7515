"""Story in, highlights out: the stages in order, and the one entry point everything calls.

The CLI, the evaluation harness and batch runs all go through :func:`process`, so a story is
summarized the same way wherever it comes from.
"""

from __future__ import annotations

from nutgraf import claims, ingest, sentences
from nutgraf.select import HighlightSelector, load_selector
from nutgraf.story import Story


def process(
    story: Story,
    selector: HighlightSelector | None = None,
    *,
    model: str = "default",
    figures: bool = True,
) -> Story:
    """Split ``story`` into sentences, choose its highlights and find the figures they state.

    Sentences already split are kept.
    ``selector`` wins over ``model``, the name of a packaged model (see
    :data:`nutgraf.select.MODELS`). ``figures=False`` skips the parse that figures need, for
    callers that only score the bullets' words (ROUGE evaluation).
    """
    if not story.sentences:
        sentences.split(story)
    (selector or load_selector(model=model)).annotate([story])
    if figures:
        claims.of_highlights([story])
    return story


def highlights(
    text: str | bytes,
    *,
    input_format: str | None = None,
    selector: HighlightSelector | None = None,
    model: str = "default",
) -> Story:
    """Read one story in any supported form and return it with its highlights.

    >>> story = highlights("Rain fell on Monday. The match was called off. Fans went home.")
    >>> [h.sentences for h in story.highlights][0]
    (0,)
    """
    return process(ingest.read(text, input_format), selector, model=model)
