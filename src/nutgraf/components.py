"""spaCy's pipeline with the same output in less time: two components and the matrix products.

spaCy's small English pipeline spends as long in two rule-based components as in its parser,
on every sentence nutgraf parses; :func:`swap_in` replaces them in a loaded pipeline with these
subclasses, which keep the components' rules and tables (copied through spaCy's own
serialization), and has the models multiply their matrices through numpy. The annotations are
the stock pipeline's (``components_test.py`` compares them).

**The attribute ruler.** ``attribute_ruler`` sets each token's coarse part of speech,
morphology and some lemmas from 179 rules, nearly all of one token ("a ``TAG`` of ``VBZ`` and a
``LOWER`` of ``is``"). spaCy runs them through its general ``Matcher``, which tries every rule
at every token: about 0.8 ms a sentence on this project's machine, more than the parser, and
spent again on every sentence nutgraf parses. :class:`IndexedAttributeRuler` is the same
component with the same rules, kept and saved as spaCy keeps them; only its ``match`` differs.
A one-token rule reads a few attributes of the token, so the rules that apply to a token are
the same for every token with the same values of those attributes: they are worked out once
per such combination and looked up after. Rules of more than one token, or with a regular
expression, still go through a ``Matcher`` of their own (a dozen rules, not 179). The matches,
and so the annotations, are those of the stock component: the same rules, matched on the
tokens as the earlier components left them, applied in the rules' order so that a later rule
wins.

**The matrix products.** The token vectors, the parser and the entity recognizer spend most of
their time in matrix products, which thinc's CPU backend hands to BLIS. The BLIS that comes
with spaCy's wheels ran them three times slower than numpy's OpenBLAS on this project's machine
(a batch's 2,000 x 96 by 96 x 288 product: 3.8 ms against 1.1 ms on one thread), so the
pipeline's models get thinc's own CPU backend with its BLIS switched off
(``NumpyOps(use_blis=False)``), which multiplies with ``numpy.dot``. Loading the pipeline also
limits BLAS to one thread for the process (threadpoolctl): the matrices are small, the products
came out the same bit for bit on one thread or two, and ``nutgraf batch`` runs a process per
core, where more BLAS threads would only contend. The limit is the process's because BLAS's
thread count is one setting for all its threads: lowering and restoring it around each product
races in a threaded server. A program that loads nutgraf's pipeline and wants BLAS threads for
its own work can raise it again with ``threadpoolctl.threadpool_limits``. The parser's and the
entity recognizer's transition loops still multiply their small per-step matrices through
thinc's C interface to BLIS (``Ops.cblas``), which no Python backend reaches; the token vectors
and the precomputed first layers, most of the products, go through numpy.

**The lemmatizer.** spaCy's English lemmatizer caches a word's lemmas by its text, part of
speech and morphology, except when it finds the word already in its base form ("said" is
cached, "say" and "report" are not), which is most words: those it works out again each time.
:class:`CachedLemmatizer` caches every answer; they depend on nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

SWAPS = {
    "attribute_ruler": "nutgraf_attribute_ruler",
    "lemmatizer": "nutgraf_lemmatizer",
}
"""Each stock component :func:`swap_in` replaces, and the name its subclass is registered as."""

_READ: dict[str, Callable[[Token], object]] = {
    "TAG": lambda token: token.tag_,
    "LOWER": lambda token: token.lower_,
    "DEP": lambda token: token.dep_,
    "IS_SPACE": lambda token: token.is_space,
}
"""The token attributes a looked-up rule may read; a rule reading any other is matched."""

_Key = tuple[int, int, int, bool]
_Match = tuple[int, int, int, int]


def _predicate(value: object) -> Callable[[object], bool] | None:
    """Return a test of an attribute's value as the ``Matcher`` reads ``value``, if plain.

    Plain: a value to equal, or ``{"IN": [...]}`` / ``{"NOT_IN": [...]}``; anything else
    (``REGEX``, comparisons) is left to the ``Matcher``.
    """
    if not isinstance(value, dict):
        return lambda found: found == value
    if value.keys() == {"IN"}:
        within = frozenset(value["IN"])
        return lambda found: found in within
    if value.keys() == {"NOT_IN"}:
        outside = frozenset(value["NOT_IN"])
        return lambda found: found not in outside
    return None


class IndexedAttributeRuler(AttributeRuler):
    """An :class:`~spacy.pipeline.AttributeRuler` that looks up its one-token rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._single: list[tuple[int, int, list[dict[str, Callable[[object], bool]]]]] = []
        self._lowers: set[str] = set()
        self._found: dict[_Key, list[tuple[int, int]]] = {}
        super().__init__(*args, **kwargs)
        self._few = Matcher(self.vocab, validate=False)

    def clear(self) -> None:
        """Drop every rule, the looked-up ones with the others."""
        super().clear()
        self._single, self._lowers, self._found = [], set(), {}
        self._few = Matcher(self.vocab, validate=False)

    def add(
        self,
        patterns: Iterable[list[dict[int | str, Any]]],
        attrs: dict[str, Any],
        index: int = 0,
    ) -> None:
        """Add a rule as spaCy does, and file it to be looked up or matched."""
        patterns = list(patterns)
        rule = len(self.attrs)
        super().add(patterns, attrs, index)
        key = self.vocab.strings[str(rule)]
        alternatives = [
            {name: _predicate(value) for name, value in pattern[0].items()}
            for pattern in patterns
            if len(pattern) == 1
        ]
        if len(alternatives) == len(patterns) and all(
            name in _READ and test is not None
            for tests in alternatives
            for name, test in tests.items()
        ):
            self._single.append((rule, key, alternatives))  # type: ignore[arg-type]
            self._lowers.update(
                str(word) for pattern in patterns for word in _words(pattern[0].get("LOWER"))
            )
            self._found.clear()
        else:
            self._few.add(key, patterns)  # type: ignore[arg-type]

    def match(self, doc: Doc) -> list[_Match]:
        """Return the rules that apply to the doc as ``(rule, key, start, end)``, in rule order."""
        matches: list[_Match] = [
            (int(self.vocab.strings[key]), key, start, end)
            for key, start, end in self._few(doc, allow_missing=True)
        ]
        for token in doc:
            lower = token.lower if token.lower_ in self._lowers else 0
            key = (token.tag, lower, token.dep, token.is_space)
            found = self._found.get(key)
            if found is None:
                found = self._found[key] = [
                    (rule, match_id)
                    for rule, match_id, alternatives in self._single
                    if any(
                        all(test(_READ[name](token)) for name, test in tests.items())
                        for tests in alternatives
                    )
                ]
            matches.extend((rule, match_id, token.i, token.i + 1) for rule, match_id in found)
        matches.sort()
        return matches


def _words(value: object) -> list[object]:
    """Return the words a ``LOWER`` constraint names: only they are told apart when looked up."""
    if isinstance(value, dict):
        return [*value.get("IN", ()), *value.get("NOT_IN", ())]
    return [] if value is None else [value]


class CachedLemmatizer(EnglishLemmatizer):
    """spaCy's English lemmatizer, remembering the lemmas of words in their base form too."""

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> CachedLemmatizer:
        """Load the tables as spaCy does, then make each list of known base forms a dict.

        spaCy tests a candidate base form against a part of speech's list of them, a search
        through thousands of words for each new word; a dict answers the same question at
        once and saves as the same kind of table.
        """
        super().from_bytes(bytes_data, exclude=exclude)
        if self.lookups.has_table("lemma_index"):
            table = self.lookups.get_table("lemma_index")
            for pos, forms in list(table.items()):
                table[pos] = dict.fromkeys(forms)
        return self

    def rule_lemmatize(self, token: Token) -> list[str]:
        """Return the token's lemmas, worked out once per text, part of speech and morphology."""
        key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
        lemmas: list[str] | None = self.cache.get(key)
        if lemmas is None:
            lemmas = self.cache[key] = super().rule_lemmatize(token)
        return lemmas


@Language.factory(SWAPS["attribute_ruler"], default_config={"validate": False, "scorer": None})
def make_indexed_attribute_ruler(
    nlp: Language, name: str, validate: bool, scorer: Callable[..., Any] | None
) -> IndexedAttributeRuler:
    """Build an empty :class:`IndexedAttributeRuler`; :func:`swap_in` fills it."""
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


@Language.factory(
    SWAPS["lemmatizer"],
    default_config={"mode": "rule", "overwrite": False, "scorer": None},
)
def make_cached_lemmatizer(
    nlp: Language, name: str, mode: str, overwrite: bool, scorer: Callable[..., Any] | None
) -> CachedLemmatizer:
    """Build a :class:`CachedLemmatizer` without tables; :func:`swap_in` gives it the stock's."""
    return CachedLemmatizer(nlp.vocab, None, name, mode=mode, overwrite=overwrite, scorer=scorer)


def swap_in(language: Language) -> None:
    """Swap in the components of :data:`SWAPS`, and numpy's matrix products for every model.

    The components keep the stock ones' rules and tables. BLAS is limited to one thread for
    the whole process (see the module).
    """
    for name, factory in SWAPS.items():
        saved = language.get_pipe(name).to_bytes()  # type: ignore[attr-defined]
        language.replace_pipe(name, factory).from_bytes(saved)  # type: ignore[attr-defined]
    threadpool_limits(limits=1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _, component in language.components:  # the disabled ones too
        model = getattr(component, "model", None)
        if model is not None:
            for layer in model.walk():
                layer.ops = ops
