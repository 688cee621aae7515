"""The one container every nutgraf stage reads and adds to.

A :class:`Story` plays the part of spaCy's ``Doc``: ingest creates it from the input, then each
stage fills one more layer and hands the same object on. Offsets always index
:attr:`Story.text`, the text as the user gave it (for HTML, the text trafilatura extracted), so a
bullet can be traced back to the exact characters it came from.

Layers and the stage that writes each:

=================  ===============================  =========================
field              meaning                          written by
=================  ===============================  =========================
``body``           spans of ``text`` to summarize   :mod:`nutgraf.read.ingest`
``reference``      the story's own highlights       :mod:`nutgraf.read.ingest`
``sentences``      sentences of the body            :mod:`nutgraf.read.sentences`
``scores``         one salience score per sentence  :mod:`nutgraf.select.selector`
``highlights``     the chosen bullets               :mod:`nutgraf.select.selector`, then
                                                    :mod:`nutgraf.edit.bullets`
``figures``        figures and who reports them     :mod:`nutgraf.claims.extract`
``tensor``         sentence vectors                 :mod:`nutgraf.select.accurate`
``parses``         spaCy docs of sentences read     :mod:`nutgraf.edit.compression`,
                   during one pipeline call         cleared by :mod:`nutgraf.pipeline`
=================  ===============================  =========================
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from spacy.tokens import Doc


class Casing(StrEnum):
    """How the text is written: the two forms of the CNN/DailyMail data.

    ``TOKENIZED`` is See et al. (2017)'s preprocessing: lowercased PTB tokens separated by
    spaces, ``-lrb-``/``-rrb-`` for brackets and ``` `` ```/``''`` for quotes.
    """

    CASED = "cased"
    TOKENIZED = "lowercased-tokenized"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the body, with its place in :attr:`Story.text`.

    ``index`` counts every sentence of the body in order. ``position`` counts only real
    sentences: byline and timestamp fragments that open many Daily Mail stories get
    ``position = -1`` so that "first sentence" means what an editor means by it.
    """

    index: int
    text: str
    start: int
    end: int
    position: int


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure the story reports, with what it counts and whom the story credits with it.

    The fields are those of the claims annotation guidelines (``data/claims/GUIDELINES.md`` in
    the shared data): ``text`` is the shortest span carrying the number and its qualifier,
    ``value`` the number itself (a range gives its lower bound, "half" gives 0.5), ``source``
    the party credited, or ``None`` when the story states the figure itself. ``sentence``
    indexes :attr:`Story.sentences`; ``start`` and ``end`` index :attr:`Story.text`.
    """

    text: str
    value: float
    qualifier: str | None
    counts: str
    source: str | None
    sentence: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Highlight:
    """One bullet: its text and the sentences it was taken from.

    ``sentences`` holds indexes into :attr:`Story.sentences`: the sentence the bullet states.
    ``spans`` are the ``(start, end)`` character ranges of :attr:`Story.text` its words came
    from, in the bullet's order: one per sentence when it is whole, several once
    :mod:`nutgraf.edit.bullets` cuts pieces out, and first, when a name replaced an opening pronoun,
    that name's range in an earlier sentence.
    """

    text: str
    sentences: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]
    score: float


@dataclass(slots=True)
class Story:
    """A news story as it moves through the pipeline; stages add layers in place."""

    text: str
    body: list[tuple[int, int]] = field(default_factory=list)
    id: str | None = None
    title: str | None = None
    publisher: str | None = None
    source_format: str = "plain"
    casing: Casing = Casing.CASED
    reference: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tensor: NDArray[np.float32] | None = None
    """Sentence vectors (sentences x dimensions, NaN for sentences not read), when an encoder
    stage has run; ``spaCy`` keeps its ``Doc.tensor`` the same way."""
    parses: dict[int, Doc] = field(default_factory=dict, compare=False, repr=False)
    """spaCy's parses of sentences by index, kept during one :func:`nutgraf.pipeline.annotate`
    call so that a later stage reads a sentence an earlier one parsed (the figures of a bullet
    that compression parsed) without parsing it again; the call clears them, so a story never
    holds a parse after it, nor pickles one."""

    def __post_init__(self) -> None:
        if not self.body:
            self.body = [(0, len(self.text))]

    def __eq__(self, other: object) -> bool:
        """Compare field by field as the dataclass would, and ``tensor`` by value.

        The generated ``__eq__`` compares tuples of fields, so two stories with distinct
        ``tensor`` arrays raised "the truth value of an array is ambiguous". Tensors are equal
        when both are ``None``, or when they have one shape and the same values, their NaN rows
        (sentences not read) included.
        """
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Story)
        names = [f.name for f in fields(self) if f.compare and f.name != "tensor"]
        if tuple(getattr(self, n) for n in names) != tuple(getattr(other, n) for n in names):
            return False
        if self.tensor is None or other.tensor is None:
            return self.tensor is other.tensor
        return bool(np.array_equal(self.tensor, other.tensor, equal_nan=True))

    @property
    def body_text(self) -> str:
        """The summarizable text, its paragraphs joined by blank lines."""
        return "\n\n".join(self.text[start:end] for start, end in self.body)
