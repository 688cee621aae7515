from nutgraf import nlp


def test_renew_reloads_a_pipeline_whose_vocabulary_grew_past_the_limit() -> None:
    nlp.load.cache_clear()  # a fresh pipeline: earlier tests' words are not this test's
    first = nlp.load()
    nlp.renew(limit=50)
    assert nlp.load() is first  # nothing new parsed yet
    first(" ".join(f"zqxword{i}" for i in range(100)))
    nlp.renew(limit=1_000)
    assert nlp.load() is first  # grown, but within the limit
    nlp.renew(limit=50)
    second = nlp.load()
    assert second is not first
    assert len(second.vocab.strings) < len(first.vocab.strings)
