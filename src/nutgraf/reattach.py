"""A repair of spaCy's parse where the small English model hangs a reported clause wrongly.

"The UN said in a report that 1 million more people would need aid" reports the clause after
"that": it is what the UN said, and in the report. spaCy's small English pipeline often hangs
that clause from the noun of the phrase before it ("report"), as a clause that describes the
report ("the report that he wrote"), so the figure in it is read as part of "in a report",
nowhere under "said", and a figure the UN reports is credited to nobody. The same happens
after "wrote in a letter that" and "said during a briefing that".

:func:`reattach` gives such a clause back to the verb: when a clause opens with the
conjunction "that" (a ``mark``, which a relative clause's "that", a pronoun, never is) and
hangs from the object of a preposition of the medium
(:data:`nutgraf.lexicon.MEDIUM_PREPOSITIONS`: "in a report", not "amid speculation") of a
reporting verb (:data:`nutgraf.lexicon.REPORTING_LEMMAS`) that reports no other clause, it
becomes that verb's complement (``ccomp``), as spaCy parses "said on Monday that ...". The
stages that read clauses (figures and their sources, compression's units) then read the same
repaired tree; the bullets' pronoun rule, which reads only names and subjects, parses without
it.

>>> from nutgraf import nlp
>>> doc = nlp.load()("The UN said in a report that 1 million more people would need food aid.")
>>> [(t.text, t.dep_, t.head.text) for t in doc if t.dep_ == "ccomp"]
[('need', 'ccomp', 'said')]
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

from nutgraf import lexicon

COMPONENT = "nutgraf_reattach"
"""The name the repair runs under in nutgraf's pipeline (:func:`nutgraf.nlp.load`)."""

_REPORTING = lexicon.REPORTING_LEMMAS | lexicon.CLAUSE_REPORTING_LEMMAS


def _misplaced_verb(clause: Token) -> Token | None:
    """Return the reporting verb a "that" clause hung from a preposition's object belongs to."""
    if clause.dep_ not in ("acl", "relcl") or not any(
        c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
    ):
        return None
    noun = clause.head
    preposition = noun.head
    verb = preposition.head
    if (
        noun.dep_ == "pobj"
        and preposition.dep_ == "prep"
        and preposition.lower_ in lexicon.MEDIUM_PREPOSITIONS
        and verb.pos_ == "VERB"
        and verb.lemma_.lower() in _REPORTING
        and not any(c.dep_ == "ccomp" for c in verb.children)
    ):
        return verb
    return None


@Language.component(COMPONENT)
def reattach(doc: Doc) -> Doc:
    """Hang each reported clause that the parser gave a preposition's object from its verb."""
    for token in doc:
        verb = _misplaced_verb(token)
        if verb is not None:
            token.head = verb
            token.dep_ = "ccomp"
    return doc
