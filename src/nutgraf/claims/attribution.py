"""Whom a story credits with a figure: the candidate credits near it, and the one it gets.

The rules here find **candidates** (:meth:`Attributor.candidates`): the subject of a reporting
verb ("the observatory said", "Anadolu reported", "said Park"), the object of "according to",
the owner of evidence ("the ministry's figures show"), a speaker before a colon, evidence after
"in" or "by" ("In a CNN/ORC poll, ..."), and the subject of any verb that PolNeAR's annotators
often took for a cue. They look in the figure's sentence, the one before when this one goes on
from it (a quotation that goes on, a subject "it" or "they"), and where a quotation holding the
figure opens or ends. The hand-written rules' own choice among them (the closest credit that
can cover the figure, else the sentence before's) is kept as one of the candidates' features.

The **source model** (:mod:`nutgraf.claims.sources`) scores each candidate; the best one that
reports, as the claims guidelines count a credit, is the figure's source when it scores at
least :data:`~nutgraf.claims.sources.THRESHOLD`. Everything else is the story's own statement,
and its source is ``None``.

A credit is then named as a reader needs it, "shortest complete name" in the guidelines' words,
by the story's one resolver of referring words (:mod:`nutgraf.claims.referents`, its lenient
rule): "the group said" becomes the group the story named before, "he said" the person last
credited or named, "Park said" the full name the story introduced, "the report" the party last
credited by name. The rules read spaCy's dependency parse and entities, so they hold for any
story rather than for a list of known sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from nutgraf import lexicon
from nutgraf.claims import sources
from nutgraf.claims.referents import Parses, Referents, party_of
from nutgraf.claims.sources import (
    THRESHOLD,
    Candidate,
    Context,
    CueRates,
    SourceModel,
    featurize,
    quotations,
)
from nutgraf.story import Story

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True, slots=True)
class Credit:
    """A credit in one sentence: the reporting word and the phrase it credits."""

    cue: Token
    party: Span


class Attributor:
    """Names the source of each figure of a story, reading its sentences as needed."""

    def __init__(self, story: Story, docs: Parses, model: SourceModel | None = None) -> None:
        self.story = story
        self.docs = docs
        self.model = model if model is not None else sources.load()
        self._credits: dict[int, list[Credit]] = {}
        self.referents = Referents(story, docs, self._parties)

    def source(self, index: int, token: Token) -> str | None:
        """Return the party credited with the figure at ``token`` in sentence ``index``, or None.

        The source model scores every candidate credit near the figure; the best one is named
        when its score reaches :data:`~nutgraf.claims.sources.THRESHOLD`. A figure that a verb
        values ("put the death toll at 230": :func:`valued_quantity`) is that verb's subject's.
        """
        candidates = [c for c in self.candidates(index, token) if c.reports]
        quantity = valued_quantity(token)
        if quantity is not None:
            valuing = [
                c
                for c in candidates
                if c.sentence == index and c.cue == quantity.head and _may_value(c.party.root)
            ]
            if valuing:
                return self.referents.name(index, valuing[0].party)
            agent = (
                _agent_of_value(token)
                if quantity.dep_ == "nsubjpass"
                else _owner_of_value(quantity.head)
            )
            if agent is not None:
                return self.referents.name(index, party_of(agent))
        if not candidates:
            return None
        scores = self.model.scores(
            featurize(token, index, candidates, self.context, self.model.rates)
        )
        best = int(scores.argmax())
        if scores[best] < THRESHOLD:
            return None
        return self.referents.name(candidates[best].sentence, candidates[best].party)

    def _ruled(self, index: int, token: Token) -> tuple[int, int] | None:
        """Return the credit the hand-written rules give the figure, as ``(sentence, cue token)``.

        In its own sentence, the closest credit that can cover the figure; else, when the
        sentence goes on from the one before (a quote, a pronoun), that one's last credit.
        The source model reads this as one of its features.
        """
        credits = [c for c in self.credits(index) if _may_credit(c, token)]
        if credits:
            return index, _closest(credits, token).cue.i
        if not self.credits(index) and index - 1 in self.docs and self._continues(index):
            before = self.credits(index - 1)
            if before:
                return index - 1, before[-1].cue.i
        return None

    def credits(self, index: int) -> list[Credit]:
        """Every credit in sentence ``index``, in text order (computed once)."""
        if index not in self._credits:
            self._credits[index] = _find_credits(self.docs[index])
        return self._credits[index]

    @cached_property
    def context(self) -> Context:
        """The story as the source model's features read it: its text and its quotations."""
        text = self.story.text
        return Context(text, [s.start for s in self.story.sentences], quotations(text))

    def reads(self, index: int) -> list[int]:
        """Return the sentences whose credits may cover a figure of sentence ``index``.

        The sentence itself; the one before when this one goes on from it (a quotation that
        goes on, a subject "it" or "they": :meth:`_continues`); and, for a sentence that ends
        inside a quotation, the sentence where the quotation ends and the one after, where its
        speaker usually stands; for a sentence that starts inside one, the sentence where it
        opened and the one before ("Caddell said: “... Forty-three, yes; forty-four, no.”"),
        up to four sentences back. The claims guidelines count a credit in the same sentence
        or the one before; parsing a neighbour only when the text says it may hold the credit
        keeps figures at one parse a sentence for most stories. Callers parse these in one
        batch before asking for sources.
        """
        last = len(self.story.sentences) - 1
        wanted = {index}
        if index > 0 and self._continues(index):
            wanted.add(index - 1)
        end = self.story.sentences[index].end
        quote = next(((s, e) for s, e in self.context.quotes if s < end < e), None)
        if quote is not None:
            closing = next(
                (
                    j
                    for j in range(index + 1, min(last, index + 4) + 1)
                    if self.story.sentences[j].end >= quote[1]
                ),
                None,
            )
            if closing is not None:
                wanted.update(j for j in (closing, closing + 1) if j <= last)
        start = self.story.sentences[index].start
        opened = next((s for s, e in self.context.quotes if s < start < e), None)
        if opened is not None:
            opening = next(
                j for j in range(index - 1, -1, -1) if self.story.sentences[j].start <= opened
            )
            if index - opening <= 4:
                wanted.update(j for j in (opening - 1, opening) if j >= 0)
        return sorted(wanted)

    def candidates(self, index: int, token: Token) -> list[Candidate]:
        """Every credit that may cover the figure at ``token`` in sentence ``index``.

        Those of the sentences :meth:`reads` names: the rules' credits and the words that
        the corpus's annotators took for cues, in text order; the source model chooses among
        them. A party that holds the figure ("51 percent of respondents said") is no
        candidate: a source is never its own content. Nor is any share of a population
        (:data:`~nutgraf.lexicon.SHARES`: "..., versus 39 percent for Trump" after it): a share
        that speaks answers a poll, and the poll is the source.
        """
        ruled = self._ruled(index, token)
        found: list[Candidate] = []
        for j in self.reads(index):
            rule = self.credits(j)
            cues = {c.cue.i for c in rule}
            parties = [(c.cue, c.party, True) for c in rule] + [
                (word, party, False)
                for word in self.docs[j]
                if word.i not in cues and (party := _credited(word, self.model.rates)) is not None
            ]
            found.extend(
                Candidate(j, cue, party, lexical, ruled == (j, cue.i))
                for cue, party, lexical in sorted(parties, key=lambda p: p[0].i)
                if (j != index or not party.start <= token.i < party.end)
                and party.root.lemma_.lower() not in lexicon.SHARES
            )
        return found

    def _parties(self, index: int) -> list[Span]:
        return [credit.party for credit in self.credits(index)]

    def _continues(self, index: int) -> bool:
        """Whether sentence ``index`` carries on from the one before: a quote or a pronoun."""
        doc = self.docs[index]
        text = doc.text.lstrip()
        if text.startswith(lexicon.DOUBLE_QUOTES):
            return True
        if _leaves_quote_open(self.story.sentences[index - 1].text):
            return True
        subjects = [t for t in doc if t.dep_ in lexicon.SUBJECT_DEPS]
        return (
            bool(subjects)
            and subjects[0].lower_ in lexicon.CONTINUING_PRONOUNS
            and not _quoted(subjects[0])
        )


def _leaves_quote_open(text: str) -> bool:
    """Whether a sentence ends inside a quotation, so the next one goes on quoting.

    Straight quotes are read by position: one followed by a letter opens, any other closes.
    """
    marks = list(lexicon.DOUBLE_QUOTE_MARK.finditer(text))
    if not marks:
        return False
    last = marks[-1]
    if last.group() in lexicon.OPENING_DOUBLE_QUOTES:
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
                found.append(Credit(token, party_of(objects[0])))
        elif token.lemma_.lower() in lexicon.EVIDENCE and token.pos_ == "NOUN":
            owners = [c for c in token.children if c.dep_ == "poss"]  # "the ministry's figures"
            if not owners and token.dep_ == "ROOT":
                # "Trump estimates that...": a verb the parse took for a noun, its subject for
                # a compound
                owners = [
                    c
                    for c in token.children
                    if c.dep_ == "compound" and c.ent_type_ in lexicon.PARTY_LABELS
                ]
            if owners and any(c.dep_ in ("acl", "relcl", "ccomp") for c in token.children):
                found.append(Credit(token, party_of(owners[0])))
        elif token.pos_ in ("VERB", "AUX") and (party := _reporter(token)) is not None:
            found.append(Credit(token, party_of(party)))
    return found


def _credited(word: Token, rates: CueRates) -> Span | None:
    """Return the party a possible cue credits, or None when the word is no cue.

    A word the corpus's annotators often took for a cue (``rates``) credits a verb's subject
    or agent (a participle's is its clause's: "Mr. Biden added, noting that..."), or a noun's
    owner ("Trump's own admission"). Two forms need no rate: evidence named after "in" or
    "by" ("In a Washington Post/ABC News poll, ...") and a speaker's name before a colon
    ("WALLACE: ...", "Carl Bialik: ...").
    """
    lemma = word.lemma_.lower()
    if word.pos_ == "ADP" and lemma in ("in", "by", "per"):
        evidence = [
            c for c in word.children if c.dep_ == "pobj" and c.lemma_.lower() in lexicon.EVIDENCE
        ]
        return party_of(evidence[0]) if evidence else None
    if word.text == ":":
        before = word.doc[: word.i]
        if 0 < len(before) <= 4 and all(
            t.pos_ == "PROPN" or t.is_title or t.is_upper for t in before
        ):
            return before
        return None
    if not rates.is_cue(lemma):
        return None
    if word.pos_ == "NOUN":
        owners = [c for c in word.children if c.dep_ == "poss"]
        return party_of(owners[0]) if owners else None
    if word.pos_ not in ("VERB", "AUX"):
        return None
    for verb in (word, word.head) if word.dep_ in ("advcl", "xcomp", "conj") else (word,):
        for child in verb.children:
            if child.dep_ == "nsubj" and child.lower_ not in lexicon.RELATIVE_SUBJECTS:
                return party_of(child)
            if child.dep_ == "agent":
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if objects:
                    return party_of(objects[0])
    return None


def _reporter(verb: Token) -> Token | None:
    """Return the subject a reporting verb credits, or None when the verb credits nobody.

    A verb shares its subject with the verb it is joined to ("Police appealed for help but
    said five men..."); a participle credits its agent ("deaths reported by WHO").
    """
    lemma = verb.lemma_.lower()
    phrasal = any(
        (lemma, c.lower_) in lexicon.PHRASAL_REPORTING for c in verb.children if c.dep_ == "prt"
    )
    if lemma in lexicon.CLAUSE_REPORTING_LEMMAS or phrasal:
        if not _reports_clause(verb):
            return None
    elif lemma not in lexicon.REPORTING_LEMMAS and lemma not in lexicon.FINDING_LEMMAS:
        return None
    if lemma == "claim" and any(c.lower_ == "responsibility" for c in verb.children):
        return None
    if any(c.dep_ == "neg" for c in verb.children):
        return None  # "would not say whether 500 troops ...": what is not said is no claim
    if lemma == "tell" and any(c.lower_ == "all" and c.i == verb.i - 1 for c in verb.children):
        return None  # "All told, ...": a sum, not a credit
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    agents = [
        party
        for c in verb.children
        if c.dep_ == "agent"
        for g in c.children
        for party in ([g] if g.dep_ == "pobj" else [c for c in g.children if c.dep_ == "nsubj"])
    ]
    if not subjects and not agents:
        subjects = _speaker_before(verb)
    # "A Quinnipiac poll found last week that...": the parse made the subject the root and
    # the verb its clause; a verb that reports a clause still credits it
    misparsed = verb.dep_ == "acl" and verb.head.dep_ == "ROOT"
    if not subjects and not agents and misparsed and _reports_clause(verb):
        subjects = [verb.head]
    if not subjects and not agents and any(c.dep_ == "det" for c in verb.children):
        # "..., a new Pew Research Center survey shows": the parse read the verb as the noun
        # of its subject's phrase ("a ... shows"), the subject its compound
        subjects = [c for c in verb.children if c.dep_ == "compound"][-1:]
    if not subjects and not agents:
        # a subject shared with a joined clause: "Police appealed ... but said five men...",
        # "The ministry issued a statement, saying 80 people...", "He went on to say..."
        joined = [verb.head] if verb.dep_ == "conj" or _speaks_for_head(verb) else []
        joined += [c for c in verb.lefts if c.dep_ in ("conj", "ccomp") and c.pos_ == "VERB"]
        subjects = [c for v in joined for c in v.children if c.dep_ == "nsubj"][:1]
    # of two subjects the parse gave the verb ("A crash killed 37 people, the ministry said"),
    # the speaker is the nearer: the other is the reported clause's, misread
    subjects.sort(key=lambda c: abs(c.i - verb.i))
    party = subjects[0] if subjects else (agents[0] if agents else None)
    if (
        party is not None
        and party.lower_ in ("who", "which", "that")
        and verb.dep_ == "relcl"
        and verb.head.pos_ in ("NOUN", "PROPN")
        and verb.head.lemma_.lower() not in lexicon.EVIDENCE
    ):
        # "Merkel met Macron, who said France would send 2,000 troops"; evidence that says
        # ("a Red Cross estimate that put ...") is named by its owner, if any (_owner_of_value)
        party = verb.head
    if party is None or (party.lower_ in lexicon.RELATIVE_SUBJECTS and not party.text.isupper()):
        return None  # a relative pronoun; "WHO" in capitals is the World Health Organization
    if verb.dep_ == "amod" and not agents:
        return None
    if party.lemma_.lower() in lexicon.EVIDENCE:
        # "The report, by the Government Accountability Office, found ...": the parse hung the
        # maker on the verb; the guidelines name the maker
        makers = [
            g
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ == "by"
            for g in c.children
            if g.dep_ == "pobj" and g.pos_ == "PROPN"
        ]
        party = makers[0] if makers else party
    if (
        lemma in lexicon.FINDING_LEMMAS
        and party.lemma_.lower() not in lexicon.EVIDENCE
        and not _reports_clause(verb)
    ):
        return None
    return party


def _speaks_for_head(verb: Token) -> bool:
    """Whether a reporting participle or infinitive says what the subject of its head says.

    A participle of speech does ("The ministry issued a statement, saying 80 people were
    killed"), unless an "according to" beside it names the speaker; one of evidence does not
    ("Payrolls rose, suggesting that ..."). An infinitive does after a verb of going on ("went
    on to say"), not after one of asking, refusing or planning ("refused to say whether",
    "urged the Pentagon to say", "plans to announce").
    """
    head = verb.head
    if verb.dep_ == "advcl":
        return verb.lemma_.lower() in lexicon.SPEECH_LEMMAS and not any(
            c.lower_ == "according" for c in head.children
        )
    return verb.dep_ == "xcomp" and head.lemma_.lower() in lexicon.GOING_ON


def _reports_clause(verb: Token) -> bool:
    """Whether a verb reports a clause with a verb of its own ("found that X won").

    A clause without one is a small clause of the verb's object ("found four men guilty"):
    a verdict or a sight, not a finding credited to its subject.
    """
    return any(c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") for c in verb.children)


def _speaker_before(verb: Token) -> list[Token]:
    """Return the speaker the parse hung on the noun before a closing "..., X said".

    In "killed at least 37 people, the country's Ministry of Health said" spaCy's small model
    takes the ministry for an appositive of "people" and leaves "said" with no subject; the
    speaker is the appositive that ends just before the verb (the outermost, for "a
    spokeswoman for the plant's owner, Delta Chemicals, said").
    """
    doc = verb.doc
    end = verb.i
    while end and doc[end - 1].is_punct:
        end -= 1
    found = [
        t for t in doc[:end] if t.dep_ == "appos" and t.right_edge.i + 1 >= end and t.head.i < t.i
    ]
    return found[:1]


def valued_quantity(token: Token) -> Token | None:
    """Return the quantity a verb puts at the figure hanging from ``token``, if one does.

    "The Red Cross put the death toll at 230" (the toll), "Police estimated the crowd at
    10,000", "the cost was put at $4 billion": the figure is the object of "at" itself
    (``token`` is that "at"; not "tallied the votes at 40 polling stations", where "at" says
    where) after a verb of :data:`nutgraf.lexicon.VALUING_LEMMAS` whose object or passive
    subject, a common noun, is the quantity (its head is that verb). Not "the loss put the
    Yankees at 12 games behind", which values no quantity, nor "put his age at 21", an age
    and no figure. The parse often hangs "at" inside the quantity's phrase ("put the number
    of displaced people at 60,000", "the odds of a rate cut at 30 percent"); it still belongs
    to the verb. :meth:`Attributor.source` credits that verb's subject without the source
    model, which has too few such sentences to learn from.
    """
    if token.lower_ != "at" or token.dep_ != "prep":
        return None
    valued = token.head
    while valued.dep_ in _WITHIN_PHRASE and valued.head.i != valued.i:
        valued = valued.head
    if valued.pos_ == "VERB":  # "at" on the verb: the quantity is its object
        valued = next(
            (c for c in valued.children if c.dep_ in ("dobj", "nsubjpass") and c.pos_ == "NOUN"),
            valued,
        )
    if (
        valued.dep_ in ("dobj", "nsubjpass")
        and valued.pos_ == "NOUN"
        and valued.lemma_.lower() != "age"
        and valued.head.pos_ == "VERB"
        and valued.head.lemma_.lower() in lexicon.VALUING_LEMMAS
    ):
        return valued
    return None


def _agent_of_value(at: Token) -> Token | None:
    """Return who put a passive's quantity at a value when the parse hung "by" on the value.

    "The crowd was estimated at 10,000 by police": the small model hangs "by police" on
    10,000, so the passive verb has no agent of its own. A "by" under the value names the
    party when :func:`_may_value` allows it.
    """
    for by in at.subtree:
        if by.lower_ == "by" and by.dep_ in ("prep", "agent"):
            for party in by.children:
                if party.dep_ == "pobj" and _may_value(party):
                    return party
    return None


def _owner_of_value(verb: Token) -> Token | None:
    """Return who values a quantity in a relative clause of evidence, when the story names it.

    "Officials rejected a Red Cross estimate that put the death toll at 300": the toll is
    the Red Cross's figure, though the sentence's speakers reject it. The evidence
    (:data:`nutgraf.lexicon.EVIDENCE`) must have an owner, a possessive or a name before it;
    "the figures, which put unemployment at 12 percent" names nobody.
    """
    if verb.dep_ != "relcl" or verb.head.lemma_.lower() not in lexicon.EVIDENCE:
        return None
    if not any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in verb.children):
        return None
    evidence = verb.head
    if any(c.dep_ == "poss" for c in evidence.children):
        return evidence  # :func:`party_of` names evidence by its possessive owner
    return next((c for c in evidence.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None)


def _may_value(party: Token) -> bool:
    """Whether a word can name who valued a quantity: not a time or a share.

    "Estimated at 10,000 by the end of the day", "by Monday", "up by 20 percent": a "by" of
    a passive is as often a time as an agent.
    """
    return (
        party.pos_ in ("NOUN", "PROPN", "PRON")
        and party.ent_type_ not in ("DATE", "TIME")
        and party.lemma_.lower()
        not in lexicon.TIME_UNITS | lexicon.CALENDAR_NOUNS | lexicon.SHARES | {"time", "end"}
    )


_WITHIN_PHRASE = frozenset("pobj prep compound amod acl".split())
"""Dependencies inside a noun phrase, through which :func:`valued_quantity` climbs from a
misplaced "at" to the phrase it values."""


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
    return not any(t.text in lexicon.DOUBLE_QUOTES for t in between) or _quoted(token)


def _quoted(token: Token) -> bool:
    """Whether a token sits inside a quotation of its sentence."""
    before = token.doc[: token.i]
    straight = sum(t.text in lexicon.STRAIGHT_DOUBLE_QUOTES for t in before)
    opening, closing = lexicon.CURLY_DOUBLE_QUOTES
    curly = sum(t.text == opening for t in before) - sum(t.text == closing for t in before)
    return straight % 2 == 1 or curly > 0


def _closest(credits: list[Credit], token: Token) -> Credit:
    """Return the credit whose reporting word governs the figure, or else the nearest one."""
    ancestors = {a.i for a in token.ancestors}
    governing = [c for c in credits if c.cue.i in ancestors]
    pool = governing or credits
    return min(pool, key=lambda c: abs(c.cue.i - token.i))
