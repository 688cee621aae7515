import copy

import numpy as np
import pytest

from nutgraf.story import Highlight, Sentence, Story


def _story(tensor: np.ndarray | None = None, **changes: object) -> Story:
    story = Story(
        "Rain fell. Fans left.",
        id="a",
        sentences=[Sentence(0, "Rain fell.", 0, 10, 0), Sentence(1, "Fans left.", 11, 21, 1)],
        scores=[0.5, 0.25],
        highlights=[Highlight("Rain fell.", (0,), ((0, 10),), 0.5)],
        tensor=tensor,
    )
    for name, value in changes.items():
        setattr(story, name, value)
    return story


def _vectors() -> np.ndarray:
    return np.array([[0.1, 0.2, 0.3], [np.nan, np.nan, np.nan]], dtype=np.float32)


def test_stories_with_equal_tensors_are_equal_even_with_nan_rows() -> None:
    first, second = _story(_vectors()), _story(_vectors())
    assert first.tensor is not second.tensor
    assert first == second
    assert (first != second) is False
    assert first == copy.deepcopy(first)


def test_a_different_tensor_makes_stories_differ() -> None:
    changed = _vectors()
    changed[0, 1] = 0.9
    assert _story(_vectors()) != _story(changed)
    assert _story(_vectors()) != _story(_vectors()[:1])  # another shape
    assert _story(_vectors()) != _story(None)
    assert _story(None) != _story(_vectors())
    assert _story(None) == _story(None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text", "Rain fell. Fans went home."),
        ("id", "b"),
        ("scores", [0.5, 0.5]),
        ("highlights", []),
        ("reference", ["Rain fell."]),
        ("body", [(0, 10)]),
    ],
)
def test_every_other_field_still_counts(field: str, value: object) -> None:
    assert _story(_vectors()) != _story(_vectors(), **{field: value})
    assert _story(None) != _story(None, **{field: value})


def test_a_story_is_not_equal_to_another_type_and_stays_unhashable() -> None:
    story = _story(_vectors())
    assert story != "Rain fell. Fans left."
    assert story.__eq__(object()) is NotImplemented
    with pytest.raises(TypeError):
        hash(story)
