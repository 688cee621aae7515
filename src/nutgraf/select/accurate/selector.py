"""The accurate tier: the default selector, reading sentence meaning as well as words.

The default model sees words, positions and lengths. This one adds what a pretrained encoder
knows: each sentence read within the first 512 word pieces (BertSum's limit) gets a MiniLM vector
(:mod:`nutgraf.select.accurate.encoder`), an inter-sentence transformer over those vectors
scores it in the light of the whole story (:mod:`nutgraf.select.accurate.head`, BertSumExt's
design over frozen vectors), and both stages of the default model read the result:

* the sentence scorer gets the head's logit (out-of-fold in training, like the lexical score),
  its rank and gap to the story's best, the sentence's cosine with the story's mean vector, and
  its highest cosine with any other sentence;
* the set reranker gets, for each candidate set, the cosine of the set's mean vector with the
  story's (MatchSum's "does this summary mean what the document means", Zhong et al. 2020), the
  highest cosine between two of its sentences, and its sum of head logits.

Sentences the encoder did not read get NaN in these columns, which LightGBM routes as missing,
so a long story's tail is still scored on its words.

The vectors live on the story (:attr:`Story.tensor`, as spaCy keeps ``Doc.tensor``): the
selector encodes only stories that lack them, and ``annotate`` writes what it encoded (``predict``
writes nothing), so a caller that already holds a story's vectors sets them there, choosing
again reads them, and nothing is encoded twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Self

import numpy as np
from joblib import Parallel, delayed
from numpy.typing import NDArray
from tqdm import tqdm

from nutgraf.errors import ModelError
from nutgraf.select.accurate import head
from nutgraf.select.accurate.encoder import DIM, load_encoder
from nutgraf.select.selector import HighlightSelector, Progress, Vectors, quiet
from nutgraf.story import Story

SENTENCE_FEATURES: tuple[str, ...] = ("head_logit", "head_rank", "head_gap", "doc_cos", "max_cos")
SET_FEATURES: tuple[str, ...] = ("set_doc_cos", "set_max_cos", "set_head_sum")


_CHUNK = 256


def _encode_chunk(stories: Sequence[Story]) -> list[NDArray[np.float32]]:
    return load_encoder().encode_stories(stories)


def _carried(story: Story) -> NDArray[np.float32] | None:
    """Return the story's sentence vectors, unless it has none or vectors of other sentences."""
    if story.tensor is None or len(story.tensor) != len(story.sentences):
        return None
    return story.tensor


def encode(
    stories: Sequence[Story], *, n_jobs: int = 1, progress: bool = False
) -> list[NDArray[np.float32]]:
    """Encode the stories' sentences, writing nothing; in ``n_jobs`` processes for many.

    Training encodes tens of thousands of stories, which takes most of an hour in one process,
    so it shows a bar and spreads chunks over joblib's processes, as the oracle labels of
    :meth:`HighlightSelector.fit` are; a chunk's vectors do not depend on which process
    encodes it, nor on the other stories of the chunk.
    """
    chunks = [stories[i : i + _CHUNK] for i in range(0, len(stories), _CHUNK)]
    jobs = n_jobs if len(chunks) > 1 else 1
    out: list[NDArray[np.float32]] = []
    bar = tqdm(total=len(stories), unit=" stories", desc="encoding", disable=not progress)
    with bar:
        for vectors in Parallel(n_jobs=jobs, return_as="generator")(
            delayed(_encode_chunk)(chunk) for chunk in chunks
        ):
            out.extend(vectors)
            bar.update(len(vectors))
    return out


def vectors_of(
    stories: Sequence[Story], *, n_jobs: int = 1, progress: bool = False
) -> list[NDArray[np.float32]]:
    """Each story's sentence vectors: those it carries, else encoded now; nothing is written."""
    carried = [_carried(story) for story in stories]
    lacking = [story for story, tensor in zip(stories, carried, strict=True) if tensor is None]
    encoded = iter(encode(lacking, n_jobs=n_jobs, progress=progress) if lacking else [])
    return [tensor if tensor is not None else next(encoded) for tensor in carried]


def ensure_vectors(stories: Sequence[Story], *, n_jobs: int = 1, progress: bool = False) -> None:
    """Write :attr:`Story.tensor` for the stories that lack it (see :func:`vectors_of`)."""
    vectors = vectors_of(stories, n_jobs=n_jobs, progress=progress)
    for story, tensor in zip(stories, vectors, strict=True):
        story.tensor = tensor


def _read(
    story: Story, tensor: Vectors
) -> tuple[NDArray[np.int64], NDArray[np.float32], NDArray[np.int64]]:
    """Indexes, vectors and story positions of the sentences the encoder read."""
    if tensor is None:
        tensor = np.full((len(story.sentences), DIM), np.nan)
    index = np.flatnonzero(~np.isnan(tensor[:, 0]))
    vectors = np.asarray(tensor[index], dtype=np.float32)
    positions = np.array([story.sentences[i].position for i in index], dtype=np.int64)
    return index, vectors, positions


def _unit(vector: NDArray[np.float32]) -> NDArray[np.float32]:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


class AccurateSelector(HighlightSelector):
    """:class:`~nutgraf.select.selector.HighlightSelector` with encoder features; same contract.

    Parameters
    ----------
    head_width, head_layers, head_epochs:
        Size and training length of the inter-sentence transformer.
    **others:
        As for :class:`~nutgraf.select.selector.HighlightSelector`.

    """

    kind: ClassVar[str] = "accurate"

    def __init__(
        self,
        *,
        n_estimators: int = 300,
        learning_rate: float = 0.05,
        num_leaves: int = 31,
        min_child_samples: int = 50,
        hash_bits: int = 20,
        lexical_alpha: float = 2e-6,
        pool_size: int = 5,
        max_bullets: int = 4,
        n_folds: int = 2,
        min_df: int = 3,
        n_jobs: int = 1,
        random_state: int = 0,
        head_width: int = 256,
        head_layers: int = 2,
        head_epochs: int = 5,
    ) -> None:
        super().__init__(
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            num_leaves=num_leaves,
            min_child_samples=min_child_samples,
            hash_bits=hash_bits,
            lexical_alpha=lexical_alpha,
            pool_size=pool_size,
            max_bullets=max_bullets,
            n_folds=n_folds,
            min_df=min_df,
            n_jobs=n_jobs,
            random_state=random_state,
        )
        self.head_width = head_width
        self.head_layers = head_layers
        self.head_epochs = head_epochs

    def fit(
        self,
        stories: Sequence[Story],
        references: Sequence[Sequence[str]],
        *,
        groups: Sequence[int] | None = None,
        progress: Progress = quiet,
    ) -> Self:
        """Fit as :meth:`HighlightSelector.fit` does, checking first that torch is installed.

        Without the check a missing torch would surface only at the head, after the minutes of
        oracle labels and encoding that come before it.
        """
        head.require_torch()
        return super().fit(stories, references, groups=groups, progress=progress)

    def _head_params(self) -> head.HeadParams:
        return head.HeadParams(
            width=self.head_width,
            layers=self.head_layers,
            epochs=self.head_epochs,
            seed=self.random_state,
            threads=max(1, self.n_jobs),
        )

    def _fit_extra(
        self,
        stories: Sequence[Story],
        target: NDArray[np.float64],
        offsets: NDArray[np.int64],
        story_folds: NDArray[np.int64],
        progress: Progress,
    ) -> NDArray[np.float64]:
        progress("sentence vectors")
        ensure_vectors(stories, n_jobs=self.n_jobs, progress=True)
        read = [_read(story, story.tensor) for story in stories]
        labels = [
            target[offsets[s] + index].astype(np.float32) for s, (index, _, _) in enumerate(read)
        ]
        logits: list[NDArray[np.float32]] = [np.zeros(0, np.float32)] * len(stories)
        for fold in range(self.n_folds):
            progress(f"inter-sentence head, fold {fold + 1}/{self.n_folds}")
            train = [s for s in range(len(stories)) if story_folds[s] != fold]
            weights = head.fit(
                [read[s][1] for s in train],
                [read[s][2] for s in train],
                [labels[s] for s in train],
                self._head_params(),
                progress,
            )
            for s in np.flatnonzero(story_folds == fold):
                logits[s] = head.forward(weights, read[s][1], read[s][2])
        progress("inter-sentence head, all stories")
        self.head_ = head.fit(
            [r[1] for r in read], [r[2] for r in read], labels, self._head_params(), progress
        )
        return np.concatenate(
            [
                self._columns(story, r, lg)
                for story, r, lg in zip(stories, read, logits, strict=True)
            ]
        )

    def _vectors(self, stories: Sequence[Story]) -> list[Vectors]:
        return list(vectors_of(stories))

    def _extra(self, stories: Sequence[Story], vectors: Sequence[Vectors]) -> NDArray[np.float64]:
        blocks = []
        for story, tensor in zip(stories, vectors, strict=True):
            read = _read(story, tensor)
            blocks.append(self._columns(story, read, head.forward(self.head_, read[1], read[2])))
        if not blocks:
            return np.zeros((0, len(SENTENCE_FEATURES)))
        return np.concatenate(blocks)

    @staticmethod
    def _columns(
        story: Story,
        read: tuple[NDArray[np.int64], NDArray[np.float32], NDArray[np.int64]],
        logits: NDArray[np.float32],
    ) -> NDArray[np.float64]:
        index, vectors, _ = read
        out = np.full((len(story.sentences), len(SENTENCE_FEATURES)), np.nan)
        if not len(index):
            return out
        doc = _unit(vectors.mean(axis=0))
        similar = vectors @ vectors.T
        np.fill_diagonal(similar, np.nan)
        out[index, 0] = logits
        out[index, 1] = np.argsort(np.argsort(-logits, kind="stable"), kind="stable")
        out[index, 2] = logits - logits.max()
        out[index, 3] = vectors @ doc
        out[index, 4] = (
            np.nanmax(similar, axis=1) if len(index) > 1 else np.zeros(1, dtype=np.float32)
        )
        return out

    def _set_extra(
        self,
        story: Story,
        sets: Sequence[tuple[int, ...]],
        extra: NDArray[np.float64],
        vectors: Vectors,
    ) -> NDArray[np.float32]:
        out = np.full((len(sets), len(SET_FEATURES)), np.nan, dtype=np.float32)
        tensor = vectors
        if tensor is None or not len(sets):
            return out
        read = ~np.isnan(tensor[:, 0])
        if not read.any():
            return out
        doc = _unit(tensor[read].mean(axis=0))
        for row, chosen in enumerate(sets):
            members = list(chosen)
            if not read[members].all():
                continue
            vectors = tensor[members]
            out[row, 0] = float(_unit(vectors.mean(axis=0)) @ doc)
            if len(members) > 1:
                similar = vectors @ vectors.T
                out[row, 1] = float(similar[np.triu_indices(len(members), 1)].max())
            else:
                out[row, 1] = 0.0
            out[row, 2] = float(extra[members, 0].sum())
        return out

    def _check(self) -> None:
        super()._check()
        if not getattr(self, "head_", None):
            raise ModelError("the accurate selector has no head: retrain it with `nutgraf train`")

    def _extra_arrays(self) -> dict[str, NDArray[Any]]:
        return {f"head.{name}": value for name, value in self.head_.items()}

    def _load_extra(self, data: Any) -> None:
        self.head_ = {
            name.removeprefix("head."): np.asarray(data[name], dtype=np.float32)
            for name in data.files
            if name.startswith("head.")
        }
