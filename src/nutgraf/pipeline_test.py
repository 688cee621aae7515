"""The one sequencer: every stage in order, for one story or many, figures as asked."""

import copy
from pathlib import Path

import pytest

from nutgraf import nlp, pipeline
from nutgraf.edit.bullets_test import Lead
from nutgraf.read import ingest, sentences
from nutgraf.select.models import load_selector
from nutgraf.story import Story

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "000_7c7ec3b5e1da7bbe.txt"
FIXTURE = ROOT / "tests" / "fixtures" / "cnndm_sample.jsonl"


def _example() -> Story:
    return ingest.read_file(EXAMPLE)


def test_figures_follow_the_scope_asked_for() -> None:
    bullets = pipeline.process(_example())
    everything = pipeline.process(_example(), figures="all")
    none = pipeline.process(_example(), figures=None)
    chosen = {i for h in bullets.highlights for i in h.sentences}
    assert bullets.figures and {f.sentence for f in bullets.figures} <= chosen
    assert {f.sentence for f in everything.figures} - chosen  # figures outside the bullets
    assert [f for f in everything.figures if f.sentence in chosen] == bullets.figures
    assert none.figures == [] and none.highlights == bullets.highlights


def test_figures_alone_choose_no_highlights() -> None:
    story = pipeline.process(_example(), highlights=False, figures="all")
    assert story.highlights == [] and story.scores == []
    assert story.figures == pipeline.figures(EXAMPLE.read_bytes())


def test_many_stories_at_once_equal_one_at_a_time() -> None:
    stories = [s for _, s in ingest.iter_jsonl(FIXTURE) if isinstance(s, Story)]
    together = pipeline.annotate(copy.deepcopy(stories), figures="all")
    apart = [pipeline.process(story, figures="all") for story in copy.deepcopy(stories)]
    assert [(s.highlights, s.figures) for s in together] == [
        (s.highlights, s.figures) for s in apart
    ]


def test_bullets_are_edited_after_selection_and_the_selector_predicts_without_writing() -> None:
    text = "Meanwhile, at least 80 people died in Homs on Monday, according to the group."
    story = sentences.split(Story(text))
    (chosen,) = load_selector().predict([story])
    assert chosen == (0,) and story.highlights == [] and story.scores == []
    pipeline.process(story, compress=False)
    (bullet,) = story.highlights
    assert bullet.text == "At least 80 people died in Homs on Monday, the group says."
    assert bullet.sentences == (0,)
    # compression then cuts what the model expects to cost the bullet, never the attribution
    (cut,) = pipeline.process(sentences.split(Story(text))).highlights
    assert cut.text.startswith("At least 80 people died") and cut.text.endswith("the group says.")


def test_the_editing_stage_is_handed_the_selectors_choose() -> None:
    story = Story(
        "Police arrested two men on Monday. They were charged with theft. "
        "A court will hear the case in May."
    )
    lead = Lead()
    pipeline.process(story, lead, figures=None)
    assert lead.calls == [[set()], [{1}]]  # "They were charged" cannot open a bullet
    assert [h.sentences for h in story.highlights] == [(0,), (2,)]


def test_every_call_may_renew_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[None] = []
    monkeypatch.setattr(nlp, "renew", lambda: calls.append(None))
    pipeline.process(Story("Rain fell on Monday. Fans went home."), figures=None)
    pipeline.figures("Rain fell on Monday. At least 40 homes were flooded.")
    assert len(calls) == 2


def test_an_empty_list_of_stories_is_no_work() -> None:
    assert pipeline.annotate([]) == []
