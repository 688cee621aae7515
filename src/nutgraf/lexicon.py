"""Every word list nutgraf reads text with, in one place, as spaCy keeps ``lang/en``.

The stages need to know words of English news: pronouns, reporting verbs, quotation marks,
titles and roles. Each list is written once, here, and named for what it means; a stage that
needs a narrower or a wider set builds it from these rather than writing its own. Where two
stages read the same kind of word with different lists, both are here side by side, and the
docstring says why they differ.

Lists of one rule only (the units of a measure, the scales of a number) stay with the rule
that reads them, as spaCy keeps a component's own patterns with the component.
"""

from __future__ import annotations

# -- pronouns -----------------------------------------------------------------------------------

PERSONAL_PRONOUNS = frozenset("he she him her".split())
"""Pronouns of one person: a credit to one of these is a credit to a person."""

GROUP_PRONOUNS = frozenset("they them it we i".split())
"""Pronouns a credit may use for a party that is not one person ("they said", "it reported")."""

CREDIT_PRONOUNS = PERSONAL_PRONOUNS | GROUP_PRONOUNS
"""Pronouns that, credited with a claim, are resolved to the party they stand for."""

OPENING_PRONOUNS = frozenset(
    """he she him his her hers they them their theirs it its we our ours i me my mine
    you your yours this that these those""".split()
)
"""Words that, opening a bullet, point at something the bullet may not name. "Us" is left out:
it cannot open a sentence as a pronoun, and opens many as a name ("Us Weekly", "US troops")."""

FIRST_PERSON = frozenset("i me my mine we our ours you your yours".split())
"""Pronouns of the speaker and the listener, which a quotation's own words may use."""

GENDERED_OPENINGS = {"he": "m", "his": "m", "she": "f", "her": "f"}
"""Openings a bullet's person's name can replace, with the gender each implies."""

# -- people -------------------------------------------------------------------------------------

TITLES = {
    "m": "mr|sir|lord|king|prince|duke|father|husband|son|brother|boyfriend|actor",
    "f": "mrs|ms|miss|lady|queen|princess|duchess|mother|wife|daughter|sister|girlfriend|actress",
}
"""Words before a name that say a person's gender, as regular-expression alternatives."""

ROLES = frozenset(
    """striker defender midfielder goalkeeper forward winger manager coach boss captain
    president chief minister senator governor mayor judge officer sergeant detective dr mr
    mrs ms miss sir star actor actress singer player""".split()
)
"""Roles and titles the entity recognizer takes into a name ("striker Ian Wright")."""

# -- claims ---------------------------------------------------------------------------------------

EVIDENCE = frozenset(
    "data report reports figure figures statistic statistics estimate estimates survey study "
    "count tally analysis record records number numbers poll research finding assertion "
    "statement account claim".split()
)
"""Nouns that carry a claim: their owner is its source ("the police department's assertion
that...", "Airports Council International's data")."""
