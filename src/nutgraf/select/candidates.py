"""Candidate highlight sets: whole summaries scored as units, as MatchSum does.

Scoring sentences one by one cannot tell a good set from a redundant one, nor decide whether a
story needs two bullets or four. Following MatchSum (Zhong et al. 2020), the selector scores
whole candidate sets instead, but cheaply: candidates are the subsets of 1 to
``max_bullets`` sentences drawn from a small pool of the best-scored sentences, and each set is
described by a few numbers a gradient-boosted ranker can read (its size and length, how its
sentence scores add up, how far into the story it reaches, and how much its sentences repeat
one another). The pool is filled best-first with trigram blocking (Paulus et al. 2018), so
near-duplicate sentences never compete.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Sequence

import numpy as np
from numpy.typing import NDArray

from nutgraf.read.sentences import MAX_WORDS

CANDIDATE_FEATURES: tuple[str, ...] = (
    "size",
    "words",
    "words_mean",
    "score_sum",
    "score_mean",
    "score_min",
    "score_max",
    "rank_sum",
    "rank_max",
    "position_min",
    "position_max",
    "position_mean",
    "has_lead",
    "overlap_max",
    "distinct_ratio",
    "doc_sentences",
    "doc_words",
    "pool_score_sum",
    "best_score",
)


MIN_BULLET_WORDS = 6
"""A sentence of fewer words never becomes a bullet: at that length it is a headline, a
subhead, a caption or a fragment ("Go on, go on."), not a line that carries the news."""

PROSE_WORDS = MAX_WORDS // 2
"""A sentence of this many words is prose even without final punctuation: a line of a
transcript, or a piece of a run of text cut at :data:`~nutgraf.read.sentences.MAX_WORDS`. The
lines of a page that lack it (headlines, captions, links) are far shorter, and a text with no
sentence punctuation at all still gets its bullets."""

# A finished sentence: final punctuation, then any closing quotes or brackets, in either form.
_FINISHED = re.compile(r"[.?!\u2026](?:\s*(?:''|-rrb-|['\"\u2019\u201d)\]]))*\s*$")
# A page's script left in its text: braces, a string assigned, a quoted key and its value
# ("' title ' : ' woman lifts ...'"), a method called ("dm.later ( ' bundle '").
_CODE = re.compile(
    r"[{}]|\w\s*=\s*['\"]|['\"]\s*:\s*['\"]|\b[a-z]\w+\.[a-z]\w+\s*\(", re.IGNORECASE
)


def can_stand(text: str, words: Sequence[str]) -> bool:
    """Whether a sentence can be a bullet: finished prose of :data:`MIN_BULLET_WORDS` or more.

    Headlines, subheads, photo credits and related-story links are the lines of a page without
    final punctuation, and a page's script is no prose; no editor lifts them into the
    highlights. A sentence of :data:`PROSE_WORDS` or more is prose finished or not.
    """
    return (
        len(words) >= MIN_BULLET_WORDS
        and (_FINISHED.search(text) is not None or len(words) >= PROSE_WORDS)
        and _CODE.search(text) is None
    )


def _trigrams(words: Sequence[str]) -> set[tuple[str, str, str]]:
    return set(zip(words, words[1:], words[2:], strict=False))


def pool(
    scores: NDArray[np.float64],
    words: Sequence[Sequence[str]],
    size: int,
    blocked: Collection[int] = frozenset(),
) -> list[int]:
    """Up to ``size`` sentence indexes, best score first, none repeating another's trigram.

    ``blocked`` sentences never enter, so the next best take their place: the style stage
    blocks a sentence that cannot open a bullet (:func:`nutgraf.edit.bullets.edit`).
    """
    chosen: list[int] = []
    seen: set[tuple[str, str, str]] = set()
    for index in np.argsort(-scores, kind="stable"):
        if not words[index] or index in blocked:
            continue
        trigrams = _trigrams(words[index])
        if trigrams & seen:
            continue
        chosen.append(int(index))
        seen |= trigrams
        if len(chosen) == size:
            break
    return chosen


def enumerate_sets(
    scores: NDArray[np.float64],
    words: Sequence[Sequence[str]],
    positions: Sequence[int],
    *,
    pool_size: int,
    max_bullets: int,
    doc_sentences: float,
    doc_words: float,
    blocked: Collection[int] = frozenset(),
) -> tuple[list[tuple[int, ...]], NDArray[np.float32]]:
    """Every candidate set from the pool (indexes in story order) and its feature row."""
    members = pool(scores, words, pool_size, blocked)
    rank = {index: r for r, index in enumerate(members)}
    bags = {index: set(words[index]) for index in members}
    pool_total = float(sum(scores[i] for i in members))
    best = float(scores[members[0]]) if members else 0.0
    sets: list[tuple[int, ...]] = []
    rows: list[list[float]] = []
    for size in range(1, min(max_bullets, len(members)) + 1):
        for combo in itertools.combinations(sorted(members), size):
            lengths = [len(words[i]) for i in combo]
            values = [float(scores[i]) for i in combo]
            where = [positions[i] for i in combo]
            overlap = max(
                (
                    len(bags[a] & bags[b]) / max(1, min(len(bags[a]), len(bags[b])))
                    for a, b in itertools.combinations(combo, 2)
                ),
                default=0.0,
            )
            distinct = len(set().union(*(bags[i] for i in combo))) / max(1, sum(lengths))
            sets.append(combo)
            rows.append(
                [
                    size,
                    sum(lengths),
                    sum(lengths) / size,
                    sum(values),
                    sum(values) / size,
                    min(values),
                    max(values),
                    sum(rank[i] for i in combo),
                    max(rank[i] for i in combo),
                    min(where),
                    max(where),
                    sum(where) / size,
                    float(0 in where),
                    overlap,
                    distinct,
                    doc_sentences,
                    doc_words,
                    pool_total,
                    best,
                ]
            )
    matrix = np.asarray(rows, dtype=np.float32).reshape(len(rows), len(CANDIDATE_FEATURES))
    return sets, matrix
