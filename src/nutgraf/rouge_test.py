import pytest
from rouge_score import rouge_scorer

from nutgraf.rouge import Reference, oracle, rouge_tokens, score


def test_score_matches_rouge_score_by_hand() -> None:
    result = score(["the cat sat on the mat"], ["the cat lay on the mat"])
    assert result.rouge1 == pytest.approx(5 / 6)
    assert result.rouge2 == pytest.approx(3 / 5)


def test_score_agrees_with_plain_rouge_score_on_multi_sentence_summaries() -> None:
    summary = ["Police arrested two men on Monday.", "They were charged with theft."]
    reference = ["Two men arrested by police", "Both charged with theft"]
    plain = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    expected = plain.score("\n".join(reference), "\n".join(summary))
    got = score(summary, reference)
    assert got.rouge1 == pytest.approx(expected["rouge1"].fmeasure)
    assert got.rouge2 == pytest.approx(expected["rouge2"].fmeasure)
    assert got.rougeLsum == pytest.approx(expected["rougeLsum"].fmeasure)


@pytest.mark.parametrize(("summary", "reference"), [([], ["a b"]), (["a b"], []), ([], [])])
def test_empty_sides_score_zero(summary: list[str], reference: list[str]) -> None:
    assert score(summary, reference) == (0.0, 0.0, 0.0)


def test_tokens_are_stemmed_and_lowercased() -> None:
    assert rouge_tokens("Running DOGS") == ["run", "dog"]


def test_reference_gain_is_rouge1_plus_rouge2() -> None:
    reference = ["the cat lay on the mat"]
    gain = Reference(reference).gain_of([rouge_tokens("the cat sat on the mat")])
    expected = score(["the cat sat on the mat"], reference)
    assert gain == pytest.approx(expected.rouge1 + expected.rouge2)


def test_oracle_takes_sentences_while_they_help() -> None:
    sentences = ["Rain fell all day.", "The cat sat on the mat.", "A dog barked at the cat."]
    assert oracle(sentences, ["A cat sat on a mat.", "A dog barked."]) == [1, 2]
    assert oracle(sentences, []) == []
