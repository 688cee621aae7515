"""Tests of training on both written forms of every story."""

from __future__ import annotations

from nutgraf.read import ingest, sentences
from nutgraf.select.train import other_form
from nutgraf.story import Casing

CASED = "(CNN)The match wasn't played on Monday, officials said. Fans went home early."
TOKENIZED = "the match was n't played on monday , officials said . fans went home early ."


def test_a_cased_story_is_tokenized_and_keeps_its_reference() -> None:
    story = sentences.split(ingest.read(CASED))
    story.reference = ["The match was off."]
    other = other_form(story)
    assert other.casing is Casing.TOKENIZED
    assert other.text == "( cnn ) " + TOKENIZED
    assert other.reference == story.reference
    assert [s.text for s in other.sentences] == TOKENIZED.replace(". f", ".|f").split("|")


def test_a_tokenized_story_is_spaced_as_prose() -> None:
    other = other_form(sentences.split(ingest.read(TOKENIZED)))
    assert other.casing is Casing.CASED
    assert [s.text for s in other.sentences] == [
        "the match wasn't played on monday, officials said.",
        "fans went home early.",
    ]
