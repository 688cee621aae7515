r"""Read a web page: the article's lines, its headline, and which lines are the story's own.

trafilatura (Barbaresi 2021) finds the article in the page; :func:`extract` keeps its answer
line by line, as the blocks trafilatura marked (paragraphs, headings, list items, quotes, table
rows) with how much of each is link text, and then sets aside the lines that are the page's
rather than the story's. The extracted lines are the story's text, so every offset still points
into what trafilatura found; only the body leaves lines out.

**Which extraction.** trafilatura with ``favor_precision``: on the 83 English pages of the
project's extraction benchmark it scores a shingle F1 of 0.974 against 0.962 for its default
(``bench/pages.py``), because it leaves out more of the teasers and link lists around an
article. When that finds too little article text, its ``favor_recall`` pass (which brings in
the readability and jusText fallbacks it ships) is tried, then the page's own JSON-LD
``articleBody``, which many publishers fill for search engines but often cut short or write as
HTML, so it comes last. Each pass keeps links, which tell lists and cards from prose, unless
keeping them lost text (:func:`_extraction`).

**Which lines are not the story's.** General rules of a line's shape and of what it says, never
one site's strings; the word lists are :mod:`nutgraf.lexicon`'s (web pages):

* a heading trafilatura marked (subheads, "About the company");
* a line without sentence-final punctuation of up to :data:`_MAX_LABEL_WORDS` words: headlines,
  subheads, related-story links, bylines, datelines, captions, labels;
* a line under :data:`_MIN_WORDS` words ("Keyboard", "Meal 1");
* a line that is mostly link text (a list of links, "More: ...");
* a line opening as the page's own lines do ("READ MORE:", "Related", "Sign up", "Share this"),
  or holding a call to action anywhere ("Click here", "Subscribe to"), a photo credit, or a
  web address; a byline ("By Jane Smith"), a time stamp ("Updated at 1:23 p.m.");
* the headline again, in any of the forms the page gives it.

A page whose lines leave fewer than :data:`MIN_SENTENCES` sentences of article text, or whose
text is mostly links, has no article to trust: :attr:`Article.problem` says why, and reading it
is refused (:class:`~nutgraf.errors.NoArticleError`) rather than summarizing menus.

**The headline** is the first of the page's JSON-LD ``headline``, ``og:title``,
``twitter:title``, trafilatura's title, ``<h1>`` and ``<title>`` that has at least two words and
is not the site's name (a CMS can write its own name, "escenic", into a title tag), with the
site's name taken off its end.

>>> article = extract(
...     "<html><head><title>Floods hit the north | Daily Post</title></head><body><article>"
...     "<h1>Floods hit the north</h1><p>Rain fell on Monday across the north of the country.</p>"
...     "<p>At least 40 homes were flooded in the town, officials said.</p>"
...     "<p>Read more: Storm warning for the weekend</p>"
...     "<p>Roads were closed and schools shut for the rest of the week.</p>"
...     "</article></body></html>",
...     "page",
... )
>>> article.title, [article.text[s:e] for s, e in article.body][2]
('Floods hit the north', 'Roads were closed and schools shut for the rest of the week.')
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from nutgraf import lexicon
from nutgraf.errors import NutgrafError
from nutgraf.read.sentences import split_text

__all__ = ["MIN_SENTENCES", "Article", "extract", "is_furniture"]

MIN_SENTENCES = 3
"""The fewest sentences of article text (of :data:`_MIN_SENTENCE_WORDS` words or more) a page
must give to be summarized: fewer is a teaser, a gallery or a page of links."""

_MAX_LINK_SHARE = 0.5
"""A line, or a whole page, with more of its words than this inside links is links."""

_MAX_LABEL_WORDS = 20
"""The longest line without end punctuation taken for a heading, label or link; past it, a
paragraph that only lacks its point (a cut-off last line) is kept."""

_MAX_TEASER_WORDS = 30
"""The longest line taken for a link to another story when it is mostly link text; past it, a
paragraph a page wrapped whole in a link (a shop's deals) is the story's."""

_MIN_WORDS = 4
_MIN_SENTENCE_WORDS = 6
_MIN_ARTICLE_WORDS = 60
_MAX_BYLINE_WORDS = 10
_MAX_STAMP_WORDS = 12
_HEADLINE_OVERLAP = 0.8
_MIN_LINK_RUN = 3

_LOST_WORDS = 1.1
"""The extraction with links is kept unless the one without has more than this many times its
words: then the links cost text (see :func:`_extraction`)."""

_SEPARATORS = re.compile(r"\s+[|\u2013\u2014-]\s+|\s*\|\s*")
_SPACES = re.compile(r"\s+")
_END = re.compile(rf"[{lexicon.SENTENCE_END_CHARS}][{lexicon.CLOSING_QUOTE_CHARS}»)\]]*$")
_URL = re.compile(r"https?://|www\.\w", re.IGNORECASE)
_BYLINE = re.compile(
    rf"By\s+{lexicon.CAPITALIZED_WORD}(?:,?\s+(?:{lexicon.CAPITALIZED_WORD}"
    rf"|{'|'.join(lexicon.BYLINE_PARTICLES)}))*\W*"
)


def _opening(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Match a line that opens with one of ``phrases``, as whole words."""
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"[\W_]*(?:{alternatives})(?!\w)", re.IGNORECASE)


def _anywhere(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Match any of ``phrases`` inside a line."""
    return re.compile("|".join(re.escape(p) for p in phrases), re.IGNORECASE)


_FURNITURE = _opening(lexicon.PAGE_FURNITURE)
_STAMP = re.compile(
    _opening(lexicon.TIMESTAMP_OPENINGS).pattern
    + rf"\W*(?:at|on)?\s*(?:\d|{'|'.join(lexicon.MONTH_AND_DAY_ABBREVIATIONS)})",
    re.IGNORECASE,
)
_CALL = _anywhere(lexicon.CALLS_TO_ACTION)
_CREDIT = _anywhere(lexicon.PHOTO_CREDITS)

# trafilatura's XML: the elements inside a line (the rest break lines), links and headings.
_CELL = "cell"
_INLINE = frozenset({"hi", "ref", "del", "graphic", _CELL})
_HEADING = "head"
_LINK = "ref"


@dataclass(frozen=True, slots=True)
class Article:
    """What a page gives to read: its text, the spans of its story's lines, its headline.

    ``text`` is every line extracted, one a line; ``body`` the ``(start, end)`` spans of those
    that are the story's; ``problem`` says why the page has no article text to trust, and is
    ``None`` when it has.
    """

    text: str
    body: list[tuple[int, int]]
    title: str | None
    problem: str | None


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    heading: bool
    words: int
    linked: int


def extract(page: str, where: str) -> Article:
    """Extract the article of the HTML ``page``; see the module's description.

    Raises:
        NutgrafError: trafilatura cannot be imported (a package it needs is missing).

    """
    try:
        import trafilatura  # imported here: it costs ~0.25 s and only HTML needs it
    except ImportError as error:
        raise NutgrafError(
            f"{where}: reading HTML needs a package this installation lacks ({error}); "
            "reinstall nutgraf with a current pip: pip install -U pip && pip install -U nutgraf"
        ) from error
    meta = _Metadata.read(page)
    first: Article | None = None
    for favor in ("precision", "recall"):
        document, body = _extraction(trafilatura, page, favor)
        lines = list(_block_lines(_without_link_runs(body))) if body is not None else []
        if favor == "precision":
            meta = meta.with_title(getattr(document, "title", None))
        article = _article(lines, meta)
        if article.problem is None:
            return article
        first = first or article
    if meta.article_body:
        lines = [
            _Line(text, False, len(_words(text)), 0) for text in _text_lines(meta.article_body)
        ]
        article = _article(lines, meta)
        if article.problem is None:
            return article
    assert first is not None
    return first


def _extraction(trafilatura: Any, page: str, favor: str) -> tuple[Any, Any]:
    """Return trafilatura's document and its body, with links marked where that loses nothing.

    Links tell the page's lists and cards from prose, but on some pages trafilatura's
    extraction with links loses the text before a link and the space after it ("CNBC
    reportedthat ...", the sentence's first half gone). Where a link is glued to the word after
    it, the page is extracted again without links, and that body is taken, unmarked, when it
    has a tenth more words.
    """

    def extracted(links: bool) -> tuple[Any, Any]:
        document = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_links=links,
            include_formatting=False,
            favor_precision=favor == "precision",
            favor_recall=favor == "recall",
        )
        return document, getattr(document, "body", None)

    document, body = extracted(True)
    if body is None or not any(
        _glued(link.text or "", link.tail or "") for link in body.iter(_LINK)
    ):
        return document, body
    plain, unlinked = extracted(False)
    if unlinked is not None and _word_count(unlinked) > _LOST_WORDS * _word_count(body):
        return plain, unlinked
    return document, body


def _glued(before: str, after: str) -> bool:
    """Whether two runs of a line, a link's and the text beside it, meet word to word."""
    return before[-1:].isalnum() and after[:1].isalnum()


def _word_count(body: Any) -> int:
    return len(lexicon.WORD.findall("".join(body.itertext())))


def is_furniture(line: str) -> bool:
    """Whether a line says what only a page says: links, sign-ups, credits, stamps, bylines.

    The rules of what a line says, without those of its shape, for text saved from a page.

    >>> is_furniture("READ MORE: China plague outbreak confirmed")
    True
    >>> is_furniture("Read the full report, which runs to 300 pages, before the vote.")
    False
    """
    words = len(lexicon.WORD.findall(line))
    return bool(
        _FURNITURE.match(line)
        or _CALL.search(line)
        or _CREDIT.search(line)
        or (_URL.search(line) and words <= _MAX_LABEL_WORDS)
        or (_BYLINE.fullmatch(line) and words <= _MAX_BYLINE_WORDS)
        or (_STAMP.match(line) and words <= _MAX_STAMP_WORDS)
    )


def is_label(line: str) -> bool:
    """Whether a line is shaped as a label: short, with no sentence-final punctuation.

    Before a story's first sentence such a line is a headline, kicker, byline or dateline.

    >>> is_label("Storm knocks out power to 200,000 homes in Oregon")
    True
    >>> is_label("A storm knocked out power to 200,000 homes on Monday.")
    False
    """
    return _END.search(line) is None and len(_words(line)) <= _MAX_LABEL_WORDS


def _article(lines: list[_Line], meta: _Metadata) -> Article:
    """Join the lines into the story's text and keep the spans of the story's own lines.

    The story starts at the first line that ends as a sentence: short lines without end
    punctuation before it are labels (the headline again, a kicker, a byline, a dateline).
    After it such a line is as likely the story's own list item or table row (tour dates,
    scores) as furniture, and only the other rules set it aside.
    """
    text = "\n".join(line.text for line in lines)
    headlines = [_words(h) for h in meta.headlines()]
    first = next((i for i, line in enumerate(lines) if _ends(line) and not line.heading), 0)
    body: list[tuple[int, int]] = []
    start = 0
    for i, line in enumerate(lines):
        end = start + len(line.text)
        label = i < first and is_label(line.text)
        if not label and _is_story_line(line, headlines):
            body.append((start, end))
        start = end + 1
    return Article(text, body, meta.title(), _problem(lines, text, body))


def _ends(line: _Line) -> bool:
    """Whether a line ends as a sentence does, with its point or mark (closing quotes allowed)."""
    return _END.search(line.text) is not None


def _is_story_line(line: _Line, headlines: list[list[str]]) -> bool:
    """Whether a line may be a sentence of the story, by the rules of the module's description."""
    words = _words(line.text)
    if line.heading or len(words) < _MIN_WORDS:
        return False
    if line.linked > _MAX_LINK_SHARE * line.words and len(words) <= _MAX_TEASER_WORDS:
        return False
    return not is_furniture(line.text) and not any(_same(words, h) for h in headlines)


def _problem(lines: list[_Line], text: str, body: list[tuple[int, int]]) -> str | None:
    """Why the lines hold no article text to trust, or ``None`` when they do."""
    if not lines:
        return "nothing in it reads as an article"
    sentences = sum(
        len(_words(text[s:e])) >= _MIN_SENTENCE_WORDS
        for start, end in body
        for s, e in split_text(text[start:end])
    )
    if (
        sentences >= MIN_SENTENCES
        or sum(len(_words(text[s:e])) for s, e in body) >= _MIN_ARTICLE_WORDS
    ):
        return None
    found = "no sentence" if sentences == 0 else f"only {sentences} sentence"
    plural = "s" if sentences > 1 else ""
    words = sum(line.words for line in lines)
    linked = sum(line.linked for line in lines)
    links = (
        f" ({linked / words:.0%} of its words are links, as in a menu or an index page)"
        if linked > _MAX_LINK_SHARE * words
        else ""
    )
    return f"{found}{plural} of article text{links}; a story needs at least {MIN_SENTENCES}"


def _same(words: list[str], headline: list[str]) -> bool:
    """Whether a line says the headline again: nearly the same words, either way round."""
    if not headline:
        return False
    shared = len(set(words) & set(headline))
    return shared >= _HEADLINE_OVERLAP * max(len(set(words)), len(set(headline)))


def _words(text: str) -> list[str]:
    return lexicon.WORD.findall(text.lower())


def _without_link_runs(body: Any) -> Any:
    """Keep only the first of :data:`_MIN_LINK_RUN` or more links run together in a line.

    Links side by side with nothing but spaces between are no prose: they are a card the page
    shows over a name (the name, then the person's full name and headlines of other stories),
    or a list of tags, written into the paragraph's text. The first link is the paragraph's own
    word and stays; the rest are taken out, so "Gov. Kristi NoemKristi Lynn NoemSouth Dakota
    governor doubles down... MORE (R) is defending" reads "Gov. Kristi Noem (R) is defending".
    """
    for parent in list(body.iter()):
        children = list(parent)
        start = 0
        while start < len(children):
            stop = start
            while (
                children[stop].tag == _LINK
                and stop + 1 < len(children)
                and children[stop + 1].tag == _LINK
                and not (children[stop].tail or "").strip()
            ):
                stop += 1
            if stop - start + 1 >= _MIN_LINK_RUN:
                children[start].tail = children[stop].tail
                for child in children[start + 1 : stop + 1]:
                    parent.remove(child)
            start = stop + 1
    return body


def _block_lines(body: Any) -> Iterator[_Line]:
    """Yield the lines of trafilatura's XML body: one per block, and more where it breaks lines.

    Every element but the inline ones (:data:`_INLINE`) starts and ends a line, so that text
    directly inside a list or a quote is a line of its own; a table's cells share their row's.
    """
    parts: list[tuple[str, bool, bool]] = []
    for run in _runs(body, linked=False, heading=False):
        if run is not _BREAK_RUN:
            parts.append(run)
            continue
        line = _SPACES.sub(" ", _joined(parts)).strip()
        if line:
            counted = [(len(lexicon.WORD.findall(t)), linked, head) for t, linked, head in parts]
            yield _Line(
                text=line,
                heading=all(head for n, _, head in counted if n),
                words=sum(n for n, _, _ in counted),
                linked=sum(n for n, linked, _ in counted if linked),
            )
        parts = []


_BREAK_RUN = ("\n", False, False)


def _joined(parts: list[tuple[str, bool, bool]]) -> str:
    """Join a line's runs, with a space where a link meets a word with none between them.

    trafilatura drops the space after a link on some pages ("CNBC reportedthat"); a link
    inside a word is rarer than that.
    """
    joined: list[str] = []
    before: tuple[str, bool, bool] | None = None
    for run in parts:
        text, linked, _ = run
        if before is not None and before[1] != linked and _glued(before[0], text):
            joined.append(" ")
        joined.append(text)
        if text:
            before = run
    return "".join(joined)


def _runs(element: Any, *, linked: bool, heading: bool) -> Iterator[tuple[str, bool, bool]]:
    """Yield an element's text in document order, and :data:`_BREAK_RUN` where a line ends.

    Each run of text comes with whether it is inside a link and inside a heading.
    """
    tag = element.tag
    linked = linked or tag == _LINK
    heading = heading or tag == _HEADING
    block = tag not in _INLINE
    if block:
        yield _BREAK_RUN
    elif tag == _CELL:
        yield " ", linked, heading
    if element.text:
        yield element.text, linked, heading
    for child in element:
        if isinstance(child.tag, str):
            yield from _runs(child, linked=linked, heading=heading)
        if child.tail:
            yield child.tail, linked, heading
    if block:
        yield _BREAK_RUN


def _text_lines(text: str) -> list[str]:
    """Return the non-blank lines of a JSON-LD ``articleBody``, its markup (if any) taken off."""
    if "<" in text:
        fragment = etree.fromstring(f"<div>{text}</div>", etree.HTMLParser())
        text = "\n".join(fragment.itertext()) if fragment is not None else ""
    return [line for raw in text.split("\n") if (line := _SPACES.sub(" ", raw).strip())]


@dataclass(frozen=True, slots=True)
class _Metadata:
    """What the page says of itself: its headline in every form it gives, its site's name."""

    candidates: tuple[str, ...]
    site: str | None
    article_body: str | None

    @classmethod
    def read(cls, page: str) -> _Metadata:
        """Read the headline's forms, the site's name and JSON-LD's ``articleBody``."""
        try:
            tree = etree.fromstring(page.encode("utf-8"), etree.HTMLParser(encoding="utf-8"))
        except (etree.LxmlError, ValueError):
            tree = None
        if tree is None:
            return cls((), None, None)
        found = _json_ld(tree)

        def meta(key: str) -> str | None:
            values = tree.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')
            return str(values[0]) if values else None

        def text(path: str) -> str | None:
            nodes = tree.xpath(path)
            return "".join(nodes[0].itertext()) if nodes else None

        forms = (
            found.get("headline"),
            meta("og:title"),
            meta("twitter:title"),
            text("//h1"),
            text("//title"),
        )
        candidates = tuple(
            _SPACES.sub(" ", html.unescape(f)).strip() for f in forms if f and f.strip()
        )
        return cls(candidates, meta("og:site_name"), found.get("articleBody"))

    def with_title(self, title: str | None) -> _Metadata:
        """Add trafilatura's own title as a candidate, after JSON-LD's and og:title."""
        if not title:
            return self
        at = min(2, len(self.candidates))
        candidates = (*self.candidates[:at], title, *self.candidates[at:])
        return _Metadata(candidates, self.site, self.article_body)

    def title(self) -> str | None:
        """Return the headline: the first candidate of two words or more but the site's name."""
        for candidate in self.candidates:
            title = self._without_site(candidate)
            if len(_words(title)) >= 2 and not self._is_site(title):
                return title
        return None

    def headlines(self) -> list[str]:
        """Return every form of the headline, whole and without the site's name."""
        forms = {c for c in self.candidates} | {self._without_site(c) for c in self.candidates}
        return sorted(f for f in forms if len(_words(f)) >= 2 and not self._is_site(f))

    def _is_site(self, text: str) -> bool:
        return self.site is not None and _words(text) == _words(self.site)

    def _without_site(self, title: str) -> str:
        """Take the site's name off the end (or the start) of a title, where the page adds it.

        Without ``og:site_name``, a last part of one or two words ("... - IGN") is taken for
        the site's name.
        """
        separators = list(_SEPARATORS.finditer(title))
        if not separators:
            return title
        first, last = separators[0], separators[-1]
        tail = title[last.end() :]
        if self._is_site(tail) or (self.site is None and len(_words(tail)) <= 2):
            return title[: last.start()]
        if self._is_site(title[: first.start()]):
            return title[first.end() :]
        return title


def _json_ld(tree: Any) -> dict[str, str]:
    """Return the first ``headline`` and ``articleBody`` strings of the page's JSON-LD."""
    found: dict[str, str] = {}
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        todo = [data]
        while todo:
            item = todo.pop()
            if isinstance(item, list):
                todo.extend(reversed(item))
            elif isinstance(item, dict):
                for key in ("headline", "articleBody"):
                    if isinstance(item.get(key), str) and item[key].strip():
                        found.setdefault(key, item[key])
                todo.extend(v for v in item.values() if isinstance(v, list | dict))
    return found
