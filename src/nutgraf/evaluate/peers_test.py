import copy
import statistics
import sys
from pathlib import Path

import pytest

from nutgraf import rouge
from nutgraf.errors import NutgrafError
from nutgraf.evaluate import peers
from nutgraf.read.corpus import Corpus, parse
from nutgraf.read.sentences import split
from nutgraf.story import Sentence, Story

FIXTURE = Path(__file__).parents[3] / "tests" / "fixtures" / "cnndm_sample.jsonl"


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    read = [parse(record) for record in Corpus(FIXTURE).records()]
    return [split(story) for story in read if isinstance(story, Story)]


def _story(texts: list[str], positions: list[int] | None = None) -> Story:
    story = Story(" ".join(texts), reference=["a storm hit the town ."])
    positions = positions if positions is not None else list(range(len(texts)))
    story.sentences = [
        Sentence(index, text, 0, 0, position)
        for index, (text, position) in enumerate(zip(texts, positions, strict=True))
    ]
    return story


@pytest.mark.parametrize("name", list(peers.PEERS))
def test_peer_returns_up_to_three_story_sentences_in_document_order(
    name: str, stories: list[Story]
) -> None:
    system = peers.get_system(name)
    for story in stories:
        real = [s.text for s in story.sentences if s.position >= 0]
        summary = system(story)
        assert 1 <= len(summary) <= peers.SUMMARY_SENTENCES, story.id
        order = [real.index(text) for text in summary]
        assert order == sorted(order), story.id


@pytest.mark.parametrize("name", list(peers.PEERS))
def test_peer_on_a_story_without_sentences_returns_nothing(name: str) -> None:
    assert peers.get_system(name)(_story([])) == []


def test_fixture_mixes_the_three_forms(stories: list[Story]) -> None:
    forms = {(story.publisher, story.casing.value) for story in stories}
    assert forms == {
        ("cnn", "cased"),
        ("cnn", "lowercased-tokenized"),
        ("dailymail", "lowercased-tokenized"),
    }


def test_lead3_skips_byline_fragments() -> None:
    story = _story(
        [
            "by . jane smith .",
            "a storm hit the town .",
            "the river rose .",
            "schools shut .",
            "x .",
        ],
        positions=[-1, 0, 1, 2, 3],
    )
    assert peers.lead3(story) == ["a storm hit the town .", "the river rose .", "schools shut ."]


def test_oracle_reads_the_reference() -> None:
    story = _story(["the river rose .", "dogs barked .", "a storm hit the town ."])
    assert peers.oracle(story) == ["a storm hit the town ."]


def test_summa_falls_back_to_lead_and_counts_it() -> None:
    system = peers.SummaTextRank()
    assert system(_story(["a storm hit the town ."])) == ["a storm hit the town ."]
    assert system.fallbacks == 1
    system(_story(["a storm hit the town .", "the storm hit hard .", "the town rebuilt ."]))
    assert system.fallbacks == 1


def test_sumy_tokenizer_keeps_sumys_words() -> None:
    words = peers._SumyTokenizer().to_words("-lrb- cnn -rrb- he did n't pay $ 5 in the U.S. '' .")
    assert words == ("cnn", "he", "did", "n't", "pay", "in", "the")


@pytest.mark.parametrize(
    ("package", "system"),
    [("sumy", peers.SumySystem("lex_rank.LexRankSummarizer")), ("summa", peers.SummaTextRank())],
)
def test_missing_extra_says_how_to_install(
    package: str, system: peers.LazySystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    for module in [m for m in sys.modules if m == package or m.startswith(f"{package}.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, package, None)
    with pytest.raises(NutgrafError, match=r'pip install "nutgraf\[peers\]"'):
        system.load()


def test_unknown_system_lists_the_known_ones() -> None:
    with pytest.raises(NutgrafError, match="lexrank"):
        peers.get_system("bart")


# The peers that read no reference and were not trained on news: nutgraf's trained model must
# beat each of them on the fixture stories.
UNSUPERVISED = ("lexrank", "textrank", "lsa", "luhn", "summa")


def _mean_rouge(system: peers.System, stories: list[Story]) -> tuple[float, float]:
    """Mean ROUGE-1 and ROUGE-2 F1 of ``system`` against the stories' own highlights."""
    scores = [rouge.score(system(copy.deepcopy(story)), story.reference) for story in stories]
    return statistics.fmean(s.rouge1 for s in scores), statistics.fmean(s.rouge2 for s in scores)


@pytest.fixture(scope="module")
def baselines(stories: list[Story]) -> dict[str, tuple[float, float]]:
    return {name: _mean_rouge(peers.get_system(name), stories) for name in [*UNSUPERVISED, "lead3"]}


@pytest.mark.parametrize("name", list(peers.NUTGRAF_SYSTEMS))
def test_nutgraf_with_its_packaged_model_beats_the_unsupervised_peers(
    name: str,
    stories: list[Story],
    baselines: dict[str, tuple[float, float]],
    request: pytest.FixtureRequest,
) -> None:
    # ROUGE against the editors' highlights, which no system here wrote: a missing or unreadable
    # packaged model fails in get_system (never a skip: the dev install has every extra), and
    # one that loads but scores wrongly (a feature out of place, flipped labels) falls to the
    # level of a random pick (about 0.10 ROUGE-2 here, the peers 0.11 to 0.14, nutgraf 0.18).
    if name == "nutgraf-accurate":
        request.getfixturevalue("encoder_cache")  # its graphs go to a session folder
    rouge1, rouge2 = _mean_rouge(peers.get_system(name), stories)
    for peer in UNSUPERVISED:
        assert rouge1 > baselines[peer][0] and rouge2 > baselines[peer][1], (peer, rouge1, rouge2)
    lead1, lead2 = baselines["lead3"]  # within two points of Lead-3, which news rarely loses to
    assert rouge1 > lead1 - 0.02 and rouge2 > lead2 - 0.02, (rouge1, rouge2, lead1, lead2)


def test_nutgraf_bullets_are_pieces_of_their_story(stories: list[Story]) -> None:
    system = peers.get_system("nutgraf")
    for original in stories:
        story = copy.deepcopy(original)
        summary = system(story)
        assert 1 <= len(summary) <= 4, story.id
        assert len(summary) == len(story.highlights), story.id
        for text, highlight in zip(summary, story.highlights, strict=True):
            # the edit stage cuts pieces out, may put a name for an opening pronoun and turn
            # "said" into "says", but what it keeps are spans of the story's text
            assert highlight.spans, text
            for start, end in highlight.spans:
                assert original.text[start:end].lower() in text.lower(), (text, start, end)
            kept = sum(end - start for start, end in highlight.spans)
            assert kept >= 0.8 * len(text), text
