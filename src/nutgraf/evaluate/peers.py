"""The systems a user would pick instead of nutgraf, and the baselines every report needs.

A *system* is any ``Callable[[Story], list[str]]``: it gets a story whose sentences are split
and returns its summary as sentence strings, which :mod:`nutgraf.evaluate.highlights` scores
against the story's reference. Registered here:

=============  ==================================================================
``lead3``      the first three real sentences; the baseline news is judged by
``oracle``     the greedy ROUGE oracle of :func:`nutgraf.rouge.oracle`: the ceiling
``lexrank``    sumy's LexRank (Erkan and Radev 2004)
``textrank``   sumy's TextRank (Mihalcea and Tarau 2004)
``lsa``        sumy's LSA (Steinberger and Jezek 2004)
``luhn``       sumy's Luhn (Luhn 1958)
``summa``      summa's TextRank (Barrios et al. 2016, the gensim ``summarize``)
``nutgraf``    nutgraf's own pipeline, known to :func:`get_system` only
``nutgraf-whole``  the same without compression: its bullets are whole sentences
=============  ==================================================================

Fairness rules, so that a difference in score is a difference in choosing sentences:

* Every system chooses from the same sentences: nutgraf's split, without the Daily Mail byline
  fragments (``position == -1``), which are splitting artefacts rather than sentences of the
  story. sumy and summa would otherwise re-split the text with their own splitters, and sumy's
  needs NLTK's punkt data, which an offline install lacks.
* Every peer returns three sentences (the oracle at most three, as BertSum's oracle), in
  document order, which is also what sumy and summa do by default.
* sumy sees its own word tokens (NLTK's Treebank-style tokenizer, kept to the words sumy's
  ``Tokenizer`` keeps), its English Snowball stemmer and its English stop words; summa sees its
  own cleaning. Neither is tuned on this data.

sumy and summa are the optional extra ``nutgraf[peers]``; they are imported on first use, so
this module and the baselines work without them.

>>> from nutgraf.story import Sentence, Story
>>> story = Story("Rain fell. The match was off. Fans left. Shops shut.")
>>> story.sentences = [
...     Sentence(i, t, 0, 0, i)
...     for i, t in enumerate(["Rain fell.", "The match was off.", "Fans left.", "Shops shut."])
... ]
>>> lead3(story)
['Rain fell.', 'The match was off.', 'Fans left.']
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from types import ModuleType
from typing import Any

from nutgraf import lexicon, rouge
from nutgraf.errors import NutgrafError
from nutgraf.story import Story

System = Callable[[Story], list[str]]

SUMMARY_SENTENCES = 3
"""Sentences per peer summary: CNN/DailyMail's highlights run three to four lines, and Lead-3,
BertSumExt and MatchSum all extract three."""

_INSTALL_HINT = 'pip install "nutgraf[peers]"'


def _texts(story: Story) -> list[str]:
    """List the sentences every system chooses from: the story's real ones, in order."""
    return [sentence.text for sentence in story.sentences if sentence.position >= 0]


def lead3(story: Story) -> list[str]:
    """Take the first three real sentences: the baseline news summarizers rarely beat by much.

    Byline fragments are skipped; counting them drops Lead-3 from about 40 to about 32 ROUGE-1
    on the stories that open with them.
    """
    return _texts(story)[:SUMMARY_SENTENCES]


def oracle(story: Story) -> list[str]:
    """Pick the greedy ROUGE oracle's sentences for the story's own reference, at most three.

    It reads the reference, so it is an upper bound for extractive selection, not a system.
    """
    texts = _texts(story)
    chosen = rouge.oracle(texts, story.reference, max_sentences=SUMMARY_SENTENCES)
    return [texts[index] for index in sorted(chosen)]


def _import_extra(module: str) -> ModuleType:
    """Import a module of the ``peers`` extra, or say how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise NutgrafError(
            f"The peer summarizers need the optional package {module.split('.')[0]!r}, "
            f"which is not installed. Install it with: {_INSTALL_HINT}"
        ) from error


class LazySystem(ABC):
    """A system whose library is imported when first needed, not with :mod:`nutgraf.evaluate.peers`.

    :func:`get_system` calls :meth:`load` before handing the system out, so a missing package
    is reported before an evaluation starts rather than at its first story.
    """

    def __init__(self) -> None:
        self._loaded = False

    def load(self) -> None:
        """Import the library and build the summarizer; later calls do nothing."""
        if not self._loaded:
            self._load()
            self._loaded = True

    @abstractmethod
    def _load(self) -> None: ...

    @abstractmethod
    def _summarize(self, texts: list[str]) -> list[str]: ...

    def __call__(self, story: Story) -> list[str]:
        """Summarize ``story`` from its real sentences; a story without any gets none."""
        self.load()
        texts = _texts(story)
        return self._summarize(texts) if texts else []


class _SumyTokenizer:
    """Word tokens for sumy without NLTK data: sumy's own rule, minus its sentence splitter.

    sumy's ``Tokenizer.to_words`` runs ``nltk.word_tokenize`` (punkt sentences, then the
    Treebank-style ``NLTKWordTokenizer``) and keeps tokens matching ``_WORD_PATTERN``. Our
    input is one sentence already, so the tokenizer alone gives the same words.
    """

    def __init__(self) -> None:
        from nltk.tokenize import NLTKWordTokenizer  # type: ignore[import-untyped, unused-ignore]

        self._tokenizer = NLTKWordTokenizer()

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Split one sentence into the word tokens sumy's summarizers expect."""
        return tuple(w for w in self._tokenizer.tokenize(sentence) if lexicon.SUMY_WORD.match(w))


class SumySystem(LazySystem):
    """One of sumy's summarizers, run on nutgraf's sentences.

    ``summarizer`` names a class of ``sumy.summarizers``, e.g. ``"lex_rank.LexRankSummarizer"``.
    Each is built once with sumy's English stemmer and stop words, as sumy's CLI builds them.
    """

    def __init__(self, summarizer: str) -> None:
        super().__init__()
        self.summarizer = summarizer

    def _load(self) -> None:
        module, name = self.summarizer.rsplit(".", 1)
        summarizers = _import_extra(f"sumy.summarizers.{module}")
        stemmers = _import_extra("sumy.nlp.stemmers")
        dom = _import_extra("sumy.models.dom")
        utils = _import_extra("sumy.utils")
        self._summarizer: Any = getattr(summarizers, name)(stemmers.Stemmer("english"))
        self._summarizer.stop_words = utils.get_stop_words("english")
        self._dom = dom
        self._tokenizer = _SumyTokenizer()

    def _summarize(self, texts: list[str]) -> list[str]:
        sentences = [self._dom.Sentence(text, self._tokenizer) for text in texts]
        document = self._dom.ObjectDocumentModel([self._dom.Paragraph(sentences)])
        # sumy returns its own Sentence objects (and strips their text): map back by identity.
        index = {id(sentence): i for i, sentence in enumerate(sentences)}
        chosen = self._summarizer(document, SUMMARY_SENTENCES)
        return [texts[index[id(sentence)]] for sentence in chosen]


class SummaTextRank(LazySystem):
    """summa's TextRank on nutgraf's sentences, three sentences per story.

    ``summa.summarizer.summarize`` splits the text itself and sizes the summary by a ratio or a
    word count. This runs the same steps (summa's cleaning, similarity graph and weighted
    PageRank) on our sentences and keeps the three best, ties in document order, as summa's
    stable sort does. When summa's graph is empty (every sentence shares no word with any
    other, or the story has one sentence) summa returns nothing; this falls back to the lead
    sentences then and counts it in :attr:`fallbacks`, so a report can say how often.
    """

    def __init__(self) -> None:
        super().__init__()
        self.fallbacks = 0

    def _load(self) -> None:
        self._summa = _import_extra("summa.summarizer")
        self._cleaner = _import_extra("summa.preprocessing.textcleaner")

    def _summarize(self, texts: list[str]) -> list[str]:
        summa, cleaner = self._summa, self._cleaner
        cleaner.init_textcleanner("english", None)
        units = cleaner.merge_syntactic_units(texts, cleaner.filter_words(texts))
        graph = summa._build_graph([unit.token for unit in units])
        summa._set_graph_edge_weights(graph)
        summa._remove_unreachable_nodes(graph)
        if not graph.nodes():
            self.fallbacks += 1
            return texts[:SUMMARY_SENTENCES]
        summa._add_scores_to_sentences(units, summa._pagerank(graph))
        best = sorted(units, key=lambda unit: unit.score, reverse=True)[:SUMMARY_SENTENCES]
        return [texts[unit.index] for unit in sorted(best, key=lambda unit: unit.index)]


PEERS: dict[str, System] = {
    "lead3": lead3,
    "oracle": oracle,
    "lexrank": SumySystem("lex_rank.LexRankSummarizer"),
    "textrank": SumySystem("text_rank.TextRankSummarizer"),
    "lsa": SumySystem("lsa.LsaSummarizer"),
    "luhn": SumySystem("luhn.LuhnSummarizer"),
    "summa": SummaTextRank(),
}
"""Every system but nutgraf itself, by the name ``nutgraf evaluate --systems`` takes."""

NUTGRAF_SYSTEMS = {
    "nutgraf": ("default", True),
    "nutgraf-whole": ("default", False),
    "nutgraf-accurate": ("accurate", True),
}
"""nutgraf's own systems: the packaged model each runs, and whether it compresses its bullets
(``nutgraf-whole`` is the default model's whole sentences, to measure what compression adds)."""

SYSTEM_NAMES = ("nutgraf", *PEERS)
"""What ``nutgraf evaluate`` compares by default; ``nutgraf-accurate`` is added by name, since
it needs the ``accurate`` extra."""


def _nutgraf(model: str, compress: bool) -> System:
    """Build nutgraf's own pipeline as a system, its selector loaded once, not per story."""
    from nutgraf.pipeline import process
    from nutgraf.select.models import load_selector

    selector = load_selector(model=model)

    def nutgraf(story: Story) -> list[str]:
        done = process(story, selector, figures=None, compress=compress)
        return [highlight.text for highlight in done.highlights]

    return nutgraf


def get_system(name: str) -> System:
    """Return the system called ``name``, loaded, so that a missing package fails here.

    >>> get_system("lead3") is lead3
    True
    """
    if name in NUTGRAF_SYSTEMS:
        return _nutgraf(*NUTGRAF_SYSTEMS[name])
    try:
        system = PEERS[name]
    except KeyError:
        raise NutgrafError(
            f"Unknown system {name!r}. Choose from: {', '.join([*NUTGRAF_SYSTEMS, *PEERS])}."
        ) from None
    if isinstance(system, LazySystem):
        system.load()
    return system
