"""What an update of a story adds: NEW bullets and changed figures, as CNN marks its updates.

A breaking story is republished many times a day, and CNN writes "NEW:" on the highlights whose
facts the last version did not have ("NEW: At least 80 people were killed Monday, an opposition
group says"). :func:`update` does this for two versions of a story and :func:`track` for a
timeline, each version against the one before it. The highlights are those nutgraf chooses for
the newest version; a bullet is new when it carries a fact the older version lacks:

* a **figure** (from :mod:`nutgraf.claims.extract`) with no counterpart of the same value in the old
  version. A counterpart counts the same thing for the same source (:func:`counterparts`);
  when the old version has one with another value, the figure *changed* ("at least 60" became
  "at least 80") and is listed in :attr:`Update.changes` as well;
* a **name**: a person, organization, place, event, law or work that spaCy finds in the bullet
  and the old text never mentions (:func:`new_names`);
* an **event**: the bullet has no close counterpart among the old sentences
  (:func:`closest_overlap` below :data:`EVENT_OVERLAP`).

Only the bodies are compared: a page's own highlights and headline are rewritten in every
update, and sentences may be reordered, merged or split without news in them, which is why
events are matched against every old sentence and every pair of adjacent ones, not by position.

Every step is deterministic: spaCy's small pipeline runs without sampling, figures and names
are taken in text order, and ties between candidate figures go to the earlier one.

>>> result = update(
...     "At least 60 people were killed in Homs, the group said. Heavy rain fell on the city.",
...     "At least 80 people were killed in Homs, the group said. Heavy rain fell on the city.",
... )
>>> [str(bullet) for bullet in result.bullets]
['NEW: At least 80 people were killed in Homs, the group said.', 'Heavy rain fell on the city.']
>>> [str(change) for change in result.changes]
['At least 60 → At least 80 people killed (the group)']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from nutgraf import lexicon, nlp, pipeline
from nutgraf.claims.referents import same_party
from nutgraf.errors import NutgrafError
from nutgraf.read import ingest
from nutgraf.story import Figure, Highlight, Story

__all__ = [
    "EVENT_OVERLAP",
    "FIGURE_LIKENESS",
    "NAME_LABELS",
    "Bullet",
    "Change",
    "Novelty",
    "Update",
    "closest_overlap",
    "compare",
    "counterparts",
    "new_names",
    "track",
    "update",
]

EVENT_OVERLAP = 0.5
"""A bullet reports a new event when no old sentence (or pair of adjacent old sentences) holds
at least this share of its words and word pairs (:func:`closest_overlap`). Half is where a
rewrite turns into news. An old sentence with its figures updated scores 1.0, and one trimmed
or reworded around the same words ("At least 80 people were killed Monday across Syria, an
opposition group says" against the page's sentence) 0.8 to 0.9; a sentence about something
else shares only stock words ("Syria", "said", "Monday") and scores 0.0 to 0.25 on the test
versions of the example page. An old sentence that gained a clause a third of its length
scores about 0.6 and stays old news unless the clause brings a name or a figure. The failure
mode is a thorough paraphrase: "Opposition activists say 80 people died in fighting in Syria
on Monday" shares 0.29 with the sentence it retells and comes out as an event."""

FIGURE_LIKENESS = 0.5
"""Two figures count the same thing when at least this share of the content words of their
``counts`` are shared (Jaccard). The same sentence in two versions gives the same phrase
("people killed", 1.0), and a reworded one most of it ("people killed in violence across Syria"
and "people killed Monday across Syria", 0.6); two tolls of one sentence do not pass ("killed
in Daraa" and "killed in Deir Ezzor", 0.25), so one town's toll never passes for a new value
of another's. Phrases with no content words ("Twenty") are compared whole instead."""

NAME_LABELS = lexicon.NAME_LABELS
"""spaCy entity labels that name something a reader would call a new fact
(:data:`nutgraf.lexicon.NAME_LABELS`, which says why nationalities are left out)."""

Kind = Literal["figure", "name", "event"]

# Typographic single quotes and the backtick, folded to the straight apostrophe.
_QUOTES = str.maketrans(dict.fromkeys([q for q in lexicon.SINGLE_QUOTES if q != "'"] + ["`"], "'"))
_POSSESSIVE = re.compile(r"'s?$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Change:
    """A figure that moved between versions: the same thing counted, another value."""

    old: Figure
    new: Figure

    def __str__(self) -> str:
        """Say it as an editor would: "at least 60 → at least 80 people killed (source)"."""
        return f"{self.old.text} → {_describe(self.new)}"


@dataclass(frozen=True, slots=True)
class Novelty:
    """One fact of a bullet that the older version did not have.

    ``kind`` says which: a ``"figure"`` (``figure`` is it; ``was`` is the old figure it
    replaced when it changed rather than appeared), a ``"name"`` or an ``"event"``. ``text``
    says it in words: the figure with what it counts, the name as the bullet writes it, or for
    an event how close the nearest old sentence came.
    """

    kind: Kind
    text: str
    figure: Figure | None = None
    was: Figure | None = None


@dataclass(frozen=True, slots=True)
class Bullet:
    """A highlight of the newest version and what in it is new; none means old news."""

    highlight: Highlight
    novelties: tuple[Novelty, ...]

    @property
    def new(self) -> bool:
        """Whether the bullet carries NEW:, as CNN writes it on updated facts."""
        return bool(self.novelties)

    def __str__(self) -> str:
        return f"NEW: {self.highlight.text}" if self.new else self.highlight.text


@dataclass(frozen=True, slots=True)
class Update:
    """The newest version of a story, its bullets marked against the version before.

    ``story`` is the newest version with its highlights and figures, ``previous`` the older
    one with its figures; ``bullets`` follow ``story.highlights`` one for one. ``changes`` lists
    every figure of the story whose value moved, bullet or not, in text order and once per pair
    of values: a toll repeated in a later sentence ("Twenty of those 80") changed with it.
    """

    story: Story
    previous: Story
    bullets: tuple[Bullet, ...]
    changes: tuple[Change, ...]

    def to_text(self) -> str:
        """One bullet a line, "• NEW: ..." where new, then a "Changed figures:" block."""
        lines = [f"• {bullet}" for bullet in self.bullets]
        if self.changes:
            lines += ["", "Changed figures:", *(f"  {change}" for change in self.changes)]
        return "\n".join(lines)


def update(
    old: str | bytes | Story,
    new: str | bytes | Story,
    *,
    input_format: str | None = None,
    selector: pipeline.Selector | None = None,
    model: str = "default",
    compress: bool = True,
) -> Update:
    """Highlight the newer of two versions of a story and mark what the older one lacked.

    Text and bytes are read as :func:`nutgraf.read.ingest.read` reads them (``input_format``
    applies to both); see :func:`track` for stories and for the other options.
    """
    return track(
        [old, new], input_format=input_format, selector=selector, model=model, compress=compress
    )[0]


def track(
    versions: Sequence[str | bytes | Story],
    *,
    input_format: str | None = None,
    selector: pipeline.Selector | None = None,
    model: str = "default",
    compress: bool = True,
) -> list[Update]:
    """Follow a story through its versions, oldest first: one :class:`Update` per later version.

    Each version is compared with the one before it, as a reader who saw that one would want,
    so a fact marked NEW in one update is old news in the next. Stories are completed in place,
    as every stage does: sentences split where missing, highlights chosen (with ``selector``,
    else the packaged ``model``) for every version after the first that has none, each cut to
    the editors' length unless ``compress`` is false (see :func:`nutgraf.pipeline.annotate`),
    and the figures of every sentence extracted, since a figure may change outside the bullets.

    Raises:
        NutgrafError: fewer than two versions, or a version that cannot be read (its message
            names the version by its place in the list).

    """
    if len(versions) < 2:
        raise NutgrafError(
            f"an update needs at least two versions of the story, oldest first; got {len(versions)}"
        )
    stories = [_read(version, input_format, place) for place, version in enumerate(versions, 1)]
    for index, story in enumerate(stories):
        pipeline.process(
            story,
            selector,
            model=model,
            highlights=bool(index and not story.highlights),
            figures="all",
            compress=compress,
        )
    return [compare(old, new) for old, new in pairwise(stories)]


def compare(old: Story, new: Story) -> Update:
    """Mark ``new``'s highlights against ``old``; both need their sentences and figures.

    This is the comparison alone, for callers that prepared the stories themselves;
    :func:`update` and :func:`track` prepare them first.
    """
    matched, changed = counterparts(old.figures, new.figures)
    bullets = tuple(_bullet(highlight, old, new, matched, changed) for highlight in new.highlights)
    seen: set[tuple[float, float]] = set()
    changes: list[Change] = []
    for index, figure in enumerate(new.figures):
        was = changed.get(index)
        if was is not None and (was.value, figure.value) not in seen:
            seen.add((was.value, figure.value))
            changes.append(Change(was, figure))
    return Update(new, old, bullets, tuple(changes))


def counterparts(
    old: Sequence[Figure], new: Sequence[Figure]
) -> tuple[set[int], dict[int, Figure]]:
    """Pair the new version's figures with the old one's: which were there, which changed.

    Returns the indexes of ``new`` figures that the old version already had (same value, a
    counterpart: :data:`FIGURE_LIKENESS`, and sources that
    :func:`nutgraf.claims.referents.same_party` takes for one party), and a map from the
    index of each changed figure to the old figure it replaced. Changes pair figures one to
    one, most alike first, and only among figures that found no equal: a toll that stayed at
    10,000 never claims the old 14,400 beside it.
    """
    alike = [[_alike(a, b) for b in old] for a in new]
    matched = {
        i
        for i, a in enumerate(new)
        if any(alike[i][j] and b.value == a.value for j, b in enumerate(old))
    }
    kept_old = {
        j
        for j, b in enumerate(old)
        if any(alike[i][j] and a.value == b.value for i, a in enumerate(new))
    }
    candidates = sorted(
        (-alike[i][j], i, j)
        for i in range(len(new))
        if i not in matched
        for j in range(len(old))
        if j not in kept_old and alike[i][j]
    )
    changed: dict[int, Figure] = {}
    taken: set[int] = set()
    for _, i, j in candidates:
        if i not in changed and j not in taken:
            changed[i] = old[j]
            taken.add(j)
    return matched, changed


def new_names(text: str, old_text: str) -> list[str]:
    """List the names spaCy finds in ``text`` (:data:`NAME_LABELS`) that ``old_text`` lacks.

    Names are compared without case, typographic quotes, a leading "the" or a possessive, as
    whole words. A person also counts as known by the last word of the name, since stories
    give a full name once and the surname after ("Bashar al-Assad", "al-Assad's regime").

    >>> new_names("The 33 defectors were sent to Hatay province.", "They went to Turkey.")
    ['Hatay']
    """
    known = _fold(old_text)
    found: list[str] = []
    seen: set[str] = set()
    for entity in nlp.load()(text).ents:
        if entity.label_ not in NAME_LABELS:
            continue
        shown = _LEADING_THE.sub("", _POSSESSIVE.sub("", entity.text.translate(_QUOTES)))
        name = _fold(shown)
        forms = [name]
        if entity.label_ == "PERSON" and " " in name:
            forms.append(name.rsplit(" ", 1)[1])
        if name and name not in seen and not any(_mentions(known, form) for form in forms):
            seen.add(name)
            found.append(shown)
    return found


def closest_overlap(text: str, old_sentences: Sequence[str]) -> float:
    """How much of ``text`` the closest old sentence, or pair of adjacent ones, already holds.

    The share of ``text``'s content words (not stop words) found in the old sentence, averaged
    with the share of its word pairs found there: the words say what it is about, the pairs
    whether it says the same about it. Numbers are left out, since figures are compared on their
    own. Shares of ``text``, not of the old sentence, because an old sentence that said more
    and was cut holds no news, while a new sentence that adds to an old one does. Adjacent
    pairs let two old sentences merged into one still match. 1.0 for a text without words.

    >>> closest_overlap("At least 80 were killed in Homs.", ["At least 60 were killed in Homs."])
    1.0
    """
    words = _words(text)
    if not words:
        return 1.0
    windows = [_words(s) for s in old_sentences]
    windows += [a + b for a, b in pairwise(windows)]
    stop = lexicon.spacy_stop_words()
    content = {w for w in words if w not in stop} or set(words)
    pairs = set(pairwise(words))
    best = 0.0
    for window in windows:
        have = set(window)
        share = len(content & have) / len(content)
        if pairs:
            share = (share + len(pairs & set(pairwise(window))) / len(pairs)) / 2
        best = max(best, share)
    return best


def _bullet(
    highlight: Highlight, old: Story, new: Story, matched: set[int], changed: dict[int, Figure]
) -> Bullet:
    novelties: list[Novelty] = []
    for index, figure in enumerate(new.figures):
        if figure.sentence not in highlight.sentences or index in matched:
            continue
        was = changed.get(index)
        text = str(Change(was, figure)) if was is not None else _describe(figure)
        novelties.append(Novelty("figure", text, figure, was))
    novelties += [Novelty("name", name) for name in new_names(highlight.text, old.body_text)]
    overlap = closest_overlap(highlight.text, [s.text for s in old.sentences])
    if overlap < EVENT_OVERLAP:
        novelties.append(
            Novelty("event", f"no counterpart in the older version (closest overlap {overlap:.2f})")
        )
    return Bullet(highlight, tuple(novelties))


def _alike(a: Figure, b: Figure) -> float:
    """How alike two figures' counts are, 0.0 unless they pass both thresholds."""
    left, right = _content(a.counts), _content(b.counts)
    # a phrase of stock words only ("Twenty") is compared whole, so it still finds its copy
    likeness = _jaccard(left, right) if left or right else float(_fold(a.counts) == _fold(b.counts))
    if likeness < FIGURE_LIKENESS:
        return 0.0
    if a.source and b.source and not same_party(a.source, b.source):
        return 0.0
    return likeness


def _describe(figure: Figure) -> str:
    source = f" ({figure.source})" if figure.source else ""
    return f"{figure.text} {figure.counts}{source}"


def _read(version: str | bytes | Story, input_format: str | None, place: int) -> Story:
    if isinstance(version, Story):
        return version
    return ingest.read(version, input_format, where=f"version {place}")


def _fold(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split())


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def _words(text: str) -> list[str]:
    return lexicon.LETTER_WORD.findall(_fold(text))


def _content(text: str) -> set[str]:
    stop = lexicon.spacy_stop_words()
    return {word for word in _words(text) if word not in stop}


def _jaccard(a: set[str], b: set[str]) -> float:
    """Shared share of two word sets; 0.0 when both are empty, since then nothing is known."""
    return len(a & b) / len(a | b) if a | b else 0.0
