"""Figures a story reports: the number, what it counts, and whom the story credits with it.

The rules follow the claims annotation guidelines (counts, amounts, percentages and measures are
figures; dates, durations, ages, ordinals, identifiers, scores and vague quantities are not) and
read spaCy's parse rather than raw characters, because the hard cases are syntactic: "Flight
9525" is an identifier because the number follows the noun it names, "one of the officers" is a
pronoun because "one" heads its own phrase, "80" in "Twenty of those 80" is a re-mention that
still counts. Sources come from :mod:`nutgraf.claims.attribution`.

Only sentences that hold a digit or a number word are parsed; a sentence before one of them
is parsed only when attribution has to look back (a quote that goes on, a pronoun to resolve),
so the figures of a story's highlights cost one or two parses, not one per sentence.

>>> from nutgraf.read import sentences
>>> story = sentences.split(Story("Rain fell on Monday. At least 80 people died, police said."))
>>> [(f.text, f.value, f.source) for f in annotate([story], everywhere=True)[0].figures]
[('At least 80', 80.0, 'police')]
"""

from __future__ import annotations

import itertools
import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tqdm import tqdm

from nutgraf import lexicon, nlp
from nutgraf.claims.attribution import Attributor, valued_quantity
from nutgraf.claims.referents import LOOKBACK, Parses
from nutgraf.story import Figure, Highlight, Story

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
"""Number words and their values; compounds ("forty-five") add up."""

SUFFIXES = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9}
"""Scales written onto a number or right after it ("£5m", "$2bn", "5 bn")."""

SCALES = {
    "hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "dozen": 12.0, **SUFFIXES,
}  # fmt: skip
"""Words that multiply the number before them ("1.2 billion", "two dozen", "£5m")."""

FRACTIONS = {"half": 0.5, "quarter": 0.25, "third": 0.33}
"""Fraction words; the guidelines write fractions as decimals, to two places."""

DENOMINATORS = {"halves": 2, "thirds": 3, "quarters": 4, "fifths": 5, "tenths": 10}
"""Plural fractions after a number word: "two thirds" is 0.67."""

GENERIC = frozenset(
    "thing things way step reason time day point example side hand part kind sort type "
    "question problem issue word more another other".split()
)
"""Nouns after "one" that make it an article, not a count: "one thing", "one step further"."""

SPORT = frozenset("point points -point pts stroke strokes par under-par runs".split())
"""Scores, points gaps and runs, which the guidelines leave out of sport figures."""

CERTAIN = frozenset("sure certain confident convinced behind committed right".split())
"""Words after "100 per cent" that make it a figure of speech rather than a share."""

MEASURES = frozenset("lb lbs kg km oz ft mph kmh kph cm mm mg ml kw mw gw c f pc".split())
"""Units written onto their number ("22lbs", "40.3C", "50pc"), which ``_MEASURE`` reads."""

AGE_CUES = frozenset("at turns turned turning now aged age ages".split())
"""Words before a bare number that make it an age ("at 16", "now 30", "turns 18")."""

QUALIFIERS = {
    "at least": "at least", "more than": "more than", "over": "more than",
    "upwards of": "more than", "in excess of": "more than", "about": "about",
    "around": "about", "approximately": "about", "roughly": "about", "some": "about",
    "an estimated": "about", "up to": "up to", "as many as": "up to", "fewer than": "fewer than",
    "less than": "fewer than", "under": "fewer than", "nearly": "nearly", "almost": "nearly",
    "close to": "nearly",
}  # fmt: skip
"""Phrases before a number, mapped to the guidelines' six qualifiers."""

SPEAKING = frozenset("call ask complain recall describe email quip joke comment remark".split())
"""Verbs of speaking besides the reporting ones: "one" as the subject of either is one unnamed
speaker ("One listener called in"), not a count."""

_SPOKEN = lexicon.REPORTING_LEMMAS | SPEAKING
"""Every verb whose subject "one" is one speaker: the reporting verbs and :data:`SPEAKING`."""

WANTING = frozenset("want wish hope hop dream".split())
"""Verbs of a hope: a figure they take as object ("he wants two titles") is no fact. spaCy's
small model lemmatizes "hopes", "hoped" and "hoping" as "hop"."""

CHANGES = frozenset(
    """rise fall climb jump drop slip gain lose increase decrease decline surge plunge tumble
    soar grow shrink edge dip slide sink rally""".split()
)
"""Verbs of a change: a number right after one is the change, and "to" after it the level."""

KIN = frozenset("father mother dad mum mom grandfather grandmother parent grandparent".split())
""""father of two" reads like an age: not a figure."""

CURRENCY = frozenset("$ £ € ¥ us$ c$ a$".split())
PERCENT = frozenset("% percent per-cent".split())

_DIGITS = re.compile(r"^[$£€¥]?(\d[\d,]*(?:\.\d+)?)(" + "|".join(SUFFIXES) + r")?$", re.IGNORECASE)
_CANDIDATE = re.compile(
    r"\d|\b(?:"
    + "|".join([*UNITS, *FRACTIONS, "dozen", "hundred", "thousand", "million", "billion"])
    + r")\b",
    re.IGNORECASE,
)
_CODE = re.compile(r"^0\d+$")
"""Digits with a leading zero: a phone number's group or a clock time ("0800", "0100 GMT"),
never a count."""

_PHONE_LINE = re.compile(r"^\d{3}-\d{4}$")
"""A phone number's line after its area code in brackets: "(555) 123-4567"."""

_SCORE = re.compile(r"^\d+[-–]\d+$")
"""A score written as one token: "7-6"."""

STREETS = frozenset("road rd street st avenue ave lane drive boulevard blvd highway way".split())
"""Words that end a street's name, making the number before it an address ("3170 County Road
600S"); only at the name's end, so "500 St Helens residents" and "30 Highway Patrol troopers"
are counts."""

_SPELLED = re.compile(r"^[A-Z]{3,}$")
"""Capitals after a number and a hyphen: the letters of a phone number ("328-TIPS")."""
_MEASURE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)([a-z]+)$", re.IGNORECASE)
_NOT_NUMBER = re.compile(
    r"^\d+(st|nd|rd|th)$|^\d{1,2}:\d\d|^\d+(am|pm)$|^\d+-\d+(-\d+)*$|^\d+/\d+$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Mention:
    """A number found in a parsed sentence, before attribution."""

    span: Span
    head: Token
    value: float
    qualifier: str | None


WINDOW = 1000
"""Sentences read together within one story, at most.

A news story has a few dozen sentences and is read whole. A longer text (a transcript, a
3 MB dump) is read a window at a time, each parsed and let go before the next, so the parses
held are what one window needs whatever the length, and :func:`annotate` can show progress
over the windows. A source or re-mention that reaches back across a window's start is still
found: the sentences before it that a figure reads are parsed with it."""


def annotate(
    stories: Sequence[Story], *, everywhere: bool = False, progress: bool = False
) -> list[Story]:
    """Fill each story's ``figures``: those of its bullets' sentences, or of every sentence.

    The stories must be split. The sentences of all of them go through spaCy in one ``pipe``
    call, which parses in batches; batch runs hand over a whole partition at once for that
    reason. A story longer than :data:`WINDOW` sentences is read a window at a time after
    that, with a progress bar (sentences/s) on standard error when ``progress`` is set.
    """
    windows = [
        [wanted[start : start + WINDOW] for start in range(0, max(len(wanted), 1), WINDOW)]
        for wanted in (
            list(range(len(story.sentences)))
            if everywhere
            else sorted({i for h in story.highlights for i in h.sentences})
            for story in stories
        )
    ]
    found: list[list[Figure]] = [[] for _ in stories]
    rounds = [list(enumerate(zip(stories, (w[0] for w in windows), strict=True)))]
    rounds += [
        [(n, (stories[n], window))]
        for n, story_windows in enumerate(windows)
        for window in story_windows[1:]
    ]
    # A bar only where one is drawn: even a disabled tqdm takes a multiprocessing lock, which a
    # server's worker processes would leave to the resource tracker on every shutdown.
    bar = (
        tqdm(
            total=sum(len(window) for story_windows in windows for window in story_windows),
            unit=" sentences",
            desc="figures",
            file=sys.stderr,
        )
        if progress and len(rounds) > 1
        else None
    )
    try:
        for jobs in rounds:
            extracted = _extract_many([j for _, j in jobs])
            for (n, (_, window)), more in zip(jobs, extracted, strict=True):
                found[n].extend(more)
                if bar is not None:
                    bar.update(len(window))
    finally:
        if bar is not None:
            bar.close()
    for story, figures in zip(stories, found, strict=True):
        story.figures = figures
    return list(stories)


def _extract_many(jobs: Sequence[tuple[Story, Iterable[int]]]) -> list[list[Figure]]:
    """Parse the wanted sentences that may hold a figure, then those their sources read.

    Two batches over all the stories (:func:`_parse`): the sentences with a digit or a
    number word, then, around those that hold a figure, the sentences whose credits may cover
    it (:meth:`Attributor.reads`), so that no sentence is parsed alone. Returns each job's
    figures, in text order.
    """
    wanted: list[list[int]] = []
    for story, only in jobs:
        indexes = sorted(set(only) & set(range(len(story.sentences))))
        wanted.append([i for i in indexes if _CANDIDATE.search(story.sentences[i].text)])
    parsed = iter(
        _parse(
            [(story, i) for (story, _), indexes in zip(jobs, wanted, strict=True) for i in indexes]
        )
    )
    found = [
        (story, Parses(story, {i: next(parsed) for i in indexes}), indexes)
        for (story, _), indexes in zip(jobs, wanted, strict=True)
    ]
    attributors = [Attributor(story, docs) for story, docs, _ in found]
    held = [{i: mentions(docs[i]) for i in indexes} for _, docs, indexes in found]
    around = [
        sorted(
            {j for i, there in numbers.items() if there for j in attributor.reads(i)}
            - set(docs.parsed())
        )
        for (_, docs, _), attributor, numbers in zip(found, attributors, held, strict=True)
    ]
    more = iter(
        _parse([(story, j) for (story, _, _), js in zip(found, around, strict=True) for j in js])
    )
    figures = []
    for (story, docs, _), attributor, numbers, js in zip(
        found, attributors, held, around, strict=True
    ):
        docs.add({j: next(more) for j in js})
        figures.append(_figures(story, numbers, docs, attributor))
    return figures


def _parse(sentences: Sequence[tuple[Story, int]]) -> list[Doc]:
    """Parse stories' sentences in one batch, reusing those an earlier stage parsed.

    A sentence in :attr:`Story.parses` (a bullet compression read, without entities) gets only
    the entity recognizer; the others the whole pipeline. The docs are the same either way.
    """
    kept = [k for k, (story, i) in enumerate(sentences) if i in story.parses]
    fresh = [k for k, (story, i) in enumerate(sentences) if i not in story.parses]
    docs: dict[int, Doc] = {}
    reused = [sentences[k][0].parses[sentences[k][1]] for k in kept]
    lacking = [doc for doc in reused if not doc.has_annotation("ENT_IOB")]
    for _ in nlp.add_entities(lacking):
        pass
    docs.update(zip(kept, reused, strict=True))
    texts = (sentences[k][0].sentences[sentences[k][1]].text for k in fresh)
    docs.update(zip(fresh, nlp.pipe(texts), strict=True))
    return [docs[k] for k in range(len(sentences))]


def _figures(
    story: Story, numbers: dict[int, list[_Mention]], docs: Parses, attributor: Attributor
) -> list[Figure]:
    """Make each sentence's numbers (:func:`mentions`, found once) figures with their sources."""
    found: list[Figure] = []
    for i, held in numbers.items():
        sentence = story.sentences[i]
        for mention in held:
            counts = counted(mention)
            if mention.head.pos_ not in ("NOUN", "PROPN"):
                counts = _counted_before(story, docs, i, mention.value) or counts
            found.append(
                Figure(
                    text=mention.span.text,
                    value=mention.value,
                    qualifier=mention.qualifier,
                    counts=counts,
                    source=attributor.source(i, mention.head),
                    sentence=i,
                    start=sentence.start + mention.span.start_char,
                    end=sentence.start + mention.span.end_char,
                )
            )
    return found


def _counted_before(story: Story, docs: Parses, index: int, value: float) -> str | None:
    """Find what a re-mention with no noun ("Twenty of those 80") counted before.

    The sentences just before are read (parsed if need be), so a figure gets the same
    ``counts`` whichever sentences are extracted.
    """
    for j in range(index - 1, max(-1, index - LOOKBACK - 1), -1):
        if not _CANDIDATE.search(story.sentences[j].text):
            continue
        for mention in mentions(docs[j]):
            if mention.value == value and mention.head.pos_ in ("NOUN", "PROPN"):
                return counted(mention)
    return None


def mentions(doc: Doc) -> list[_Mention]:
    """Every figure in one parsed sentence, with its value and qualifier."""
    found: list[_Mention] = []
    i = 0
    while i < len(doc):
        parsed = _number_at(doc, i)
        if parsed is None:
            i += 1
            continue
        end, value = parsed
        signed = _currency_start(doc, i)
        if not _changes(doc, signed):
            end = _skip_range_end(doc, end)
        head = _head(doc, i, end)
        if not _excluded(doc, i, end, head):
            # the qualifier stands before the currency sign: "at least $450 million"
            start, qualifier = _qualifier(doc, signed)
            close = _unit_end(doc, end)
            found.append(_Mention(doc[start:close], head, value, qualifier))
        i = end
    return found


def counted(mention: _Mention) -> str:
    """Return a short phrase for what a figure counts: its noun with modifiers, and the verb after.

    "at least 80 people were killed" gives "people killed"; a figure with no noun of its own
    ("Twenty of those 80 were killed") gives the phrase around it; a figure a verb values
    ("put the death toll at 230", :func:`~nutgraf.claims.attribution.valued_quantity`) counts
    what it values ("death toll").
    """
    head = mention.head
    valued = valued_quantity(head)
    if valued is not None:
        head = valued
    elif (subject := _subject_counted(mention)) is not None:
        return subject
    elif (
        head.i < mention.span.end
        and head.dep_ in lexicon.SUBJECT_DEPS
        and head.head.pos_
        in (
            "VERB",
            "AUX",
        )
    ):
        return f"{mention.span.text} {head.head.text}".strip()
    words = [
        t
        for t in head.lefts
        if t.dep_ in ("amod", "compound")
        and not t.like_num
        and (valued is not None or t.i >= mention.span.end)
    ]
    words.append(head)
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "at", "from", "on"):
            # up to six words, and not past a mark ("areas, where several" is no phrase); a
            # hyphen is part of its word ("the state-owned plant")
            # ... and not into the "at" of a value the parse hung inside the phrase
            end = child.i + 6 if valued is None else min(child.i + 6, mention.span.start - 1)
            within = (t for t in child.subtree if t.i < end)
            words.extend(itertools.takewhile(lambda t: not t.is_punct or t.text == "-", within))
            break
    if valued is None and head.dep_ in lexicon.SUBJECT_DEPS and head.head.pos_ == "VERB":
        words.append(head.head)
    if not any(t.is_alpha and not t.is_stop for t in words):
        return head.head.text if head.head.i != head.i else mention.span.text
    return " ".join(t.text for t in words)


_TOWARD_VERB = frozenset("prep pobj attr dobj npadvmod acomp oprd quantmod".split())
"""Dependencies a figure with no noun of its own climbs to reach its clause's verb: "fell to
4.1 per cent", "was about 67%", "stands at 7.6 million"."""

_TO_A_VALUE = frozenset("to at by from on".split())
"""Prepositions that give a subject its value ("fell to", "stands at", "rose by", "is on
41%"); "pale beside the $5.1 billion" measures no subject."""

_NOUNS = ("NOUN", "PROPN")
"""Parts of speech of a noun a figure may count or a clause may have as its subject."""

_SHARE_NOUNS = PERCENT | {"cent"}
"""A share's own nouns ("40 percent", "4.1 per cent"): no noun a figure counts."""

_REPORTS = lexicon.REPORTING_LEMMAS | lexicon.CLAUSE_REPORTING_LEMMAS | lexicon.FINDING_LEMMAS
"""Verbs that report a figure rather than change it: their subject is whom it is credited to."""

_STATES = frozenset("be stand remain sit hover total reach".split())
"""Verbs that only give the subject its value ("Turnout was 67%", "the list stands at 7.6
million"); a verb of change ("fell", "rose") says what the figure measures."""


def _subject_counted(mention: _Mention) -> str | None:
    """Return what a figure with no noun of its own counts: its clause's subject and change.

    "Unemployment fell to 4.1 per cent" counts "Unemployment fell", "Turnout was about 67%"
    "Turnout", "The death toll from the outbreak has risen to 312" "death toll from the
    outbreak risen". ``None`` when the figure has a noun ("80 people"), its clause is a
    reporting verb's own ("..., the commission said") or a clause it reports ("a poll found
    that 55 percent ..."), or the subject is a pronoun.
    """
    head = mention.head
    if head.pos_ in _NOUNS and head.lower_ not in _SHARE_NOUNS:
        return None
    verb = mention.span.root
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in verb.children):
        return None  # the figure has its noun after all: "90% of the stockpile", "20 of the gunmen"
    while verb.pos_ not in ("VERB", "AUX") and verb.dep_ in _TOWARD_VERB and verb.head.i != verb.i:
        if verb.dep_ == "prep" and verb.lower_ not in _TO_A_VALUE:
            return None
        verb = verb.head
        if verb.pos_ in _NOUNS:
            return None  # the noun the figure measures: "a rating of 83%", "revenue of $16bn"
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in _REPORTS:
        return None
    subject = next(
        (c for c in verb.children if c.dep_ in lexicon.SUBJECT_DEPS and c.pos_ in _NOUNS), None
    )
    if subject is None:
        return None
    words = [t for t in subject.lefts if t.dep_ in ("amod", "compound") and not t.like_num]
    words.append(subject)
    for child in subject.rights:
        if child.dep_ == "prep" and child.lower_ in ("of", "from", "in"):
            phrase = [t for t in child.subtree if t.i < child.i + 6]
            kept = list(itertools.takewhile(lambda t: not t.is_punct and not t.like_num, phrase))
            if len(kept) > 1:  # not a bare "of" before a number: "a poll of 1,000 voters"
                words.extend(kept)
            break
    if verb.lemma_.lower() not in _STATES:
        words.append(verb)
    return " ".join(t.text for t in words)


def _number_at(doc: Doc, i: int) -> tuple[int, float] | None:
    """Parse a number starting at token ``i``: the end token index and the value, or None."""
    word = doc[i].lower_
    if word in ("a", "an", "one") and i + 1 < len(doc) and doc[i + 1].lower_ in FRACTIONS:
        if word == "a" and doc[i + 1].lower_ == "third" and _names_a_noun(doc, i + 2):
            return None  # an ordinal: "for a third time", "a third straight title"
        return i + 2, FRACTIONS[doc[i + 1].lower_]
    if word in ("a", "an") and i + 1 < len(doc) and doc[i + 1].lower_ in SCALES:
        return i + 2, SCALES[doc[i + 1].lower_]
    if word in FRACTIONS and word != "third" and not (i and doc[i - 1].like_num):
        if i + 2 < len(doc) and doc[i + 1].lower_ in ("a", "an") and doc[i + 2].lower_ in SCALES:
            return i + 3, FRACTIONS[word] * SCALES[doc[i + 2].lower_]  # "half a million"
        return i + 1, FRACTIONS[word]
    value = _token_value(doc[i])
    if value is None:
        measure = _MEASURE.match(doc[i].text)
        if (
            measure
            and measure.group(2).lower() in MEASURES
            and not (i and _MEASURE.match(doc[i - 1].text))
        ):
            return i + 1, float(measure.group(1).replace(",", ""))  # "22lbs", not the "5oz" after
        return None
    end = i + 1
    # number words: "forty - five", "one hundred and twenty"
    while end < len(doc):
        nxt = doc[end].lower_
        if nxt == "-" and end + 1 < len(doc) and doc[end + 1].lower_ in UNITS and value >= 20:
            value += UNITS[doc[end + 1].lower_]
            end += 2
        elif nxt in SCALES and nxt not in SUFFIXES:
            value *= SCALES[nxt]
            end += 1
        elif (
            nxt == "-"
            and end + 1 < len(doc)
            and doc[end + 1].lower_ in SCALES
            and doc[end + 1].lower_ not in SUFFIXES
        ):
            value *= SCALES[doc[end + 1].lower_]  # "one-million riel", "3-million"
            end += 2
        elif (
            nxt == "and"
            and end + 1 < len(doc)
            and doc[end + 1].lower_ in UNITS
            and doc[end - 1].lower_ in SCALES
        ):
            value += UNITS[doc[end + 1].lower_]
            end += 2
        else:
            break
    if end < len(doc) and doc[end - 1].whitespace_ == "" and doc[end].lower_ in SCALES:
        value *= SCALES[doc[end].lower_]  # "$600m", "£2bn"
        end += 1
    for piece in (doc[end : end + 1], doc[end + 1 : end + 2]):
        if (
            piece
            and piece[0].lower_ in DENOMINATORS
            and (piece.start == end or doc[end].text == "-")
        ):
            return piece.end, round(value / DENOMINATORS[piece[0].lower_], 2)
    if end < len(doc) and doc[end].lower_ in ("in", "out") and end == i + 1 and value < 100:
        # "one in five", "one out of five": a ratio
        of = end + 1 + (doc[end].lower_ == "out")
        if of < len(doc) and (below := _token_value(doc[of])):
            return of + 1, value / below
    return end, value


def _speaks(noun: Token) -> bool:
    """Whether a noun is the subject of a verb of speaking (:data:`SPEAKING`, or reporting).

    The parse may hang the verb from the noun instead, when no verb precedes it ("One
    listener called in" read as "a listener called by someone").
    """
    verbs = (
        [noun.head]
        if noun.dep_ == "nsubj"
        else [c for c in noun.rights if c.dep_ == "acl" and c.i == noun.i + 1]
        if noun.dep_ == "ROOT"
        else []
    )
    return any(v.lemma_.lower() in _SPOKEN for v in verbs)


def _names_a_noun(doc: Doc, i: int) -> bool:
    """Whether the word at ``i`` begins a noun phrase that a word before it may count.

    After "a third" such a word makes it an ordinal ("a third term"); "a third of", "a third
    more" and "by a third." stay fractions.
    """
    return (
        i < len(doc)
        and doc[i].pos_ in ("NOUN", "ADJ", "PROPN")
        and doc[i].lower_ not in ("of", "more", "less", "fewer")
    )


def _token_value(token: Token) -> float | None:
    text = token.lower_
    if text in UNITS:
        return float(UNITS[text])
    match = _DIGITS.match(text)
    if not match or _NOT_NUMBER.match(text):
        return None
    value = float(match.group(1).replace(",", ""))
    value *= SCALES[match.group(2).lower()] if match.group(2) else 1.0
    return value if math.isfinite(value) else None  # a run of 400 digits is no figure


def _changes(doc: Doc, start: int) -> bool:
    """Whether a number is a change that a verb makes, so that "to" after it gives the level.

    "Oil rose $2.10 to $84.50" and "the toll rose from 12 to 20" are two figures each, not
    the ranges "10 to 20" is.
    """
    before = doc[start - 1] if start else None
    if before is not None and before.lower_ in ("by", "from") and before.i:
        before = before.head
    return before is not None and before.pos_ == "VERB" and before.lemma_.lower() in CHANGES


def _skip_range_end(doc: Doc, end: int) -> int:
    """Swallow the upper bound of "10 to 20", "between 10 and 20", "two or three"."""
    if end + 1 < len(doc) and doc[end].lower_ in ("to", "and", "or"):
        is_range = doc[end].lower_ != "and" or any(
            t.lower_ == "between" for t in doc[max(0, end - 4) : end]
        )
        bound = end + 2 if doc[end + 1].lower_ in CURRENCY and end + 2 < len(doc) else end + 1
        upper = _number_at(doc, bound) if is_range else None
        if upper is not None:
            return upper[0]
    return end


def _excluded(doc: Doc, start: int, end: int, noun: Token) -> bool:
    """Whether the number is a date, duration, age, identifier, score or other non-figure.

    ``noun`` is what the number counts (:func:`_head`), read once by the caller.
    """
    first, last = doc[start], doc[end - 1]
    after = doc[end] if end < len(doc) else None
    before = doc[start - 1] if start else None
    following = _following_words(doc, end)
    if len(doc) <= 3 and all(t.is_punct or t.i in range(start, end) for t in doc):
        return True  # a list marker: "1."
    if before is not None and _MEASURE.match(before.text):
        return True  # the smaller unit of a mixed measure: "22lbs 5oz" is 22
    if first.lower_ == "one" and end == start + 1 and _qualifier(doc, start)[1] is None:
        if after is None or after.lower_ in GENERIC or after.lower_ in ("of", "who", "that"):
            return True
        if before is not None and before.lower_ in ("no", "every", "any", "the", "this"):
            return True
        if first.dep_ not in ("nummod", "quantmod", "compound"):
            return True
        if _speaks(first.head):
            return True  # one speaker, not a count: "One witness told CNN", "One listener called"
    if (
        first.is_title
        and first.lower_ in UNITS
        and start
        and (
            doc[start - 1].pos_ == "PROPN"
            or doc[start - 1].ent_type_ in lexicon.PROPER_NAME_LABELS  # a name's first word
        )
    ):
        return True  # part of a name: "Formula One", "the Final Four"
    if following[:1] and following[0] in SPORT:
        return True
    if (
        following[:1]
        and following[0] in ("shots", "goals", "runs", "lengths")
        and following[1:2] in (["behind"], ["ahead"], ["clear"])
    ):
        return True
    if before is not None and before.lower_ in ("top", "first", "last", "next", "past", "+"):
        return True
    if after is not None and after.text == "+":
        return True
    if (
        before is not None
        and after is not None
        and before.text in lexicon.QUOTES
        and after.text in lexicon.QUOTES
    ):
        return True  # a quoted label: a page called "2.0"
    if (
        before is not None
        and before.lower_ == "the"
        and (
            after is None
            or (after.pos_ not in ("NOUN", "PROPN", "ADJ") and after.text not in ("of", "-"))
        )
    ):
        return True  # "the two settled", "down the 101": a pronoun or a name
    if following[:1] and (
        following[0] in lexicon.TIME_UNITS or following[0] in ("old", "year-old")
    ):
        return True
    if following[1:3] == ["out", "of"]:
        return True  # a figure of speech: "9 times out of 10"
    if following[:1] == ["times"] and following[1:2] in (["a"], ["an"], ["per"], ["each"]):
        return True  # a frequency: "three times a day"
    if first.lower_ in ("a", "an") and (
        (before is not None and before.lower_ in ("thanks", "thank"))
        or (start >= 2 and [t.lower_ for t in doc[start - 2 : start]] == ["one", "in"])
    ):
        return True  # a figure of speech: "thanks a million", "one in a million"
    wanting = noun.head if noun.head.dep_ != "xcomp" else noun.head.head
    if noun.dep_ == "dobj" and wanting.lemma_.lower() in WANTING:
        return True  # a hope: "he wants two titles", "she hopes to win 50 seats"
    if (
        after is not None
        and after.lower_ in ("-", "-year-old")
        and following[1:2]
        and following[1] in lexicon.HYPHENATED_TIME_UNITS
    ):
        return True
    if last.ent_type_ in ("DATE", "TIME", "ORDINAL") and _is_calendar(doc, start):
        return True
    if (
        last.ent_type_ in lexicon.PROPER_NAME_LABELS
        and last.ent_type_ != "NORP"
        and _unit_end(doc, end) == end
        and last.lower_ not in PERCENT
    ):
        return True  # part of a name, unless it is a share ("beat Trump 46 to 40 percent")
    if _is_year(doc, start, end) or _is_age(doc, start, end) or _is_identifier(doc, start):
        return True
    if before is not None and before.lower_ == "of" and start >= 2 and doc[start - 2].lower_ in KIN:
        return True
    if (
        after is not None
        and after.text in ("-", "–")
        and end + 1 < len(doc)
        and doc[end + 1].is_digit
    ):
        counted_after = end + 2 < len(doc) and doc[end + 2].tag_ == "NNS"
        return not counted_after  # a score or a result: "3-2 win"; "10-20 people" is a range
    if before is not None and before.text in ("-", "–") and start >= 2 and doc[start - 2].is_digit:
        return True
    unit_end = _unit_end(doc, end)
    if end < unit_end < len(doc) and doc[unit_end].lower_ in CERTAIN:
        return True  # a figure of speech: "100 per cent sure"
    if first.lower_ in FRACTIONS and (
        (after is not None and after.text == "-") or (before is not None and before.text == "-")
    ):
        return True  # a compound that names no share: "quarter-finals", "third-quarter profit"
    if any(_CODE.match(t.text) for t in _digit_run(doc, start)) or any(
        t is not None and _CODE.match(t.text) for t in (before, after)
    ):
        return True  # a phone number or a clock time: "0800 555 0199", "0800 555 111", "0100 GMT"
    line = doc[end + 1 : end + 4]
    if (
        after is not None
        and after.text == ")"
        and not any(t.whitespace_ for t in line[:-1])
        and _PHONE_LINE.match(line.text)
    ):
        return True  # an area code: "(555) 123-4567", which spaCy splits at the hyphen
    if (
        before is not None
        and before.text in lexicon.OPENING_PARENTHESES
        and after is not None
        and after.text in lexicon.CLOSING_PARENTHESES
        and start >= 2
        and (
            _SCORE.match(doc[start - 2].text)
            or (start >= 4 and doc[start - 2].is_digit and doc[start - 3].text in ("-", "–"))
        )
    ):
        return True  # a tie-break after a set's score: "7-6 (5)"
    if first.is_digit and any(_ends_street(t) for t in doc[end : end + 3]):
        return True  # an address: "3170 County Road 600S", "12 Downing Street"
    if (
        after is not None
        and after.text == "-"
        and end + 1 < len(doc)
        and _SPELLED.match(doc[end + 1].text)
    ):
        return True  # a phone number spelled in letters: "328-TIPS"
    if first.is_digit and (
        (before is not None and before.text == "No")
        or (
            start >= 2 and before is not None and before.text == "." and doc[start - 2].text == "No"
        )
    ):
        return True  # a shirt or a rank: "the No 10 shirt", "the No 8", "the No. 7 shirt"
    if before is not None and before.lemma_.lower() in ("call", "dial") and first.is_digit:
        return after is None or after.pos_ not in ("NOUN", "PROPN", "ADJ")  # "Call 999"
    return before is not None and before.lower_ in ("no.", "number", "#", "page", "line", "spf")


def _digit_run(doc: Doc, start: int) -> list[Token]:
    """Return the run of bare digit groups the number at ``start`` stands in, spaced apart.

    "0800 555 111" is one phone number: the leading zero of its first group marks all three.
    """
    left = start
    while left and doc[left - 1].is_digit and doc[left - 1].whitespace_:
        left -= 1
    right = start + 1
    while right < len(doc) and doc[right].is_digit and doc[right - 1].whitespace_:
        right += 1
    return list(doc[left:right])


def _ends_street(token: Token) -> bool:
    """Whether a word ends a street's name: a street word not followed by more of a name."""
    if token.pos_ != "PROPN" or token.lower_ not in STREETS:
        return False
    after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return after is None or not (
        after.pos_ == "NOUN" or (after.pos_ == "PROPN" and not any(c.isdigit() for c in after.text))
    )


def _following_words(doc: Doc, end: int) -> list[str]:
    words = [t.lower_ for t in doc[end : end + 3] if not t.is_punct or t.text == "-"]
    return [w for w in words if w != "-"]


def _is_calendar(doc: Doc, start: int) -> bool:
    """Return a DATE or TIME entity counts as one only with a time word, a month or a year in it.

    spaCy's small model tags "between 10 and 20 people" as a date now and then; a real date
    has a calendar word, which the figure does not.
    """
    ent = next((e for e in doc.ents if e.start <= start < e.end), None)
    if ent is None:
        return False
    words = {t.lower_ for t in ent}
    return (
        bool(words & lexicon.TIME_UNITS)
        or any(
            t.ent_type_ == "DATE" and ((t.pos_ == "PROPN" and t.is_alpha) or t.shape_ == "dddd")
            for t in ent
        )
        or doc[start].ent_type_ in ("ORDINAL", "TIME")
    )


def _is_year(doc: Doc, start: int, end: int) -> bool:
    """Tell a year, or a span of years ("from 2010 to 2015"), from "2010 cars".

    A year before 1800 needs a preposition of time before it (:data:`_YEAR_PREPOSITIONS`).
    """
    span = doc[start:end]
    years = [t for t in span if t.shape_ == "dddd" and 1000 <= int(t.text) <= 2100]
    if not years or any(t not in years and t.lower_ not in _YEAR_SPAN_WORDS for t in span):
        return False
    if any(int(t.text) < 1800 for t in years):  # the preposition is read only for these
        opening = _qualifier(doc, start)[0]
        if not (opening and doc[opening - 1].lower_ in _YEAR_PREPOSITIONS):
            return False
    nxt = doc[end] if end < len(doc) else None
    return not (nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ == "NNS")


_YEAR_SPAN_WORDS = frozenset({"to", "and", "through", "until", "-", *lexicon.DASHES})
"""Words between the years of a span of years."""

_YEAR_PREPOSITIONS = frozenset("in since until till before after during".split())
"""Words before a number that make one of 1000-1799 a year ("used until 1738"); without one,
such a number is a count ("1,500 troops" is 1500 written without its comma as often as not),
and "to", "from" and "by" take amounts as often as dates ("the toll rose to 1500")."""


def _is_age(doc: Doc, start: int, end: int) -> bool:
    """Tell ages from figures: "John Smith, 29, of London", "aged 29 and 31", "at 16".

    A range of ages is one too: "aged between 18 and 25".
    """
    before = doc[start - 1] if start else None
    after = doc[end] if end < len(doc) else None
    if after is not None and after.lower_ in ("%", "percent"):
        return False  # "Turnout was 62%", whoever the recognizer takes "Turnout" for
    if before is not None and valued_quantity(before) is not None:
        return False  # "put the death toll at 45": a value, not "at 45" years
    bare = after is None or after.is_punct or after.pos_ in ("DET", "ADP", "SCONJ", "CCONJ")
    if (
        before is not None
        and before.lower_ in ("between", "from")
        and start >= 2
        and doc[start - 2].lower_ in ("aged", "ages")
    ):
        return True  # a range of ages: "They were aged between 18 and 25"
    if before is not None and before.lower_ in AGE_CUES and bare and end == start + 1:
        age = _token_value(doc[start])
        return age is not None and 0 < age < 120
    if (
        before is not None
        and before.lower_ in ("over", "under", "above")
        and (after is None or after.pos_ not in ("NOUN", "PROPN", "NUM", "SYM", "ADJ"))
        and end == start + 1
        and start >= 2
        and doc[start - 2].lower_ in lexicon.AGE_GROUPS
    ):
        age = _token_value(doc[start])
        return age is not None and 0 < age < 120  # "adults over 60", "children under 5"
    if before is not None and before.lower_ in ("was", "is") and bare and end == start + 1:
        subject = [t for t in before.children if t.dep_ == "nsubj"]
        return bool(subject) and (
            subject[0].lower_ in lexicon.PERSON_SUBJECTS or subject[0].ent_type_ == "PERSON"
        )
    if (
        before is not None
        and before.text in (",", *lexicon.OPENING_PARENTHESES)
        and start >= 2
        and end == start + 1
        and (after is None or after.text in (",", *lexicon.CLOSING_PARENTHESES, ".", ";", "and"))
    ):
        if doc[start - 2].pos_ == "PROPN":
            return True
        if doc[start - 2].tag_ == "NN":  # a person named by a noun: "the suspect, 23, had"
            age = _token_value(doc[start])
            return age is not None and age == int(age) and 0 < age < 120
    first = doc[start].head  # "aged 21 and 25": the 25 is an age as the 21 is
    if doc[start].dep_ == "conj" and first.like_num and first.i < start:
        return _is_age(doc, first.i, first.i + 1)
    return doc[start].dep_ == "appos" and doc[start].head.pos_ == "PROPN"


def _is_identifier(doc: Doc, start: int) -> bool:
    """Return whether a number names rather than counts.

    It follows the noun it names ("Flight 9525", "Article 4", "page 23"), stands inside a
    name between its words ("the Boeing 737 Max"), or a hyphen joins it to a code or a name
    ("A350-900", "F-16", "COVID-19").
    """
    token = doc[start]
    text = doc.text
    at = token.idx
    if at >= 2 and text[at - 1] == "-" and text[at - 2].isalnum():
        code = text[: at - 1].split()[-1]  # the word the hyphen joins: "A350", "F", "COVID"
        named = code[:1].isupper() or any(c.isdigit() for c in code)  # not "over-50"
        if named and any(c.isalpha() for c in code):
            return True
    head = token.head
    if token.dep_ == "conj" and head.i < start:
        # "Routes 9 and 10": the 10 names as the 9 does, whether the parse hangs it on the 9
        # or on the noun
        first = head if head.like_num else doc[head.i + 1]
        return first.like_num and first.i < start and _is_identifier(doc, first.i)
    if start >= 1 and doc[start - 1].pos_ == "PROPN" and head.pos_ == "PROPN" and head.i > start:
        return token.is_digit
    return (
        start >= 1
        and head.i == start - 1
        and head.pos_ in ("PROPN", "NOUN")
        and token.dep_ in ("nummod", "compound", "appos", "npadvmod", "dep")
        and not head.like_num
        and head.lower_ not in SCALES
    )


def _qualifier(doc: Doc, start: int) -> tuple[int, str | None]:
    """Return the qualifier before a number, and where the figure's text then starts."""
    for width in (3, 2, 1):
        if start >= width:
            phrase = " ".join(t.lower_ for t in doc[start - width : start])
            phrase = re.sub(r"^(?:by |of |with |to )", "", phrase) if width == 3 else phrase
            if phrase in QUALIFIERS and doc[start - width].lower_ in phrase.split()[0]:
                return start - width, QUALIFIERS[phrase]
    return start, None


def _currency_start(doc: Doc, number: int) -> int:
    """Take in a currency sign written before the number ("$1.2 billion")."""
    if number >= 1 and doc[number - 1].lower_ in CURRENCY:
        return number - 1
    return number


def _unit_end(doc: Doc, end: int) -> int:
    """Take in a percent sign or word after the number ("40%", "40 per cent")."""
    if end < len(doc) and doc[end].lower_ in PERCENT:
        return end + 1
    if end + 1 < len(doc) and doc[end].lower_ == "per" and doc[end + 1].lower_ == "cent":
        return end + 2
    return end


def _head(doc: Doc, start: int, end: int) -> Token:
    """Return the noun or verb a number counts: its syntactic head outside the number itself."""
    token = doc[end - 1]
    seen = 0
    while start <= token.i < end and token.head.i != token.i and seen < 8:
        token = token.head
        seen += 1
    if token.lower_ in PERCENT and token.head.i != token.i:
        return token.head
    return token


def in_highlight(story: Story, highlight: Highlight) -> list[Figure]:
    """Return the story's figures that the bullet states: inside one of its spans of text."""
    return [
        f
        for f in story.figures
        if f.sentence in highlight.sentences
        and any(start <= f.start and f.end <= end for start, end in highlight.spans)
    ]


def sources(figures: Iterable[Figure]) -> list[str]:
    """Return the parties some figures (a bullet's) are credited to, each once, in order."""
    return list(dict.fromkeys(f.source for f in figures if f.source))
