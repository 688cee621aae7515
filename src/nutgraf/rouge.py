"""ROUGE as the project measures it, and the extractive oracle built on it.

Scores come from rouge-score itself (Lin 2004; Google's re-implementation of ROUGE-1.5.5):
ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 with the Porter stemmer, sentences separated by newlines on
both sides. The Perl equivalent is ``ROUGE-1.5.5.pl -m -n 2`` with summary-level LCS.

The oracle greedily adds the sentence that most raises ROUGE-1 + ROUGE-2 F1 against the
reference and stops when nothing raises it (Nallapati et al. 2017; Liu and Lapata 2019). It is
the upper bound in ``nutgraf evaluate`` and the source of the training labels, so both use the
same tokens as the scorer: rouge-score's tokenizer, with the stemmer's answers cached because
news reuses a small vocabulary and Porter stemming dominates the cost.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from nltk.stem import porter
from rouge_score import rouge_scorer, tokenize

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")


class _CachedStemmer:
    """Porter stemmer with memory: rouge-score calls ``stem`` once per token."""

    def __init__(self) -> None:
        stemmer = porter.PorterStemmer("ORIGINAL_ALGORITHM")
        self.stem = lru_cache(maxsize=1 << 18)(stemmer.stem)


_STEMMER = _CachedStemmer()


class _Tokenizer:
    """rouge-score's own tokenizer, fed the caching stemmer."""

    def tokenize(self, text: str) -> list[str]:
        return list(tokenize.tokenize(text, _STEMMER))


class RougeScores(NamedTuple):
    """F1 of the three ROUGE variants, each in [0, 1]."""

    rouge1: float
    rouge2: float
    rougeLsum: float


_SCORER = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=_Tokenizer())


def rouge_tokens(text: str) -> list[str]:
    """Lowercased, stemmed tokens exactly as the scorer sees them."""
    return _Tokenizer().tokenize(text)


def score(summary: Sequence[str], reference: Sequence[str]) -> RougeScores:
    """ROUGE F1 of ``summary`` against ``reference``, both given as lists of sentences.

    An empty side scores zero rather than failing, as rouge-score does.

    >>> round(score(["the cat sat"], ["the cat sat"]).rouge1, 2)
    1.0
    """
    result = _SCORER.score("\n".join(reference), "\n".join(summary))
    return RougeScores(*(result[name].fmeasure for name in ROUGE_TYPES))


def _f1(overlap: int, produced: int, wanted: int) -> float:
    if overlap == 0:
        return 0.0
    precision, recall = overlap / produced, overlap / wanted
    return 2 * precision * recall / (precision + recall)


def _bigrams(tokens: Sequence[str]) -> Counter[tuple[str, str]]:
    return Counter(itertools.pairwise(tokens))


class Reference:
    """A reference summary prepared for many fast ROUGE-1 + ROUGE-2 F1 evaluations.

    The oracle and the reranker's training targets score thousands of sentence sets against
    one reference; counting its n-grams once makes each evaluation a couple of Counter
    intersections instead of a full rouge-score call.
    """

    def __init__(self, reference: Sequence[str]) -> None:
        tokens = [t for line in reference for t in rouge_tokens(line)]
        self.size = len(tokens)
        self.unigrams = Counter(tokens)
        self.bigrams = _bigrams(tokens)

    def gain(self, unigrams: Counter[str], bigrams: Counter[tuple[str, str]]) -> float:
        """ROUGE-1 F1 + ROUGE-2 F1 of a summary given by its n-gram counts."""
        if not self.size:
            return 0.0
        r1 = _f1(sum((unigrams & self.unigrams).values()), unigrams.total(), self.size)
        r2 = _f1(
            sum((bigrams & self.bigrams).values()),
            max(bigrams.total(), 1),
            max(self.bigrams.total(), 1),
        )
        return r1 + r2

    def gain_of(self, sentences: Sequence[Sequence[str]]) -> float:
        """Score a summary given as tokenized sentences: ROUGE-1 F1 + ROUGE-2 F1."""
        unigrams: Counter[str] = Counter()
        bigrams: Counter[tuple[str, str]] = Counter()
        for tokens in sentences:
            unigrams.update(tokens)
            bigrams.update(_bigrams(tokens))
        return self.gain(unigrams, bigrams)


def oracle(sentences: Sequence[str], reference: Sequence[str], max_sentences: int = 5) -> list[int]:
    """Indexes of the greedy extractive oracle, in the order they were chosen.

    >>> oracle(["rain fell.", "the cat sat on the mat.", "dogs bark."], ["a cat sat on a mat"])
    [1]
    """
    ref = Reference(reference)
    if not ref.size:
        return []
    sent_uni = [Counter(rouge_tokens(s)) for s in sentences]
    sent_bi = [_bigrams(rouge_tokens(s)) for s in sentences]
    chosen: list[int] = []
    uni: Counter[str] = Counter()
    bi: Counter[tuple[str, str]] = Counter()
    best = 0.0
    while len(chosen) < max_sentences:
        best_index = -1
        for index, counts in enumerate(sent_uni):
            if index in chosen or not counts:
                continue
            value = ref.gain(uni + counts, bi + sent_bi[index])
            if value > best:
                best, best_index = value, index
        if best_index < 0:
            break
        chosen.append(best_index)
        uni += sent_uni[best_index]
        bi += sent_bi[best_index]
    return chosen
