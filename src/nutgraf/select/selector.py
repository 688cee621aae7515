"""The highlight selector: which sentences of a story an editor would lift into its bullets.

Two learned stages, both gradient-boosted trees (LightGBM) so that a CPU scores a story in about
a millisecond:

1. **Sentence scorer.** Each sentence gets the probability that the extractive oracle (the set of
   sentences with the best ROUGE against the editors' highlights) contains it, from the features
   of :mod:`nutgraf.select.features` plus one lexical score: a logistic regression (fitted by SGD)
   over hashed word unigrams and bigrams that learns which words make news. The lexical
   score the trees see in training is out-of-fold, so they learn how far to trust it on
   unseen stories.
2. **Set reranker.** Candidate sets of 1 to ``max_bullets`` sentences from the best few
   (:mod:`nutgraf.select.candidates`) are ranked by a LambdaRank model trained to put first the set
   with the best ROUGE-1 + ROUGE-2 against the reference. This stage chooses how many bullets a
   story gets and keeps them from repeating each other. Its training scores are out-of-fold too.

The class follows scikit-learn's estimator contract: ``__init__`` stores its keyword arguments
unchanged, ``fit(stories, references)`` learns attributes ending in ``_``, and prediction checks
that they exist. ``predict`` leaves stories untouched; ``annotate`` writes ``scores`` and
``highlights`` (the chosen sentences, whole) into them, as spaCy separates ``predict`` from
``set_annotations``. ``choose`` chooses again from the scores a story already carries, with some
sentences blocked: the editing stage (:mod:`nutgraf.edit`) is handed it, so that a bullet it
cannot write well is replaced by the selector's next best set, not by a callback into this
class. :mod:`nutgraf.pipeline` runs the two in order.

Models are saved as one ``.npz`` file of plain arrays and LightGBM's own text format, not as a
pickle, so a model file survives library upgrades and loading it runs no code.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Self

import lightgbm as lgb
import numpy as np
from joblib import Parallel, delayed
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.utils.validation import check_is_fitted

from nutgraf.errors import ModelError
from nutgraf.select.candidates import CANDIDATE_FEATURES, can_stand, enumerate_sets
from nutgraf.select.features import FEATURE_NAMES, featurize, words
from nutgraf.story import Highlight, Story

FORMAT_VERSION = 1
"""The version of the model file layout that :meth:`HighlightSelector.save` writes."""

Progress = Callable[[str], None]
"""Where ``fit`` says which step it starts."""

Vectors = NDArray[np.float32] | None
"""A story's sentence vectors (:attr:`Story.tensor`) when its selector reads them."""


def quiet(_: str) -> None:
    """Progress sink that says nothing."""


@dataclass(frozen=True, slots=True)
class _Scored:
    """Per story: its sentences' word tokens, scores, extra columns, and sentence vectors."""

    tokens: list[list[list[str]]]
    scores: list[NDArray[np.float64]]
    extra: list[NDArray[np.float64]]
    vectors: list[Vectors]


def _unigrams_and_bigrams(words: Sequence[str]) -> list[str]:
    return [*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))]


class HighlightSelector(BaseEstimator):  # type: ignore[misc]  # sklearn ships no types
    """Choose 1 to ``max_bullets`` highlight sentences per story.

    Parameters
    ----------
    n_estimators, learning_rate, num_leaves, min_child_samples:
        LightGBM settings shared by both stages.
    hash_bits:
        The lexical model hashes n-grams into ``2 ** hash_bits`` buckets.
    lexical_alpha:
        L2 strength of the lexical model, a logistic regression fitted by SGD (lbfgs takes
        many minutes on a million hashed sentences; eight SGD epochs take seconds).
    pool_size:
        How many best-scored sentences the candidate sets are drawn from.
    max_bullets:
        The most bullets a story gets; editors write 3-4.
    n_folds:
        Folds for the out-of-fold scores that train each next stage.
    min_df:
        Words seen in fewer training stories get the default (rarest) idf.
    n_jobs:
        Processes for the oracle labels, the slowest step of ``fit``.
    random_state:
        Seed for LightGBM's row and column sampling.

    Examples
    --------
    >>> from nutgraf.read import ingest, sentences
    >>> from nutgraf.select.models import load_selector
    >>> selector = load_selector()
    >>> story = sentences.split(ingest.read(
    ...     "Heavy rain fell across the city on Monday. The match at the stadium was called off."))
    >>> len(selector.predict([story])[0]) >= 1
    True

    """

    kind: ClassVar[str] = "default"
    """The name the model file records, so :func:`nutgraf.select.models.load` rebuilds the
    right class."""

    def __init__(
        self,
        *,
        n_estimators: int = 500,
        learning_rate: float = 0.05,
        num_leaves: int = 63,
        min_child_samples: int = 100,
        hash_bits: int = 20,
        lexical_alpha: float = 2e-6,
        pool_size: int = 5,
        max_bullets: int = 4,
        n_folds: int = 2,
        min_df: int = 3,
        n_jobs: int = 1,
        random_state: int = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.hash_bits = hash_bits
        self.lexical_alpha = lexical_alpha
        self.pool_size = pool_size
        self.max_bullets = max_bullets
        self.n_folds = n_folds
        self.min_df = min_df
        self.n_jobs = n_jobs
        self.random_state = random_state

    # -- fitting -------------------------------------------------------------------------

    def fit(
        self,
        stories: Sequence[Story],
        references: Sequence[Sequence[str]],
        *,
        groups: Sequence[int] | None = None,
        progress: Progress = quiet,
    ) -> Self:
        """Learn both stages from split stories and their editors' highlights.

        ``groups`` numbers the stories so that those of one number (the same story in its two
        written forms) fall in the same fold, as scikit-learn's ``GroupKFold`` keeps groups
        whole: else the out-of-fold scores would have seen the story they score. By default
        every story is its own group. ``progress`` receives a line as each step starts.
        """
        if len(stories) != len(references):
            raise ValueError(f"fit got {len(stories)} stories but {len(references)} references")
        group = np.arange(len(stories)) if groups is None else np.asarray(groups, dtype=np.int64)
        if len(group) != len(stories):
            raise ValueError(f"fit got {len(stories)} stories but {len(group)} groups")
        progress("idf")
        tokens = [[words(s.text) for s in story.sentences] for story in stories]
        self._fit_idf(tokens)
        progress("oracle labels")
        labels = self._oracle_labels(stories, references)
        sizes = np.array([len(story.sentences) for story in stories], dtype=np.int64)
        story_folds = group % self.n_folds
        folds = np.repeat(story_folds, sizes)
        target = np.zeros(int(sizes.sum()), dtype=np.float64)
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        for start, chosen in zip(offsets[:-1], labels, strict=True):
            target[[start + i for i in chosen]] = 1.0
        progress("lexical model")
        hashed = self._hash(tokens)
        lexical = self._fit_lexical(hashed, target, folds)
        extra = self._fit_extra(stories, target, offsets, story_folds, progress)
        progress("sentence scorer")
        matrix = np.column_stack([self._features(stories, tokens), lexical, extra])
        matrix = matrix.astype(np.float32)
        scores = np.zeros(len(target))
        for fold in range(self.n_folds):
            held = folds == fold
            booster = self._train_booster(matrix[~held], target[~held], "binary", None)
            scores[held] = booster.predict(matrix[held])
        self.scorer_ = self._train_booster(matrix, target, "binary", None)
        progress("set reranker")
        vectors = [story.tensor for story in stories]
        self.reranker_ = self._fit_reranker(
            stories, tokens, references, scores, extra, offsets, vectors
        )
        return self

    def _fit_idf(self, tokens: Sequence[Sequence[Sequence[str]]]) -> None:
        df: Counter[str] = Counter()
        for story in tokens:
            df.update({w for sentence in story for w in sentence})
        n = max(len(tokens), 1)
        self.idf_ = {w: math.log(n / c) for w, c in sorted(df.items()) if c >= self.min_df}
        self.default_idf_ = math.log(n)

    def _oracle_labels(
        self, stories: Sequence[Story], references: Sequence[Sequence[str]]
    ) -> list[list[int]]:
        # ROUGE, and NLTK's stemmer under it, is imported to fit, never to predict: a quarter
        # of a second that nutgraf highlights need not pay.
        from nutgraf.rouge import oracle

        jobs = (
            delayed(oracle)([s.text for s in story.sentences], list(reference))
            for story, reference in zip(stories, references, strict=True)
        )
        return list(Parallel(n_jobs=self.n_jobs, batch_size=256)(jobs))

    def _fit_lexical(
        self, hashed: sparse.csr_matrix, target: NDArray[np.float64], folds: NDArray[np.int64]
    ) -> NDArray[np.float64]:
        """Fit the lexical model; return its out-of-fold score for every sentence."""
        out = np.zeros(len(target))

        def model() -> SGDClassifier:
            return SGDClassifier(
                loss="log_loss",
                alpha=self.lexical_alpha,
                max_iter=8,
                tol=None,
                random_state=self.random_state,
            )

        for fold in range(self.n_folds):
            held = folds == fold
            out[held] = model().fit(hashed[~held], target[~held]).decision_function(hashed[held])
        final = model().fit(hashed, target)
        self.lexical_coef_ = final.coef_.ravel().astype(np.float32)
        self.lexical_intercept_ = float(final.intercept_[0])
        return out

    def _booster_params(self, objective: str) -> dict[str, Any]:
        return {
            "objective": objective,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_child_samples": self.min_child_samples,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "feature_fraction": 0.8,
            "seed": self.random_state,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": 2,
            "verbose": -1,
        }

    def _train_booster(
        self,
        matrix: NDArray[np.float32],
        target: NDArray[np.float64],
        objective: str,
        group: NDArray[np.int64] | None,
    ) -> lgb.Booster:
        params = self._booster_params(objective)
        if objective == "lambdarank":
            params["label_gain"] = list(range(11))
        data = lgb.Dataset(matrix, label=target, group=group, free_raw_data=True)
        return lgb.train(params, data, num_boost_round=self.n_estimators)

    def _fit_reranker(
        self,
        stories: Sequence[Story],
        tokens: Sequence[Sequence[Sequence[str]]],
        references: Sequence[Sequence[str]],
        scores: NDArray[np.float64],
        extra: NDArray[np.float64],
        offsets: NDArray[np.int64],
        vectors: Sequence[Vectors],
    ) -> lgb.Booster:
        """Rank candidate sets by their ROUGE against the reference, graded 0-10 per story."""
        from nutgraf.rouge import Reference, rouge_tokens

        rows: list[NDArray[np.float32]] = []
        grades: list[NDArray[np.float64]] = []
        groups: list[int] = []
        for i, story in enumerate(stories):
            span = slice(offsets[i], offsets[i + 1])
            sets, matrix = self._candidates(story, tokens[i], scores[span], extra[span], vectors[i])
            if len(sets) < 2:
                continue
            ref = Reference(references[i])
            stems = {j: rouge_tokens(story.sentences[j].text) for j in set().union(*sets)}
            gains = np.array([ref.gain_of([stems[j] for j in chosen]) for chosen in sets])
            if gains.max() <= 0:
                continue
            rows.append(matrix)
            grades.append(np.round(10 * gains / gains.max()))
            groups.append(len(sets))
        return self._train_booster(
            np.concatenate(rows),
            np.concatenate(grades),
            "lambdarank",
            np.array(groups, dtype=np.int64),
        )

    # -- predicting ----------------------------------------------------------------------

    def _hash(self, tokens: Sequence[Sequence[Sequence[str]]]) -> sparse.csr_matrix:
        """Hash every sentence's word unigrams and bigrams, read from its :func:`words`.

        The words are those the features read, taken as they are rather than found again in
        the text; bigrams are joined by a space, as scikit-learn's own word analyzer joins them.
        """
        vectorizer = HashingVectorizer(
            n_features=2**self.hash_bits,
            analyzer=_unigrams_and_bigrams,
            alternate_sign=False,
            norm="l2",
        )
        return vectorizer.transform([sentence for story in tokens for sentence in story])

    def _features(
        self, stories: Sequence[Story], tokens: Sequence[Sequence[Sequence[str]]]
    ) -> NDArray[np.float32]:
        blocks = [
            featurize(story, toks, self.idf_, self.default_idf_)
            for story, toks in zip(stories, tokens, strict=True)
        ]
        if not blocks:
            return np.zeros((0, len(FEATURE_NAMES)), dtype=np.float32)
        return np.concatenate(blocks)

    # -- hooks for a selector that reads more than words -------------------------------

    def _fit_extra(
        self,
        stories: Sequence[Story],
        target: NDArray[np.float64],
        offsets: NDArray[np.int64],
        story_folds: NDArray[np.int64],
        progress: Progress,
    ) -> NDArray[np.float64]:
        """Fit any further sentence model; return its out-of-fold columns (none here).

        ``story_folds`` gives each story's fold, the one its out-of-fold columns are held in.
        """
        return np.zeros((len(target), 0))

    def _vectors(self, stories: Sequence[Story]) -> list[Vectors]:
        """Each story's sentence vectors, computed without writing them (none here)."""
        return [None] * len(stories)

    def _extra(self, stories: Sequence[Story], vectors: Sequence[Vectors]) -> NDArray[np.float64]:
        """Further sentence columns at prediction time, matching :meth:`_fit_extra`'s."""
        return np.zeros((sum(len(story.sentences) for story in stories), 0))

    def _set_extra(
        self,
        story: Story,
        sets: Sequence[tuple[int, ...]],
        extra: NDArray[np.float64],
        vectors: Vectors,
    ) -> NDArray[np.float32]:
        """Further candidate-set columns, from the story and its extra sentence columns."""
        return np.zeros((len(sets), 0), dtype=np.float32)

    def _extra_arrays(self) -> dict[str, NDArray[Any]]:
        """Arrays of the further models, for :meth:`save`."""
        return {}

    def _load_extra(self, data: Any) -> None:
        """Restore what :meth:`_extra_arrays` saved."""

    # -- candidates ----------------------------------------------------------------------

    def _candidates(
        self,
        story: Story,
        tokens: Sequence[Sequence[str]],
        scores: NDArray[np.float64],
        extra: NDArray[np.float64],
        vectors: Vectors,
        blocked: Collection[int] = frozenset(),
    ) -> tuple[list[tuple[int, ...]], NDArray[np.float32]]:
        real = [s.position for s in story.sentences if s.position >= 0]
        blocked = set(blocked).union(
            i for i, s in enumerate(story.sentences) if not can_stand(s.text, tokens[i])
        )
        sets, matrix = enumerate_sets(
            scores,
            tokens,
            [s.position if s.position >= 0 else len(real) for s in story.sentences],
            pool_size=self.pool_size,
            max_bullets=self.max_bullets,
            doc_sentences=float(len(real)),
            doc_words=float(sum(len(t) for t in tokens)),
            blocked=blocked,
        )
        return sets, np.hstack([matrix, self._set_extra(story, sets, extra, vectors)])

    def _check(self) -> None:
        try:
            check_is_fitted(self, ["scorer_", "reranker_", "lexical_coef_", "idf_"])
        except NotFittedError as error:
            raise ModelError(
                "the highlight selector is not fitted: call fit() or load a saved model"
            ) from error

    def _score(self, stories: Sequence[Story], *, known: bool = False) -> _Scored:
        """Read the stories: word tokens, sentence scores, extra columns and vectors.

        With ``known``, a story that already carries a score for each of its sentences (as
        :meth:`annotate` wrote them) keeps those instead of being scored again: blocking
        sentences changes which sets compete, not how each sentence scores, and features and
        the lexical model are most of a choice's time.
        """
        if not stories:
            return _Scored([], [], [], [])
        vectors = self._vectors(stories)
        tokens = [[words(s.text) for s in story.sentences] for story in stories]
        cuts = np.cumsum([len(story.sentences) for story in stories])[:-1]
        extra = np.split(self._extra(stories, vectors), cuts)
        scores: list[NDArray[np.float64] | None] = [
            np.asarray(story.scores, dtype=np.float64)
            if known and len(story.scores) == len(story.sentences)
            else None
            for story in stories
        ]
        fresh = [k for k, score in enumerate(scores) if score is None]
        found = iter(
            self._sentence_scores(
                [stories[k] for k in fresh], [tokens[k] for k in fresh], [extra[k] for k in fresh]
            )
        )
        known_or_found = [score if score is not None else next(found) for score in scores]
        return _Scored(tokens, known_or_found, extra, vectors)

    def _sentence_scores(
        self,
        stories: Sequence[Story],
        tokens: Sequence[Sequence[Sequence[str]]],
        extra: Sequence[NDArray[np.float64]],
    ) -> list[NDArray[np.float64]]:
        """Score every sentence of the stories with the sentence scorer, in one call."""
        sizes = [len(story.sentences) for story in stories]
        if not sum(sizes):
            return [np.zeros(0) for _ in stories]
        lexical = self._hash(tokens) @ self.lexical_coef_ + self.lexical_intercept_
        matrix = np.column_stack([self._features(stories, tokens), lexical, np.concatenate(extra)])
        flat = self.scorer_.predict(matrix.astype(np.float32), num_threads=1)
        return np.split(np.asarray(flat, dtype=np.float64), np.cumsum(sizes)[:-1])

    def _choose(
        self,
        stories: Sequence[Story],
        scored: _Scored,
        blocked: Sequence[Collection[int]] | None = None,
    ) -> list[tuple[int, ...]]:
        """Return the reranker's best set of each story, without its blocked sentences."""
        if not stories:
            return []
        candidates = [
            self._candidates(story, toks, score, more, vectors, block)
            for story, toks, score, more, vectors, block in zip(
                stories,
                scored.tokens,
                scored.scores,
                scored.extra,
                scored.vectors,
                blocked or [frozenset()] * len(stories),
                strict=True,
            )
        ]
        matrices = [matrix for _, matrix in candidates]
        flat = (
            np.asarray(self.reranker_.predict(np.concatenate(matrices), num_threads=1))
            if sum(len(m) for m in matrices)
            else np.zeros(0)
        )
        rankings = np.split(flat, np.cumsum([len(m) for m in matrices])[:-1])
        return [
            sets[int(np.argmax(ranking))] if sets else ()
            for (sets, _), ranking in zip(candidates, rankings, strict=True)
        ]

    def predict_proba(self, stories: Sequence[Story]) -> list[NDArray[np.float64]]:
        """For each story, each sentence's probability of belonging in its highlights."""
        self._check()
        return self._score(stories).scores

    def predict(self, stories: Sequence[Story]) -> list[tuple[int, ...]]:
        """For each story, the indexes of its highlight sentences, in story order.

        The stories are left as they were: :meth:`annotate` is the step that writes.
        """
        self._check()
        return self._choose(stories, self._score(stories))

    def annotate(self, stories: Sequence[Story]) -> list[Story]:
        """Write ``scores`` and the chosen sentences, whole, as ``highlights``; return the stories.

        A selector that reads sentence vectors writes them too, as :attr:`Story.tensor`, so
        that choosing again (:meth:`choose`) reads them rather than computing them twice.
        """
        self._check()
        scored = self._score(stories)
        return self._write(stories, scored, self._choose(stories, scored))

    def choose(
        self, stories: Sequence[Story], blocked: Sequence[Collection[int]] | None = None
    ) -> list[Story]:
        """Choose again, as :meth:`annotate` writes, without the ``blocked`` sentences.

        ``blocked`` holds, per story, sentence indexes not to choose: candidate sets are drawn
        from the best sentences outside it. The scores and vectors a story already carries are
        used as they are (a story without them is scored first), so choosing again costs only
        the reranker: this is what the editing stage is handed.
        """
        self._check()
        scored = self._score(stories, known=True)
        return self._write(stories, scored, self._choose(stories, scored, blocked))

    @staticmethod
    def _write(
        stories: Sequence[Story], scored: _Scored, chosen: list[tuple[int, ...]]
    ) -> list[Story]:
        for story, score, vectors, best in zip(
            stories, scored.scores, scored.vectors, chosen, strict=True
        ):
            story.scores = [float(v) for v in score]
            if vectors is not None:
                story.tensor = vectors
            story.highlights = [
                Highlight(
                    text=story.sentences[i].text,
                    sentences=(i,),
                    spans=((story.sentences[i].start, story.sentences[i].end),),
                    score=float(score[i]),
                )
                for i in best
            ]
        return list(stories)

    # -- persistence ---------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the fitted model to one ``.npz`` file (arrays and LightGBM text only)."""
        self._check()
        meta = {
            "format": FORMAT_VERSION,
            "kind": self.kind,
            "params": self.get_params(),
            "features": list(FEATURE_NAMES),
            "candidate_features": list(CANDIDATE_FEATURES),
            "default_idf": self.default_idf_,
            "lexical_intercept": self.lexical_intercept_,
        }
        vocabulary = list(self.idf_)
        arrays: dict[str, NDArray[Any]] = {
            "meta": np.array(json.dumps(meta)),
            "vocabulary": np.array(vocabulary),
            "idf": np.array([self.idf_[w] for w in vocabulary], dtype=np.float32),
            "lexical_coef": self.lexical_coef_,
            "scorer": np.array(self.scorer_.model_to_string()),
            "reranker": np.array(self.reranker_.model_to_string()),
            **self._extra_arrays(),
        }
        np.savez_compressed(path, allow_pickle=False, **arrays)

    @classmethod
    def from_arrays(cls, meta: dict[str, Any], data: Any) -> Self:
        """Rebuild a selector of this class from what :meth:`save` wrote.

        :func:`nutgraf.select.models.load` reads the file and picks the class by its ``kind``.
        """
        selector = cls(**meta["params"])
        selector.idf_ = dict(zip(data["vocabulary"].tolist(), data["idf"].tolist(), strict=True))
        selector.default_idf_ = float(meta["default_idf"])
        selector.lexical_coef_ = data["lexical_coef"]
        selector.lexical_intercept_ = float(meta["lexical_intercept"])
        selector.scorer_ = lgb.Booster(model_str=str(data["scorer"]))
        selector.reranker_ = lgb.Booster(model_str=str(data["reranker"]))
        selector._load_extra(data)
        return selector
