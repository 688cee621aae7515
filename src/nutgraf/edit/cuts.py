r"""Cuts an editor makes in a sentence to make it a bullet; never a word reworded or added.

:func:`compress` drops what carries no news: a leading discourse marker ("Meanwhile,",
"However,", "But", "And", "Also,"...), a photo reference such as "(pictured)", "(left)" or
", pictured in 2006,", the Daily Mail's ", MailOnline can reveal" and ", it has emerged" at the
end, and "It has emerged that" at the start. A trailing ", according to X." becomes ", X
says." with X kept whole, so the bullet keeps its attribution. It returns the bullet as
:data:`Piece`\ s: ranges of the story's text, and the few strings an edit may insert, which
:func:`pieces_of` writes out.

Every rule is a compiled regular expression over the sentence's text, a few microseconds a
sentence, reading both forms of the data (cased text, and the lowercased PTB tokens with
``-lrb-``, ``\`\``` and ``''``): the rules look at words and punctuation, not at case.

>>> from nutgraf.story import Sentence
>>> text = "Meanwhile, at least 80 people died, according to the group."
>>> story = Story(text, sentences=[Sentence(0, text, 0, len(text), 0)])
>>> pieces = compress(story, story.sentences[0])
>>> pieces
[(11, 36), (49, 58), ' says', (58, 59)]
>>> pieces_of(story, pieces)
'At least 80 people died, the group says.'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nutgraf import lexicon
from nutgraf.story import Casing, Highlight, Sentence, Story

Piece = tuple[int, int] | str
"""A piece of a bullet: a ``(start, end)`` range of :attr:`Story.text`, or an inserted string."""

MARKER = re.compile(
    rf"(?:(?:{'|'.join(lexicon.DISCOURSE_MARKERS)})\s*,"
    rf"|(?:{'|'.join(lexicon.BARE_DISCOURSE_MARKERS)})\b(?!\s*[,.;:!?]))\s*",
    re.IGNORECASE,
)
"""A discourse marker opening a sentence (:data:`nutgraf.lexicon.DISCOURSE_MARKERS`), with its
comma and the space after it."""
_WHEN_EMERGED = (
    r"(?:\s+(?:today|tonight|yesterday|last\s+night|this\s+(?:week|morning|afternoon|evening)|"
    r"last\s+week|on\s+\w+day))?"
)
_MAIL = (
    r"(?:mailonline|daily\s*mail\s+online|the\s+mail\s+on\s+sunday|the\s+daily\s+mail|the\s+mail|"
    r"sportsmail|this\s+newspaper)\s+can\s+(?:now\s+|today\s+|exclusively\s+)?reveal"
)
_EMERGED = (
    rf"it\s+(?:has\s+|had\s+)?(?:now\s+|since\s+|also\s+)?emerged{_WHEN_EMERGED}|"
    r"it\s+can\s+(?:now\s+)?be\s+revealed|it\s+has\s+been\s+revealed"
)
NEWS_OPENING = re.compile(rf"(?:{_EMERGED}|{_MAIL}){_WHEN_EMERGED}\s+that\s+", re.IGNORECASE)
_NEWS_CLOSING = re.compile(rf"\s*,\s*(?:{_EMERGED}|{_MAIL})\s*(?=[.!?]\s*$)", re.IGNORECASE)
# ", pictured in 2006," between commas goes with both of them. Before the full stop only a bare
# ", pictured (left)." goes: in "Smith, pictured shaking hands." the words are the sentence.
_PICTURED = re.compile(
    r"\s*,\s*pictured\b(?:[^,.;:!?\"“”`']{0,60}?\s*,(?=\s)"
    r"|(?:\s+(?:here|above|below|left|right|centre|center))?(?=\s*[.!?]\s*$))",
    re.IGNORECASE,
)
_BRACKETS = re.compile(
    rf"\s*{lexicon.OPENING_PARENTHESIS}\s*(?P<body>[^()]{{1,60}}?)\s*{lexicon.CLOSING_PARENTHESIS}",
    re.IGNORECASE,
)
_PHOTO = re.compile(
    r"(?:pictured|photographed|shown|circled|inset|file\s+(?:photo|picture|image)|"
    r"stock\s+(?:photo|picture|image))\b.*"
    r"|(?:(?:top|bottom|far|second|third|from|centre|center|middle|front|back|main|above|"
    r"below|and|to|-|,)\s*)*(?:left|right|centre|center|above|below|top|bottom|middle|"
    r"main|inset)",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r",\s+(?P<cut>according\s+to\s+)(?P<source>(?:(?!``|'')[^\"“”])+?)\s*[.!?]\s*$",
    re.IGNORECASE,
)
_NOT_A_SOURCE = re.compile(rf"\b(?:{'|'.join(lexicon.CLAUSE_WORDS)})\b", re.IGNORECASE)
_MIN_WORDS = 4
"""A cut that would leave fewer words than this is not made: the sentence stays whole."""


def _source_verb(source: str) -> str:
    """``say`` or ``says``: agree with the source's head noun, that of its last appositive.

    >>> _source_verb("the Local Coordination Committees of Syria, an opposition group")
    'says'
    >>> _source_verb("police and witnesses"), _source_verb("figures from the ministry")
    ('say', 'say')
    >>> _source_verb("the National Snow and Ice Data Center")
    'says'
    """
    segment = [s for s in re.split(r"\s*,\s*", source.lower()) if s][-1].split()
    head = segment
    for at, word in enumerate(segment):
        if word in lexicon.PREPOSITIONS and at:
            head = segment[:at]
            break
    noun = head[-1].rstrip(".")
    plural = (
        ("and" in head and noun not in lexicon.INSTITUTIONS)
        or noun in lexicon.PLURAL_SOURCES
        or (
            head[0] in lexicon.PLURAL_DETERMINERS
            and len(head) > 1
            and noun.endswith("s")
            and not noun.endswith(("ss", "us", "is", "'s", "’s"))
            and noun not in lexicon.SINGULAR_S_NOUNS
        )
    )
    return "say" if plural else "says"


def compress(story: Story, sentence: Sentence) -> list[Piece]:
    """Cut one sentence as an editor would; return the bullet's pieces (see :data:`Piece`).

    Every rule is a regular expression over the sentence's text, so the cost is a few
    microseconds a sentence. A rule applies only where it is safe: the cut leaves at least
    :data:`_MIN_WORDS` words, and a source moved to "X says" holds no clause of its own (no
    "who", "which", "said"...), so the verb added never attaches to the wrong subject.
    """
    text = sentence.text
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in sentence offsets
    start = 0
    while found := MARKER.match(text, start) or NEWS_OPENING.match(text, start):
        start = found.end()
    if start:
        edits.append((0, start, ""))
    closing = _NEWS_CLOSING.search(text)
    according = _ACCORDING.search(text)
    if closing is not None:
        edits.append((closing.start(), closing.end(), ""))
    elif according is not None and _movable(according.group("source")):
        source_end = according.end("source")
        edits.append((according.start("cut"), according.start("source"), ""))
        edits.append((source_end, source_end, " " + _source_verb(according.group("source"))))
    edits += [
        (found.start(), found.end(), "")
        for found in _BRACKETS.finditer(text)
        if _PHOTO.fullmatch(found.group("body").strip())
    ]
    edits += [(found.start(), found.end(), "") for found in _PICTURED.finditer(text)]
    return _apply(sentence, _without_overlaps(edits, text))


def _movable(source: str) -> bool:
    """Whether "according to ``source``" can become "``source`` says": a noun phrase alone.

    It holds no verb or clause word, and what follows a comma is an appositive ("the LCC, an
    opposition group"), not the sentence going on ("Richter, and held at the jail").
    """
    appositives = [part.lower().split() or [""] for part in source.split(",")[1:]]
    return (
        0 < len(source.split()) <= 16
        and _NOT_A_SOURCE.search(source) is None
        and all(len(a) <= 8 and a[0] in lexicon.APPOSITIVE_STARTS for a in appositives)
    )


def _without_overlaps(edits: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """Keep the edits in order of position, dropping any that overlaps one already kept."""
    kept: list[tuple[int, int, str]] = []
    for edit_ in sorted(edits, key=lambda e: (e[0], e[1] - e[0])):
        if kept and edit_[0] < kept[-1][1]:
            continue
        kept.append(edit_)
    removed = sum(len(text[a:b].split()) for a, b, _ in kept)
    return kept if len(text.split()) - removed >= _MIN_WORDS else []


def _apply(sentence: Sentence, edits: list[tuple[int, int, str]]) -> list[Piece]:
    """Turn edits of a sentence into pieces in story offsets."""
    pieces: list[Piece] = []
    at = 0
    for start, end, insert in edits:
        if start > at:
            pieces.append((sentence.start + at, sentence.start + start))
        if insert:
            pieces.append(insert)
        at = max(at, end)
    if at < len(sentence.text):
        pieces.append((sentence.start + at, sentence.end))
    return pieces


def pieces_of(story: Story, pieces: Sequence[Piece]) -> str:
    """Render pieces as bullet text: spans read from the story, inserted strings as they are.

    A cased bullet whose first span does not start its sentence (a marker was cut, a pronoun
    replaced) gets its first letter upper-cased, as a sentence's first word is written.
    """
    text = "".join(story.text[p[0] : p[1]] if isinstance(p, tuple) else p for p in pieces)
    first = pieces[0] if pieces else None
    word = lexicon.ASCII_WORD.match(text)
    if (
        story.casing is Casing.CASED
        and isinstance(first, tuple)
        and all(first[0] != s.start for s in story.sentences)
        and word is not None
        and word.group().islower()  # not "iPhone"
    ):
        text = text[0].upper() + text[1:]
    return text


def pieces_of_highlight(story: Story, highlight: Highlight) -> list[Piece]:
    """Return the pieces a bullet was written from: its spans and the strings between them.

    The inverse of writing a bullet (:func:`pieces_of`, :func:`merged`), for callers that
    hold only the :class:`Highlight`, as training and the compression bench do.

    The editing stage inserts " says" after a moved source and a possessive after a name;
    they are what the text holds between its spans, and inference sees them, so the labels
    and features read them too. A cased bullet's first letter may be upper-cased, so the
    spans are found regardless of case.
    """
    pieces: list[Piece] = []
    text = highlight.text.lower()
    at = 0
    for start, end in highlight.spans:
        found = text.find(story.text[start:end].lower(), at)
        if found < 0:  # not as the editing writes bullets: the spans alone
            return list(highlight.spans)
        if found > at:
            pieces.append(highlight.text[at:found])
        pieces.append((start, end))
        at = found + end - start
    if at < len(text):
        pieces.append(highlight.text[at:])
    return pieces


def merged(pieces: Sequence[Piece]) -> tuple[tuple[int, int], ...]:
    """Return the spans of the pieces, joining neighbours that no inserted string separates."""
    spans: list[tuple[int, int]] = []
    joinable = False
    for piece in pieces:
        if isinstance(piece, str):
            joinable = False
            continue
        if joinable and spans[-1][1] == piece[0]:
            spans[-1] = (spans[-1][0], piece[1])
        else:
            spans.append(piece)
        joinable = True
    return tuple(spans)
