r"""Read a news story in whatever form it comes and make the :class:`Story` every stage shares.

Five forms, told apart by :func:`detect_format` (from the file name where there is one, else from
the first few kilobytes), so that users never have to say what they are giving:

=========  ======================================================================================
``plain``  text; every non-blank line is a paragraph of the body, but a pasted page's own lines
           and a headline before the first sentence (the title).
``page``   a news page saved as text: headline, a video line, the page's own "Story highlights"
           (the reference), a dateline, then the body with related-story links mixed in.
``story``  a CNN/DailyMail ``.story`` file: body paragraphs, then ``@highlight`` paragraphs.
``html``   a web page; trafilatura (Barbaresi 2021) keeps the article and drops menus and
           footers, :attr:`Story.text` is the text it extracted, and the body leaves out the
           lines that are the page's, not the story's (:mod:`nutgraf.read.html`).
``jsonl``  ``{"id", "article", "highlights", "publisher", "format"}`` rows, the form of the
           project's CNN/DailyMail files; :func:`iter_jsonl` streams a whole corpus.
=========  ======================================================================================

Every form is read in one language, English: a story that is surely in another is refused with
a :class:`~nutgraf.errors.LanguageError` naming it (:mod:`nutgraf.read.language`), unless
``any_language=True``. The check is here, where every story is made, so that the CLI, the
service and a batch (a reject) refuse alike; it reads the text a stage would read (for HTML,
what was extracted) before anything else is refused.

Body spans always index :attr:`Story.text` exactly as given (after UTF-8 decoding), so a
highlight can be traced back to its characters; dropped lines (headline, video line, dateline,
related links) are simply not in the body. Paragraphs are lines: news text puts one paragraph
on a line, and the sentence splitter treats a newline as a hard boundary.

Speed: a JSONL row costs one ``json.loads`` and two linear regex scans (casing and lines), so
ingest runs at thousands of stories a second and never limits the 200+ stories/s pipeline.
trafilatura is imported only for HTML because importing it takes about a quarter of a second.

>>> story = read("Rain fell on Monday.\n\nThe match was called off.")
>>> [story.text[s:e] for s, e in story.body]
['Rain fell on Monday.', 'The match was called off.']
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from nutgraf import lexicon
from nutgraf.errors import (
    DecodeError,
    EmptyStoryError,
    InputFormatError,
    LanguageError,
    MissingInputError,
    NoArticleError,
    NutgrafError,
)
from nutgraf.read import html, language
from nutgraf.story import Casing, Story

__all__ = [
    "FORMATS",
    "detect_casing",
    "detect_format",
    "from_record",
    "iter_jsonl",
    "jsonl_lines",
    "jsonl_records",
    "parse_line",
    "read",
    "read_bytes",
    "read_file",
]

FORMATS = ("plain", "page", "story", "html", "jsonl")

_SUFFIX_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".story": "story",
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".ndjson": "jsonl",
}
_SNIFF_CHARS = 4096
_SNIFF_BYTES = 8192
# Share of control bytes (other than tab, newlines, form feed, escape) above which input is
# binary: text, even in a legacy encoding, has almost none.
_BINARY_SHARE = 0.3
_TEXT_BYTES = bytes([7, 8, 9, 10, 11, 12, 13, 27, *range(0x20, 0x7F), *range(0x80, 0x100)])
_GZIP_MAGIC = b"\x1f\x8b"
# The same control characters, for text that arrives already decoded (the service, the API).
_CONTROL_CHARS = re.compile("[\x00-\x06\x0e-\x1a\x1c-\x1f\x7f]")
# Half of a UTF-16 surrogate pair on its own: JSON's "\ud800" decodes to one, but it is not a
# character, and no UTF-8 output (a response, the store) can hold it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# A trimmed non-blank line: from its first to its last non-space character.
_LINE = re.compile(r"\S(?:[^\n]*\S)?")
_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(r"<(?:head|body|div|p|article|meta|title)[\s>/]", re.IGNORECASE)
_STORY_MARK = re.compile(r"^@highlight\s*$", re.MULTILINE)
_PAGE_MARK = re.compile(r"^\s*story\s+highlights\s*$", re.MULTILINE | re.IGNORECASE)
_PAGE_HEAD_LINES = 12
_MAX_BULLETS = 8
_VIDEO_LINE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?\s*[-\u2013\u2014]\s*Source:.*")
_DATELINE_LINE = re.compile(
    rf"[^\n.?!()]{{0,60}}?(?:{lexicon.CNN_CREDIT}[\s\u2014\u2013-]*"
    rf"|\bCNN\s*(?:{'|'.join(lexicon.DASHES)})\s*)"
)
_SENTENCE_END = re.compile(rf"[.?!\u2026][{lexicon.CLOSING_QUOTE_CHARS})\]]*$")
# Related-story links are headline-like: short and without end punctuation.
_MAX_LINK_WORDS = 12

# Tokens only the tokenized form writes apart: punctuation, clitics, PTB parentheses and quotes.
_PTB_MARKS = re.compile(
    " (?:[,.?!;:]|"
    + "|".join(
        re.escape(mark)
        for mark in (*lexicon.CLITICS, *lexicon.PTB_PARENTHESES, *lexicon.PTB_QUOTES)
    )
    + ") "
)


def read(
    source: str | bytes,
    input_format: str | None = None,
    *,
    where: str = "<input>",
    any_language: bool = False,
) -> Story:
    r"""Read one story from text or bytes.

    >>> read(b"\xef\xbb\xbfHello there.").text
    'Hello there.'

    Args:
        source: The story. Bytes are decoded as UTF-8 (a byte-order mark is fine), once
            gunzipped if they are gzip-compressed (``zcat``-less stdin).
        input_format: One of :data:`FORMATS`; ``None`` detects it with :func:`detect_format`.
            For ``"jsonl"`` the source is one JSON object.
        where: How messages name the input (a path, a line number).
        any_language: Read a story in another language too, rather than refuse it.

    Returns:
        A new :class:`Story` with ``text``, ``body``, ``casing``, ``source_format`` and, where
        the form has them, ``title``, ``reference``, ``id`` and ``publisher``.

    Raises:
        DecodeError: binary input, or bytes that are not UTF-8 (the message gives the offset).
        EmptyStoryError: no text, or nothing left once headline and highlights are taken off.
        InputFormatError: an unknown ``input_format``, or input that is not in that form.
        LanguageError: the story is surely not in English (and ``any_language`` is false).
        NoArticleError: an HTML page with too little article text to trust.

    """
    if isinstance(source, bytes) and source.startswith(_GZIP_MAGIC):
        source = _gunzip(source, where)
    text = _decode(source, where) if isinstance(source, bytes) else _check_text(source, where)
    return _parse(text, input_format or detect_format(text), where, any_language)


def read_file(
    path: str | os.PathLike[str], input_format: str | None = None, *, any_language: bool = False
) -> Story:
    """Read one story from a file; ``.gz`` files are decompressed first.

    The suffix helps detection (``.html``, ``.story``, ``.jsonl``; see :func:`detect_format`).

    Raises:
        MissingInputError: ``path`` does not exist or is a directory.
        DecodeError: the file is binary, a damaged gzip file, or not UTF-8.
        EmptyStoryError: see :func:`read`.
        InputFormatError, LanguageError, NoArticleError: see :func:`read`.

    """
    file = _existing_file(path)
    return read_bytes(
        file.read_bytes(), file.name, input_format, where=str(file), any_language=any_language
    )


def read_bytes(
    data: bytes,
    name: str,
    input_format: str | None = None,
    *,
    where: str = "<input>",
    any_language: bool = False,
) -> Story:
    """Read one story from the bytes of a file called ``name``, gzip-compressed or not.

    The file's own reader, split from :func:`read_file` so that a story can be read where its
    bytes arrive without the file (a corpus folder's story on a Dask worker); the name helps
    detection as in :func:`read_file`.
    """
    if data.startswith(_GZIP_MAGIC):
        data = _gunzip(data, where)
        name = name.removesuffix(".gz")
    text = _decode(data, where)
    return _parse(text, input_format or detect_format(text, name), where, any_language)


def iter_jsonl(path: str | os.PathLike[str]) -> Iterator[tuple[int, Story | NutgrafError]]:
    r"""Stream a JSONL (or JSONL.gz) corpus one story at a time, in constant memory.

    A bad line does not stop the corpus: it comes back as ``(line_number, error)`` in place of
    a story, its message naming the file and line, so a batch can log it and go on (the way
    trafilatura returns ``None`` for a failing page). Blank lines are skipped.

    >>> import tempfile, pathlib
    >>> corpus = pathlib.Path(tempfile.mkdtemp()) / "c.jsonl"
    >>> _ = corpus.write_text('{"article": "It rained."}\n[1]\n')
    >>> [(n, type(x).__name__) for n, x in iter_jsonl(corpus)]
    [(1, 'Story'), (2, 'InputFormatError')]

    Raises:
        MissingInputError: at once, when ``path`` does not exist or is a directory.
        DecodeError: while iterating, when the file (a gzip stream, say) is damaged.

    """
    file = _existing_file(path)
    return (
        (number, parse_line(raw, f"{file}, line {number}")) for number, raw in jsonl_lines(file)
    )


def jsonl_lines(path: str | os.PathLike[str]) -> Iterator[tuple[int, bytes]]:
    """Stream the non-blank lines of a JSONL(.gz) file, unparsed, with their 1-based numbers.

    gzip is told by its magic bytes, not the name. Lines stay bytes so that a reader that
    hands them to other processes (:mod:`nutgraf.read.corpus`) never decodes them itself.

    Raises:
        MissingInputError: at once, when ``path`` does not exist or is a directory.
        DecodeError: while iterating, when the file (a gzip stream, say) is damaged.

    """
    file = _existing_file(path)
    with file.open("rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    return _iter_lines(file, compressed)


T = TypeVar("T")


def jsonl_records(
    path: str | os.PathLike[str], build: Callable[[Any], T], *, what: str, needs: str
) -> Iterator[T]:
    """Yield ``build`` of each JSON line of a JSONL(.gz) file: the reader of annotated data.

    A line that is not valid UTF-8 or JSON, or that ``build`` cannot read (a field missing or
    of the wrong type), is an :class:`InputFormatError` naming the file and line: "not
    ``what`` (the error); each line needs ``needs``".
    """
    for number, raw in jsonl_lines(path):
        try:
            value = build(json.loads(raw.decode("utf-8")))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise InputFormatError(
                f"{path}:{number}: not {what} ({error}); each line needs {needs}"
            ) from error
        yield value


def from_record(record: dict[str, object], where: str, *, any_language: bool = False) -> Story:
    r"""Make a story from one JSONL row: ``article`` is required, the other fields optional.

    ``highlights`` (one per line) becomes the reference; ``format`` gives the casing
    (``"cased"`` or ``"lowercased-tokenized"``), which is detected when the field is absent.

    >>> story = from_record({"article": "a man , 35 , was held .", "highlights": "held .\n"}, "x")
    >>> story.casing.value, story.reference
    ('lowercased-tokenized', ['held .'])

    Raises:
        InputFormatError: ``article`` missing, or a field that is not a string.
        EmptyStoryError: ``article`` is blank.
        LanguageError: ``article`` is surely not in English (and ``any_language`` is false).

    """
    fields: dict[str, str | None] = {}
    for key in ("article", "id", "highlights", "publisher", "format"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputFormatError(
                f'{where}: field "{key}" is {_JSON_KINDS.get(type(value), "not text")}, not a '
                "string; write it as a JSON string"
            )
        fields[key] = value
    article = fields["article"]
    if article is None:
        raise InputFormatError(
            f'{where}: the record has no "article" field; each JSONL row needs the story text '
            'as {"article": "..."}'
        )
    if not article.strip():
        raise EmptyStoryError(f'{where}: "article" is empty; give the story text')
    if not any_language:
        _require_english(article, where)
    casing = _casing_field(fields["format"], where) or detect_casing(article)
    highlights = fields["highlights"] or ""
    return Story(
        text=article,
        body=_lines(article),
        id=fields["id"],
        publisher=fields["publisher"],
        source_format="jsonl",
        casing=casing,
        reference=[line.strip() for line in highlights.split("\n") if line.strip()],
    )


def detect_format(text: str, name: str | None = None) -> str:
    r"""Tell which of :data:`FORMATS` ``text`` is in, from the file ``name`` or the content.

    The suffix decides when it is telling (``.html``/``.htm``, ``.story``, ``.jsonl``/
    ``.json``, after any ``.gz``); else a leading ``{`` means JSONL, a doctype or HTML tags
    mean HTML, an ``@highlight`` line means a ``.story`` file, and a "Story highlights" line in
    the first lines means a saved news page. Anything else is plain text.

    >>> detect_format("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    'html'
    >>> detect_format("Headline\nStory highlights\nA bullet\n\nBody.")
    'page'
    """
    if name is not None:
        suffix = Path(name.lower().removesuffix(".gz")).suffix
        if suffix in _SUFFIX_FORMATS:
            return _SUFFIX_FORMATS[suffix]
    head = text[:_SNIFF_CHARS].lstrip()
    if head.startswith("{"):
        return "jsonl"
    if _HTML_START.match(head) or (head.startswith("<") and _HTML_TAG.search(head)):
        return "html"
    if _STORY_MARK.search(text):
        return "story"
    first_lines = "\n".join(text[:_SNIFF_CHARS].split("\n", _PAGE_HEAD_LINES)[:_PAGE_HEAD_LINES])
    if _PAGE_MARK.search(first_lines):
        return "page"
    return "plain"


def detect_casing(text: str) -> Casing:
    """Tell See et al.'s lower-cased PTB tokens from ordinary text.

    Tokenized text has no upper-case letter and separates punctuation and clitics from words
    (``" , "``, ``" . "``, ``" 's "``, ``"-lrb-"``); lower-case text without those marks, a
    tweet say, is still ordinary cased text.

    >>> detect_casing("the man , 35 , said he 's fine .").value
    'lowercased-tokenized'
    >>> detect_casing("the man said he's fine.").value
    'cased'
    """
    if text.islower() and _PTB_MARKS.search(text):
        return Casing.TOKENIZED
    return Casing.CASED


def _parse(text: str, input_format: str, where: str, any_language: bool) -> Story:
    """Build the story from decoded ``text`` in the given form, refusing other languages."""
    if input_format not in FORMATS:
        raise InputFormatError(
            f"{where}: unknown input format {input_format!r}; use one of {', '.join(FORMATS)}, "
            "or leave it out to detect it"
        )
    if not text.strip():
        raise EmptyStoryError(f"{where}: the story is empty; give a story with some text")
    if input_format == "jsonl":
        return _parse_jsonl(text, where, any_language)
    if input_format == "html":
        return _parse_html(text, where, any_language)
    if not any_language:
        _require_english(text, where)
    if input_format == "page":
        return _parse_page(text, where)
    if input_format == "story":
        return _parse_story(text, where)
    return _parse_plain(text, where)


def _parse_plain(text: str, where: str) -> Story:
    """Read plain text: every line a paragraph, but the lines a page says of itself.

    Text pasted from a web page brings its "READ MORE: ..." and sign-up lines along
    (:func:`nutgraf.read.html.is_furniture`); those are left out of the body, as they are when
    the page is read whole. So are the labels before the first line that ends as a sentence
    (:func:`nutgraf.read.html.is_label`), as on a page: the first of them is the headline a
    paste brings along. A story on one line is all body: a whole story is no such line.
    """
    lines = _lines(text)
    title = None
    if len(lines) > 1:
        lines = [span for span in lines if not html.is_furniture(text[span[0] : span[1]])]
        first = next((i for i, (s, e) in enumerate(lines) if not html.is_label(text[s:e])), 0)
        opening = text[lines[0][0] : lines[0][1]]
        if first and not _goes_on(opening, text[lines[1][0] : lines[1][1]]):
            title, lines = opening, lines[first:]
    return Story(
        text=text,
        body=_nonempty(lines, where),
        title=title,
        source_format="plain",
        casing=detect_casing(text),
    )


def _goes_on(line: str, after: str) -> bool:
    """Whether a line is the start of a sentence or paragraph the next line carries on.

    Hard-wrapped text ("... in Oregon on" / "Monday, officials said.") and an introduction
    ("... said on Monday:") are no headline.
    """
    words = line.split()
    return (
        line.rstrip()[-1:] in (":", ",", ";")
        or after[:1].islower()
        or (bool(words) and words[-1] in lexicon.STOP_WORDS)  # "... in Oregon on" / "Monday"
    )


def _require_english(text: str, where: str) -> None:
    """Refuse a story that is surely not in English (:func:`nutgraf.read.language.foreign`)."""
    found = language.foreign(text)
    if found is not None:
        raise LanguageError(
            f"{where}: this story is in {found.name} ({found.code}); nutgraf reads English only;"
            " pass --any-language (any_language in the service and the API) to run anyway"
        )


def _parse_page(text: str, where: str) -> Story:
    """Read a news page saved as text: headline, highlights block, dateline, body.

    Lines between the headline and "Story highlights" (the video line, an "Updated" stamp) are
    page furniture. Inside the body, video lines, the page's own lines ("READ MORE: ...",
    sign-ups; :func:`nutgraf.read.html.is_furniture`) and related-story links are dropped,
    except that the last paragraph is kept even when it looks like a link: a saved page is
    often cut off mid-sentence.
    """
    lines = _lines(text)
    mark = next(
        (i for i, (s, e) in enumerate(lines[:_PAGE_HEAD_LINES]) if _PAGE_MARK.match(text, s, e)),
        None,
    )
    bullets, body_start = ([], 1) if mark is None else _bullets(text, lines, mark + 1)
    rest = lines[body_start:]
    body = [
        span
        for i, span in enumerate(rest)
        if not _VIDEO_LINE.fullmatch(text, *span)
        and not html.is_furniture(text[span[0] : span[1]])
        and (i == len(rest) - 1 or not _is_related_link(text, span))
    ]
    first, first_end = lines[0]
    return Story(
        text=text,
        body=_nonempty(body, where),
        title=text[first:first_end],
        source_format="page",
        casing=detect_casing(text),
        reference=[text[s:e] for s, e in bullets],
    )


def _bullets(
    text: str, lines: list[tuple[int, int]], start: int
) -> tuple[list[tuple[int, int]], int]:
    """Return the highlight bullets from line ``start`` on, and the line where the body starts.

    The bullets run to the dateline line ("CNN  —") when one follows closely; else, while
    lines lack end punctuation, as highlight bullets do and body paragraphs do not.
    """
    window = range(start, min(len(lines), start + _MAX_BULLETS + 1))
    for i in window:
        if _DATELINE_LINE.fullmatch(text, *lines[i]):
            return lines[start:i], i + 1
    end = start
    while end < window.stop and not _ends_sentence(text, lines[end]):
        end += 1
    return lines[start:end], end


def _ends_sentence(text: str, span: tuple[int, int]) -> bool:
    """Whether the line ends with sentence-final punctuation (closing quotes allowed)."""
    return _SENTENCE_END.search(text[span[0] : span[1]]) is not None


def _is_related_link(text: str, span: tuple[int, int]) -> bool:
    """Tell a link to another story: a short capitalized line without end punctuation."""
    line = text[span[0] : span[1]]
    return line[0].isupper() and line[-1].isalnum() and len(line.split()) <= _MAX_LINK_WORDS


def _parse_story(text: str, where: str) -> Story:
    """Read a CNN/DailyMail ``.story`` file: body, then ``@highlight`` blocks."""
    body: list[tuple[int, int]] = []
    reference: list[list[str]] = []
    for start, end in _lines(text):
        line = text[start:end]
        if line == "@highlight":
            reference.append([])
        elif reference:
            reference[-1].append(line)
        else:
            body.append((start, end))
    return Story(
        text=text,
        body=_nonempty(body, where),
        source_format="story",
        casing=detect_casing(text),
        reference=[" ".join(parts) for parts in reference if parts],
    )


def _parse_html(text: str, where: str, any_language: bool) -> Story:
    """Read a web page: the article's lines are the text, the story's own lines the body.

    The language is told from all the lines extracted, before a page is refused for want of
    article text, so that a page in another language is named as such.
    """
    article = html.extract(text, where)
    if not article.text.strip():
        raise NoArticleError(
            f"no article text found in this page: nothing in it reads as an article ({where});"
            " if it has one, save the article as text and read it as plain text"
        )
    if not any_language:
        _require_english(article.text, where)
    if article.problem is not None:
        raise NoArticleError(
            f"no article text found in this page: {article.problem} ({where}); if it has an"
            " article, save its text and read it as plain text"
        )
    return Story(
        text=article.text,
        body=article.body,
        title=article.title,
        source_format="html",
        casing=detect_casing(article.text),
    )


def _parse_jsonl(text: str, where: str, any_language: bool) -> Story:
    """Read one JSON object as one story."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":
            raise InputFormatError(
                f"{where}: holds more than one JSON record, where one story was expected; "
                "run a corpus with `nutgraf batch` (in Python, nutgraf.read.ingest.iter_jsonl)"
            ) from None
        raise InputFormatError(
            f"{where}: not valid JSON ({_json_problem(error)} at line {error.lineno}, column "
            f"{error.colno}); fix the record or give the story as plain text"
        ) from None
    return from_record(_object(record, where), where, any_language=any_language)


def _iter_lines(file: Path, compressed: bool) -> Iterator[tuple[int, bytes]]:
    """Yield each non-blank line; see :func:`jsonl_lines`."""
    number = 0
    try:
        with gzip.open(file, "rb") if compressed else file.open("rb") as lines:
            for number, raw in enumerate(lines, 1):
                if raw.strip():
                    yield number, raw
    except (OSError, EOFError, zlib.error) as error:
        raise DecodeError(
            f"{file}: reading stopped after line {number} ({error}); the file is damaged, "
            "re-create or re-download it"
        ) from None


def parse_line(raw: bytes, where: str, *, any_language: bool = False) -> Story | NutgrafError:
    """Parse one JSONL line into a story, or return (not raise) the error that names it.

    Returned rather than raised so that a corpus reader can pass a bad line on as a reject
    and go on with the next.
    """
    try:
        record = json.loads(raw.rstrip(b"\r\n"))  # the newline is no part of the record
        return from_record(_object(record, where), where, any_language=any_language)
    except UnicodeDecodeError as error:
        return DecodeError(
            f"{where}: not valid UTF-8 at byte {error.start} of the line; re-save the file as UTF-8"
        )
    except json.JSONDecodeError as error:
        return InputFormatError(
            f"{where}: not valid JSON ({_json_problem(error)} at column {error.colno}); "
            "fix or remove the line"
        )
    except NutgrafError as error:
        return error


def _json_problem(error: json.JSONDecodeError) -> str:
    """Return the decoder's message without its own trailing "at" ("... starting at")."""
    return error.msg.removesuffix(" at")


def _object(value: object, where: str) -> dict[str, object]:
    """Return ``value`` if it is a JSON object, else raise naming what it is."""
    if not isinstance(value, dict):
        raise InputFormatError(
            f"{where}: a JSON {type(value).__name__} where a story object was expected; "
            'each line must be {"article": "...", ...}'
        )
    return value


def _casing_field(value: str | None, where: str) -> Casing | None:
    """Read the ``format`` field of a JSONL row; ``None`` when absent."""
    if value is None:
        return None
    try:
        return Casing(value)
    except ValueError:
        allowed = ", ".join(repr(c.value) for c in Casing)
        raise InputFormatError(
            f'{where}: unknown "format" {value!r}; use {allowed} or leave it out to detect it'
        ) from None


def _lines(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of ``text``, trimmed of surrounding whitespace."""
    return [match.span() for match in _LINE.finditer(text)]


def _nonempty(body: list[tuple[int, int]], where: str) -> list[tuple[int, int]]:
    """Return ``body``, or raise when nothing is left to summarize.

    Needed because :class:`Story` takes an empty body to mean "all of the text".
    """
    if not body:
        raise EmptyStoryError(
            f"{where}: the story has no body text once its headline, highlights and page "
            "furniture are set aside; give the article text"
        )
    return body


def _existing_file(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a :class:`Path`, or raise a message about what is wrong with it."""
    file = Path(path)
    if file.is_dir():
        raise MissingInputError(
            f"{file} is a directory; give one story file, or run a folder or a .jsonl corpus "
            "with `nutgraf batch`"
        )
    if not file.is_file():
        raise MissingInputError(f"{file}: no such file; check the path")
    return file


_JSON_KINDS = {
    int: "a number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
}
"""What a JSON value other than a string is, as a message names it."""


def _decode(data: bytes, where: str) -> str:
    """Decode UTF-8 bytes, refusing binary data and naming the first bad byte."""
    sample = data[:_SNIFF_BYTES]
    if b"\x00" in sample or (
        sample and len(sample.translate(None, _TEXT_BYTES)) > _BINARY_SHARE * len(sample)
    ):
        raise DecodeError(
            f"{where}: this is binary data, not text; give a .txt, .html, .story or .jsonl story"
        )
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + skip
        raise DecodeError(
            f"{where}: not valid UTF-8 at byte {offset} ({data[offset : offset + 1]!r}); "
            "re-save the file as UTF-8, e.g. with iconv -f latin1 -t utf-8"
        ) from None


def _check_text(text: str, where: str) -> str:
    """Refuse binary data decoded as text and text that is not Unicode; drop a leading BOM.

    Text gets the checks :func:`_decode` gives bytes (NUL, or mostly control characters), so
    a story is refused alike whether it came as a file or as a string, and lone surrogates are
    refused because nothing downstream could write them out as UTF-8.
    """
    if "\x00" in text:
        raise DecodeError(
            f"{where}: the text holds NUL characters, so it is binary data, not a story"
        )
    sample = text[:_SNIFF_CHARS]
    if len(_CONTROL_CHARS.findall(sample)) > _BINARY_SHARE * len(sample):
        raise DecodeError(f"{where}: this is binary data, not text; give the text of a story")
    if surrogate := _LONE_SURROGATE.search(text):
        raise DecodeError(
            f"{where}: not valid Unicode at character {surrogate.start()} (a lone surrogate,"
            f" U+{ord(surrogate.group()):04X}); send the text as UTF-8"
        )
    return text.removeprefix("\ufeff")


def _gunzip(data: bytes, where: str) -> bytes:
    """Decompress a gzip file read whole, naming it if damaged."""
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise DecodeError(
            f"{where}: a damaged gzip file ({error}); re-create or re-download it"
        ) from None
