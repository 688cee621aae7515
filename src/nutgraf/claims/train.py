"""Learn the source model from PolNeAR, a corpus of news with every attribution annotated.

``nutgraf train-sources --data polnear-train.jsonl`` reads the corpus (one article a line with
its ``attributions``, each a ``source``, ``cue`` and ``content`` as lists of character spans;
see the shared data's README), splits and parses every article as inference does, and learns
which candidate credit (:meth:`~nutgraf.claims.attribution.Attributor.candidates`) covers a
word: a candidate is right when its cue is the cue of the innermost attribution whose content
holds the word, and every candidate is wrong for a word outside every content.

The words learned from are the figures nutgraf finds and every other noun and number, since
who is credited with a passage does not depend on what the word is: 19,868 attributions give
about 430,000 (word, candidate) rows where the figures alone give 25,000. Training takes about
four minutes on two cores, most of it parsing.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from tqdm import tqdm

from nutgraf import nlp
from nutgraf.claims import extract
from nutgraf.claims.attribution import Attributor
from nutgraf.claims.referents import Parses
from nutgraf.claims.sources import Candidate, CueRates, SourceModel, default_path, featurize
from nutgraf.errors import InputFormatError
from nutgraf.read import ingest, sentences
from nutgraf.story import Story

if TYPE_CHECKING:
    from spacy.tokens import Token

Spans = list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Attribution:
    """One annotated attribution: its source, cue and content, each as character ranges."""

    source: Spans
    source_text: str | None
    cue: Spans
    content: Spans

    @property
    def size(self) -> int:
        """Characters of content: the innermost of nested attributions is the smallest."""
        return sum(end - start for start, end in self.content)


@dataclass(slots=True)
class Article:
    """A corpus article, split into sentences and parsed, with its attributions."""

    id: str
    story: Story
    attributions: list[Attribution]
    docs: Parses

    def attribution_of(self, start: int, end: int) -> Attribution | None:
        """Return the innermost attribution whose content holds ``[start, end)``, or None."""
        holding = [
            a for a in self.attributions if any(s <= start and end <= e for s, e in a.content)
        ]
        return min(holding, key=lambda a: a.size) if holding else None


def _overlaps(start: int, end: int, spans: Spans) -> bool:
    """Whether ``[start, end)`` shares a character with any of the spans."""
    return any(s < end and start < e for s, e in spans)


def _spans(value: Any) -> Spans:
    return [(int(part["start"]), int(part["end"])) for part in value or []]


def read(path: str | PathLike[str]) -> Iterator[tuple[str, str, list[Attribution]]]:
    """Yield the corpus's articles as ``(id, text, attributions)``; a bad line names itself."""
    return ingest.jsonl_records(
        path,
        _article,
        what="an attribution-corpus article",
        needs="id, text and attributions with source, cue and content spans",
    )


def _article(row: Any) -> tuple[str, str, list[Attribution]]:
    attributions = [
        Attribution(
            _spans(a["source"]),
            " ".join(part["text"] for part in a["source"]) if a["source"] else None,
            _spans(a["cue"]),
            _spans(a["content"]),
        )
        for a in row["attributions"]
    ]
    return str(row["id"]), str(row["text"]), attributions


def parse(path: str | PathLike[str], *, progress: bool = True) -> list[Article]:
    """Read, split and parse every article, all sentences in one spaCy ``pipe``."""
    rows = list(read(path))
    stories = [sentences.split(ingest.read(text, "plain")) for _, text, _ in rows]
    for (article_id, text, _), story in zip(rows, stories, strict=True):
        if story.text != text:
            raise InputFormatError(f"{path}: {article_id}: reading changed the text's offsets")
    texts = [s.text for story in stories for s in story.sentences]
    docs = iter(
        tqdm(
            nlp.load().pipe(texts, batch_size=256),
            total=len(texts),
            desc="parse",
            unit="sentence",
            disable=not progress,
        )
    )
    return [
        Article(
            article_id,
            story,
            attributions,
            Parses(story, {i: next(docs) for i in range(len(story.sentences))}),
        )
        for (article_id, _, attributions), story in zip(rows, stories, strict=True)
    ]


def cue_rates(articles: Sequence[Article]) -> CueRates:
    """Count, per lemma of a verb, noun or auxiliary, its uses and those inside a cue."""
    cues: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for article in articles:
        spans = [span for a in article.attributions for span in a.cue]
        for i, sentence in enumerate(article.story.sentences):
            for token in article.docs[i]:
                if token.pos_ not in ("VERB", "AUX", "NOUN"):
                    continue
                lemma = token.lemma_.lower()
                uses[lemma] += 1
                start = sentence.start + token.idx
                if _overlaps(start, start + len(token), spans):
                    cues[lemma] += 1
    return CueRates(dict(sorted(cues.items())), dict(sorted(uses.items())))


@dataclass(frozen=True, slots=True)
class Target:
    """A word to credit, where it stands, and whether it is a figure nutgraf reports."""

    article: int
    sentence: int
    token: Token
    figure: bool


def targets(articles: Sequence[Article], *, nouns_every: int = 2) -> list[Target]:
    """Every figure of every article, and every ``nouns_every``-th other noun or number."""
    found: list[Target] = []
    seen = 0
    for a, article in enumerate(articles):
        for i in range(len(article.story.sentences)):
            doc = article.docs[i]
            heads = {m.head.i for m in extract.mentions(doc)}
            for token in doc:
                if token.i in heads:
                    found.append(Target(a, i, token, True))
                elif token.pos_ in ("NOUN", "NUM"):
                    seen += 1
                    if seen % nouns_every == 0:
                        found.append(Target(a, i, token, False))
    return found


def rows(
    articles: Sequence[Article], found: Sequence[Target], model: SourceModel
) -> Iterator[tuple[Target, list[Candidate], NDArray[np.float32], NDArray[np.float64]]]:
    """Each target's candidates, their feature rows and their labels.

    The targets come article by article (as :func:`targets` gives them), so one attributor
    serves each article's targets in turn.
    """
    attributor: Attributor | None = None
    for target in found:
        article = articles[target.article]
        if attributor is None or attributor.story is not article.story:
            attributor = Attributor(article.story, article.docs, model)
        candidates = attributor.candidates(target.sentence, target.token)
        matrix = featurize(
            target.token, target.sentence, candidates, attributor.context, model.rates
        )
        start = article.story.sentences[target.sentence].start + target.token.idx
        gold = article.attribution_of(start, start + len(target.token))
        labels = np.zeros(len(candidates))
        if gold is not None:
            for k, candidate in enumerate(candidates):
                at = article.story.sentences[candidate.sentence].start + candidate.cue.idx
                labels[k] = _overlaps(at, at + len(candidate.cue), gold.cue)
        yield target, candidates, matrix, labels


def fit(articles: Sequence[Article], found: Sequence[Target]) -> SourceModel:
    """Learn the cue rates and the classifier from the articles' targets."""
    model = SourceModel(cue_rates(articles))
    matrices: list[NDArray[np.float32]] = []
    labels: list[NDArray[np.float64]] = []
    for _, _, matrix, label in rows(articles, found, model):
        matrices.append(matrix)
        labels.append(label)
    return model.fit(np.concatenate(matrices), np.concatenate(labels))


def _log(message: str) -> None:
    print(f"[nutgraf train-sources] {message}", file=sys.stderr, flush=True)


def train(data: str | PathLike[str], out: str | PathLike[str] | None = None) -> Path:
    """Fit the source model on the corpus at ``data``; save it to ``out`` or the package."""
    started = time.perf_counter()
    articles = parse(data)
    found = targets(articles)
    _log(f"{len(articles)} articles, {len(found)} words to credit")
    model = fit(articles, found)
    target = Path(out) if out is not None else default_path()
    model.save(target)
    _log(
        f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB)"
        f" in {(time.perf_counter() - started) / 60:.1f} min"
    )
    return target
