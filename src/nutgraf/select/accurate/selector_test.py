import copy
import json
import pickle
import re
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from nutgraf.errors import ModelError
from nutgraf.read import ingest, sentences
from nutgraf.select.accurate import selector as accurate
from nutgraf.select.accurate.encoder import DIM
from nutgraf.select.accurate.selector import (
    SENTENCE_FEATURES,
    SET_FEATURES,
    AccurateSelector,
    ensure_vectors,
)
from nutgraf.select.candidates import CANDIDATE_FEATURES
from nutgraf.select.features import FEATURE_NAMES
from nutgraf.select.models import load, load_selector, selector_class
from nutgraf.select.selector import HighlightSelector
from nutgraf.story import Story

FIXTURE = Path(__file__).parents[4] / "tests" / "fixtures" / "cnndm_sample.jsonl"


def _stories() -> list[Story]:
    return [sentences.split(s) for _, s in ingest.iter_jsonl(FIXTURE) if isinstance(s, Story)]


@pytest.fixture(scope="module")
def encoded(encoder_cache: Path) -> list[Story]:
    """The fixture stories with their sentence vectors, encoded in one batch as in fitting."""
    stories = _stories()
    ensure_vectors(stories)
    return stories


def _copy(stories: list[Story]) -> list[Story]:
    """Fresh copies of encoded stories, so no test sees another's highlights."""
    return copy.deepcopy(stories)


def test_init_stores_parameters_unchanged_so_clone_works() -> None:
    selector = AccurateSelector(head_width=48, head_layers=1, head_epochs=3, max_bullets=3)
    copy = clone(selector)
    assert type(copy) is AccurateSelector
    assert copy.get_params() == selector.get_params()
    params = copy.get_params()
    assert (params["head_width"], params["head_layers"], params["head_epochs"]) == (48, 1, 3)
    assert params["max_bullets"] == 3 and params["n_estimators"] == 300
    assert copy.set_params(head_width=16).head_width == 16


def test_the_accurate_model_name_picks_this_class() -> None:
    assert selector_class("accurate") is AccurateSelector
    assert AccurateSelector.kind == "accurate" != HighlightSelector.kind


@pytest.mark.parametrize("method", ["predict", "predict_proba", "annotate"])
def test_an_unfitted_selector_says_so(method: str) -> None:
    with pytest.raises(ModelError, match="not fitted"):
        getattr(AccurateSelector(), method)(_stories()[:1])


def test_an_unfitted_selector_cannot_be_saved(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not fitted"):
        AccurateSelector().save(tmp_path / "model.npz")
    assert not (tmp_path / "model.npz").exists()


def test_fit_needs_one_reference_per_story() -> None:
    with pytest.raises(ValueError, match="references"):
        AccurateSelector().fit(_stories(), [])


def test_fit_reports_the_encoder_and_head_steps(
    tiny_accurate_fit: tuple[AccurateSelector, list[str]],
) -> None:
    selector, lines = tiny_accurate_fit
    steps = [line for line in lines if not line.startswith("head epoch")]
    assert steps.index("sentence vectors") < steps.index("sentence scorer")
    assert [s for s in steps if s.startswith("inter-sentence head")] == [
        "inter-sentence head, fold 1/2",
        "inter-sentence head, fold 2/2",
        "inter-sentence head, all stories",
    ]
    epochs = selector.head_epochs * (selector.n_folds + 1)
    assert sum(line.startswith("head epoch") for line in lines) == epochs


def test_both_stages_read_the_encoder_columns(tiny_accurate: AccurateSelector) -> None:
    assert tiny_accurate.scorer_.num_feature() == len(FEATURE_NAMES) + 1 + len(SENTENCE_FEATURES)
    assert tiny_accurate.reranker_.num_feature() == len(CANDIDATE_FEATURES) + len(SET_FEATURES)
    assert tiny_accurate.head_["input.weight"].shape == (tiny_accurate.head_width, DIM)
    assert "layer1.qkv.weight" in tiny_accurate.head_ and "layer2.qkv.weight" not in (
        tiny_accurate.head_
    )


def test_predictions_are_one_to_max_bullets_sentences_in_story_order(
    tiny_accurate: AccurateSelector, encoded: list[Story]
) -> None:
    stories = _copy(encoded)
    predictions = tiny_accurate.predict(stories)
    assert len(predictions) == len(stories)
    for story, chosen in zip(stories, predictions, strict=True):
        assert 1 <= len(chosen) <= tiny_accurate.max_bullets
        assert list(chosen) == sorted(set(chosen))
        assert all(0 <= i < len(story.sentences) for i in chosen)
        assert all(isinstance(i, int) for i in chosen)


def test_predict_proba_scores_every_sentence_and_leaves_the_stories_alone(
    tiny_accurate: AccurateSelector,
) -> None:
    stories = _stories()
    probabilities = tiny_accurate.predict_proba(stories)
    tiny_accurate.predict(stories)
    assert [len(p) for p in probabilities] == [len(s.sentences) for s in stories]
    assert all(((p >= 0) & (p <= 1)).all() for p in probabilities)
    assert all(not s.highlights and not s.scores and s.tensor is None for s in stories)


def test_annotate_writes_the_vectors_it_read_and_choosing_again_reuses_them(
    tiny_accurate: AccurateSelector, monkeypatch: pytest.MonkeyPatch
) -> None:
    stories = _stories()[:2]
    tiny_accurate.annotate(stories)
    assert all(s.tensor is not None and s.tensor.shape == (len(s.sentences), DIM) for s in stories)
    expected = [list(s.highlights) for s in stories]

    def no_encoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("choosing again encoded the stories a second time")

    monkeypatch.setattr(accurate, "encode", no_encoding)
    tiny_accurate.choose(stories)
    assert [s.highlights for s in stories] == expected


def test_a_story_the_encoder_did_not_read_is_scored_on_its_words(
    tiny_accurate: AccurateSelector, encoded: list[Story]
) -> None:
    story = _copy(encoded)[0]
    story.tensor = np.full((len(story.sentences), DIM), np.nan, dtype=np.float32)
    (probabilities,) = tiny_accurate.predict_proba([story])
    (chosen,) = tiny_accurate.predict([story])
    assert np.isfinite(probabilities).all()
    assert 1 <= len(chosen) <= tiny_accurate.max_bullets
    assert np.isnan(story.tensor).all()  # NaN means "not read", not "encode me"


def test_predictions_follow_the_vectors_on_the_story(
    tiny_accurate: AccurateSelector, encoded: list[Story]
) -> None:
    story = _copy(encoded)[0]
    (read,) = tiny_accurate.predict_proba([story])
    assert story.tensor is not None
    story.tensor = np.full_like(story.tensor, np.nan)
    (unread,) = tiny_accurate.predict_proba([story])
    assert not np.allclose(read, unread)


def test_ensure_vectors_encodes_only_stories_without_them(encoder_cache: Path) -> None:
    fresh, kept, stale = _stories()[:3]
    keep = np.zeros((len(kept.sentences), DIM), dtype=np.float32)
    kept.tensor = keep
    stale.tensor = np.zeros((len(stale.sentences) - 1, DIM), dtype=np.float32)
    ensure_vectors([fresh, kept, stale])
    assert kept.tensor is keep
    for story in (fresh, stale):
        assert story.tensor is not None and story.tensor.shape == (len(story.sentences), DIM)
        read = ~np.isnan(story.tensor[:, 0])
        assert read.any()
        np.testing.assert_allclose(np.linalg.norm(story.tensor[read], axis=1), 1.0, atol=1e-5)


def test_choose_writes_whole_sentences_with_provenance(
    tiny_accurate: AccurateSelector, encoded: list[Story]
) -> None:
    stories = _copy(encoded)
    expected = tiny_accurate.predict(_copy(encoded))
    assert tiny_accurate.choose(stories) == stories
    for story, chosen in zip(stories, expected, strict=True):
        assert len(story.scores) == len(story.sentences)
        assert [h.sentences for h in story.highlights] == [(i,) for i in chosen]
        for highlight in story.highlights:
            ((start, end),) = highlight.spans
            assert story.text[start:end] == highlight.text


def test_save_and_load_round_trip_through_the_base_class(
    tiny_accurate: AccurateSelector, encoded: list[Story], tmp_path: Path
) -> None:
    path = tmp_path / "accurate.npz"
    tiny_accurate.save(path)
    with np.load(path, allow_pickle=False) as data:  # plain arrays, no pickle
        assert json.loads(str(data["meta"]))["kind"] == "accurate"
        assert any(name.startswith("head.") for name in data.files)
    loaded = load(path)
    assert type(loaded) is AccurateSelector
    assert loaded.get_params() == tiny_accurate.get_params()
    assert isinstance(loaded, AccurateSelector)
    assert loaded.head_.keys() == tiny_accurate.head_.keys()
    assert all(np.array_equal(loaded.head_[k], tiny_accurate.head_[k]) for k in loaded.head_)
    stories = _copy(encoded)
    for ours, theirs in zip(
        loaded.predict_proba(stories), tiny_accurate.predict_proba(stories), strict=True
    ):
        assert np.array_equal(ours, theirs)
    assert loaded.predict(stories) == tiny_accurate.predict(stories)
    load_selector.cache_clear()
    try:
        assert type(load_selector(path)) is AccurateSelector
    finally:
        load_selector.cache_clear()


def test_pickle_round_trip_predicts_the_same(
    tiny_accurate: AccurateSelector, encoded: list[Story]
) -> None:
    unpickled = pickle.loads(pickle.dumps(tiny_accurate))
    assert unpickled.predict(_copy(encoded)) == tiny_accurate.predict(_copy(encoded))


def test_a_model_file_without_its_head_is_a_clear_error(
    tiny_accurate: AccurateSelector, tmp_path: Path
) -> None:
    whole, headless = tmp_path / "whole.npz", tmp_path / "headless.npz"
    tiny_accurate.save(whole)
    with np.load(whole, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files if not name.startswith("head.")}
    np.savez_compressed(headless, allow_pickle=False, **arrays)
    with pytest.raises(ModelError, match="nutgraf train"):
        load(headless).predict(_stories()[:1])


def _stand_in(path: Path) -> Path:
    """Write a model file that records the accurate kind and nothing else."""
    meta = {"format": 1, "kind": "accurate", "params": {}}
    np.savez_compressed(path, meta=np.array(json.dumps(meta)))
    return path


def test_loading_an_accurate_model_without_the_extra_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _stand_in(tmp_path / "accurate.npz")
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ModelError, match=re.escape('pip install "nutgraf[accurate]"')):
        load(path)


def test_a_missing_extra_is_not_blamed_on_the_model_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _stand_in(tmp_path / "accurate.npz")
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ModelError) as caught:
        load(path)
    assert "cannot read the model" not in str(caught.value)
    assert "rebuild" not in str(caught.value)


def test_fit_is_deterministic(tiny_accurate: AccurateSelector, encoded: list[Story]) -> None:
    stories = _copy(encoded)
    again = clone(tiny_accurate).fit(stories, [s.reference for s in stories])
    assert all(np.array_equal(again.head_[k], tiny_accurate.head_[k]) for k in again.head_)
    for ours, theirs in zip(
        again.predict_proba(_copy(encoded)),
        tiny_accurate.predict_proba(_copy(encoded)),
        strict=True,
    ):
        assert np.array_equal(ours, theirs)


def test_a_story_gets_the_same_highlights_alone_as_in_a_batch(
    tiny_accurate: AccurateSelector,
) -> None:
    together = tiny_accurate.predict_proba(_stories())
    alone = [tiny_accurate.predict_proba([story])[0] for story in _stories()]
    for ours, theirs in zip(alone, together, strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-4, rtol=0)
    assert [tiny_accurate.predict([s])[0] for s in _stories()] == tiny_accurate.predict(_stories())


def test_fit_without_torch_fails_before_any_work(monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[str] = []
    monkeypatch.setitem(sys.modules, "torch", None)
    stories = _stories()
    with pytest.raises(ModelError, match=re.escape('pip install "nutgraf[accurate]"')):
        AccurateSelector().fit(stories, [s.reference for s in stories], progress=steps.append)
    assert steps == []
