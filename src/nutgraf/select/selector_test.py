import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from nutgraf.errors import ModelError
from nutgraf.evaluate.peers import lead3
from nutgraf.read import ingest, sentences
from nutgraf.rouge import score
from nutgraf.select.models import default_model_path, load, load_selector
from nutgraf.select.selector import HighlightSelector
from nutgraf.story import Story

FIXTURE = Path(__file__).parents[3] / "tests" / "fixtures" / "cnndm_sample.jsonl"


def _stories() -> list[Story]:
    return [sentences.split(s) for _, s in ingest.iter_jsonl(FIXTURE) if isinstance(s, Story)]


@pytest.fixture(scope="module")
def small() -> HighlightSelector:
    stories = _stories()
    selector = HighlightSelector(n_estimators=20, min_child_samples=5, hash_bits=12)
    return selector.fit(stories, [s.reference for s in stories])


def test_init_stores_parameters_unchanged_so_clone_works() -> None:
    selector = HighlightSelector(pool_size=6, max_bullets=3)
    copy = clone(selector)
    assert copy.get_params() == selector.get_params()
    assert copy.get_params()["pool_size"] == 6


def test_an_unfitted_selector_says_so() -> None:
    with pytest.raises(ModelError, match="not fitted"):
        HighlightSelector().predict(_stories())


def test_fit_needs_one_reference_per_story() -> None:
    with pytest.raises(ValueError, match="references"):
        HighlightSelector().fit(_stories(), [])


def test_predictions_are_sets_of_sentences_in_story_order(small: HighlightSelector) -> None:
    stories = _stories()
    for story, chosen in zip(stories, small.predict(stories), strict=True):
        assert 1 <= len(chosen) <= small.max_bullets
        assert list(chosen) == sorted(set(chosen))
        assert all(0 <= i < len(story.sentences) for i in chosen)


def test_predict_proba_leaves_stories_untouched(small: HighlightSelector) -> None:
    stories = _stories()
    probabilities = small.predict_proba(stories)
    assert [len(p) for p in probabilities] == [len(s.sentences) for s in stories]
    assert all(((p >= 0) & (p <= 1)).all() for p in probabilities)
    assert all(not s.highlights and not s.scores for s in stories)


def test_save_load_and_pickle_round_trips_predict_the_same(
    small: HighlightSelector, tmp_path: Path
) -> None:
    stories = _stories()
    small.save(tmp_path / "model.npz")
    loaded = load(tmp_path / "model.npz")
    assert loaded.get_params() == small.get_params()
    assert loaded.predict(stories) == small.predict(stories)
    assert pickle.loads(pickle.dumps(small)).predict(stories) == small.predict(stories)


def test_a_damaged_model_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="nutgraf train"):
        load(broken)
    with pytest.raises(ModelError, match="no model"):
        load_selector(tmp_path / "missing.npz")


def test_a_truncated_model_file_is_a_clear_error(tmp_path: Path) -> None:
    whole = default_model_path().read_bytes()
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ModelError, match="nutgraf train"):
        load(truncated)


def test_choose_writes_whole_sentences_with_provenance() -> None:
    story = _stories()[0]
    load_selector().choose([story])
    assert len(story.scores) == len(story.sentences)
    assert 1 <= len(story.highlights) <= 4
    for highlight in story.highlights:
        (index,) = highlight.sentences
        ((start, end),) = highlight.spans
        assert story.text[start:end] == highlight.text == story.sentences[index].text


def test_packaged_model_beats_lead3_on_the_fixture() -> None:
    stories = _stories()
    selector = load_selector()
    ours = [
        score([s.sentences[i].text for i in chosen], s.reference)
        for s, chosen in zip(stories, selector.predict(stories), strict=True)
    ]
    baseline = [score(lead3(s), s.reference) for s in stories]
    assert np.mean(ours, axis=0)[0] > np.mean(baseline, axis=0)[0]


def test_fit_needs_one_group_per_story() -> None:
    stories = _stories()
    with pytest.raises(ValueError, match="groups"):
        HighlightSelector().fit(stories, [s.reference for s in stories], groups=[0])


def test_a_story_s_forms_share_a_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[int]] = []

    def record(
        self: HighlightSelector,
        stories: list[Story],
        target: np.ndarray,
        offsets: np.ndarray,
        story_folds: np.ndarray,
        progress: object,
    ) -> np.ndarray:
        seen.append(story_folds.tolist())
        return np.zeros((len(target), 0))

    monkeypatch.setattr(HighlightSelector, "_fit_extra", record)
    stories = _stories()[:6]
    selector = HighlightSelector(n_estimators=2, min_child_samples=1, hash_bits=8)
    selector.fit(stories, [s.reference for s in stories], groups=[0, 0, 1, 1, 2, 2])
    assert seen == [[0, 0, 1, 1, 0, 0]]
