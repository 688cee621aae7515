"""Tests of the two written forms: the form-free view, and turning a story into the other form."""

from __future__ import annotations

import pytest

from nutgraf import lexicon
from nutgraf.read.forms import detokenize, normal, tokenize
from nutgraf.read.sentences import split_text
from nutgraf.story import Casing

CASED = (
    '(CNN)The 25-year-old wasn\'t there, police said. "Why?" he asked. Gen. Smith arrived at '
    "10 a.m. The U.S. Army can't say. It cost $5,000 (about £3,000)."
)


def _words(text: str) -> list[str]:
    return lexicon.FEATURE_WORD.findall(normal(text))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("He wasn't there -lrb- he said -rrb- .", "he wasn't there ( he said ) ."),
        ("he was n't there , it 's true", "he wasn't there , it's true"),
        ("he ca n't and we can not", "he can't and we cannot"),
        ("the players ' wives", "the players ' wives"),
    ],
)
def test_normal_view(given: str, expected: str) -> None:
    assert normal(given) == expected


def test_tokenize_writes_the_data_s_tokenized_form() -> None:
    assert tokenize(CASED) == (
        '( cnn ) the 25 - year - old was n\'t there , police said . " why ? " he asked . '
        "gen. smith arrived at 10 a.m. . the u.s. army ca n't say . it cost $ 5,000 "
        "( about £ 3,000 ) ."
    )


def test_both_forms_have_the_same_words_and_sentences() -> None:
    tokenized = tokenize(CASED)
    assert _words(tokenized) == _words(CASED)
    cased = [_words(CASED[s:e]) for s, e in split_text(CASED)]
    apart = [_words(tokenized[s:e]) for s, e in split_text(tokenized, Casing.TOKENIZED)]
    assert apart == cased


@pytest.mark.parametrize(
    ("tokenized", "expected"),
    [
        (
            "the 25 - year - old was n't there , police said -lrb- cnn -rrb- .",
            "the 25-year-old wasn't there, police said (cnn).",
        ),
        (
            "infiltrating boko haram . ' we went to see a man , ' he said . the players ' wives",
            "infiltrating boko haram. 'we went to see a man,' he said. the players' wives",
        ),
        ("he said `` yes . '' she left .", 'he said "yes." she left.'),
        ("he said ‘ no ’ .", "he said ‘no’."),
    ],
)
def test_detokenize_spaces_the_words_as_prose(tokenized: str, expected: str) -> None:
    assert detokenize(tokenized) == expected


def test_detokenized_text_splits_as_the_tokenized_form_does() -> None:
    tokenized = (
        "by . jane smith . the match was off . ' what happened ? ' he asked . "
        "fans went home early . officials said no . the u.s. team left ."
    )
    prose = detokenize(tokenized)
    apart = [_words(tokenized[s:e]) for s, e in split_text(tokenized, Casing.TOKENIZED)]
    assert [_words(prose[s:e]) for s, e in split_text(prose)] == apart
