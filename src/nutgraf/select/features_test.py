import numpy as np

from nutgraf.read import sentences
from nutgraf.select.features import FEATURE_NAMES, featurize, words
from nutgraf.story import Casing, Story

IDF = {"police": 2.0, "arrested": 3.0, "men": 1.5}


def _features(story: Story) -> np.ndarray:
    sentences.split(story)
    tokens = [words(s.text) for s in story.sentences]
    return featurize(story, tokens, IDF, 5.0)


def test_cased_and_tokenized_forms_give_the_same_features() -> None:
    cased = Story(text='Police arrested two men. "We won\'t stop," the chief said. It rained.')
    tokenized = Story(
        text="police arrested two men . `` we wo n't stop , '' the chief said . it rained .",
        casing=Casing.TOKENIZED,
    )
    a, b = _features(cased), _features(tokenized)
    names = [n for n in FEATURE_NAMES if n not in {"n_words", "doc_words"}]
    columns = [FEATURE_NAMES.index(n) for n in names]
    np.testing.assert_allclose(a[:, columns], b[:, columns], rtol=1e-5)


def test_byline_fragments_count_as_after_the_story() -> None:
    story = Story(
        text="by . jane smith . police arrested two men . they were charged .",
        casing=Casing.TOKENIZED,
    )
    rows = _features(story)
    fragment = [s.position < 0 for s in story.sentences]
    assert any(fragment)
    position = FEATURE_NAMES.index("position")
    first_real = fragment.index(False)
    assert rows[first_real, position] == 0
    assert all(rows[i, position] == 2 for i, f in enumerate(fragment) if f)


def test_empty_story_has_no_rows() -> None:
    story = Story(text="")
    story.body = []
    assert featurize(story, [], IDF, 5.0).shape == (0, len(FEATURE_NAMES))
