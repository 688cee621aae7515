import dataclasses
import re
import sys

import numpy as np
import pytest
from numpy.typing import NDArray

from nutgraf.errors import ModelError
from nutgraf.select.accurate import head
from nutgraf.select.accurate.head import MAX_POSITION, HeadParams

torch = pytest.importorskip("torch")

SMALL = HeadParams(width=32, layers=2, heads=4, ffn=48, batch_size=4, threads=1)


def _weights_of(module: object, params: HeadParams) -> head.Weights:
    """The module's parameters as :func:`head.fit` returns them."""
    weights = {
        name: value.detach().numpy().astype(np.float32)
        for name, value in module.state_dict().items()  # type: ignore[attr-defined]
    }
    weights["heads"] = np.array([params.heads], dtype=np.float32)
    return weights


def _random_module(params: HeadParams, seed: int = 0) -> object:
    """A head in eval mode with every parameter random, layer norms included."""
    torch.manual_seed(seed)
    module = head._module(params)
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            noise = torch.randn_like(parameter) * 0.3
            parameter.copy_(noise + 1 if "norm" in name and name.endswith("weight") else noise)
    module.eval()
    return module


def _story(rng: np.random.Generator, n: int) -> NDArray[np.float32]:
    vectors = rng.standard_normal((n, 384)).astype(np.float32)
    return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), dtype=np.float32)


def _torch_logits(
    module: object, stories: list[NDArray[np.float32]], positions: list[NDArray[np.int64]]
) -> list[NDArray[np.float32]]:
    """Run the torch module on stories padded into one batch, as :func:`head.fit` does."""
    width = max(len(v) for v in stories)
    x = np.zeros((len(stories), width, 384), dtype=np.float32)
    pos = np.zeros((len(stories), width), dtype=np.int64)
    pad = np.ones((len(stories), width), dtype=bool)
    for row, (v, p) in enumerate(zip(stories, positions, strict=True)):
        x[row, : len(v)], pos[row, : len(v)], pad[row, : len(v)] = v, p, False
    with torch.no_grad():
        out = module(torch.from_numpy(x), torch.from_numpy(pos), torch.from_numpy(pad))  # type: ignore[operator]
    return [out[row, : len(v)].numpy() for row, v in enumerate(stories)]


@pytest.mark.parametrize(
    "params", [SMALL, HeadParams(width=24, layers=1, heads=2, ffn=16)], ids=["2x4", "1x2"]
)
def test_numpy_forward_matches_the_torch_module(params: HeadParams) -> None:
    module = _random_module(params)
    weights = _weights_of(module, params)
    rng = np.random.default_rng(1)
    stories = [_story(rng, 9), _story(rng, 4), _story(rng, 1)]
    positions = [
        np.array([0, 1, 2, 3, 5, MAX_POSITION - 1, MAX_POSITION, 100, 7], dtype=np.int64),
        np.arange(4, dtype=np.int64),
        np.array([2], dtype=np.int64),
    ]
    expected = _torch_logits(module, stories, positions)
    for vectors, pos, logits in zip(stories, positions, expected, strict=True):
        ours = head.forward(weights, vectors, pos)
        assert ours.dtype == np.float32 and ours.shape == (len(vectors),)
        np.testing.assert_allclose(ours, logits, atol=1e-4, rtol=0)
    assert np.ptp(expected[0]) > 0.1  # the logits vary, so a match means something


def test_forward_of_an_empty_story_is_empty() -> None:
    weights = _weights_of(_random_module(SMALL), SMALL)
    empty = head.forward(weights, np.zeros((0, 384), np.float32), np.zeros(0, np.int64))
    assert empty.shape == (0,)


Data = tuple[list[NDArray[np.float32]], list[NDArray[np.int64]], list[NDArray[np.float32]]]


def _separable(seed: int, n: int) -> Data:
    """Stories whose sentences are picked exactly when their first coordinate is positive."""
    rng = np.random.default_rng(seed)
    vectors: list[NDArray[np.float32]] = []
    positions: list[NDArray[np.int64]] = []
    labels: list[NDArray[np.float32]] = []
    for _ in range(n):
        size = int(rng.integers(3, 9))
        v = rng.standard_normal((size, 384)).astype(np.float32) * 0.05
        v[:, 0] = rng.choice([-1.0, 1.0], size=size)
        vectors.append(v)
        positions.append(rng.permutation(size).astype(np.int64))
        labels.append((v[:, 0] > 0).astype(np.float32))
    return vectors, positions, labels


def test_fit_is_deterministic_for_a_seed() -> None:
    data = _separable(0, 12)
    params = HeadParams(width=16, layers=1, heads=2, ffn=16, epochs=2, batch_size=4, threads=1)
    first, second = head.fit(*data, params=params), head.fit(*data, params=params)
    other = head.fit(*data, params=dataclasses.replace(params, seed=1))
    assert first.keys() == second.keys()
    assert all(np.array_equal(first[name], second[name]) for name in first)
    assert not all(np.array_equal(first[name], other[name]) for name in first)


def test_fit_learns_a_separable_signal() -> None:
    vectors, positions, labels = _separable(0, 48)
    params = HeadParams(
        width=32, layers=1, heads=2, ffn=32, epochs=8, batch_size=8, learning_rate=1e-2, threads=1
    )
    lines: list[str] = []
    weights = head.fit(vectors, positions, labels, params, lines.append)
    assert len(lines) == params.epochs and all(line.startswith("head epoch") for line in lines)
    losses = [float(re.sub(r".*loss ", "", line)) for line in lines]
    assert losses[-1] < losses[0]
    test_vectors, test_positions, test_labels = _separable(1, 30)
    hits = [
        (head.forward(weights, v, p) > 0) == (y > 0)
        for v, p, y in zip(test_vectors, test_positions, test_labels, strict=True)
    ]
    assert np.concatenate(hits).mean() > 0.85  # chance is 0.5


def test_fit_skips_stories_with_no_read_sentences() -> None:
    vectors, positions, labels = _separable(0, 6)
    vectors.append(np.zeros((0, 384), np.float32))
    positions.append(np.zeros(0, np.int64))
    labels.append(np.zeros(0, np.float32))
    params = HeadParams(width=16, layers=1, heads=2, ffn=16, epochs=2, batch_size=2, threads=1)
    weights = head.fit(vectors, positions, labels, params)
    assert np.isfinite(head.forward(weights, vectors[0], positions[0])).all()


def test_fit_trains_for_a_single_step() -> None:
    data = _separable(0, 3)
    params = HeadParams(width=16, layers=1, heads=2, ffn=16, epochs=1, batch_size=32, threads=1)
    weights = head.fit(*data, params=params)
    assert np.isfinite(head.forward(weights, data[0][0], data[1][0])).all()


def test_training_without_torch_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ModelError, match=re.escape('pip install "nutgraf[accurate]"')):
        head.fit(*_separable(0, 2), params=SMALL)
