"""Whom a story credits with a figure: reporting verbs, "according to", quotes, the sentence before.

A credit is found in the figure's own sentence first: the subject of a reporting verb ("the
observatory said", "Anadolu reported", "said Park"), the object of "according to", or the
speaker of a quote. Failing that, the sentence before lends its credit when this one continues
it: a quotation that goes on, or a sentence whose subject is a pronoun ("It saw an increase of
2.9%"). Everything else is the story's own statement, and its source is ``None``.

A credit is then named as a reader needs it, "shortest complete name" in the guidelines' words:
"the group said" becomes the group the story named before ("Local Coordination Committees of
Syria, an opposition group"), "he said" the person last credited or named, "Park said" the full
name the story introduced ("Kenny Park"). The rules read spaCy's dependency parse and entities,
so they hold for any story rather than for a list of known sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nutgraf import nlp
from nutgraf.story import Story

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

REPORTING = frozenset(
    "say tell report announce claim estimate state add confirm reveal write note insist warn "
    "explain allege cite suggest indicate disclose count record tweet post predict "
    "acknowledge admit testify conclude calculate put tally".split()
)
"""Lemmas of verbs that credit what follows to their subject."""

FINDING = frozenset("find show".split())
"""Verbs that credit only when their subject is evidence ("a survey found", not "a jury
found" or "the video shows")."""

EVIDENCE = frozenset(
    "data report reports figure figures statistic statistics estimate estimates survey study "
    "count tally analysis record records number numbers poll research finding assertion "
    "statement account claim".split()
)
"""Nouns that carry a claim: their owner is its source ("the police department's assertion
that...", "Airports Council International's data")."""

PERSONAL = frozenset("he she him her".split())
GROUP = frozenset("they them it we i".split())
QUOTES = ('"', "“", "”", "``", "''")
LOOKBACK = 3
"""Sentences before a figure that may name its source or a pronoun's referent."""

_QUOTE_MARK = re.compile(r"\"|“|”|``|''")
_CUT = frozenset("appos relcl acl advcl punct parataxis".split())
_NAMED = frozenset("PERSON ORG GPE NORP FAC".split())
_CAPITALIZED = re.compile(r"(?:[A-Z][\w'’.-]*\s+){1,2}$")
_OPENERS = frozenset("the a an in on at but and as after when while with for".split())


@dataclass(frozen=True, slots=True)
class Credit:
    """A credit in one sentence: the reporting word and the phrase it credits."""

    cue: Token
    party: Span


class Parses:
    """A story's sentences as spaCy docs, parsed when first asked for.

    The sentences with figures arrive parsed in one batch; attribution asks for a sentence
    before them only when it must look back, which most figures never need.
    """

    def __init__(self, story: Story, docs: dict[int, Doc]) -> None:
        self.story = story
        self._docs = docs

    def __contains__(self, index: int) -> bool:
        return 0 <= index < len(self.story.sentences)

    def __getitem__(self, index: int) -> Doc:
        if index not in self._docs:
            self._docs[index] = nlp.load()(self.story.sentences[index].text)
        return self._docs[index]


class Attributor:
    """Names the source of each figure of a story, reading its sentences as needed."""

    def __init__(self, story: Story, docs: Parses) -> None:
        self.story = story
        self.docs = docs
        self._credits: dict[int, list[Credit]] = {}

    def source(self, index: int, token: Token) -> str | None:
        """Return the party credited with the figure at ``token`` in sentence ``index``, or None."""
        credits = [c for c in self.credits(index) if _may_credit(c, token)]
        if credits:
            return self.name(index, _closest(credits, token).party)
        if not self.credits(index) and index - 1 in self.docs and self._continues(index):
            before = self.credits(index - 1)
            if before:
                return self.name(index - 1, before[-1].party)
        return None

    def credits(self, index: int) -> list[Credit]:
        """Every credit in sentence ``index``, in text order (computed once)."""
        if index not in self._credits:
            self._credits[index] = _find_credits(self.docs[index])
        return self._credits[index]

    def name(self, index: int, party: Span) -> str:
        """Name a credited phrase as a reader needs it: pronouns and "the group" resolved."""
        root = party.root
        if len(party) == 1 and root.lower_ in PERSONAL | GROUP:
            found = self._referent(index, root)
            return found if found is not None else party.text
        if root.pos_ == "PROPN" and len(party) == 1:
            return self._full_name(index, root.text)
        if not any(t.pos_ == "PROPN" for t in party) and party[0].lower_ in ("the", "this"):
            found = self._described(index, party)
            if found is not None:
                return found
        return _clean(party)

    def _referent(self, index: int, pronoun: Token) -> str | None:
        """Return the person (he, she) or party (they, it) a pronoun credit refers to."""
        person = pronoun.lower_ in PERSONAL
        for j in range(index, max(-1, index - LOOKBACK - 1), -1):
            if j not in self.docs:
                continue
            for credit in reversed(self.credits(j)):
                if credit.party.start >= pronoun.i and j == index:
                    continue
                party = credit.party
                if party.root.pos_ == "PROPN" and (not person or _is_person(party)):
                    return self.name(j, party)
            for ent in reversed(self.docs[j].ents):
                if j == index and ent.start >= pronoun.i:
                    continue
                if (ent.label_ == "PERSON") == person and ent.label_ in _NAMED:
                    return self._full_name(j, ent.text) if len(ent) == 1 else ent.text
        return None

    def _described(self, index: int, party: Span) -> str | None:
        """Return the named party an earlier sentence described with the same noun ("the group").

        An earlier credit with the same head ("two officials with the Taiz provincial
        government said" before "the officials said") comes first, then a named entity that
        the story gave this noun as an appositive or a title.
        """
        lemma = party.root.lemma_.lower()
        for j in range(index, max(-1, index - LOOKBACK - 1), -1):
            if j not in self.docs:
                continue
            for credit in reversed(self.credits(j)):
                earlier = credit.party
                if (
                    (j < index or earlier.end <= party.start)
                    and earlier.root.lemma_.lower() == (lemma)
                    and any(t.pos_ == "PROPN" for t in earlier)
                ):
                    return self.name(j, earlier)
            for ent in reversed(self.docs[j].ents):
                if ent.label_ in _NAMED and lemma in _descriptors(ent):
                    return _clean(_party(ent.root))
        return None

    def _full_name(self, index: int, surname: str) -> str:
        """Return the fullest form of a name the story used before ("Park" -> "Kenny Park")."""
        sentence = self.story.sentences[index]
        before = self.story.text[: sentence.end]
        for match in re.finditer(rf"\b{re.escape(surname)}\b", before):
            prefix = _CAPITALIZED.search(before[max(0, match.start() - 60) : match.start()])
            if prefix:
                words = prefix.group(0).split()
                while words and words[0].lower() in _OPENERS:
                    words.pop(0)
                if words:
                    return " ".join([*words, surname])
        return surname

    def _continues(self, index: int) -> bool:
        """Whether sentence ``index`` carries on from the one before: a quote or a pronoun."""
        doc = self.docs[index]
        text = doc.text.lstrip()
        if text.startswith(QUOTES):
            return True
        if _leaves_quote_open(self.story.sentences[index - 1].text):
            return True
        subjects = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass")]
        return bool(subjects) and subjects[0].lower_ in ("it", "they") and not _quoted(subjects[0])


def _leaves_quote_open(text: str) -> bool:
    """Whether a sentence ends inside a quotation, so the next one goes on quoting.

    Straight quotes are read by position: one followed by a letter opens, any other closes.
    """
    marks = list(_QUOTE_MARK.finditer(text))
    if not marks:
        return False
    last = marks[-1]
    if last.group() in ("“", "``"):
        return True
    if last.group() != '"':
        return False
    following = text[last.end() : last.end() + 1]
    return bool(following) and following.isalnum()


def _find_credits(doc: Doc) -> list[Credit]:
    found: list[Credit] = []
    for token in doc:
        if (
            token.lower_ == "according"
            and token.i + 1 < len(doc)
            and doc[token.i + 1].lower_ == "to"
        ):
            objects = [c for c in doc[token.i + 1].children if c.dep_ == "pobj"]
            if objects:
                found.append(Credit(token, _party(objects[0])))
        elif token.lemma_.lower() in EVIDENCE and token.pos_ == "NOUN":
            owners = [c for c in token.children if c.dep_ == "poss"]
            if owners and any(c.dep_ in ("acl", "relcl", "ccomp") for c in token.children):
                found.append(Credit(token, _party(owners[0])))
        elif token.pos_ in ("VERB", "AUX") and (party := _reporter(token)) is not None:
            found.append(Credit(token, _party(party)))
    return found


def _reporter(verb: Token) -> Token | None:
    """Return the subject a reporting verb credits, or None when the verb credits nobody.

    A verb shares its subject with the verb it is joined to ("Police appealed for help but
    said five men..."); a participle credits its agent ("deaths reported by WHO").
    """
    lemma = verb.lemma_.lower()
    if lemma not in REPORTING and lemma not in FINDING:
        return None
    if lemma == "claim" and any(c.lower_ == "responsibility" for c in verb.children):
        return None
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    agents = [
        party
        for c in verb.children
        if c.dep_ == "agent"
        for g in c.children
        for party in ([g] if g.dep_ == "pobj" else [c for c in g.children if c.dep_ == "nsubj"])
    ]
    if not subjects and not agents:
        # a subject shared with a joined clause: "Police appealed ... but said five men..."
        joined = [verb.head] if verb.dep_ == "conj" else []
        joined += [c for c in verb.lefts if c.dep_ in ("conj", "ccomp") and c.pos_ == "VERB"]
        subjects = [c for v in joined for c in v.children if c.dep_ == "nsubj"][:1]
    party = subjects[0] if subjects else (agents[0] if agents else None)
    if party is None or (
        party.lower_ in ("that", "which", "who", "this", "what") and not party.text.isupper()
    ):
        return None  # a relative pronoun; "WHO" in capitals is the World Health Organization
    if verb.dep_ == "amod" and not agents:
        return None
    if lemma in FINDING and party.lemma_.lower() not in EVIDENCE:
        return None
    return party


def _party(token: Token) -> Span:
    """Return the phrase a credit names, without appositives, clauses or a trailing comma."""
    doc = token.doc
    if token.ent_type_ in _NAMED and token.pos_ == "PROPN":
        ent = next(e for e in doc.ents if e.start <= token.i < e.end)
        end = max(ent.end, token.i + 1)
        for prep in token.rights:
            # "the Local Coordination Committees of Syria": a name that goes on past "of"
            named = [c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
            if prep.lower_ == "of" and named and prep.i == end and ent.label_ != "PERSON":
                end = named[0].right_edge.i + 1
        return doc[ent.start : end]
    if token.lemma_.lower() in EVIDENCE:
        owners = [c for c in token.children if c.dep_ == "poss"]
        if owners:
            owner = owners[0]
            words = [t for t in owner.subtree if t.dep_ != "case"]
            return doc[words[0].i : words[-1].i + 1]
    keep = [token]
    for child in token.children:
        if child.dep_ not in _CUT:
            keep.extend(child.subtree)
    indexes = sorted(t.i for t in keep)
    start, end = indexes[0], indexes[-1] + 1
    for i in range(token.i + 1, end):
        if doc[i].text in (",", ";", "--", "—", "–", "(", "-lrb-"):
            end = i
            break
    while start < token.i and doc[start].lower_ in ("a", "an"):
        start += 1
    return doc[start:end]


def _may_credit(credit: Credit, token: Token) -> bool:
    """Whether a credit can cover the figure at ``token``.

    Not when the figure sits in the credited phrase or its clauses ("said the Brazilian, who
    has failed to finish in seven of 12 starts"), nor when the credit is for a quotation and
    the figure stands outside it.
    """
    root = credit.party.root
    if root.left_edge.i <= token.i <= root.right_edge.i:
        return False
    if credit.cue.lower_ == "according" or token.i in {t.i for t in credit.cue.subtree}:
        return True
    low, high = sorted((token.i, credit.cue.i))
    between = token.doc[low:high]
    return not any(t.text in QUOTES for t in between) or _quoted(token)


def _quoted(token: Token) -> bool:
    """Whether a token sits inside a quotation of its sentence."""
    before = token.doc[: token.i]
    straight = sum(t.text in ('"', "``", "''") for t in before)
    curly = sum(t.text == "“" for t in before) - sum(t.text == "”" for t in before)
    return straight % 2 == 1 or curly > 0


def _closest(credits: list[Credit], token: Token) -> Credit:
    """Return the credit whose reporting word governs the figure, or else the nearest one."""
    ancestors = {a.i for a in token.ancestors}
    governing = [c for c in credits if c.cue.i in ancestors]
    pool = governing or credits
    return min(pool, key=lambda c: abs(c.cue.i - token.i))


def _descriptors(ent: Span) -> set[str]:
    """Nouns the story used to describe a named party: appositives and titles before it."""
    root = ent.root
    words = {c.lemma_.lower() for c in root.children if c.dep_ == "appos"}
    if root.dep_ == "appos":
        words.add(root.head.lemma_.lower())
    words.update(
        t.lemma_.lower() for t in ent.doc[max(0, ent.start - 3) : ent.start] if t.pos_ == "NOUN"
    )
    words.update(t.lemma_.lower() for t in ent if t.pos_ == "NOUN")
    return words


def _is_person(party: Span) -> bool:
    """Tell whether a credited name can be "he" or "she".

    The small model often tags a person ORG, so anything named that is not a place, a
    nationality or "the ..." qualifies.
    """
    return party[0].lower_ != "the" and not any(
        t.ent_type_ in ("GPE", "LOC", "NORP", "FAC") for t in party
    )


def _clean(party: Span) -> str:
    return party.text.strip(" ,;:\"“”'")
