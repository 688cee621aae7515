"""The parts of a sentence an editor may delete: parse subtrees that carry detail, not the news.

Deletion-based compression (CUPS, JECS) shortens an extracted sentence by dropping whole
constituents, so every word left is the story's own. :func:`deletable` finds them in spaCy's
dependency parse of one sentence, in both forms of the data:

* appositives (", the deputy commander of the rebel Free Syrian Army,");
* non-restrictive relative clauses (", who has failed to finish in seven of 12 starts");
* adverbial and participial clauses set off by a comma (", speaking to CNN by telephone");
* prepositional phrases and adverbials of a verb ("on Monday", "earlier this week");
* a later verb of a coordination with its conjunction ("and raise the estate tax");
* parentheticals, in brackets or between dashes.

A unit never holds what a bullet must keep (:func:`_must_stay`, :func:`_hangs_right`): the
main verb and its subject, a negation or a hedge ("reportedly", "nowhere"), a figure or its
qualifier ("at least"), a reporting verb or "according to" (the attribution), a condition
("if ..."), or any word of a quotation (in single marks, or in the ``quotes`` the caller
gives: the story's, since a quotation may open in an earlier sentence), which a bullet quotes
whole or not at all. A coordinated noun never goes ("John and Mary were"), nor a
phrase of a noun ("the war in Syria"), where the cut would break agreement or the fact, nor
a verb's goal when it is all the verb says after itself ("he drove to a church"), an
appositive followed by another of the same word ("Washington, DC, United States"), a clause
after the comma that closes an aside ("was, in fact, working"), or a fronted phrase without
a comma after it (the parse may have ended it too soon: "In a new case | study out Monday,").

Which units go is :mod:`nutgraf.edit.compression`'s question; this module only proposes, and says
what each cut removes: the unit with the comma, dash or space that sets it off, so the sentence
left reads and is spaced as before.

>>> from nutgraf import nlp
>>> doc = nlp.load()("Kurdi, the deputy commander, said on Monday that 30 men had defected.")
>>> [(u.kind, doc.text[u.start : u.end]) for u in deletable(doc)]
[('appositive', ', the deputy commander,'), ('modifier', ' on Monday')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nutgraf import lexicon
from nutgraf.claims import extract

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

KINDS = ("appositive", "relative", "clause", "modifier", "conjunct", "parenthetical")
"""The kinds of unit, in the order the compression model numbers them."""

_KIND_OF = {
    "appos": "appositive",
    "relcl": "relative",
    "advcl": "clause",
    "acl": "clause",
    "prep": "modifier",
    "npadvmod": "modifier",
    "advmod": "modifier",
    "conj": "conjunct",
}
"""Dependency labels whose subtree may go, and the kind of unit each makes."""

_SET_OFF_ONLY = frozenset({"appos", "relcl", "advcl", "acl"})
"""Labels whose subtree goes only when a comma or dash sets it off: a restrictive clause or a
close appositive ("the rapper Drake") is part of the fact."""

_OF_VERBS = frozenset({"VERB", "AUX"})
_NOUNS = frozenset({"NOUN", "PROPN"})
"""Parts of speech a modifier or a conjunct must hang from to go: a clause's, not a noun's."""

_COMMAS = (",", *lexicon.DASHES)

WHEN = (
    frozenset(
        """monday tuesday wednesday thursday friday saturday sunday january february march april
        may june july august september october november december today yesterday tomorrow
        tonight ago earlier later""".split()
    )
    | lexicon.TIME_UNITS
    | lexicon.CALENDAR_NOUNS
)
"""Words that date a phrase ("on Monday", "last week"): a bare noun phrase modifier goes only
when it holds one, and the compression model reads them (its ``time`` feature)."""

_RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})
"""Tags of the relative pronoun that a preposition may open a clause with ("in which")."""

_COPULAS = frozenset("be seem become look appear remain sound feel".split())
"""Verbs whose prepositional phrase or adverb may be their complement ("seems like ...",
"were aboard"), not a modifier."""

_GOALS = frozenset("to into onto toward towards".split())
"""Prepositions of where to: a verb of motion's goal, its point."""

_COMPLEMENTS = frozenset({"dobj", "attr", "acomp", "oprd", "ccomp", "xcomp", "dative", "prt"})
"""Labels of what completes a verb, so that its prepositional phrase is only a modifier."""

_SUBJECTS = frozenset({*lexicon.SUBJECT_DEPS, "expl", "csubj", "csubjpass"})
"""Labels of a clause's subject, the expletive "there"/"it" and clausal subjects included."""

_KEPT = frozenset(
    """not never no n't nor neither reportedly allegedly apparently possibly probably perhaps
    maybe likely unlikely only just almost nearly about around roughly approximately some more
    less least most home back away out up down off nowhere nothing none nobody without""".split()
)
"""Words that qualify a fact, so a unit holding one stays: negations, hedges ("reportedly"),
a figure's qualifiers ("almost", "only"), and the adverbs of a phrasal verb ("stepped down",
"went home")."""

_LOOSE_ADVERBS = frozenset(
    """also too however meanwhile now currently recently earlier later then today yesterday
    tonight previously subsequently finally eventually additionally furthermore moreover
    nonetheless nevertheless though shortly""".split()
)
"""The adverbs that may go from a verb: those of discourse and of time, which place a fact
without changing it. Any other says how, how often or how far ("she unwittingly shared a
taxi", "has indefinitely postponed", "had not yet received", "were buried there"), which is
part of the fact; so do "late" and "early" ("filed its taxes late in 2019")."""

_FREQUENCY = frozenset("every each per once twice times".split())
"""Words that make a phrase of time a frequency ("every week since its premiere", "twice a
day"), part of the fact, not its date."""

_CONDITIONS = frozenset("if unless whether".split())
"""Subordinators of a clause the main clause holds only under: "If elected, he will ..."."""

_FIGURE_WORDS = frozenset({*extract.SCALES, *extract.FRACTIONS})
"""Words of a figure that spaCy's ``like_num`` does not read as one ("dozen", "half")."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A deletable part of a sentence.

    ``start`` and ``end`` index the sentence's text (``Doc.text``): cutting ``[start, end)``
    removes the unit with what sets it off and leaves the sentence spaced as before. ``left``
    and ``right`` are the unit's own tokens, ``[left, right)``, which the model reads.
    """

    start: int
    end: int
    kind: str
    left: int
    right: int


def deletable(doc: Doc, quotes: Sequence[tuple[int, int]] = ()) -> list[Unit]:
    """Return the sentence's deletable units, in text order, none inside another.

    ``quotes`` are the ``(start, end)`` ranges of ``doc.text`` inside quotation marks; no unit
    touches one.
    """
    tokens = list(doc)
    kept = [a or b for a, b in zip(map(_must_stay, tokens), _in_single_quotes(tokens), strict=True)]
    # before a main verb that the parse gives no subject, nothing goes: there the parse has
    # most likely taken the subject for a modifier ("June made dinner", "This weekend marked")
    bare = max(
        (
            t.i
            for t in tokens
            if t.dep_ == "ROOT" and not any(c.dep_ in _SUBJECTS for c in t.children)
        ),
        default=0,
    )
    found: list[Unit] = []
    for token in tokens:
        kind = _KIND_OF.get(token.dep_)
        if kind is None or token.head.i == token.i or not _hangs_right(token):
            continue
        if token.head.dep_ == "ccomp" and not any(c.dep_ in _SUBJECTS for c in token.head.children):
            continue  # a reported clause with no subject is most likely a noun taken for a verb

        left, right = token.left_edge.i, token.right_edge.i + 1
        if token.dep_ == "conj":
            conjunctions = [c for c in token.head.children if c.dep_ == "cc" and c.i < token.i]
            if not conjunctions:
                continue
            left = min(left, conjunctions[-1].i)
        while right > left + 1 and doc[right - 1].text in _COMMAS:
            right -= 1  # "... in National Harbor, Maryland," ends before the clause's comma
        if right < len(doc) and doc[right].pos_ == "PROPN" and doc[right - 1].pos_ in _NOUNS:
            continue  # the parse split a name from its title: "to defending champion | Matt Every"
        # an aside is set off by a mark before it and the same mark, or the sentence's end,
        # after it; in "50 years old, regularly roams" or "-- who lost to Every by one
        # stroke --" the unit is not the whole aside
        set_off = (
            left > 1
            and doc[left - 1].text in _COMMAS
            and (all(t.is_punct for t in doc[right:]) or doc[right].text == doc[left - 1].text)
            and not (token.dep_ in ("advcl", "acl") and _closes_aside(doc, left - 1))
        )
        if token.dep_ in _SET_OFF_ONLY and not set_off:
            continue
        if token.dep_ == "appos" and any(
            c.dep_ == "appos" and c.i > token.i for c in token.head.children
        ):
            continue  # one of a run of parts: "Washington, DC, United States" needs them all
        unit = _unit(doc, token, left, right, kind, set_off)
        if unit is not None and left >= bare and token.head.lower_ != "according":
            found.append(unit)
    found.extend(u for u in _parentheticals(tokens) if u.left >= bare)
    return _outermost(
        [
            u
            for u in found
            if 0 < u.right - u.left < len(tokens) - 2
            and not any(kept[u.left : u.right])
            and not any(u.start < end and start < u.end for start, end in quotes)
        ]
    )


def _hangs_right(token: Token) -> bool:
    """Whether the token's subtree is of a kind that may go where it hangs.

    Modifiers and conjuncts go only from a verb, and not:

    * from a copula, whose modifier may be all it has ("who were aboard", "seems like ...");
    * an adverb other than one of discourse or time (:data:`_LOOSE_ADVERBS`), or a phrase of
      time that is a frequency ("every week");
    * a wh-word that opens a clause ("where", "how", "when", "in which"), or a comparative
      ("closer");
    * a bare noun phrase that is not a date: lowercased text parses names and objects as
      such modifiers ("rangers beat falkirk 1-0");
    * a preposition whose object was moved away ("what he had thrown himself into");
    * the one word a verb other than the main one has ("the report released Tuesday",
      "speaking to reporters");
    * a condition ("If elected, ...").
    """
    if token.dep_ in ("prep", "advmod", "npadvmod"):
        head = token.head
        return (
            head.pos_ in _OF_VERBS
            and head.lemma_.lower() not in _COPULAS
            and token.lower_ not in _KEPT
            and token.tag_ not in ("WRB", "RBR", "RBS")
            and not any(c.tag_ in _RELATIVE_TAGS for c in token.children)
            and (token.dep_ != "advmod" or token.lower_ in _LOOSE_ADVERBS)
            and (
                token.dep_ != "npadvmod"
                or (
                    any(t.lower_ in WHEN for t in token.subtree)
                    and not any(t.lower_ in _FREQUENCY for t in token.subtree)
                )
            )
            and (token.dep_ != "prep" or any(c.dep_ in ("pobj", "pcomp") for c in token.children))
            and (head.dep_ == "ROOT" or len(list(head.children)) > 1)
            and not _completes(token)
        )
    if token.dep_ == "conj":
        return token.pos_ in _OF_VERBS and token.head.pos_ in _OF_VERBS
    if token.dep_ == "advcl":
        return not any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in token.children)
    return True


def _completes(token: Token) -> bool:
    """Whether a phrase of where to is all its verb says after itself, and so its point.

    "he drove to a church parking lot" is no fact as "he drove", nor "was taken to hospital"
    as "was taken": such a phrase stays when it is the only word after a verb with no object
    or complement. Other phrases are the verb's modifiers ("when Bush spoke at the
    conference").
    """
    if token.dep_ != "prep" or token.lower_ not in _GOALS:
        return False
    after = [c for c in token.head.rights if not c.is_punct]
    return after == [token] and not any(c.dep_ in _COMPLEMENTS for c in token.head.children)


def _closes_aside(doc: Doc, mark: int) -> bool:
    """Whether the comma at ``mark`` closes a short aside opened by a comma before it.

    In "was, in fact, working" the comma before "working" closes ", in fact,": it sets off
    the aside, not the clause after it, and cutting that clause leaves "was, in fact.". Read
    only before an adverbial clause: before a relative clause or an appositive ("Smith, 45,
    who lives in Leeds,") the comma sets off both.
    """
    opened = next((i for i in range(mark - 1, max(-1, mark - 6), -1) if doc[i].text == ","), None)
    return opened is not None and not any(t.pos_ in _OF_VERBS for t in doc[opened + 1 : mark])


def _unit(doc: Doc, token: Token, left: int, right: int, kind: str, set_off: bool) -> Unit | None:
    """Return the unit of ``token``'s tokens ``[left, right)``, with what sets it off.

    ``None`` where a cut would split a hyphenated word ("now-disbanded", "so - called" in the
    tokenized form).
    """
    if (left and not doc[left - 1].whitespace_ and not doc[left - 1].is_punct) or (
        right < len(doc) and not doc[right - 1].whitespace_ and not doc[right].is_punct
    ):
        return None
    if (left and doc[left - 1].text == "-") or (right < len(doc) and doc[right].text == "-"):
        return None
    if set_off:
        # ", the deputy commander," goes with both marks and the space before the first when
        # what follows is the clause it sits in ("Kurdi, ..., said"); before another clause
        # (", near the border, the sources said") the closing mark stays
        mark = doc[left - 1]
        closing = (
            right + 1 < len(doc)
            and doc[right].text == mark.text
            and _clause(doc[right + 1]) == _clause(token.head)
        )
        last = doc[right] if closing else doc[right - 1]
        return Unit(_end(doc[left - 2]), last.idx + len(last), kind, left, right)
    if left == 0:
        # "On Monday, rebels ..." goes with its comma, up to the next word; one without a
        # comma stays ("Last year the firm"), as the parse may have ended it too soon ("In a
        # new case | study out Monday, ...")
        if right >= len(doc) or doc[right].text != ",":
            return None
        after = right + 1
        if after >= len(doc) or doc[after].is_punct:
            return None
        return Unit(0, doc[after].idx, kind, left, right)
    last = doc[right - 1]
    end = last.idx + len(last)
    if right < len(doc) and doc[right].text == "," and token.head.i > right:
        end = doc[right].idx + 1  # fronted in its clause: "that on Monday, rebels" loses the comma
    return Unit(_end(doc[left - 1]), end, kind, left, right)


def _clause(token: Token) -> int:
    """Return the index of the verb whose clause holds the token (an auxiliary's is its verb's)."""
    while not (token.pos_ in _OF_VERBS and token.dep_ not in ("aux", "auxpass")):
        if token.head.i == token.i:
            break
        token = token.head
    return int(token.i)


def _in_single_quotes(tokens: Sequence[Token]) -> list[bool]:
    """Whether each token is inside a quotation in single marks, curly or straight.

    A quotation mark stands alone as a token, where an apostrophe is part of its word ("'s",
    "n't"); a plural possessive ("the players' union") opens a false one, which only keeps
    more words.
    """
    inside = False
    found: list[bool] = []
    for t in tokens:
        mark = t.text in lexicon.SINGLE_QUOTES
        if mark:
            inside = not inside
        found.append(inside or mark)
    return found


def _end(token: Token) -> int:
    return token.idx + len(token)


def _must_stay(t: Token) -> bool:
    """Whether the token is one a bullet must keep, so no unit may hold it (see the module)."""
    return (
        t.dep_ == "ROOT"
        or (t.dep_ in lexicon.SUBJECT_DEPS and t.head.dep_ == "ROOT")
        or t.dep_ == "neg"
        or t.lower_ in _KEPT
        or t.like_num
        or any(c.isdigit() for c in t.text)
        or t.lower_ in _FIGURE_WORDS
        or t.head.like_num
        or t.lemma_.lower() in lexicon.REPORTING_LEMMAS
        or t.lower_ == "according"
        or (t.text in lexicon.QUOTES and t.text not in lexicon.APOSTROPHES)
    )


def _parentheticals(tokens: Sequence[Token]) -> list[Unit]:
    """Brackets, and a pair of dashes, with what they hold."""
    found: list[Unit] = []
    opened: int | None = None
    dashes: list[int] = []
    for t in tokens:
        text = t.text.lower()
        if text in lexicon.OPENING_PARENTHESES:
            opened = t.i
        elif text in lexicon.CLOSING_PARENTHESES and opened is not None:
            if opened > 0 and t.i > opened + 1:
                start = _end(tokens[opened - 1])
                found.append(Unit(start, _end(t), "parenthetical", opened + 1, t.i))
            opened = None
        elif text in lexicon.DASHES:
            dashes.append(t.i)
    for a, b in zip(dashes[::2], dashes[1::2], strict=False):
        if a > 0 and b > a + 1:
            found.append(Unit(_end(tokens[a - 1]), _end(tokens[b]), "parenthetical", a + 1, b))
    return found


def _outermost(units: list[Unit]) -> list[Unit]:
    """Keep each unit that no other unit overlaps from before, in text order."""
    kept: list[Unit] = []
    for unit in sorted(units, key=lambda u: (u.start, -u.end)):
        if kept and unit.start < kept[-1].end:
            continue
        kept.append(unit)
    return kept
