import copy
from collections.abc import Collection, Sequence
from pathlib import Path

import pytest

from nutgraf import pipeline
from nutgraf.edit import bullets, openings
from nutgraf.read import ingest, sentences
from nutgraf.story import Casing, Highlight, Story

FIXTURE = Path(__file__).parents[3] / "tests" / "fixtures" / "cnndm_sample.jsonl"
INSERTED = {"", " says", " say", "'s", "'", " 's", " '"}
"""Every string the style stage may put between two spans of a bullet."""


def _story(text: str, casing: Casing = Casing.CASED) -> Story:
    return sentences.split(Story(text=text, casing=casing))


class Lead:
    """A selector taking the first ``size`` sentences not blocked; it records every choice.

    The pipeline's tests use it too, as a stand-in for the packaged selector.
    """

    def __init__(self, size: int = 2) -> None:
        self.size = size
        self.calls: list[list[set[int]]] = []

    def annotate(self, stories: Sequence[Story]) -> list[Story]:
        return self.choose(stories)

    def choose(
        self, stories: Sequence[Story], blocked: Sequence[Collection[int]] | None = None
    ) -> list[Story]:
        blocks = [set(b) for b in blocked] if blocked else [set() for _ in stories]
        self.calls.append(blocks)
        for story, block in zip(stories, blocks, strict=True):
            story.highlights = [
                Highlight(s.text, (s.index,), ((s.start, s.end),), 1.0)
                for s in story.sentences
                if s.index not in block
            ][: self.size]
        return list(stories)


def _edit(story: Story, chooser: Lead) -> list[str]:
    chooser.choose([story])
    bullets.edit([story], chooser)
    return [h.text for h in story.highlights]


def assert_maps_to_story(story: Story, highlight: Highlight) -> None:
    """The bullet is its spans' text in order, with only allowed strings between them."""
    text, at = highlight.text, 0
    for number, (start, end) in enumerate(highlight.spans):
        piece = story.text[start:end]
        found = text.lower().find(piece.lower(), at)
        assert found >= 0, (piece, text)
        assert text[at:found] in INSERTED, (text[at:found], text)
        assert text[found + 1 : found + len(piece)] == piece[1:]
        if not (number == 0 and found == 0):  # only a first letter may change case
            assert text[found] == piece[0]
        at = found + len(piece)
    assert text[at:] in INSERTED


# -- pronouns resolved ------------------------------------------------------------------------

GRAVES = (
    "Michael Graves, an architect and designer, died on Thursday at his home in Princeton. "
    "He was 80. His firm said a memorial would be held in May."
)


def test_he_becomes_the_name_and_the_name_is_a_span_of_the_story() -> None:
    story = _story(GRAVES)
    chooser = Lead(size=1)
    chooser.choose([story], [{0}])
    bullets.edit([story], chooser)
    (bullet,) = story.highlights
    assert bullet.text == "Michael Graves was 80."
    assert bullet.sentences == (1,)
    assert story.text[slice(*bullet.spans[0])] == "Michael Graves"
    assert_maps_to_story(story, bullet)
    assert len(chooser.calls) == 1  # resolved: nothing chosen again


def test_his_becomes_a_possessive_in_the_tokenized_form() -> None:
    story = _story(
        "joe hart claimed his 100th clean sheet in the premier league on saturday . "
        "his save in the first half was the best of the season .",
        Casing.TOKENIZED,
    )
    chooser = Lead(size=1)
    chooser.choose([story], [{0}])
    bullets.edit([story], chooser)
    assert [h.text for h in story.highlights] == [
        "joe hart 's save in the first half was the best of the season ."
    ]
    assert_maps_to_story(story, story.highlights[0])


def test_a_name_ending_in_s_takes_an_apostrophe() -> None:
    story = _story(
        "Thomas Jones has led horse safaris in South Africa for more than a decade. "
        "His stable of around 40 horses includes former racehorses."
    )
    chooser = Lead(size=1)
    chooser.choose([story], [{0}])
    bullets.edit([story], chooser)
    assert story.highlights[0].text == (
        "Thomas Jones' stable of around 40 horses includes former racehorses."
    )


@pytest.mark.parametrize(
    "text",
    [
        # "her" between the name and the bullet: "He" may be someone else
        "Jane Smith, 45, was arrested on Monday at her home. He said the police had no case.",
        # "He's" would become "Smith's", which reads as a possessive
        "John Smith, 45, was arrested on Monday. He's been released on bail since then.",
        # the leading subject is the jogger, not the spokesman
        "The jogger suffered fractures, spokesman Don Clotworthy said. His injuries are minor.",
    ],
)
def test_a_doubtful_pronoun_is_chosen_otherwise(text: str) -> None:
    story = _story(text)
    chooser = Lead(size=1)
    chooser.choose([story], [{0}])
    bullets.edit([story], chooser)
    assert chooser.calls[-1] == [{1}]
    assert [h.sentences for h in story.highlights] == [(0,)]


# -- choosing otherwise -----------------------------------------------------------------------


def test_an_unresolvable_bullet_is_chosen_otherwise_as_a_set() -> None:
    story = _story(
        "Police arrested two men on Monday. They were charged with theft. "
        "A court will hear the case in May."
    )
    chooser = Lead(size=2)
    assert _edit(story, chooser) == [
        "Police arrested two men on Monday.",
        "A court will hear the case in May.",
    ]
    assert chooser.calls == [[set()], [{1}]]


def test_the_last_round_blocks_every_pronoun_opening() -> None:
    story = _story(
        "Police arrested two men on Monday. They were charged with theft. It was their third "
        "arrest. This is a record. They will appear in court. A judge will hear the case."
    )
    chooser = Lead(size=2)
    texts = _edit(story, chooser)
    assert texts == ["Police arrested two men on Monday.", "A judge will hear the case."]
    assert len(chooser.calls) == 1 + bullets.ROUNDS
    assert chooser.calls[-1] == [{1, 2, 3, 4}]


def test_a_story_with_nothing_else_keeps_its_bullet() -> None:
    story = _story("They left the city on Monday.")
    assert _edit(story, Lead()) == ["They left the city on Monday."]


# -- the stage in the pipeline ----------------------------------------------------------------


def _fixture() -> list[Story]:
    return [sentences.split(s) for _, s in ingest.iter_jsonl(FIXTURE) if isinstance(s, Story)]


def test_every_bullet_of_the_packaged_model_maps_to_its_story() -> None:
    stories = pipeline.annotate(_fixture(), figures=None)
    for story in stories:
        assert 1 <= len(story.highlights) <= 4
        for highlight in story.highlights:
            assert_maps_to_story(story, highlight)
            assert openings.opening_pronoun(highlight.text) is None
            (index,) = highlight.sentences
            sentence = story.sentences[index]
            assert sentence.start <= highlight.spans[-1][0] < sentence.end


def test_the_same_stories_give_the_same_bullets() -> None:
    first = pipeline.annotate(_fixture(), figures=None)
    second = pipeline.annotate(copy.deepcopy(_fixture()), figures=None)
    assert [s.highlights for s in first] == [s.highlights for s in second]


def test_a_call_of_many_stories_equals_one_call_per_story() -> None:
    together = pipeline.annotate(_fixture(), figures=None)
    alone = [pipeline.annotate([story], figures=None)[0] for story in _fixture()]
    assert [s.highlights for s in together] == [s.highlights for s in alone]
