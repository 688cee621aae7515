"""Split a story's body into sentences, the way a news editor counts them.

:func:`split` fills :attr:`Story.sentences` with one :class:`Sentence` per sentence of the body,
each with its character span in :attr:`Story.text` (``text[start:end] == sentence.text``), and
gives byline, timestamp and dateline fragments ``position = -1`` so that "the first sentence"
means the lead, not "By . Jane Smith .".

Why a regex splitter with an abbreviation table, and not spaCy, pysbd or NLTK's punkt: the
selector reads 200+ stories a second on one CPU core and the splitter must keep well under a
millisecond per story; spaCy's parser and pysbd's rule cascade are one to two orders of magnitude
slower, and punkt needs downloaded parameters. News text is also narrow enough for rules to
win: a handful of abbreviations (``U.S.``, ``Gen.``, ``Sept.``), initials and ``a.m.`` cause
nearly all false splits, and the two forms of the CNN/DailyMail data need different rules
anyway (Nallapati et al. 2016; See et al. 2017). Every step is a compiled regex that scans the
text once, plus a few dictionary look-ups per candidate boundary, so time grows linearly with
the input.

The rules, cased text (:attr:`Casing.CASED`):

* A sentence ends at ``.``, ``?``, ``!``, ``...`` or ``…``, with any closing quotes or
  brackets after it (``He said "no." Then``), when whitespace and an upper-case letter, a digit
  or an opening quote follow. Decimals and times (``3.5``, ``10:30``) have no space after the
  point and never split; neither do dashes.
* After a period, the word before it decides. Titles, months and reference words
  (``Mr.``, ``Gen.``, ``Sept.``, ``No.``, ``v.``) never end a sentence. Words that may end one
  (``U.S.``, ``a.m.``, ``Inc.``, ``Jr.``, single initials as in ``J.K. Rowling``) end it only
  when the next word is one that starts sentences (``The``, ``He``, ``But``...): ``the U.S.
  Army`` stays whole, ``in the U.S. He said`` splits.
* A period with no space after it ends a sentence where a word of three lower-case letters or
  more comes before it and a capitalized word after (``a chief physician.Police arrested``):
  saved pages lose the space between paragraphs. Decimals, ``U.S.Army`` and ``Mr.Smith`` stay.
* A newline always ends a sentence: ingest gives one paragraph per line, so hard-wrapped text
  should be unwrapped first.
* A dateline at the start of a paragraph (``(CNN)``, ``LONDON, England (CNN) --``,
  ``(EW.com) --``, ``NEW YORK —``) is not part of the first sentence; a paragraph that is
  only a dateline becomes a fragment of its own.

Tokenized text (:attr:`Casing.TOKENIZED`, See et al.'s lower-cased PTB tokens) ends a sentence
at a standalone ``.``, ``?`` or ``!`` token, taking a following closing quote token with it
(``''`` always; ``'`` or ``"`` when the sentence has an odd number of them, that is an open
quotation). ``u.s.`` and ``u.n.`` are single tokens and never split. Where the cased rules would
read a capital, these read words: a quotation's ``?`` or ``!`` followed by its speaker (``" why
? '' he asked .``) or a dash does not end the sentence, as a lower-case word or a dash after it
does not in cased text. A cased line with no capital at all (lowercased text, or the tokenized
form spaced as prose) is split by the cased rules reading the same words.

Failure modes, by design: a sentence that ends in an abbreviation followed by a name
(``...moved to the U.S. Obama said``) stays joined; tokenized text loses the line breaks of the
original, so the preprocessing's stray `` . `` inside a sentence splits it.

>>> from nutgraf.story import Story
>>> story = split(Story(text="(CNN)Gen. Smith arrived at 10 a.m. He spoke. It rained."))
>>> [s.text for s in story.sentences]
['Gen. Smith arrived at 10 a.m.', 'He spoke.', 'It rained.']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from itertools import islice

from nutgraf import lexicon
from nutgraf.story import Casing, Sentence, Story

__all__ = ["split", "split_text"]

Splitter = Callable[[str], list[tuple[int, int]]]

# A sentence-final punctuation run, possessive and anchored at its first character so that a
# long run of dots is scanned once, not once per starting position.
# Quotation marks of cased text that open or close a sentence, guillemets too.
_OPENING_QUOTES = lexicon.OPENING_QUOTE_CHARS + lexicon.GUILLEMETS[0]
_CLOSING_QUOTES = lexicon.CLOSING_QUOTE_CHARS + lexicon.GUILLEMETS[1]
_CASED_END = re.compile(
    rf"(?<![.?!\u2026])[.?!\u2026]++[{_CLOSING_QUOTES})\]]*+(?=\s)"
    # a page that left out the space: "a chief physician.Police arrested"
    r"|(?<=[a-z]{3})\.(?!(?:Com|Net|Org|Co)\b)(?=[A-Z][a-z]+\s)"
)
_NEXT_START = re.compile(rf"\s*([{_OPENING_QUOTES}(\[]*+)(\S{{0,24}})")
_TOKEN_BEFORE = re.compile(r"\S{1,40}$")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")
_OPENERS = _OPENING_QUOTES + "(["
# The abbreviation tables (never final, may be final, sentence starters), as written and
# lowercased for lines without capitals. Lowercased, an abbreviation that is also a common word
# ("No." of "No. 1", and "no") may end a sentence: "he was told no. i went" splits.
_CASED_TABLES = (lexicon.NEVER_FINAL, lexicon.MAY_BE_FINAL, lexicon.SENTENCE_STARTERS)
_LOWERED = tuple(frozenset(w.lower() for w in table) for table in _CASED_TABLES)
_UNCASED_TABLES = (
    _LOWERED[0] - lexicon.STOP_WORDS,
    _LOWERED[1] | (_LOWERED[0] & lexicon.STOP_WORDS),
    _LOWERED[2],
)

_TOKENIZED_END = re.compile(r"(?<!\S)[.?!](?:\s++[.?!](?!\S))*+(?!\S)")
_TOKENIZED_CLOSE = re.compile(r"\s+(''|'|\")(?!\S)")
# What follows a quotation's "?" or "!" without starting a sentence, in text that shows no
# capitals: its speaker ("he asked", "said Smith"), or a dash before the one it is credited to.
# Cased text tells these apart by the lower-case word; lowercased text must read the words.
_QUOTE_GOES_ON = re.compile(
    rf"\s*(?:(?:{'|'.join(sorted(lexicon.CREDIT_PRONOUNS))})\s+)?"
    rf"(?:{'|'.join(sorted(lexicon.SPEECH_VERBS))})\b"
)
_QUOTED_CRY = re.compile(rf"[.?!\u2026]*[?!][{_CLOSING_QUOTES}]+")
_DASH_AHEAD = re.compile(rf"\s*(?:{'|'.join(lexicon.DASHES)}|-)(?!\S)")

_LINE = re.compile(r"\S[^\n]*")
_NON_SPACE = re.compile(r"\S")

# Datelines. "(CNN)" may follow any place ("Near the Israel-Gaza border (CNN) --"); any other
# parenthesis after a place must be followed by a dash, so that an opening like "The Federal
# Bureau of Investigation (FBI) said" is never taken for one; a parenthesis that opens the
# paragraph names the source ("(The Hollywood Reporter) Albert...").
_PLACE = rf"(?:(?:[A-Z][\w.'\u2019&-]*|{'|'.join(lexicon.PLACE_PARTICLES)})[,.]?\s+){{1,6}}"
_NAME = lexicon.CAPITALIZED_WORD
# A word of a dateline's place in capitals, as the wires write it: "LONDON —", "NEW YORK --".
_CAPITALS = r"[A-Z][A-Z.'\u2019-]+"
_DASH = rf"(?:{'|'.join(lexicon.DASHES)}|-(?=\s|$))"
_CASED_DATELINE = re.compile(
    rf"[^\n?!()\"\u201c]{{0,80}}?{lexicon.CNN_CREDIT}(?:\s*{_DASH})?\s*"
    rf"|(?:{_PLACE})?\([^()\n]{{1,30}}\)\s*{_DASH}\s*"
    rf"|\([A-Z][^()\n]{{0,30}}\)\s*"
    rf"|(?:{_NAME}\s+){{0,3}}{_NAME},\s+(?:{_NAME}\s+){{0,3}}{_DASH}\s*"
    rf"|(?:{_PLACE})?CNN\s*{_DASH}\s*"
    rf"|{_CAPITALS}(?:\s+{_CAPITALS}){{0,3}}(?:,\s+(?:{_NAME}\s+){{0,3}}{_NAME})?\s*{_DASH}\s*"
)
_LRB, _RRB = lexicon.OPENING_PARENTHESIS, lexicon.CLOSING_PARENTHESIS
_TNAME = r"(?:[a-z][\w.'\u2019-]*|-)"
_TPLACE = r"(?:(?:[a-z][\w.'\u2019&-]*|-|,)\s+){1,9}"
_TOKENIZED_DATELINE = re.compile(
    rf"[^\n?!()\"]{{0,80}}?{_LRB}\s+cnn[\w.]*(?:\s+[a-z]+){{0,2}}\s+{_RRB}"
    rf"(?:\s+--)?\s*"
    rf"|(?:{_TPLACE})?{_LRB}\s+[^()\n]{{1,40}}?\s+{_RRB}\s+--\s*"
    rf"|{_LRB}(?:\s+[\w.+&'\u2019-]+){{1,4}}\s+{_RRB}\s*"
    rf"|(?:{_TNAME}\s+){{1,5}},\s+(?:{_TNAME}\s+){{1,5}}--\s*"
    rf"|cnn\s+--\s*"
)

# Byline preamble, as the Daily Mail pages printed it and the preprocessing split it:
# "By . Jane Smith . PUBLISHED: . 12:01 EST, 3 March 2013 . | . UPDATED: . ...".
_BY_ALONE = re.compile(r"by\s*[.:]?", re.IGNORECASE)
_BY_NAME = re.compile(r"By\s+([^.?!]+?)\s*\.?")
_NAME_WORD = re.compile(rf"{lexicon.CAPITALIZED_WORD},?|{'|'.join(lexicon.BYLINE_PARTICLES)}")
_META = re.compile(
    r"(?:published|updated|posted|created|modified)\s*:|last\s+updated\b|\||follow\s*@"
    r"|\d{1,2}\s*:\s*\d{2}\s*(?:[ap]\.?m\.?\s*)?"
    rf"(?:{'|'.join(lexicon.TIME_ZONES)})\b",
    re.IGNORECASE,
)
_BYLINE_TAIL = re.compile(r"(?:and|for)\s", re.IGNORECASE)
_MAX_NAME_WORDS = 10
_MAX_META_WORDS = 12
_MAX_SHORT_WORDS = 1
_MAX_TAIL_WORDS = 4

MAX_WORDS = 80
"""The most words a sentence may have; a longer run of text is cut into pieces this long or less.

News sentences stay under it (99.9% of CNN/DailyMail's have 75 words or fewer), but text with
no sentence punctuation (a transcript, a list, a page read badly) would otherwise be one
"sentence" of thousands of words, and so one bullet of thousands of words."""

_WORD = re.compile(r"\S+")
_BREAK = re.compile(r"[;:](?=\s)|\s[\u2013\u2014-]+(?=\s)|,(?=\s)")


def split(story: Story, splitter: Splitter | None = None) -> Story:
    """Fill ``story.sentences`` from its body spans and return the same story.

    >>> s = split(Story(text="By . Jane Smith . Rain fell. Fans left."))
    >>> [(x.text, x.position) for x in s.sentences]
    [('By .', -1), ('Jane Smith .', -1), ('Rain fell.', 0), ('Fans left.', 1)]

    Args:
        story: The story; only ``text``, ``body`` and ``casing`` are read.
        splitter: Maps one paragraph's text to ``(start, end)`` sentence spans within it, like
            scikit-learn's ``tokenizer=``. ``None`` uses :func:`split_text` with the story's
            casing. Spans are trimmed of surrounding whitespace and empty ones dropped, so a
            splitter need not be careful about spaces.

    Returns:
        ``story``, with ``sentences`` replaced.

    Raises:
        ValueError: ``splitter`` returned a span outside its paragraph.

    """
    split_paragraph = splitter or partial(split_text, casing=story.casing)
    text = story.text
    spans: list[tuple[int, int]] = []
    for body_start, body_end in story.body:
        paragraph = text[body_start:body_end]
        for start, end in split_paragraph(paragraph):
            if not 0 <= start <= end <= len(paragraph):
                raise ValueError(
                    f"splitter returned span ({start}, {end}) outside a paragraph of "
                    f"{len(paragraph)} characters; spans must index the text it was given"
                )
            piece = paragraph[start:end]
            stripped = piece.strip()
            if stripped:
                first = body_start + start + piece.index(stripped[0])
                spans.extend(_bounded(text, first, first + len(stripped)))
    story.sentences = [
        Sentence(index, text[start:end], start, end, position)
        for index, ((start, end), position) in enumerate(
            zip(spans, _positions([text[s:e] for s, e in spans], story.casing), strict=True)
        )
    ]
    return story


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` into spans of at most :data:`MAX_WORDS` words.

    Each cut falls at the last clause break (a semicolon, colon, dash or comma) in the second
    half of the allowed words, or after the last allowed word when there is none, so that the
    pieces read as clauses where the text has them.

    >>> text = "one, " * 50 + "two " * 60
    >>> [len(text[s:e].split()) for s, e in _bounded(text, 0, len(text.strip()))]
    [50, 60]
    """
    if end - start < 2 * MAX_WORDS or len(text[start:end].split()) <= MAX_WORDS:
        return [(start, end)]
    spans: list[tuple[int, int]] = []
    while True:
        words = list(islice(_WORD.finditer(text, start, end), MAX_WORDS + 1))
        if len(words) <= MAX_WORDS:
            spans.append((start, end))
            return spans
        last = words[MAX_WORDS - 1].end()
        breaks = [
            match.end() for match in _BREAK.finditer(text, words[MAX_WORDS // 2].start(), last)
        ]
        cut = breaks[-1] if breaks else last
        spans.append((start, cut))
        start = next(word.start() for word in words if word.start() >= cut)


def split_text(text: str, casing: Casing = Casing.CASED) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` spans of the sentences of ``text``, trimmed of whitespace.

    This is the default ``splitter`` of :func:`split`, bound to the story's casing.

    >>> text = 'Dr. Who met J.K. Rowling at 3.5 p.m. Monday. "Hi." She left!'
    >>> [text[s:e] for s, e in split_text(text)]
    ['Dr. Who met J.K. Rowling at 3.5 p.m. Monday.', '"Hi."', 'She left!']
    """
    split_line = _split_tokenized if casing is Casing.TOKENIZED else _split_cased
    dateline = _dateline(casing)
    spans: list[tuple[int, int]] = []
    for number, line in enumerate(_LINE.finditer(text)):
        start = line.start()
        end = start + len(line.group().rstrip())
        if number == 0:
            start = _skip_dateline(text, start, end, dateline, casing, spans)
        if start < end:
            split_line(text, start, end, spans)
    return spans


def _skip_dateline(
    text: str,
    start: int,
    end: int,
    dateline: re.Pattern[str],
    casing: Casing,
    spans: list[tuple[int, int]],
) -> int:
    """Return where the first sentence starts once a leading dateline is passed over.

    A line that is nothing but a dateline is kept as one fragment (``spans`` gets it and the
    line is done). In cased text, a match that is not CNN's own "(CNN)" counts only when a
    sentence start follows it: "(FBI) agents said" is no dateline.
    """
    match = dateline.match(text, start, end)
    if match is None:
        return start
    rest = match.end()
    if rest >= end:
        spans.append((start, end))
        return end
    first = text[rest]
    if (
        casing is Casing.CASED
        and "CNN" not in match.group()
        and not (first.isupper() or first.isdigit() or first in _OPENERS)
    ):
        return start
    return rest


def _split_cased(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append the sentences of the trimmed line ``text[start:end]`` of cased text to ``spans``.

    A line without a capital letter (text pasted lowercased, or the tokenized form with its
    spacing undone) cannot show where a sentence starts, so there any word may start one, as a
    tokenized story's standalone period says, and the abbreviation tables are read lowercased.
    """
    uncased = text[start:end].islower()
    for match in _CASED_END.finditer(text, start, end):
        following = _NEXT_START.match(text, match.end(), end)
        if following is None:
            break
        opener, word = following.groups()
        first = word[:1]
        if not (first.isupper() or first.isdigit() or (uncased and first.isalpha())):
            continue
        if (
            uncased
            and _QUOTED_CRY.fullmatch(match.group())
            and _QUOTE_GOES_ON.match(text, match.end(), end)
        ):
            continue
        if match.group().startswith(".") and not match.group().startswith(".."):
            quoted = any(mark in _OPENING_QUOTES for mark in opener)
            if not _ends_after_period(text, start, match.start(), word, quoted, uncased):
                continue
        spans.append((start, match.end()))
        start = following.start(1)
    spans.append((start, end))


def _ends_after_period(
    text: str, line_start: int, period: int, word: str, quoted: bool, uncased: bool
) -> bool:
    """Decide whether the period at ``period`` ends its sentence, given the next ``word``."""
    token = _TOKEN_BEFORE.search(text, max(line_start, period - 40), period)
    if token is None:
        return True
    before = token.group().lstrip(_OPENERS)
    never, maybe, starters = _UNCASED_TABLES if uncased else _CASED_TABLES
    if before in never:
        return False
    if before in maybe or _ACRONYM.fullmatch(before):
        return quoted or word.rstrip(",;:") in starters
    return True


def _split_tokenized(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append the sentences of the trimmed line ``text[start:end]`` of PTB tokens to ``spans``.

    A straight double quote after the end closes a quotation when one is open in the line (a
    quotation may run over several sentences); a single one, which may be a plural's
    apostrophe, only when the sentence itself opened one.
    """
    line_start = start
    for match in _TOKENIZED_END.finditer(text, start, end):
        stop = match.end()
        close = _TOKENIZED_CLOSE.match(text, stop, end)
        if close is not None:
            quote = close.group(1)
            since = line_start if quote == '"' else start
            if quote == "''" or _open_quotes(text, since, match.start(), quote) % 2:
                stop = close.end()
        following = _NON_SPACE.search(text, stop, end)
        if following is None:
            break
        if _DASH_AHEAD.match(text, stop, end) or (
            stop > match.end()
            and match.group()[-1] in "?!"
            and _QUOTE_GOES_ON.match(text, stop, end)
        ):
            continue
        spans.append((start, stop))
        start = following.start()
    spans.append((start, end))


def _open_quotes(text: str, start: int, end: int, quote: str) -> int:
    """Count the standalone ``quote`` tokens in ``text[start:end]``."""
    token = f" {quote} "
    return text.count(token, start, end) + text.startswith(f"{quote} ", start)


def _positions(texts: list[str], casing: Casing) -> list[int]:
    """Give the real sentences positions 0, 1, 2... and the fragments that open the story -1."""
    preamble = _preamble_length(texts, casing)
    return [-1] * preamble + list(range(len(texts) - preamble))


def _preamble_length(texts: list[str], casing: Casing) -> int:
    """Count the byline, timestamp and dateline fragments before the first real sentence.

    Only the opening can be preamble: a later "By the time..." is an ordinary sentence. Inside
    a byline, the name after a lone "By ." and very short pieces ("| .", "lego ." where the
    page broke a line) belong to it too.
    """
    in_byline = expect_name = False
    for count, text in enumerate(texts):
        words = len(lexicon.WORD.findall(text))
        if _BY_ALONE.fullmatch(text):
            in_byline = expect_name = True
            continue
        if expect_name and words <= _MAX_NAME_WORDS:
            expect_name = False
            continue
        expect_name = False
        if (casing is Casing.CASED and _is_byline_name(text)) or (
            _META.match(text) and words <= _MAX_META_WORDS
        ):
            in_byline = True
            continue
        if in_byline and (
            words <= _MAX_SHORT_WORDS or (_BYLINE_TAIL.match(text) and words <= _MAX_TAIL_WORDS)
        ):
            continue
        if not _dateline(casing).fullmatch(text):
            return count
    return len(texts)


def _dateline(casing: Casing) -> re.Pattern[str]:
    """Return the dateline pattern for text of this casing."""
    return _TOKENIZED_DATELINE if casing is Casing.TOKENIZED else _CASED_DATELINE


def _is_byline_name(text: str) -> bool:
    """Tell "By Jane Smith, Daily Mail Reporter" from "By the time police came, ...".

    Every word after "By" must be capitalized or a name connector ("and", "for", "de").
    """
    match = _BY_NAME.fullmatch(text)
    if match is None:
        return False
    names = match.group(1).split()
    return len(names) <= _MAX_NAME_WORDS and all(_NAME_WORD.fullmatch(w) for w in names)
