"""Who "he", "they", "the group" and "Park" are: the one resolver of a story's referring words.

Two stages ask who a word refers to, and both ask here:

* **sources** (:mod:`nutgraf.claims.attribution`): "he said" is credited to the person, "the
  group said" to the group the story named ("the Local Coordination Committees of Syria, an
  opposition group"), "Park said" to the full name first used ("Kenny Park");
* **bullets' openings** (:mod:`nutgraf.edit.bullets`): a bullet that opens "He said ..." gets
  the person's name in the pronoun's place.

A source and a bullet differ in what a wrong answer costs, so :meth:`Referents.resolve` takes
a strictness. A source names a party the story already credited, and its reader sees the
sentence it came from: the **lenient** rule takes the last party credited (a name, or a
group for "they" and a role for "he" and "she": "officials said", "the senator said") or
the last named entity of the right kind within :data:`LOOKBACK` sentences (never a place for
"they"), and failing those the one group or role the sentence before names as its subject.
A bullet's opening is rewritten as a statement of fact: the **strict** rule names a person only
when the sentence before (past any that go on about the same person unnamed) names exactly one
person, as its leading subject, and nothing in the story says the pronoun could be someone
else; otherwise it names no one, and the bullet is chosen otherwise.

Every rule reads spaCy's dependency parse and entities (:class:`Parses`) and the story's own
words, so it holds for any story rather than for a list of known names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nutgraf import lexicon, nlp
from nutgraf.claims.sources import quotations
from nutgraf.story import Story

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

LOOKBACK = 3
"""Sentences before a word that may name what it refers to."""

_CUT = frozenset("appos relcl acl advcl punct parataxis".split())
_CAPITALIZED = re.compile(rf"(?:{lexicon.CAPITALIZED_WORD}[^\S\n]+){{1,2}}$")
"""One or two capitalized words before a name, on its line: a name never runs across lines
(a page's "DON'T MISS" line above "China said ..." is no part of China's name)."""
_ABBREVIATION = re.compile(r"[A-Z][a-z]{0,3}\.$")
"""A title or an initial before a name ("Gov.", "Mr.", "N."), whose full stop ends no sentence."""

# The strict rule's reading of gender, names and the sentences that go on about someone.
_OTHER_GENDER = {
    gender: re.compile(rf"\b(?:{'|'.join(lexicon.GENDER_PRONOUNS[other])})\b", re.IGNORECASE)
    for gender, other in (("m", "f"), ("f", "m"))
}
# A sentence that goes on about the same person without naming anyone: "He ...", "The
# 66-year-old ...". The search for the name passes over these to the sentence before.
_GOES_ON = {
    gender: re.compile(
        "(?:"
        + "|".join(w for w, g in lexicon.GENDERED_OPENINGS.items() if g == gender)
        + r")\b|the\s+(?:\S+\s+){0,2}?\d+\s*-\s*year\s*-\s*old\b",
        re.I,
    )
    for gender in ("m", "f")
}
_POSSESSIVE = re.compile(f"(?:{'|'.join(lexicon.APOSTROPHES)})s?$")

Credited = Callable[[int], Sequence["Span"]]
"""The parties credited in a sentence, in text order (:mod:`nutgraf.claims.attribution`)."""


@dataclass(frozen=True, slots=True)
class Referent:
    """Who a word refers to: the name to use, and where the story writes it when it does.

    ``span`` is the ``(start, end)`` range of :attr:`Story.text` that holds ``text`` as it
    stands; it is ``None`` for a name put together from two places ("Park" and, earlier,
    "Kenny Park"'s first name).
    """

    text: str
    span: tuple[int, int] | None = None


class Parses:
    """A story's sentences as spaCy docs, parsed when first asked for.

    Callers that know which sentences they need parse them in one batch and hand the docs
    over; a sentence nobody parsed is parsed when a rule has to look back to it, which most
    never need.
    """

    def __init__(self, story: Story, docs: dict[int, Doc] | None = None) -> None:
        self.story = story
        self._docs = docs if docs is not None else {}

    def __contains__(self, index: int) -> bool:
        return 0 <= index < len(self.story.sentences)

    def parsed(self) -> list[int]:
        """Return the sentences parsed so far."""
        return list(self._docs)

    def add(self, docs: dict[int, Doc]) -> None:
        """Hand over sentences parsed elsewhere, in a batch."""
        self._docs.update(docs)

    def __getitem__(self, index: int) -> Doc:
        if index not in self._docs:
            self._docs[index] = nlp.load()(self.story.sentences[index].text)
        return self._docs[index]


def _no_credits(_: int) -> Sequence[Span]:
    return ()


class Referents:
    """Resolves the referring words of one story, reading its sentences as needed.

    ``credited`` gives the parties a sentence credits (attribution's reading of it); without
    it, only names count.
    """

    def __init__(self, story: Story, docs: Parses, credited: Credited = _no_credits) -> None:
        self.story = story
        self.docs = docs
        self.credited = credited

    # -- pronouns ---------------------------------------------------------------------------

    def resolve(
        self, index: int, word: str, *, strict: bool, at: int = 0, context: str = ""
    ) -> Referent | None:
        """Return whom the pronoun ``word`` in sentence ``index`` refers to, or ``None``.

        ``at`` is the pronoun's token in its sentence (lenient rule: only what comes before
        it there counts). ``context`` is the text the name will be written into (strict rule:
        a text that names the person itself later needs no name, and gets none). The strict
        rule resolves only "he", "his", "she" and "her" at the start of a sentence.
        """
        if strict:
            return self._strictly(index, word, context)
        return self._leniently(index, word, at)

    def _leniently(self, index: int, word: str, at: int) -> Referent | None:
        """Take the last party credited or named, of the pronoun's kind, :data:`LOOKBACK` back.

        A name, or a party credited by what it is: for "they" a group ("officials said"),
        for "he" or "she" a role ("the senator said"). A "they" is never a place ("Lawmakers
        met in Ohio. They said ..."). Failing those, a "they" may be the one group the
        sentence before has as its subject (:meth:`_plural_subject`), and a "he" or "she"
        the one role (:meth:`_role_subject`).
        """
        person = word in lexicon.PERSONAL_PRONOUNS
        group = word in ("they", "them")
        for j in range(index, max(-1, index - LOOKBACK - 1), -1):
            if j not in self.docs:
                continue
            for party in reversed(self.credited(j)):
                if party.start >= at and j == index:
                    continue
                if party.root.pos_ == "PROPN" and (not person or _is_person(party)):
                    # a "he" is one of "Smith and his wife"; "they" are both
                    return Referent(self._name_one(j, party) if person else self.name(j, party))
                if group and party.root.lower_ in lexicon.PLURAL_SOURCES:
                    return Referent(clean(party))  # "Officials said ... They said ..."
                if person and party.root.pos_ == "NOUN" and is_role(party.root.text):
                    return Referent(self._name_one(j, party))  # "..., the senator said. He said"
            for ent in reversed(self.docs[j].ents):
                if j == index and ent.start >= at:
                    continue
                if (
                    (ent.label_ == "PERSON") == person
                    and ent.label_ in lexicon.PARTY_LABELS
                    and not (group and ent.label_ in lexicon.PLACE_LABELS)
                ):
                    if len(ent) == 1:
                        return Referent(self._full_name(j, ent.text))
                    start = self.story.sentences[j].start + ent.start_char
                    return Referent(ent.text, (start, start + len(ent.text)))
        if group:
            return self._plural_subject(index, at)
        return self._role_subject(index) if person else None

    def _role_subject(self, index: int) -> Referent | None:
        """Return the role a "he" or "she" with no name before it goes back to, if one.

        "The minister spoke for an hour. 'Our economy grew 3 percent,' he told parliament":
        in the nearest sentence before, within :data:`LOOKBACK`, with a subject outside
        quotation marks that is no pronoun, that subject, when it is a role
        (:data:`nutgraf.lexicon.ROLES`: "the minister", "the coach") and the one person or
        role the sentence names, is the person as the story names them. Not "The president
        met the prime minister. She said ...", which could be either, nor the subject of a
        quotation ("'The president has failed us,' the senator said": the senator is
        credited, and a credit is read first). The pronoun's own sentence is not read: what
        comes before it there is mostly the quotation it closes.
        """
        for j in range(index - 1, max(-1, index - LOOKBACK - 1), -1):
            if j not in self.docs:
                continue
            doc = self.docs[j]
            quoted = quotations(doc.text)
            subjects = [
                t
                for t in doc
                if t.dep_ in lexicon.SUBJECT_DEPS
                and t.lower_ not in lexicon.OPENING_PRONOUNS
                and not any(start <= t.idx < end for start, end in quoted)
            ]
            if subjects:
                people = [
                    t
                    for t in doc
                    if (t.pos_ == "NOUN" and is_role(t.text))
                    or (t.ent_type_ == "PERSON" and t.ent_iob_ == "B")
                ]
                first = subjects[0]
                if people == [first]:
                    return Referent(self.name(j, party_of(first)))
                return None
        return None

    def _plural_subject(self, index: int, at: int) -> Referent | None:
        """Return the group a "they" with no named party goes back to: a plural subject before it.

        "Police arrested John Smith on Friday. They said 14 guns were found": the nearest
        sentence before the pronoun (or its own, before it), within :data:`LOOKBACK`, that
        holds a plural noun must hold only one, the subject, a group that speaks
        (:data:`nutgraf.lexicon.PLURAL_SOURCES`: "police", "Health officials"). "Police fired
        tear gas at protesters. They said ..." could be either, and names no one.
        """
        for j in range(index, max(-1, index - LOOKBACK - 1), -1):
            if j not in self.docs:
                continue
            plural = [
                t
                for t in self.docs[j]
                if (j < index or t.i < at)
                and t.pos_ in ("NOUN", "PROPN")
                and t.dep_ != "compound"
                and (t.tag_ in ("NNS", "NNPS") or t.lower_ in lexicon.PLURAL_SOURCES)
            ]
            if plural:
                (group, *others) = plural
                if others or group.dep_ not in lexicon.SUBJECT_DEPS:
                    return None
                return (
                    Referent(clean(party_of(group)))
                    if group.lower_ in lexicon.PLURAL_SOURCES
                    else None
                )
        return None

    def _strictly(self, index: int, word: str, context: str) -> Referent | None:
        """Name the one person who leads the naming sentence, if no one else could be meant.

        The naming sentence (:func:`naming_sentence`) must name exactly one person, and that
        person must lead it (see :func:`_people`), not be a possessor or an object there. The
        name is refused when the pronoun's gender is contradicted (a pronoun of the other
        gender from the naming sentence to this one, or a title such as "Mrs" before the name
        anywhere in the story) and when ``context`` names the person itself. The longest
        mention in the naming sentence is the name used.
        """
        naming = naming_sentence(self.story, index, word)
        if naming is None:
            return None
        sentence = self.story.sentences[naming]
        found = _people(sentence.start, self.docs[naming])
        surnames = {_surname(self.story, span) for span, _ in found}
        if len(surnames) != 1 or not any(leads for _, leads in found):
            return None
        (surname,) = surnames
        gender = lexicon.GENDERED_OPENINGS[word]
        other = "f" if gender == "m" else "m"
        between = self.story.text[sentence.start : self.story.sentences[index].start]
        title = re.compile(
            rf"\b(?:{lexicon.TITLES[other]})\.?\s+(?:\S+\s+)?{re.escape(surname)}\b", re.I
        )
        if (
            _OTHER_GENDER[gender].search(between)
            or title.search(self.story.text)
            or re.search(rf"\b{re.escape(surname)}\b", context, re.I)
        ):
            return None
        start, end = max(
            (span for span, _ in found),
            key=lambda s: (len(self.story.text[s[0] : s[1]].split()), s[0]),
        )
        return Referent(self.story.text[start:end], (start, end))

    # -- naming ---------------------------------------------------------------------------

    def name(self, index: int, party: Span) -> str:
        """Name a credited phrase as a reader needs it: pronouns and "the group" resolved.

        "Shortest complete name" in the claims guidelines' words: "he said" becomes the person
        last credited or named, "the group said" the group the story named before, "Park
        said" the full name the story introduced.
        """
        partner = _partner(party)
        if partner is not None:  # "The UN and the Red Cross said": both, as the guidelines ask
            return f"{self._name_one(index, party)} and {self._name_one(index, partner)}"
        return self._name_one(index, party)

    def _name_one(self, index: int, party: Span) -> str:
        """Name one party (see :meth:`name`)."""
        root = party.root
        if len(party) == 1 and root.lower_ in lexicon.CREDIT_PRONOUNS:
            found = self.resolve(index, root.lower_, strict=False, at=root.i)
            return found.text if found is not None else party.text
        if root.pos_ == "PROPN" and len(party) == 1:
            return self._full_name(index, root.text)
        if not any(t.pos_ == "PROPN" for t in party) and party[0].lower_ in ("the", "this"):
            found_name = self._described(index, party)
            if found_name is None and party.root.lemma_.lower() in lexicon.EVIDENCE:
                found_name = self._last_named(index)
            if found_name is not None:
                return found_name
        return clean(_without_sample(party))

    def _last_named(self, index: int) -> str | None:
        """Return the party last credited by name before a document described ("the report").

        The claims guidelines name a source as the story first named it: "according to the
        report", after "according to Airports Council International's data", is the Council.
        Only sentences already parsed, and :data:`LOOKBACK` before this one, are read; a
        person does not write "the report" of a story.
        """
        for j in sorted(
            {j for j in self.docs.parsed() if j < index}
            | set(range(max(0, index - LOOKBACK), index)),
            reverse=True,
        ):
            for earlier in reversed(self.credited(j)):
                if any(t.pos_ == "PROPN" for t in earlier) and earlier.root.ent_type_ != "PERSON":
                    return self.name(j, earlier)
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
            for earlier in reversed(self.credited(j)):
                if (
                    (j < index or earlier.end <= party.start)
                    and earlier.root.lemma_.lower() == (lemma)
                    and any(t.pos_ == "PROPN" for t in earlier)
                ):
                    return self.name(j, earlier)
            for ent in reversed(self.docs[j].ents):
                if ent.label_ in lexicon.PARTY_LABELS and lemma in _descriptors(ent):
                    return clean(party_of(ent.root))
        return None

    def _full_name(self, index: int, surname: str) -> str:
        """Return the fullest form of a name the story used before ("Park" -> "Kenny Park").

        Without the role before it, as a pronoun's person is named (:func:`_people`).
        """
        sentence = self.story.sentences[index]
        before = self.story.text[: sentence.end]
        for match in re.finditer(rf"\b{re.escape(surname)}\b", before):
            prefix = _CAPITALIZED.search(before[max(0, match.start() - 60) : match.start()])
            if prefix:
                words = prefix.group(0).split()
                ends = [
                    k for k, w in enumerate(words) if w.endswith(".") and not _ABBREVIATION.match(w)
                ]
                if ends:  # "Spotify. Meghan Markle": a sentence ended before the name
                    words = words[ends[-1] + 1 :]
                while words and words[0].lower() in lexicon.NAME_OPENERS:
                    words.pop(0)
                # a role before a first name is no part of the name, as :func:`_people`
                # reads it: "Health Minister Anna Lind" is Anna Lind, whether "Lind" or "she"
                # is credited; "Federico Mayor Zaragoza" and "Dr. Dre" keep theirs
                roles = [k for k, w in enumerate(words) if is_role(w)]
                if roles and roles[-1] + 1 < len(words):
                    words = words[roles[-1] + 1 :]
                if words:
                    return " ".join([*words, surname])
        return surname


def naming_sentence(story: Story, index: int, word: str) -> int | None:
    """Return the sentence that should name the person of sentence ``index``'s opening word.

    That is the sentence before, or, past sentences that go on about the same person
    unnamed ("He ...", "The 66-year-old ..."), the one before those, at most
    :data:`LOOKBACK` back. ``None`` for a word the strict rule does not resolve. The
    sentence is the one to parse for :meth:`Referents.resolve` (``strict=True``).
    """
    gender = lexicon.GENDERED_OPENINGS.get(word)
    if gender is None:
        return None
    for before in range(index - 1, max(index - 1 - LOOKBACK, -1), -1):
        if not _GOES_ON[gender].match(story.sentences[before].text):
            return before
    return None


def is_role(word: str) -> bool:
    """Whether a word of a name is a role or a title, with its period or without ("Dr.").

    The resolver drops one before a first name and the PolNeAR scorer drops them from an
    annotated source, so both read a title alike.
    """
    return word.lower().rstrip(".") in lexicon.ROLES


def same_party(a: str, b: str) -> bool:
    """Whether two names name one party: a word F1 of at least 0.5, a leading "the" aside.

    Stories name a party more or less fully from one mention to the next ("the United
    Nations", "United Nations", "the UN's World Food Programme"), so names are compared by
    their words rather than whole.

    >>> same_party("the United Nations", "United Nations"), same_party("police", "the army")
    (True, False)
    """
    left, right = _name_words(a), _name_words(b)
    common = sum(min(left.count(w), right.count(w)) for w in set(left))
    if not common:
        return False
    precision, recall = common / len(right), common / len(left)
    return 2 * precision * recall / (precision + recall) >= 0.5


def _name_words(name: str) -> list[str]:
    words = lexicon.WORD.findall(name.lower())
    return words[1:] if words[:1] == ["the"] else words


def party_of(token: Token) -> Span:
    """Return the phrase that names a party, without appositives, clauses or a trailing comma.

    A name is its entity, taken on past "of" when the name goes on ("the Local Coordination
    Committees of Syria"); evidence is named by its owner ("Airports Council International's
    data", "data compiled by FactSet", "figures from the ONS"); anything else is the word with
    what modifies it.
    """
    doc = token.doc
    if token.ent_type_ in lexicon.PARTY_LABELS and token.pos_ == "PROPN":
        ent = next(e for e in doc.ents if e.start <= token.i < e.end)
        end = max(ent.end, token.i + 1)
        for prep in token.rights:
            # "the Local Coordination Committees of Syria": a name that goes on past "of"
            named = [c for c in prep.children if c.dep_ == "pobj" and c.pos_ == "PROPN"]
            if prep.lower_ == "of" and named and prep.i == end and ent.label_ != "PERSON":
                end = named[0].right_edge.i + 1
        return doc[ent.start : end]
    if token.lemma_.lower() in lexicon.EVIDENCE:
        owners = [c for c in token.children if c.dep_ == "poss"]
        if owners:
            owner = owners[0]
            words = [t for t in owner.subtree if t.dep_ != "case"]
            return doc[words[0].i : words[-1].i + 1]
        # "data compiled by FactSet", "figures from the Office for National Statistics": the
        # preposition, or the agent of a participle, that names who made the evidence
        links = [
            link
            for child in token.children
            for link in (
                [child]
                if child.dep_ == "prep" and child.lower_ in ("from", "by")
                else [a for a in child.children if child.dep_ == "acl" and a.dep_ == "agent"]
            )
        ]
        makers = [
            g
            for link in links
            for g in link.children
            if g.dep_ == "pobj" and g.pos_ == "PROPN" and g.ent_type_ in lexicon.PARTY_LABELS
        ]
        if makers:
            return party_of(makers[0])
    # "a group called Local Coordination Committees", "known as the LCC": the name it is given
    given = [
        name
        for acl in token.children
        if acl.dep_ == "acl" and acl.lower_ in lexicon.NAMING_WORDS
        for link in [acl, *(c for c in acl.children if c.dep_ == "prep" and c.lower_ == "as")]
        for name in link.children
        if name.dep_ in ("oprd", "pobj") and name.pos_ == "PROPN"
    ]
    if given:
        return party_of(given[0])
    keep = [token]
    for child in token.children:
        if child.dep_ not in _CUT:
            keep.extend(child.subtree)
    indexes = sorted(t.i for t in keep)
    start, end = indexes[0], indexes[-1] + 1
    for i in range(token.i + 1, end):
        if doc[i].text in (",", ";", *lexicon.DASHES, *lexicon.OPENING_PARENTHESES):
            end = i
            break
    while start < token.i and doc[start].lower_ in ("a", "an"):
        start += 1
    return doc[start:end]


def _partner(party: Span) -> Span | None:
    """Return a second party the credited one is joined to by "and", when it stands apart.

    The entity recognizer names "the UN" alone in "The UN and the Red Cross said"; a phrase
    that already holds both ("Police and hospital officials") has no partner outside it.
    """
    root = party.root
    if not any(c.dep_ == "cc" and c.lower_ == "and" for c in root.children):
        return None
    partners = [
        c
        for c in root.children
        if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN") and c.i >= party.end
    ]
    return party_of(partners[0]) if partners else None


def _without_sample(party: Span) -> Span:
    """Return evidence named without whom it sampled: "a YouGov survey of 2,104 adults" is YouGov's.

    The sample's count is a figure of its own, and the name the guidelines want is the
    shortest complete one; "a poll of voters in Ohio" keeps its words.
    """
    root = party.root
    if root.lemma_.lower() not in lexicon.EVIDENCE:
        return party
    for prep in root.rights:
        if prep.lower_ == "of" and party.start < prep.i < party.end:
            sampled = [c for c in prep.children if c.dep_ == "pobj"]
            if sampled and any(t.like_num for t in sampled[0].children):
                return party.doc[party.start : prep.i]
    return party


def clean(party: Span) -> str:
    """Return a party's words without the punctuation around them."""
    return party.text.strip(" ,;:\"“”'")


def _people(start: int, doc: Doc) -> list[tuple[tuple[int, int], bool]]:
    """Return the people spaCy found in a sentence, each with whether it leads the sentence.

    A person leads when the sentence's first subject that is not a pronoun is the person's
    name ("Smith, 45, was arrested", "'It hurts,' Smith said"): in "The jogger was hurt,
    Smith said" the jogger leads, and a "he" after it is the jogger. A mention is trimmed of a
    role before it ("striker Ian Wright": the entity recognizer includes it in lowercased
    text) and of a possessive after it; mentions that are not plain words are left out.
    ``start`` is the sentence's offset in the story; the spans found are in story offsets.
    """
    lead = next(
        (
            t.i
            for t in doc
            if t.dep_ in lexicon.SUBJECT_DEPS and t.lower_ not in lexicon.OPENING_PRONOUNS
        ),
        len(doc),
    )
    found = []
    for entity in doc.ents:
        if entity.label_ != "PERSON":
            continue
        words = [(w.start(), w.end()) for w in re.finditer(r"\S+", entity.text)]
        while words and entity.text[words[0][0] : words[0][1]].lower() in lexicon.ROLES:
            words.pop(0)
        if words:
            last, end = words.pop()
            possessive = _POSSESSIVE.search(entity.text, last, end)
            end = possessive.start() if possessive else end
            words += [(last, end)] if end > last else []
        if not 0 < len(words) <= 5 or not all(
            lexicon.NAME_WORD.fullmatch(entity.text, a, b) for a, b in words
        ):
            continue
        offset = start + entity.start_char
        span = (offset + words[0][0], offset + words[-1][1])
        found.append((span, entity.start <= lead < entity.end))
    return found


def _surname(story: Story, span: tuple[int, int]) -> str:
    return story.text[span[0] : span[1]].split()[-1].lower()


def _descriptors(ent: Span) -> set[str]:
    """Nouns the story used to describe a named party: appositives and titles before it."""
    root = ent.root
    words = {c.lemma_.lower() for c in root.children if c.dep_ == "appos"}
    if root.dep_ == "appos":
        words.add(root.head.lemma_.lower())
    # the title right before the name, in one noun phrase with it ("the opposition group
    # Local Coordination Committees", "a group called ...", "known as ..."), or a capitalized
    # one ("Mayor Bill de Blasio"), whether or not the recognizer took it into the name; a
    # noun before a verb is no title of the verb's object ("the mayor told CNN")
    for t in reversed(ent.doc[max(0, ent.start - 3) : ent.start]):
        if is_role(t.text):
            words.add(t.lower_.rstrip("."))
        elif t.pos_ not in ("NOUN", "ADJ") and t.lower_ not in lexicon.NAMING_WORDS:
            break
        elif t.pos_ == "NOUN":
            words.add(t.lemma_.lower())
    words.update(t.lemma_.lower() for t in ent if t.pos_ == "NOUN")
    words.update(t.lower_.rstrip(".") for t in ent if is_role(t.text))
    return words


def _is_person(party: Span) -> bool:
    """Tell whether a credited name can be "he" or "she".

    The small model often tags a person ORG, so anything named that is not a place, a
    nationality or "the ..." qualifies.
    """
    return party[0].lower_ != "the" and not any(
        t.ent_type_ in lexicon.NOT_PERSON_LABELS for t in party
    )
