"""The learned source model: which nearby credit, if any, a story gives a figure.

Rules find the *candidates*: every reporting word near a figure and the party it credits ("the
observatory said", "according to Anadolu", a quotation's speaker a sentence later), plus the
verbs that the attribution corpus shows to credit ("estimates", "called", "wants"). Which of
them covers the figure, or none, is learned from PolNeAR (``nutgraf train-sources``): a
gradient-boosted classifier scores each (figure, candidate) pair from the parse between them
(is the cue above the figure, through which clauses), quotation marks (is the figure quoted,
does the cue stand by that quotation), the distance in sentences, and how often the corpus's
annotators took the cue's lemma for a cue. The best candidate wins when its score passes
:data:`THRESHOLD`; else the story states the figure itself.

Learning the decision rather than writing more rules is what holds on stories nobody tuned
for: the rules were refined on 41 stories, the classifier on 19,868 annotated attributions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import lightgbm as lgb
import numpy as np
from numpy.typing import NDArray

from nutgraf import boosters, lexicon
from nutgraf.errors import ModelError

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

THRESHOLD = 0.5
"""The score a candidate needs to be credited; below it the story states the figure itself."""

MIN_CUE_RATE = 0.05
"""A verb outside the reporting lexicon is a candidate cue when the corpus's annotators took
at least this share of its uses for a cue (and saw it at least :data:`MIN_CUE_COUNT` times)."""

MIN_CUE_COUNT = 5

_PATH_DEPS = ("ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "pcomp", "prep")
_PARTY_LABELS = ("PERSON", "ORG", "GPE", "NORP")
_TAGS = ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB")
_CUE_DEPS = ("ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis", "xcomp")
_BRANCHES = (
    "ccomp",
    "dobj",
    "xcomp",
    "advcl",
    "nsubj",
    "prep",
    "conj",
    "npadvmod",
    "attr",
    "parataxis",
    "dep",
    "pobj",
)

FEATURES: tuple[str, ...] = (
    "distance",
    "cue_rate",
    "cue_seen",
    "rule",
    "ruled",
    "according",
    "ancestor",
    "edges",
    "tokens_between",
    "figure_before",
    *(f"path_{dep}" for dep in _PATH_DEPS),
    *(f"branch_{dep}" for dep in _BRANCHES),
    "cue_noun",
    "cue_finding",
    "cue_complement",
    "cue_object",
    "party_evidence",
    "latest_before",
    "cued_between",
    "cue_evidence",
    "cue_colon",
    "closer_ancestor",
    "quote_ends_here",
    "figure_quoted",
    "cue_quoted",
    "same_quote",
    "quote_gap",
    "same_paragraph",
    "quotes_between",
    "party_pronoun",
    "party_propn",
    *(f"party_{label}" for label in _PARTY_LABELS),
    "party_words",
    *(f"tag_{tag}" for tag in _TAGS),
    *(f"dep_{dep}" for dep in _CUE_DEPS),
    "candidates_here",
    "rank",
    "subject_pronoun",
    "starts_quoted",
)
"""The columns of a (figure, candidate) pair, in order."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A reporting word near a figure and the phrase it credits.

    ``sentence`` is the cue's sentence; ``rule`` says whether the reporting lexicon's rules
    found it (rather than only the learned cue rates), ``ruled`` whether those rules, refined
    by hand on the claims dev stories, credit the figure to it.
    """

    sentence: int
    cue: Token
    party: Span
    rule: bool
    ruled: bool

    @property
    def reports(self) -> bool:
        """Whether the cue reports, as the claims guidelines count a credit.

        "X said", "according to X", "X reported", a quote by X: the reporting lexicon's
        credits, a speaker before a colon, evidence after "in" or "by". The corpus's
        annotators also marked beliefs, plans and acts ("Clinton wants to sign up 5 million",
        "the governor declared a state of emergency for 25 counties"); the model learns from
        all of them, but the story credits a figure only where it reports it.
        """
        return self.rule or self.cue.text == ":" or self.cue.pos_ == "ADP"


@dataclass(frozen=True, slots=True)
class Context:
    """What the features read of the story around a figure, computed once per story."""

    text: str
    starts: Sequence[int]
    quotes: Sequence[tuple[int, int]]


def quotations(text: str) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` character ranges of the text's quotations, marks included.

    Quotations are paired within a paragraph (a line): a curly or PTB mark says which way it
    faces; a straight mark opens when none is open and closes otherwise. A quotation still
    open at the end of its paragraph ends there, as the convention for quotes running over
    paragraphs leaves it open.
    """
    found: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        opened: int | None = None
        for mark in lexicon.DOUBLE_QUOTE_MARK.finditer(line):
            where = offset + mark.start()
            if opened is None:
                if mark.group() not in ("”", "''"):
                    opened = where
            elif mark.group() not in ("“", "``"):
                found.append((opened, offset + mark.end()))
                opened = None
        if opened is not None:
            found.append((opened, offset + len(line)))
        offset += len(line) + 1
    return found


def _quote_at(context: Context, at: int) -> tuple[int, int] | None:
    return next(((s, e) for s, e in context.quotes if s <= at < e), None)


def featurize(
    figure: Token, index: int, candidates: Sequence[Candidate], context: Context, rates: CueRates
) -> NDArray[np.float32]:
    """Return one row of :data:`FEATURES` per candidate of the figure at ``figure``.

    ``index`` is the figure's sentence. The rows are scored together, so each also says how
    many candidates there are and how near this one stands among them.
    """
    rows = np.zeros((len(candidates), len(FEATURES)), dtype=np.float32)
    at = context.starts[index] + figure.idx
    quote = _quote_at(context, at)
    here = sum(c.sentence == index for c in candidates)
    # candidates come in text order, so of two as near, the one before the figure ranks first
    nearest = sorted(range(len(candidates)), key=lambda k: abs(_char(candidates[k], context) - at))
    ranks = {k: r for r, k in enumerate(nearest)}
    doc = figure.doc
    subjects = [t for t in doc if t.dep_ in lexicon.SUBJECT_DEPS]
    subject_pronoun = bool(subjects) and subjects[0].lower_ in lexicon.THIRD_PERSON
    starts_quoted = doc.text.lstrip()[:1] in ('"', "“") or doc.text.lstrip()[:2] == "``"
    before = [k for k, c in enumerate(candidates) if c.sentence < index]
    latest = before[-1] if before else -1
    cued = sorted({c.sentence for c in candidates})
    for k, candidate in enumerate(candidates):
        cue = candidate.cue
        lemma = cue.lemma_.lower()
        cue_at = _char(candidate, context)
        cue_quote = _quote_at(context, cue_at)
        same = candidate.sentence == index
        values: dict[str, float] = {
            "distance": candidate.sentence - index,
            "cue_rate": rates.rate(lemma),
            "cue_seen": math.log1p(rates.seen(lemma)),
            "rule": float(candidate.rule),
            "ruled": float(candidate.ruled),
            "according": float(lemma == "accord" or cue.lower_ == "according"),
            "figure_quoted": float(quote is not None),
            "cue_quoted": float(cue_quote is not None),
            "same_quote": float(quote is not None and quote == cue_quote),
            "quote_gap": _quote_gap(quote, cue_at) if quote else -1.0,
            "same_paragraph": float("\n" not in context.text[min(at, cue_at) : max(at, cue_at)]),
            "quotes_between": float(
                len(
                    lexicon.DOUBLE_QUOTE_MARK.findall(
                        context.text[min(at, cue_at) : max(at, cue_at)]
                    )
                )
            ),
            "party_pronoun": float(
                candidate.party.root.lower_ in lexicon.CREDIT_PRONOUNS
                or candidate.party.root.lower_ in lexicon.THIRD_PERSON
            ),
            "party_propn": float(any(t.pos_ == "PROPN" for t in candidate.party)),
            "party_words": float(len(candidate.party)),
            "candidates_here": float(here),
            "rank": float(ranks[k]),
            "subject_pronoun": float(subject_pronoun),
            "starts_quoted": float(starts_quoted),
            "figure_before": float(cue_at > at),
            "cue_noun": float(cue.pos_ == "NOUN"),
            "cue_finding": float(lemma in lexicon.FINDING_LEMMAS),
            "cue_complement": float(any(c.dep_ in ("ccomp", "xcomp") for c in cue.children)),
            "cue_object": float(any(c.dep_ == "dobj" for c in cue.children)),
            "party_evidence": float(candidate.party.root.lemma_.lower() in lexicon.EVIDENCE),
            "latest_before": float(k == latest),
            "cued_between": float(
                sum(
                    min(index, candidate.sentence) < j < max(index, candidate.sentence)
                    for j in cued
                )
            ),
            "cue_evidence": float(cue.pos_ == "ADP" and lemma != "accord"),
            "cue_colon": float(cue.text == ":"),
            "quote_ends_here": float(
                quote is not None
                and context.starts[candidate.sentence]
                <= quote[1] - 1
                < context.starts[candidate.sentence] + len(cue.doc.text) + 1
            ),
            "tokens_between": float(abs(cue.i - figure.i)) if same else 99.0,
            "edges": 99.0,
            "ancestor": 0.0,
        }
        for label in _PARTY_LABELS:
            values[f"party_{label}"] = float(candidate.party.root.ent_type_ == label)
        for tag in _TAGS:
            values[f"tag_{tag}"] = float(cue.tag_ == tag)
        for dep in _CUE_DEPS:
            values[f"dep_{dep}"] = float(cue.dep_ == dep)
        if same:
            up = [figure, *figure.ancestors]
            positions = {t.i: n for n, t in enumerate(up)}
            values["ancestor"] = float(cue.i in positions)
            cue_up = [cue, *cue.ancestors]
            meet = next((t for t in cue_up if t.i in positions), None)
            if values["ancestor"]:
                branch = up[positions[cue.i] - 1] if positions[cue.i] else None
                for dep in _BRANCHES:
                    values[f"branch_{dep}"] = float(branch is not None and branch.dep_ == dep)
                values["closer_ancestor"] = float(
                    any(
                        other.sentence == index
                        and other.cue.i in positions
                        and positions[other.cue.i] < positions[cue.i]
                        for other in candidates
                    )
                )
            if meet is not None:
                below = up[: positions[meet.i]]
                values["edges"] = float(positions[meet.i] + cue_up.index(meet))
                for dep in _PATH_DEPS:
                    values[f"path_{dep}"] = float(any(t.dep_ == dep for t in below))
        rows[k] = [values.get(name, 0.0) for name in FEATURES]
    return rows


def _char(candidate: Candidate, context: Context) -> int:
    return context.starts[candidate.sentence] + candidate.cue.idx


def _quote_gap(quote: tuple[int, int], cue_at: int) -> float:
    """Characters between a quotation and a cue outside it (0 inside), at most 200."""
    start, end = quote
    if start <= cue_at < end:
        return 0.0
    gap = start - cue_at if cue_at < start else cue_at - end
    return float(min(gap, 200))


class CueRates:
    """How often the corpus's annotators took a lemma for a cue, from counts over its uses."""

    def __init__(self, cues: dict[str, int], uses: dict[str, int]) -> None:
        self.cues = cues
        self.uses = uses

    def rate(self, lemma: str) -> float:
        """Return the share of the lemma's uses that were cues, smoothed toward zero if rare."""
        return self.cues.get(lemma, 0) / (self.uses.get(lemma, 0) + 2)

    def seen(self, lemma: str) -> int:
        """How many times the corpus used the lemma."""
        return self.uses.get(lemma, 0)

    def is_cue(self, lemma: str) -> bool:
        """Whether a verb outside the lexicon is a candidate cue (see :data:`MIN_CUE_RATE`)."""
        return self.seen(lemma) >= MIN_CUE_COUNT and self.rate(lemma) >= MIN_CUE_RATE


class SourceModel:
    """The classifier over (figure, candidate) pairs, with the cue rates it reads."""

    def __init__(self, rates: CueRates, booster: lgb.Booster | None = None) -> None:
        self.rates = rates
        self.booster = booster
        """``None`` while training reads the candidates that the rates find."""

    def scores(self, rows: NDArray[np.float32]) -> NDArray[np.float64]:
        """Each candidate's probability of being the figure's credit."""
        if self.booster is None:
            raise ModelError("the source model is not fitted: run `nutgraf train-sources`")
        if not len(rows):
            return np.zeros(0)
        return np.asarray(self.booster.predict(rows, num_threads=1), dtype=np.float64)

    def fit(self, rows: NDArray[np.float32], labels: NDArray[np.float64]) -> SourceModel:
        """Train the classifier on labelled (figure, candidate) rows; return the model."""
        params = {
            "objective": "binary",
            "learning_rate": 0.05,
            "num_leaves": 63,
            "min_child_samples": 20,
            "feature_fraction": 0.8,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "seed": 0,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": 2,
            "verbose": -1,
        }
        data = lgb.Dataset(rows, label=labels, feature_name=list(FEATURES))
        self.booster = lgb.train(params, data, num_boost_round=600)
        return self

    def save(self, path: str | Path) -> None:
        """Write the model, its booster and cue rates, as :func:`nutgraf.boosters.save` does."""
        rates = {"cues": self.rates.cues, "uses": self.rates.uses}
        boosters.save(path, self.booster, FEATURES, "source model", rates=rates)

    @classmethod
    def load(cls, path: str | Path) -> SourceModel:
        """Read a model :meth:`save` wrote."""
        booster, parts = boosters.load(
            path, FEATURES, "source model", "nutgraf train-sources", parts=["rates"]
        )
        return cls(CueRates(parts["rates"]["cues"], parts["rates"]["uses"]), booster)


def default_path() -> Path:
    """Where the packaged source model lives."""
    return Path(str(resources.files("nutgraf") / "models" / "sources.npz"))


@lru_cache(maxsize=2)
def load(path: str | Path | None = None) -> SourceModel:
    """Load the source model at ``path``, or the packaged one, once per process."""
    return SourceModel.load(path if path is not None else default_path())
