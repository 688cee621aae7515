"""The contract every pipeline stage keeps: Story in, the same Story out, empty input fine."""

import pickle
from collections.abc import Callable

import pytest

from nutgraf import pipeline
from nutgraf.read import sentences
from nutgraf.select.models import load_selector
from nutgraf.story import Story

TEXT = "Police arrested two men on Monday. They were charged with theft. A court sits today."


def _annotate(story: Story) -> Story:
    if not story.sentences:
        sentences.split(story)
    return load_selector().annotate([story])[0]


STAGES: dict[str, Callable[[Story], Story]] = {
    "split": sentences.split,
    "annotate": _annotate,
    "process": pipeline.process,
}


@pytest.mark.parametrize("stage", STAGES.values(), ids=STAGES.keys())
def test_stage_returns_the_story_it_was_given(stage: Callable[[Story], Story]) -> None:
    story = Story(text=TEXT)
    assert stage(story) is story


@pytest.mark.parametrize("stage", STAGES.values(), ids=STAGES.keys())
def test_stage_handles_an_empty_story(stage: Callable[[Story], Story]) -> None:
    story = Story(text="")
    story.body = []
    out = stage(story)
    assert out.sentences == [] and out.highlights == []


@pytest.mark.parametrize("stage", STAGES.values(), ids=STAGES.keys())
def test_stage_output_survives_pickling(stage: Callable[[Story], Story]) -> None:
    story = stage(Story(text=TEXT))
    assert pickle.loads(pickle.dumps(story)) == story


def test_one_sentence_story_gives_that_sentence() -> None:
    story = pipeline.highlights("Police arrested two men on Monday.")
    assert [h.text for h in story.highlights] == ["Police arrested two men on Monday."]


def test_same_input_same_output() -> None:
    first = pipeline.highlights(TEXT * 5)
    second = pipeline.highlights(TEXT * 5)
    assert first.highlights == second.highlights
