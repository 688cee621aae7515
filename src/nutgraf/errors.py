"""The one catalogue of errors nutgraf raises on bad input.

Every message says what is wrong, where, and what to do next, in the manner of spaCy's
``errors.py``. The CLI turns any :class:`NutgrafError` into that message and exit status 2,
with no traceback; the library raises it for callers to catch.
"""

from __future__ import annotations


class NutgrafError(ValueError):
    """Bad input: the message is meant for the person who gave it."""


class EmptyStoryError(NutgrafError):
    """The story has no text to summarize."""


class DecodeError(NutgrafError):
    """The input is binary or not UTF-8."""


class InputFormatError(NutgrafError):
    """The input is not in the form it claims or was detected to be."""


class ModelError(NutgrafError):
    """The model file is missing, damaged, or not fitted."""


class MissingInputError(NutgrafError):
    """The input file does not exist or is not a file."""


class QueryError(NutgrafError):
    """A search the store cannot run: bad full-text syntax, or paging out of range."""


class UnknownStoryError(NutgrafError):
    """No stored story has the id asked for."""


class StoreError(NutgrafError):
    """The database cannot be used: not a nutgraf store, or written by a newer nutgraf."""


class TooLargeError(NutgrafError):
    """The input is over the size limit the service was started with."""


class NoArticleError(NutgrafError):
    """A web page gives too little article text to trust: a teaser, a gallery, a page of links."""


class NoHighlightsError(NutgrafError):
    """No sentence of the story can stand as a highlight: the text is no English news prose."""


class LanguageError(NutgrafError):
    """The story is not in English, the one language nutgraf reads."""
