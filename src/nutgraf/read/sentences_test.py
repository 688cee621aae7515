import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nutgraf import lexicon
from nutgraf.read import ingest, sentences
from nutgraf.read.sentences import MAX_WORDS, split, split_text
from nutgraf.story import Casing, Sentence, Story

ROOT = Path(__file__).parents[3]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "examples" / "000_7c7ec3b5e1da7bbe.txt"
C, T = Casing.CASED, Casing.TOKENIZED

# The hard cases of news text: input -> the sentences it must split into.
HARD_CASES = [
    pytest.param(
        "The U.N. and the U.S. agreed. Gen. Smith spoke.",
        C,
        ["The U.N. and the U.S. agreed.", "Gen. Smith spoke."],
        id="acronyms-and-titles",
    ),
    pytest.param(
        "Mr. and Mrs. Lee met Dr. Ray on St. Mark's Square.",
        C,
        ["Mr. and Mrs. Lee met Dr. Ray on St. Mark's Square."],
        id="titles-before-names",
    ),
    pytest.param(
        "It began on Jan. 5 and ended Feb. 2. Talks resume Sept. 11.",
        C,
        ["It began on Jan. 5 and ended Feb. 2.", "Talks resume Sept. 11."],
        id="months",
    ),
    pytest.param(
        "She is ranked No. 1 in the world. He is not.",
        C,
        ["She is ranked No. 1 in the world.", "He is not."],
        id="number-sign",
    ),
    pytest.param(
        "Doors open at 9 a.m. Monday and close at 5 p.m. The line was long.",
        C,
        ["Doors open at 9 a.m. Monday and close at 5 p.m.", "The line was long."],
        id="am-pm",
    ),
    pytest.param(
        "J.K. Rowling and George W. Bush met. They talked.",
        C,
        ["J.K. Rowling and George W. Bush met.", "They talked."],
        id="initials",
    ),
    pytest.param(
        "He works at Apple Inc. The company grew. Acme Inc. Chairman Roe quit.",
        C,
        ["He works at Apple Inc.", "The company grew.", "Acme Inc. Chairman Roe quit."],
        id="inc",
    ),
    pytest.param(
        "The troops left the U.S. Army base. They moved to the U.S. He stayed.",
        C,
        ["The troops left the U.S. Army base.", "They moved to the U.S.", "He stayed."],
        id="us-at-sentence-end",
    ),
    pytest.param(
        'He said "no." Then he left.',
        C,
        ['He said "no."', "Then he left."],
        id="straight-quote-after-period",
    ),
    pytest.param(
        "\u201cI receive soldiers daily,\u201d he said. \u201cThere are rumors.\u201d "
        "Nuland agreed.",
        C,
        [
            "\u201cI receive soldiers daily,\u201d he said.",
            "\u201cThere are rumors.\u201d",
            "Nuland agreed.",
        ],
        id="curly-double-quotes",
    ),
    pytest.param(
        "She called it \u2018a disgrace.\u2019 Officials denied it.",
        C,
        ["She called it \u2018a disgrace.\u2019", "Officials denied it."],
        id="curly-single-quotes",
    ),
    pytest.param(
        '"Why?" she asked. Who knows? Nobody! Really.',
        C,
        ['"Why?" she asked.', "Who knows?", "Nobody!", "Really."],
        id="question-exclamation",
    ),
    pytest.param(
        "He paused... Then he spoke. It was\u2026 Fine.",
        C,
        ["He paused...", "Then he spoke.", "It was\u2026", "Fine."],
        id="ellipses",
    ),
    pytest.param(
        "(CNN)Share, and your gift will be multiplied. That may sound odd.",
        C,
        ["Share, and your gift will be multiplied.", "That may sound odd."],
        id="cnn-dateline-glued",
    ),
    pytest.param(
        "LONDON, England (CNN) -- The queen spoke. Crowds cheered.",
        C,
        ["The queen spoke.", "Crowds cheered."],
        id="place-dateline",
    ),
    pytest.param(
        "NEW YORK \u2014 Stocks fell. US officials -- and others -- said so.",
        C,
        ["Stocks fell.", "US officials -- and others -- said so."],
        id="capitals-dateline",
    ),
    pytest.param(
        "MANILA, Philippines -- A ferry sank. Rescuers searched.",
        C,
        ["A ferry sank.", "Rescuers searched."],
        id="capitals-dateline-with-country",
    ),
    pytest.param(
        "(CNN) -- A storm hit. Near the Israel-Gaza border (CNN) -- is not a start.",
        C,
        ["A storm hit.", "Near the Israel-Gaza border (CNN) -- is not a start."],
        id="dateline-only-at-paragraph-start",
    ),
    pytest.param(
        "(EW.com) -- The show returns. The Federal Bureau (FBI) agents came.",
        C,
        ["The show returns.", "The Federal Bureau (FBI) agents came."],
        id="source-dateline",
    ),
    pytest.param(
        "The Federal Bureau of Investigation (FBI) said it would look.",
        C,
        ["The Federal Bureau of Investigation (FBI) said it would look."],
        id="acronym-in-parentheses-is-no-dateline",
    ),
    pytest.param(
        "The talks -- long delayed -- resumed. Both sides -- Iran and the U.S. -- agreed.",
        C,
        ["The talks -- long delayed -- resumed.", "Both sides -- Iran and the U.S. -- agreed."],
        id="dashes",
    ),
    pytest.param(
        "The river rose 3.5 meters by 10:30. It fell $1.2 million short.",
        C,
        ["The river rose 3.5 meters by 10:30.", "It fell $1.2 million short."],
        id="decimals-and-times",
    ),
    pytest.param(
        "First paragraph without a stop\nSecond one. Third.",
        C,
        ["First paragraph without a stop", "Second one.", "Third."],
        id="newline-is-a-boundary",
    ),
    pytest.param(
        "By . Jane Smith . PUBLISHED: . 12:01 EST, 3 March 2013 . | . UPDATED: . "
        "12:01 EST, 3 March 2013 . The dog barked.",
        C,
        [
            "By .",
            "Jane Smith .",
            "PUBLISHED: .",
            "12:01 EST, 3 March 2013 . | .",
            "UPDATED: .",
            "12:01 EST, 3 March 2013 .",
            "The dog barked.",
        ],
        id="daily-mail-byline-cased",
    ),
    pytest.param(
        "by . jane smith . published : . 12:01 est , 3 march 2013 . | . updated : . the dog "
        "barked .",
        T,
        [
            "by .",
            "jane smith .",
            "published : .",
            "12:01 est , 3 march 2013 .",
            "| .",
            "updated : .",
            "the dog barked .",
        ],
        id="daily-mail-byline-tokenized",
    ),
    pytest.param(
        "the u.s. and u.n. met . talks went on ? yes ! fine .",
        T,
        ["the u.s. and u.n. met .", "talks went on ?", "yes !", "fine ."],
        id="tokenized-acronyms",
    ),
    pytest.param(
        "she said ' we will go . ' he left . \" it 's over . \" they said .",
        T,
        ["she said ' we will go . '", "he left .", '" it \'s over . "', "they said ."],
        id="tokenized-closing-quotes",
    ),
    pytest.param(
        "he said `` stop . '' then ' nothing . ' ended . ' i was there , ' she said .",
        T,
        ["he said `` stop . ''", "then ' nothing . '", "ended .", "' i was there , ' she said ."],
        id="tokenized-ptb-quotes-and-opening-quote",
    ),
    pytest.param(
        "new delhi ( cnn ) in a raid , people died . more news .",
        T,
        ["in a raid , people died .", "more news ."],
        id="tokenized-dateline",
    ),
    pytest.param(
        "-lrb- cnn -rrb- -- the storm hit . it rained .",
        T,
        ["the storm hit .", "it rained ."],
        id="tokenized-lrb-dateline",
    ),
    pytest.param(
        "rates rose 3.5 % at 10:30 -- a record . end",
        T,
        ["rates rose 3.5 % at 10:30 -- a record .", "end"],
        id="tokenized-decimals-dashes",
    ),
    pytest.param("", C, [], id="empty"),
    pytest.param("  \n\t ", C, [], id="blank"),
]


@pytest.mark.parametrize(("text", "casing", "expected"), HARD_CASES)
def test_hard_cases(text: str, casing: Casing, expected: list[str]) -> None:
    assert [text[start:end] for start, end in split_text(text, casing)] == expected


def _fixture_stories() -> list[Story]:
    stories = []
    with (FIXTURES / "sentences_stories.jsonl").open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            stories.append(ingest.from_record(json.loads(line), f"line {number}"))
    stories.append(ingest.read_file(EXAMPLE))
    stories.append(ingest.read_file(FIXTURES / "ingest_cnn.story"))
    return stories


@pytest.mark.parametrize("story", _fixture_stories(), ids=lambda s: s.id or s.source_format)
def test_sentences_index_the_story_text(story: Story) -> None:
    split(story)
    assert story.sentences
    previous_end = 0
    for number, sentence in enumerate(story.sentences):
        assert sentence.index == number
        assert story.text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
        assert sentence.start >= previous_end
        assert any(start <= sentence.start and sentence.end <= end for start, end in story.body)
        previous_end = sentence.end
    positions = [sentence.position for sentence in story.sentences]
    preamble = positions.count(-1)
    assert positions == [-1] * preamble + list(range(len(positions) - preamble))


def test_example_page_sentences() -> None:
    story = split(ingest.read_file(EXAMPLE))
    texts = [sentence.text for sentence in story.sentences]
    assert texts[0].startswith("Syrian President Bashar al-Assad")
    assert "\u201cI receive soldiers daily,\u201d el Kurdi added." in texts
    assert texts[-1] == "\u201cBoth government and opp"
    assert all(sentence.position >= 0 for sentence in story.sentences)
    assert not any(text.endswith(("U.N.", "U.S.")) for text in texts)


@pytest.mark.parametrize(
    ("text", "casing", "preamble"),
    [
        ("By . Jane Smith . PUBLISHED: . 12:01 EST, 3 March 2013 . The dog barked.", C, 4),
        ("By Jane Smith, Daily Mail Reporter\nLast updated at 12:01 PM on 3rd March 2013", C, 2),
        ("By the time police came, he was gone. Later he returned.", C, 0),
        ("CNN  \u2014\nThe dog barked.", C, 1),
        ("WASHINGTON (CNN) --\nThe dog barked.", C, 1),
        ("by . jane smith . and tom jones . follow @@ tj . the dog barked .", T, 4),
        ("by . lego . will launch . a set .", T, 2),
        ("by . deni kirkova . lego . will launch a set .", T, 3),
        ("by . jane smith . rain fell . fans left .", T, 2),
        ("the dog barked . by . jane smith .", T, 0),
    ],
)
def test_byline_and_dateline_fragments_get_position_minus_one(
    text: str, casing: Casing, preamble: int
) -> None:
    story = split(Story(text=text, casing=casing))
    positions = [sentence.position for sentence in story.sentences]
    assert positions == [-1] * preamble + list(range(len(positions) - preamble))


@pytest.mark.parametrize(
    ("opening", "fragments"),
    [
        (
            "by . leesa smith",
            [
                "by .",
                "leesa smith .",
                "published : .",
                "05:15 est , 9 june 2014 .",
                "| .",
                "updated : .",
                "04:22 est , 10 june 2014 .",
            ],
        ),
        ("by . matt barlow", ["by .", "matt barlow .", "follow @@ matt_barlow_dm ."]),
        ("by . neil ashton", ["by .", "neil ashton .", "follow @@ neilashton _ ."]),
    ],
)
def test_fixture_daily_mail_bylines(opening: str, fragments: list[str]) -> None:
    (story,) = [split(s) for s in _fixture_stories() if s.text.startswith(opening)]
    assert [s.text for s in story.sentences if s.position == -1] == fragments
    first = story.sentences[len(fragments)]
    assert first.position == 0 and len(first.text.split()) > 8


def test_empty_body_has_no_sentences() -> None:
    assert split(Story(text="")).sentences == []
    assert split(Story(text="   \n\n  ")).sentences == []


def test_split_replaces_earlier_sentences() -> None:
    story = split(Story(text="One. Two."))
    story.text = "Three."
    story.body = [(0, 6)]
    assert [s.text for s in split(story).sentences] == ["Three."]


def test_casing_chooses_the_splitter() -> None:
    # PTB tokens mark a sentence that ends in "u.s." with a period of its own; without one,
    # the tokenized splitter keeps going, while the cased one reads "he" as a new sentence.
    text = "he moved to the u.s. he said so ."
    assert len(split(Story(text=text, casing=Casing.TOKENIZED)).sentences) == 1
    assert len(split(Story(text=text, casing=Casing.CASED)).sentences) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Lowercased text (pasted so, or the tokenized form spaced as prose): any word may
        # start a sentence, and the abbreviation tables are read lowercased.
        ("the match was off. fans went home.", ["the match was off.", "fans went home."]),
        (
            "mr. smith met u.s. army chiefs. it rained.",
            ["mr. smith met u.s. army chiefs.", "it rained."],
        ),
        ("he was told no. he left.", ["he was told no.", "he left."]),
        ("the no. 1 seed won. fans cheered.", ["the no. 1 seed won.", "fans cheered."]),
        # A capital anywhere in the line: a lowercase word after a period starts nothing.
        ("The match was off. fans went home.", ["The match was off. fans went home."]),
    ],
)
def test_lines_without_capitals_split_at_any_word(text: str, expected: list[str]) -> None:
    assert [s.text for s in split(Story(text=text)).sentences] == expected


def test_injected_splitter_is_used_and_its_spans_trimmed() -> None:
    story = Story(text="Title line\n\n  Body one; body two.  ", body=[(0, 10), (12, 35)])
    split(story, splitter=lambda text: [(0, len(text))])
    assert [(s.text, s.start) for s in story.sentences] == [
        ("Title line", 0),
        ("Body one; body two.", 14),
    ]


def test_injected_splitter_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="outside a paragraph"):
        split(Story(text="Short."), splitter=lambda text: [(0, len(text) + 5)])


@pytest.mark.parametrize(
    ("sentence", "casing"),
    [
        ('Mr. Smith met the U.S. envoy at 10 a.m. on Jan. 5 and said "no." ', C),
        ("the u.s. envoy said ' no . ' ", T),
    ],
)
def test_five_megabytes_split_in_one_pass(sentence: str, casing: Casing) -> None:
    repeats = 5_000_000 // len(sentence) + 1
    text = sentence * repeats
    spans = split_text(text, casing)
    assert len(spans) == repeats
    assert text[spans[-1][0] : spans[-1][1]] == sentence.strip()


# -- linear work ------------------------------------------------------------------------
#
# The splitter promises time linear in the input (one scan per regex, look-ups per boundary).
# Clocks are not a test (bench/ times things), so this counts the work the splitter asks for:
# every call of its compiled patterns and every character a call covers (a match up to its end,
# a failed search its whole range, a finditer the text it walked), and every character that
# str.count/find/index scan, on n and on 4n copies of a text. Linear work grows 4 times; one
# rescan from the start of the line per sentence would grow 16 times. (Backtracking inside one
# regex call is invisible here; the possessive quantifiers and the look-behind of the patterns
# guard against it, and the five-megabyte test above would not end.)

_SCANS = ("count", "find", "rfind", "index", "rindex")


class _Work:
    """The work counted so far."""

    def __init__(self) -> None:
        self.units = 0


class _CountedPattern:
    """A compiled pattern that adds the work of each call to a :class:`_Work`."""

    def __init__(self, pattern: re.Pattern[str], work: _Work) -> None:
        self._pattern = pattern
        self._work = work

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)

    def _bounds(self, text: str, pos: int, endpos: int | None) -> tuple[int, int]:
        return pos, len(text) if endpos is None else min(endpos, len(text))

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        start, stop = self._bounds(text, pos, endpos)
        found = self._pattern.match(text, start, stop)
        self._work.units += 1 + (found.end() - start if found else 0)
        return found

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        start, stop = self._bounds(text, pos, endpos)
        self._work.units += 1 + stop - start
        return self._pattern.fullmatch(text, start, stop)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        start, stop = self._bounds(text, pos, endpos)
        found = self._pattern.search(text, start, stop)
        self._work.units += 1 + (found.end() if found else stop) - start
        return found

    def findall(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Any]:
        start, stop = self._bounds(text, pos, endpos)
        found = self._pattern.findall(text, start, stop)
        self._work.units += 1 + stop - start + len(found)
        return found

    def finditer(
        self, text: str, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        start, stop = self._bounds(text, pos, endpos)
        self._work.units += 1
        for found in self._pattern.finditer(text, start, stop):
            self._work.units += 1 + found.end() - start
            start = found.end()
            yield found
        self._work.units += stop - start


def _counted_str(work: _Work) -> type[str]:
    """A str type whose scanning methods add the characters they scan to ``work``."""

    class Counted(str):
        __slots__ = ()

        def __getitem__(self, key: Any) -> str:
            piece = super().__getitem__(key)
            return Counted(piece) if isinstance(key, slice) else piece

    def scan(name: str) -> Any:
        method = getattr(str, name)

        def counted(self: str, sub: str, start: int = 0, end: int | None = None) -> Any:
            stop = len(self) if end is None else min(end, len(self))
            work.units += 1 + max(0, stop - start)
            return method(self, sub, start, stop)

        return counted

    for name in _SCANS:
        setattr(Counted, name, scan(name))
    return Counted


def _work_of_splitting(text: str, casing: Casing) -> tuple[int, list[Sentence]]:
    """Split ``text`` as a story, counting the work; return it and the sentences."""
    work = _Work()
    with pytest.MonkeyPatch.context() as patch:
        for module in (sentences, lexicon):
            for name, value in vars(module).items():
                if isinstance(value, re.Pattern):
                    patch.setattr(module, name, _CountedPattern(value, work))
        story = split(Story(text=_counted_str(work)(text), casing=casing))
    return work.units, story.sentences


LINEAR_CASES = [
    pytest.param('Mr. Smith met the U.S. envoy at 10 a.m. on Jan. 5 and said "no." ', C, id="news"),
    pytest.param("He said \u201cwe will.\u201d Then J.K. Rowling left! Why? ", C, id="quotes"),
    pytest.param("Rain fell.\nFans left. They came back at 9 p.m.\n", C, id="lines"),
    pytest.param("By Jane Smith. PUBLISHED: 12:01 EST. ", C, id="bylines"),
    pytest.param("the u.s. envoy said ' no . ' he left . `` yes . '' ", T, id="tokenized"),
    pytest.param("by . jane smith . | . ", T, id="tokenized-bylines"),
    *[
        pytest.param(unit, casing, id=f"{name}-{casing.name.lower()}")
        for name, unit in [
            ("dot-space", ". "),
            ("dots", "."),
            ("letters", "a"),
            ("quotes", '"'),
            ("brackets", "( "),
            ("initials", "A. "),
        ]
        for casing in (C, T)
    ],
]


@pytest.mark.parametrize(("unit", "casing"), LINEAR_CASES)
def test_splitting_does_work_linear_in_the_input(unit: str, casing: Casing) -> None:
    copies = 20_000 // len(unit) + 1
    small, small_sentences = _work_of_splitting(unit * copies, casing)
    large, large_sentences = _work_of_splitting(unit * 4 * copies, casing)
    assert small >= copies * len(unit)  # the counting sees the scan of the text at least
    assert large <= 4.2 * small, (small, large, large / small)
    assert len(large_sentences) <= 4 * len(small_sentences) + 1


@pytest.mark.parametrize(
    "text",
    [". " * 1_000_000, "." * 2_000_000, "a" * 2_000_000, '"' * 2_000_000, "( " * 1_000_000],
)
def test_pathological_input_is_one_sentence(text: str) -> None:
    assert len(split_text(text)) == 1
    assert len(split_text(text, Casing.TOKENIZED)) >= 1


def test_text_with_no_sentence_punctuation_is_cut_at_clause_breaks_to_a_bounded_length() -> None:
    clause = "the committee heard from witnesses for the second day, "
    text = clause * 300 + "and nothing else was said"
    story = split(Story(text=text))
    lengths = [len(s.text.split()) for s in story.sentences]
    assert max(lengths) <= MAX_WORDS and sum(lengths) == len(text.split())
    assert all(s.text.endswith(",") for s in story.sentences[:-1])  # at a comma, not mid-clause
    assert all(text[s.start : s.end] == s.text for s in story.sentences)


def test_a_run_with_no_breaks_at_all_is_cut_after_the_most_words_allowed() -> None:
    story = split(Story(text="word " * 1000))
    assert [len(s.text.split()) for s in story.sentences] == [MAX_WORDS] * 12 + [40]


def test_news_sentences_are_never_cut() -> None:
    text = " ".join(["This sentence has exactly ten words in it, you see."] * 7)
    assert len(split(Story(text=text)).sentences) == 7


def test_words_apart_by_any_space_are_counted() -> None:
    story = split(Story(text="word\u00a0" * 100 + "word\tword " * 20))
    assert max(len(s.text.split()) for s in story.sentences) <= MAX_WORDS


def test_a_period_with_no_space_ends_a_sentence_between_words() -> None:
    text = (
        "He worked as a chief physician.Police arrested a man. The U.S.Army paid 3.5 million."
        " Shares of Amazon.Com fell."
    )
    assert [text[s:e] for s, e in split_text(text)] == [
        "He worked as a chief physician.",
        "Police arrested a man.",
        "The U.S.Army paid 3.5 million.",
        "Shares of Amazon.Com fell.",
    ]
