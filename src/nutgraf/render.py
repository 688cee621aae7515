"""A summarized story as JSON: the one rendering the CLI, the service and the store share.

``nutgraf highlights --json``, the service's responses and the records the store keeps are
all built here, so a bullet's provenance reads the same wherever it is shown. Offsets are
characters (not bytes) into :attr:`Story.text`: for plain text the input as decoded, for HTML
the text extracted from the page, which is why the JSON carries that text along.

>>> from nutgraf import highlights
>>> data = story_json(highlights("Rain fell on Monday. The match was called off. Fans went home."))
>>> data["highlights"][0]["sentences"], data["highlights"][0]["spans"]
([0], [[0, 20]])
"""

from __future__ import annotations

from typing import Any

from nutgraf import claims
from nutgraf.story import Highlight, Story


def story_json(story: Story) -> dict[str, Any]:
    """Render a summarized story: highlights traced to sentences and character spans.

    Each bullet carries the figures it states and the parties it credits. ``text`` is the text
    the offsets index, so that they can be checked without the input (for HTML, it is text the
    caller never had), and ``format`` the form it was read as. The story's own highlights are
    included as ``reference`` when it had them.
    """
    data: dict[str, Any] = {
        "id": story.id,
        "title": story.title,
        "format": story.source_format,
        "text": story.text,
        "highlights": [_bullet_json(story, highlight) for highlight in story.highlights],
        "sentences": [
            {"index": s.index, "text": s.text, "start": s.start, "end": s.end}
            for s in story.sentences
        ],
    }
    if story.reference:
        data["reference"] = story.reference
    return data


def _bullet_json(story: Story, highlight: Highlight) -> dict[str, Any]:
    figures = claims.in_highlight(story, highlight)
    return {
        "text": highlight.text,
        "sentences": list(highlight.sentences),
        "spans": [list(span) for span in highlight.spans],
        "score": highlight.score,
        "figures": [claims.figure_json(story, f) for f in figures],
        "sources": claims.sources(figures),
    }


def figures_json(story: Story) -> list[dict[str, object]]:
    """Render every figure found in the story, in text order."""
    return [claims.figure_json(story, figure) for figure in story.figures]


def record_json(story: Story) -> dict[str, Any]:
    """Render everything known about a story: :func:`story_json` and every figure in it.

    This is what the store keeps and the service answers with when it stores a story.
    """
    return {**story_json(story), "figures": figures_json(story)}
