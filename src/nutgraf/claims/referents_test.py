"""The one resolver of referring words: strict for bullets' openings, lenient for sources."""

import pytest

from nutgraf.claims.referents import Parses, Referent, Referents, naming_sentence, same_party
from nutgraf.read import sentences
from nutgraf.story import Story

GRAVES = (
    "Michael Graves, an architect and designer, died on Thursday at his home in Princeton. "
    "He was 80. His firm said a memorial would be held in May."
)
JOGGER = "The jogger suffered fractures, spokesman Don Clotworthy said. He said she will recover."


def _referents(text: str) -> Referents:
    story = sentences.split(Story(text))
    return Referents(story, Parses(story))


def test_the_naming_sentence_passes_over_sentences_that_go_on_about_the_person() -> None:
    story = _referents(GRAVES).story
    assert naming_sentence(story, 1, "he") == 0
    assert naming_sentence(story, 2, "his") == 0  # "He was 80." goes on about Graves
    assert naming_sentence(story, 1, "they") is None  # not a pronoun the rule resolves


@pytest.mark.parametrize("strict", [True, False])
def test_both_rules_name_the_one_person_leading_the_sentence_before(strict: bool) -> None:
    referents = _referents(GRAVES)
    found = referents.resolve(1, "he", strict=strict)
    assert found == Referent("Michael Graves", (0, 14))
    assert found.span is not None
    assert referents.story.text[slice(*found.span)] == found.text


def test_the_rules_differ_where_someone_else_could_be_meant() -> None:
    referents = _referents(JOGGER)
    # the jogger leads the sentence before, so "He" may be the jogger: a bullet names no one
    assert referents.resolve(1, "he", strict=True) is None
    # a source takes the last person the story named
    lenient = referents.resolve(1, "he", strict=False)
    assert lenient is not None and lenient.text == "Don Clotworthy"


def test_the_strict_rule_refuses_a_name_the_text_already_gives() -> None:
    referents = _referents(GRAVES)
    assert referents.resolve(1, "he", strict=True, context="He was 80, Graves's firm said.") is None


def test_the_strict_rule_refuses_a_contradicted_gender() -> None:
    referents = _referents(
        "Jane Smith, 45, was arrested on Monday at her home. He said it was wrong."
    )
    assert referents.resolve(1, "he", strict=True) is None


def test_a_surname_is_named_as_the_story_first_gave_it() -> None:
    referents = _referents("Kenny Park, a lawyer, spoke on Monday. Park said 12 people were hurt.")
    doc = referents.docs[1]
    assert referents.name(1, doc[0:1]) == "Kenny Park"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("the United Nations", "United Nations", True),
        ("the Local Coordination Committees of Syria", "Local Coordination Committees", True),
        ("police", "the army", False),
        ("the observatory", "Syria", False),
    ],
)
def test_same_party_compares_names_by_their_words(a: str, b: str, same: bool) -> None:
    assert same_party(a, b) is same
    assert same_party(b, a) is same


def test_a_full_name_never_runs_across_lines() -> None:
    text = "DON'T MISS\nChina said it was committed to the plan. China said 80 people were killed."
    story = sentences.split(Story(text=text, body=[(11, len(text))]))
    referents = Referents(story, Parses(story))
    assert referents._full_name(1, "China") == "China"
