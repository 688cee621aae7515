import pytest
import spacy

from nutgraf import components, nlp

TEXTS = [
    "Kurdi, the deputy commander, said on Monday that at least 80 people had been killed.",
    "He ain't gonna go, y'all, and there is nothin' she does that gets him to.",
    "Let's see what it says: the report, released Tuesday, found 15,000 cases.",
    "I told you it was there  -- twice -- but they didn't believe me or it.",
    "The mayor's aides have said they are reviewing the city's 2015 budget.",
]


@pytest.fixture(scope="module")
def stock() -> spacy.language.Language:
    return spacy.load(nlp.PIPELINE)


def _annotations(docs: list[spacy.tokens.Doc]) -> list[list[tuple[str, ...]]]:
    return [
        [
            (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.ent_iob_, t.ent_type_)
            for t in doc
        ]
        for doc in docs
    ]


def test_the_swapped_components_annotate_as_the_stock_ones(stock: spacy.language.Language) -> None:
    swapped = nlp.load()
    assert [type(swapped.get_pipe(name)).__name__ for name in components.SWAPS] == [
        "IndexedAttributeRuler",
        "CachedLemmatizer",
    ]
    assert _annotations(list(swapped.pipe(TEXTS))) == _annotations(list(stock.pipe(TEXTS)))
    # the second time, from the caches, the same again
    assert _annotations(list(swapped.pipe(TEXTS))) == _annotations(list(stock.pipe(TEXTS)))


def test_a_rule_of_several_tokens_still_applies(stock: spacy.language.Language) -> None:
    doc = nlp.load()("They ain't going, y'all.")
    assert [t.lemma_ for t in doc][:3] == ["they", "be", "not"]
    assert doc[5].lemma_ == "you"  # "y'all": a rule of two tokens, matched, not looked up
    assert _annotations([doc]) == _annotations([stock("They ain't going, y'all.")])


def test_the_indexed_ruler_keeps_the_rules_it_was_given(stock: spacy.language.Language) -> None:
    rules = stock.get_pipe("attribute_ruler").patterns  # type: ignore[attr-defined]
    assert nlp.load().get_pipe("attribute_ruler").patterns == rules  # type: ignore[attr-defined]


def test_the_models_multiply_through_numpy_on_one_blas_thread() -> None:
    from threadpoolctl import threadpool_info

    language = nlp.load()
    models = [getattr(pipe, "model", None) for _, pipe in language.components]
    layers = [layer for model in models if model is not None for layer in model.walk()]
    assert layers
    assert all(not layer.ops.use_blis for layer in layers)
    assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")
