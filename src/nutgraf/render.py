"""Stories as JSON: the one rendering that the CLI, the service, the store and batch share.

``nutgraf highlights --json``, the service's responses, the records the store keeps, the rows
of a batch run and an update's changes are all built here, so a bullet's provenance and a
figure's fields read the same wherever they are shown. Offsets are
characters (not bytes) into :attr:`Story.text`: for plain text the input as decoded, for HTML
the text extracted from the page, which is why the JSON carries that text along.

>>> from nutgraf import highlights
>>> data = story_json(highlights(
...     "Heavy rain fell across the city on Monday. The match at the stadium was called off."))
>>> data["highlights"][0]["sentences"], data["highlights"][0]["spans"]
([0], [[0, 42]])
"""

from __future__ import annotations

from typing import Any

from nutgraf.claims import extract
from nutgraf.story import Figure, Highlight, Story
from nutgraf.versions import Novelty, Update


def story_json(story: Story) -> dict[str, Any]:
    """Render a summarized story: highlights traced to sentences and character spans.

    Each bullet carries the figures it states and the parties it credits. ``text`` is the text
    the offsets index, so that they can be checked without the input (for HTML, it is text the
    caller never had), and ``format`` the form it was read as. The story's own highlights are
    included as ``reference`` when it had them.
    """
    return _story_json(story, [_bullet_json(story, highlight) for highlight in story.highlights])


def _story_json(story: Story, highlights: list[dict[str, Any]]) -> dict[str, Any]:
    """:func:`story_json` with the bullets rendered by the caller."""
    data: dict[str, Any] = {
        "id": story.id,
        "title": story.title,
        "format": story.source_format,
        "text": story.text,
        "highlights": highlights,
        "sentences": [
            {"index": s.index, "text": s.text, "start": s.start, "end": s.end}
            for s in story.sentences
        ],
    }
    if story.reference:
        data["reference"] = story.reference
    return data


def _bullet_json(story: Story, highlight: Highlight) -> dict[str, Any]:
    figures = extract.in_highlight(story, highlight)
    return {
        "text": highlight.text,
        "sentences": list(highlight.sentences),
        "spans": [list(span) for span in highlight.spans],
        "score": highlight.score,
        "figures": [figure_json(story, f) for f in figures],
        "sources": extract.sources(figures),
    }


def figure_json(story: Story, figure: Figure) -> dict[str, object]:
    """One figure as JSON, with the guidelines' fields, its offsets and its sentence."""
    return {
        "text": figure.text,
        "value": int(figure.value) if float(figure.value).is_integer() else figure.value,
        "qualifier": figure.qualifier,
        "counts": figure.counts,
        "source": figure.source,
        "sentence": story.sentences[figure.sentence].text,
        "sentence_index": figure.sentence,
        "start": figure.start,
        "end": figure.end,
    }


def figures_json(story: Story) -> list[dict[str, object]]:
    """Render every figure found in the story, in text order."""
    return [figure_json(story, figure) for figure in story.figures]


def record_json(story: Story) -> dict[str, Any]:
    """Render everything known about a story: :func:`story_json` and every figure in it.

    This is what the store keeps and the service answers with when it stores a story.
    """
    return {**story_json(story), "figures": figures_json(story)}


def row_json(record: int, story: Story, *, figures: bool) -> dict[str, Any]:
    """Render a story as one row of a batch run: its bullets, lean enough for millions.

    ``record`` is the story's place in its corpus; ``sentences[k]`` are the sentences bullet
    ``k`` came from and, with ``figures``, ``figures[k]`` the figures it states.
    """
    row: dict[str, Any] = {
        "id": story.id,
        "record": record,
        "highlights": [highlight.text for highlight in story.highlights],
        "sentences": [list(highlight.sentences) for highlight in story.highlights],
    }
    if figures:
        row["figures"] = [
            [figure_json(story, f) for f in extract.in_highlight(story, highlight)]
            for highlight in story.highlights
        ]
    return row


def update_json(update: Update) -> dict[str, Any]:
    """Render an update as :func:`story_json` renders the newer version, plus what is new.

    Each bullet adds ``new`` and ``why`` (the novelties that make it new); ``changed`` lists the
    figures whose value or source changed. Figures take the form of :func:`figure_json`, their
    sentence and offsets in the version they come from (``was`` and ``old`` in the older one),
    so that every offset can be checked against ``text`` or the older version's text.
    """
    data = _story_json(
        update.story,
        [
            {
                **_bullet_json(update.story, bullet.highlight),
                "new": bullet.new,
                "why": [_novelty_json(update, novelty) for novelty in bullet.novelties],
            }
            for bullet in update.bullets
        ],
    )
    data["changed"] = [
        {
            "text": str(change),
            "old": figure_json(update.previous, change.old),
            "new": figure_json(update.story, change.new),
        }
        for change in update.changes
    ]
    return data


def _novelty_json(update: Update, novelty: Novelty) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": novelty.kind, "text": novelty.text}
    if novelty.figure is not None:
        data["figure"] = figure_json(update.story, novelty.figure)
    if novelty.was is not None:
        data["was"] = figure_json(update.previous, novelty.was)
    return data
