import numpy as np
import pytest

from nutgraf.select.candidates import CANDIDATE_FEATURES, can_stand, enumerate_sets, pool
from nutgraf.select.features import words

WORDS = [
    "police arrested two men on monday".split(),
    "police arrested two men on monday night".split(),
    "the men were charged with theft".split(),
    "a court will hear the case".split(),
    [],
    "the shop lost goods worth thousands".split(),
    "residents said they felt safer now".split(),
]


def test_pool_skips_sentences_that_repeat_a_trigram_and_empty_ones() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.95, 0.5, 0.4])
    assert pool(scores, WORDS, 5) == [0, 2, 3, 5, 6]


def test_sets_cover_every_size_in_story_order() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.0, 0.5, 0.4])
    sets, rows = enumerate_sets(
        scores, WORDS, list(range(7)), pool_size=5, max_bullets=4, doc_sentences=7, doc_words=40
    )
    assert len(sets) == 5 + 10 + 10 + 5
    assert rows.shape == (len(sets), len(CANDIDATE_FEATURES))
    assert all(list(s) == sorted(s) for s in sets)
    assert {len(s) for s in sets} == {1, 2, 3, 4}


def test_a_short_story_gives_fewer_sets() -> None:
    sets, rows = enumerate_sets(
        np.array([0.5, 0.2]),
        WORDS[2:4],
        [0, 1],
        pool_size=5,
        max_bullets=4,
        doc_sentences=2,
        doc_words=12,
    )
    assert sets == [(0,), (1,), (0, 1)]
    assert rows.shape == (3, len(CANDIDATE_FEATURES))


def test_no_sentences_no_sets() -> None:
    sets, rows = enumerate_sets(
        np.zeros(0), [], [], pool_size=5, max_bullets=4, doc_sentences=0, doc_words=0
    )
    assert sets == []
    assert rows.shape == (0, len(CANDIDATE_FEATURES))


def test_blocked_sentences_leave_the_pool_to_the_next_best() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.95, 0.5, 0.4])
    assert pool(scores, WORDS, 3, blocked={0, 3}) == [1, 2, 5]  # 1 no longer repeats 0
    sets, _ = enumerate_sets(
        scores,
        WORDS,
        list(range(7)),
        pool_size=2,
        max_bullets=2,
        doc_sentences=7,
        doc_words=40,
        blocked={0},
    )
    assert sets == [(1,), (2,), (1, 2)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police arrested two men on Monday night.", True),
        ('"We were scared," she said of the night.', True),
        ("police arrested two men on monday night .", True),
        ("`` we were scared , '' she said that night . ''", True),
        ("Go on, go on.", False),  # a fragment: four words
        ("Meghan had suicidal thoughts in the palace", False),  # a headline: unfinished
        ("Scroll down for video", False),
        ("' title ' : ' woman lifts her 1.5 metre pet crocodile into the bath ' , .", False),
        ("dm.later ( ' bundle ' , function ( bundle , $ ) { bundle.init ( ) ; } ) .", False),
        ("The U.S. (and its allies) said the talks at 10 a.m. (local time) failed.", True),
        # a run of prose with no punctuation, as a transcript's or a long sentence's piece
        ("and then the committee heard from the witnesses again " * 5, True),
    ],
)
def test_a_bullet_is_a_finished_sentence_of_six_words_or_more(text: str, expected: bool) -> None:
    assert can_stand(text, words(text)) is expected


def test_blocked_sentences_never_enter_the_pool() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.95, 0.5, 0.4])
    assert pool(scores, WORDS, 5, blocked={0, 3}) == [1, 2, 5, 6]
