"""The one place that puts nutgraf's stages in order, for one story or for many.

Every path goes through :func:`annotate`: the CLI, the service, batch runs and their Dask
workers, updates and evaluation. So a story is summarized the same way wherever it comes from,
and a stage added here reaches every caller at once.

The stages, each reading the :class:`~nutgraf.story.Story` and adding a layer to it:

1. **sentences** (:func:`nutgraf.read.sentences.split`), unless the story has them already;
2. **select** (:meth:`Selector.annotate`): sentence scores and the chosen sentences, whole;
3. **edit** (:func:`nutgraf.edit.bullets.edit`): each bullet cut and opened as editors write
   it, handed the selector's :meth:`Selector.choose` to choose again where a sentence cannot
   stand as a bullet, then compressed to the editors' length
   (:mod:`nutgraf.edit.compression`) unless ``compress=False``;
4. **claims** (:func:`nutgraf.claims.extract.annotate`): the figures of the bullets'
   sentences (``figures="bullets"``), of every sentence (``"all"``), or none (``None``, for
   callers that read only the bullets' words, as ROUGE does; it spares the parse).

>>> story = process(Story("Heavy rain fell across the city on Monday. At least 80 homes were"
...                       " flooded, police said."))
>>> [h.text for h in story.highlights][:1], [(f.text, f.source) for f in story.figures]
(['Heavy rain fell across the city on Monday.'], [('At least 80', 'police')])
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal, Protocol

from nutgraf import nlp
from nutgraf.claims import extract
from nutgraf.edit.bullets import edit
from nutgraf.read import ingest, sentences
from nutgraf.select.models import load_selector
from nutgraf.story import Figure, Story

Figures = Literal["bullets", "all"]
"""Which sentences' figures :func:`annotate` finds: the bullets' or every one."""


class Selector(Protocol):
    """What the pipeline needs of a selector (:class:`~nutgraf.select.selector.HighlightSelector`).

    Anything with these two methods can stand in for it, which is how a baseline such as
    Lead-3 is timed through exactly the same path.
    """

    def annotate(self, stories: Sequence[Story]) -> list[Story]:
        """Write ``scores`` and ``highlights`` (whole sentences) on split stories."""
        ...

    def choose(
        self, stories: Sequence[Story], blocked: Sequence[Collection[int]] | None = None
    ) -> list[Story]:
        """Write ``highlights`` again, from the stories' scores, avoiding ``blocked`` sentences."""
        ...


def annotate(
    stories: Sequence[Story],
    selector: Selector | None = None,
    *,
    model: str = "default",
    highlights: bool = True,
    figures: Figures | None = "bullets",
    compress: bool = True,
    progress: bool = False,
) -> list[Story]:
    """Run the stages over ``stories`` in place, together, and return them.

    ``selector`` wins over ``model``, the name of a packaged model
    (:data:`nutgraf.select.models.MODELS`). ``highlights=False`` leaves selection and editing
    out, for callers that want only figures. Stories handed over together are read together:
    their bullets' naming sentences and their figures' sentences go through spaCy in one
    batch each, which is why corpus runs hand over a partition at a time; a story's result
    does not depend on the others.

    Between calls, never during one, spaCy's vocabulary is renewed once it has grown past
    :data:`nutgraf.nlp.NEW_STRINGS_LIMIT`, which bounds the memory of a long-running process
    (a server, a worker going through an archive) whatever it reads.

    ``compress=False`` keeps each bullet a whole sentence, with only the editing stage's
    rule-based cuts; by default the learned compression cuts it to the editors' length.

    ``progress`` shows a bar on standard error while the figures of a very long story are
    read (:func:`nutgraf.claims.extract.annotate`), the one stage that takes minutes on a
    text of megabytes; news stories finish before a bar would be worth drawing.
    """
    nlp.renew()
    for story in stories:
        if not story.sentences:
            sentences.split(story)
    try:
        if highlights:
            chosen = selector or load_selector(model=model)
            chosen.annotate(stories)
            edit(stories, chosen, compress=compress)
        if figures is not None:
            extract.annotate(stories, everywhere=figures == "all", progress=progress)
    finally:
        for story in stories:
            story.parses.clear()
    return list(stories)


def process(
    story: Story,
    selector: Selector | None = None,
    *,
    model: str = "default",
    highlights: bool = True,
    figures: Figures | None = "bullets",
    compress: bool = True,
    progress: bool = False,
) -> Story:
    """Run the stages over one story (see :func:`annotate`) and return it."""
    annotate(
        [story],
        selector,
        model=model,
        highlights=highlights,
        figures=figures,
        compress=compress,
        progress=progress,
    )
    return story


def highlights(
    text: str | bytes,
    *,
    input_format: str | None = None,
    selector: Selector | None = None,
    model: str = "default",
    compress: bool = True,
    any_language: bool = False,
) -> Story:
    """Read one story in any supported form and return it with its highlights.

    A story surely not in English is refused (:class:`~nutgraf.errors.LanguageError`) unless
    ``any_language``; see :func:`nutgraf.read.ingest.read`.

    >>> story = highlights(
    ...     "Heavy rain fell across the city on Monday. The match at the stadium was called off.")
    >>> [h.sentences for h in story.highlights][0]
    (0,)
    """
    story = ingest.read(text, input_format, any_language=any_language)
    return process(story, selector, model=model, compress=compress)


def figures(
    text: str | bytes, input_format: str | None = None, *, any_language: bool = False
) -> list[Figure]:
    """Read a story in any supported form and list every figure it reports, in text order.

    >>> [(f.text, f.value, f.source) for f in figures(
    ...     "Rain fell on Monday. At least 80 people were killed, the group said.")]
    [('At least 80', 80.0, 'the group')]
    """
    story = ingest.read(text, input_format, any_language=any_language)
    process(story, highlights=False, figures="all")
    return story.figures
