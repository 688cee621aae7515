"""Bullets at the editors' length: a learned choice of which parts of each sentence go.

Editors write highlights of about 14 words; a selected sentence runs to 25. Deletion-based
compression (CUPS, Desai et al. 2020; JECS, Xu and Durrett 2019) shortens it by dropping whole
constituents, so every word left is the story's own and points back to it. Here the candidates
are :func:`nutgraf.edit.units.deletable`'s units of each bullet's sentence, which never hold
the attribution, a figure or its qualifier, a negation, the subject or the main verb, nor a
word of a quotation. A model says which of them go.

**The model** (:class:`CompressionModel`) is gradient-boosted trees (LightGBM) that predict, for
one unit, how much cutting it alone raises ROUGE-1 + ROUGE-2 F1 of the story's bullets against
the editors' highlights, the label CUPS and JECS train on. Its features (:data:`FEATURES`) read
the unit (its kind, label, length, place, first word, names, dates) and the story (how many other
sentences and bullets repeat its content words, whether the lead does). :func:`shorten` cuts
every unit whose predicted gain is positive, best first, as long as the bullet keeps
:data:`MIN_WORDS` words and opens with no pronoun it cannot resolve. No threshold is tuned:
a positive expected gain is the rule.

**Both forms.** The model is trained on every training story in both written forms
(:func:`nutgraf.select.train.other_form`), as the selector is, and its word features are
lowercase, so casing informs the parse but no feature needs it.

**Speed.** One batched spaCy pass over the bullets' sentences, without the entity recognizer
(nearly half of spaCy's time; entity types added nothing the part-of-speech tags do not), is
the only new cost, and the figures stage reuses it: it runs only the entity recognizer on a
bullet's sentence that compression parsed (:attr:`Story.parses`). The features and the trees
are a fraction of a millisecond a story.

>>> from nutgraf import pipeline
>>> from nutgraf.story import Story
>>> story = pipeline.process(Story(
...     "Rebels attacked the town of Homs on Monday, killing at least 80 people, an opposition "
...     "group said. The group, which is based in London, said its count came from doctors."
...     " Rain is expected across the region on Tuesday."), figures=None)
>>> all(len(h.text.split()) >= MIN_WORDS for h in story.highlights)
True
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from nutgraf import boosters, lexicon, nlp
from nutgraf.claims.sources import quotations
from nutgraf.edit.cuts import Piece, pieces_of
from nutgraf.edit.openings import opening_pronoun
from nutgraf.edit.units import KINDS, WHEN, Unit, deletable
from nutgraf.errors import ModelError
from nutgraf.story import Casing, Sentence, Story

if TYPE_CHECKING:
    import lightgbm as lgb
    from spacy.tokens import Doc

MIN_WORDS = 6
"""A bullet keeps at least this many words: fewer reads as a fragment, not a highlight."""

_CLASHING_MARKS = re.compile(r"(?:^|[,;:(]|--|[\u2013\u2014])\s*(?:[,.;:!?)]|--|[\u2013\u2014])")
"""Two marks with no word between them, or a mark opening the bullet: what a cut leaves when
it takes the words between an aside's marks but not the marks."""

LABELS = ("appos", "relcl", "advcl", "acl", "prep", "npadvmod", "advmod", "conj")
"""Dependency labels of a unit's head, numbered for the ``label`` feature (a bracketed or dashed
aside, which has no one head, is numbered after them)."""

FIRST_WORDS = tuple(
    """in on at for with from by to after before during since as while when where who which
    whose that under over near about against between among into through without despite
    including like than amid across along around behind beyond following within earlier later
    last this also then now still already again and but or""".split()
)
"""Function words a unit may open with, numbered for the ``first`` feature (any other word is
numbered after them): "on Monday" and "including 20 children" go at different rates."""

FEATURES = (
    "kind", "label", "first", "words", "share", "at", "trailing", "leading", "set_off",
    "proper", "names", "time", "repeated", "spread", "lead",
    "elsewhere", "sentence_words", "units", "bullet", "bullets", "story_words", "tokenized",
    "sentences", "position", "content_words", "has_verb",
)  # fmt: skip
"""The model's features, in column order; ``kind``, ``label`` and ``first`` are categorical."""

_CATEGORICAL = ("kind", "label", "first")


@dataclass(frozen=True, slots=True)
class Cut:
    """A unit that may go from a bullet: its range of :attr:`Story.text` and its features."""

    start: int
    end: int
    kind: str
    row: tuple[float, ...]


def content_words(text: str) -> set[str]:
    """Return the words of a text the features count: lowercase, no stop words, no letters."""
    return {
        w
        for w in lexicon.FEATURE_WORD.findall(text.lower())
        if w not in lexicon.STOP_WORDS and len(w) > 1
    }


class _Context:
    """What the features read of a story: which sentences and bullets hold which words."""

    def __init__(self, story: Story, bullets: Sequence[str]) -> None:
        self.quotes = quotations(story.text)
        """The story's quotations: one opened in an earlier sentence may hold a bullet's words."""
        words = [content_words(s.text) for s in story.sentences]
        self.spread = Counter(w for sentence in words for w in sentence)
        lead = [w for s, w in zip(story.sentences, words, strict=True) if 0 <= s.position < 3]
        self.lead = set().union(*lead)
        own = [content_words(text) for text in bullets]
        self.bullets = len(own)
        self.elsewhere = [set().union(*own[:k], *own[k + 1 :]) for k in range(len(own))]
        """The content words of the story's other bullets, for each bullet."""
        self.story_words = float(sum(len(text.split()) for text in bullets))
        self.tokenized = float(story.casing is Casing.TOKENIZED)
        self.sentences = float(len(story.sentences))


def cuts(
    story: Story,
    sentence: Sentence,
    doc: Doc,
    kept: Sequence[tuple[int, int]],
    bullet: int,
    context: _Context,
) -> list[Cut]:
    """Return the units of a bullet's sentence inside its ``kept`` ranges, with features."""
    quotes = [
        (max(a, sentence.start) - sentence.start, min(b, sentence.end) - sentence.start)
        for a, b in context.quotes
        if a < sentence.end and sentence.start < b
    ]
    units = deletable(doc, quotes)
    found: list[Cut] = []
    for unit in units:
        start, end = sentence.start + unit.start, sentence.start + unit.end
        if any(a <= start and end <= b for a, b in kept):
            found.append(
                Cut(start, end, unit.kind, _row(sentence, doc, unit, len(units), bullet, context))
            )
    return found


def _row(
    sentence: Sentence, doc: Doc, unit: Unit, units: int, bullet: int, context: _Context
) -> tuple[float, ...]:
    """One unit's features, in the order of :data:`FEATURES`."""
    tokens = doc[unit.left : unit.right]
    text = sentence.text[unit.start : unit.end]
    sentence_words = max(1, len(sentence.text.split()))
    words = content_words(text)
    share = max(1, len(words))
    heads = [t for t in tokens if not unit.left <= t.head.i < unit.right]
    label = heads[0].dep_ if heads and unit.kind != "parenthetical" else ""
    first = tokens[0].lower_ if len(tokens) else ""
    elsewhere = context.elsewhere[bullet]
    features = {
        "kind": KINDS.index(unit.kind),
        "label": LABELS.index(label) if label in LABELS else len(LABELS),
        "first": FIRST_WORDS.index(first) if first in FIRST_WORDS else len(FIRST_WORDS),
        "words": len(text.split()),
        "share": len(text.split()) / sentence_words,
        "at": unit.start / max(1, len(sentence.text)),
        "trailing": unit.right >= len(doc) - 1,
        "leading": unit.start == 0,
        "set_off": text.lstrip()[:1] in (",", "(", "-", "\u2014", "\u2013"),
        "proper": sum(t.pos_ == "PROPN" for t in tokens) / max(1, len(tokens)),
        "names": sum(
            t.pos_ == "PROPN" and (t.i == unit.left or doc[t.i - 1].pos_ != "PROPN") for t in tokens
        ),
        "time": any(t.lower_ in WHEN for t in tokens),
        "repeated": sum(context.spread[w] > 1 for w in words) / share,
        "spread": float(np.mean([min(context.spread[w], 10) for w in words])) if words else 0.0,
        "lead": sum(w in context.lead for w in words) / share,
        "elsewhere": sum(w in elsewhere for w in words) / share,
        "sentence_words": sentence_words,
        "units": units,
        "bullet": bullet,
        "bullets": context.bullets,
        "story_words": context.story_words,
        "tokenized": context.tokenized,
        "sentences": context.sentences,
        "position": sentence.position,
        "content_words": len(words),
        "has_verb": any(t.pos_ in ("VERB", "AUX") for t in tokens),
    }
    return tuple(float(features[name]) for name in FEATURES)


def story_cuts(
    stories: Sequence[Story], bullets: Sequence[Sequence[tuple[int, Sequence[Piece]]]]
) -> list[list[list[Cut]]]:
    """Return every bullet's candidate cuts, its sentence parsed in one batch over all stories.

    ``bullets`` holds, for each story, each bullet's sentence index and its pieces. The
    parses, without entities, stay in :attr:`Story.parses` for the figures stage to reuse.
    """
    wanted = [
        (story, index)
        for story, own in zip(stories, bullets, strict=True)
        for index, _ in own
        if index not in story.parses
    ]
    parsed = nlp.pipe((story.sentences[index].text for story, index in wanted), entities=False)
    for (story, index), doc in zip(wanted, parsed, strict=True):
        story.parses[index] = doc
    found: list[list[list[Cut]]] = []
    for story, own in zip(stories, bullets, strict=True):
        context = _Context(story, [pieces_of(story, pieces) for _, pieces in own])
        found.append(
            [
                cuts(
                    story,
                    story.sentences[index],
                    story.parses[index],
                    [p for p in pieces if isinstance(p, tuple)],
                    k,
                    context,
                )
                for k, (index, pieces) in enumerate(own)
            ]
        )
    return found


def without(pieces: Sequence[Piece], start: int, end: int) -> list[Piece]:
    """Return the pieces with the story range ``[start, end)`` taken out of them."""
    kept: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) or piece[1] <= start or piece[0] >= end:
            kept.append(piece)
            continue
        if piece[0] < start:
            kept.append((piece[0], start))
        if piece[1] > end:
            kept.append((end, piece[1]))
    return kept


def _stands(story: Story, pieces: Sequence[Piece], whole: str) -> bool:
    """Whether a cut bullet still stands alone, as its ``whole`` text did.

    It keeps :data:`MIN_WORDS` words; no opening pronoun that cutting what came before it
    ("On Monday, he ...") laid bare; and no marks that cuts brought together (", ." where two
    units went from between them).
    """
    text = pieces_of(story, pieces)
    return (
        len(text.split()) >= MIN_WORDS
        and opening_pronoun(text) is None
        and len(_CLASHING_MARKS.findall(text)) <= len(_CLASHING_MARKS.findall(whole))
    )


class CompressionModel:
    """The regression trees that predict what cutting a unit gains, in ROUGE points."""

    def __init__(self, booster: lgb.Booster | None = None) -> None:
        self.booster = booster

    def gains(self, rows: NDArray[np.float32]) -> NDArray[np.float64]:
        """Each unit's predicted gain in ROUGE-1 + ROUGE-2 F1 (points) if it alone is cut."""
        if self.booster is None:
            raise ModelError("the compression model is not fitted: run `nutgraf train-compression`")
        if not len(rows):
            return np.zeros(0)
        return np.asarray(self.booster.predict(rows, num_threads=1), dtype=np.float64)

    def fit(self, rows: NDArray[np.float32], gains: NDArray[np.float64]) -> CompressionModel:
        """Train on units' features and measured gains (points); return the model."""
        import lightgbm as lgb

        params = {
            "objective": "regression",
            "learning_rate": 0.05,
            "num_leaves": 31,
            "min_child_samples": 40,
            "seed": 0,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": 2,
            "verbose": -1,
        }
        data = lgb.Dataset(
            rows, label=gains, feature_name=list(FEATURES), categorical_feature=list(_CATEGORICAL)
        )
        self.booster = lgb.train(params, data, num_boost_round=400)
        return self

    def save(self, path: str | Path) -> None:
        """Write the model as :func:`nutgraf.boosters.save` does."""
        boosters.save(path, self.booster, FEATURES, "compression model")

    @classmethod
    def load(cls, path: str | Path) -> CompressionModel:
        """Read a model :meth:`save` wrote."""
        booster, _ = boosters.load(path, FEATURES, "compression model", "nutgraf train-compression")
        return cls(booster)


def default_path() -> Path:
    """Where the packaged compression model lives."""
    return Path(str(resources.files("nutgraf") / "models" / "compression.npz"))


@lru_cache(maxsize=2)
def load(path: str | Path | None = None) -> CompressionModel:
    """Load the compression model at ``path``, or the packaged one, once per process."""
    return CompressionModel.load(path if path is not None else default_path())


def shorten(
    stories: Sequence[Story],
    bullets: Sequence[Sequence[tuple[int, Sequence[Piece]]]],
    model: CompressionModel | None = None,
) -> list[list[list[Piece]]]:
    """Return each bullet's pieces with the units the model says go cut out of them.

    ``bullets`` holds, for each story, each bullet's sentence index and pieces. A unit goes
    when its predicted gain is positive, best first, while the bullet still stands alone
    (:func:`_stands`); the units of a sentence never overlap, so cuts do not interact.
    """
    model = model or load()
    found = story_cuts(stories, bullets)
    rows = [c.row for story in found for bullet in story for c in bullet]
    gains = iter(model.gains(np.array(rows, dtype=np.float32).reshape(-1, len(FEATURES))))
    shortened: list[list[list[Piece]]] = []
    for story, own, story_found in zip(stories, bullets, found, strict=True):
        shortened.append([])
        for (_, pieces), candidates in zip(own, story_found, strict=True):
            scored = sorted(
                ((next(gains), k) for k in range(len(candidates))), key=lambda p: (-p[0], p[1])
            )
            kept = list(pieces)
            whole = pieces_of(story, pieces)
            for gain, k in scored:
                if gain <= 0:
                    break
                trial = without(kept, candidates[k].start, candidates[k].end)
                if _stands(story, trial, whole):
                    kept = trial
            shortened[-1].append(kept)
    return shortened
