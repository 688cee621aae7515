import pytest

from nutgraf.edit import cuts
from nutgraf.read import sentences
from nutgraf.story import Casing, Story


def _story(text: str, casing: Casing = Casing.CASED) -> Story:
    return sentences.split(Story(text=text, casing=casing))


def _compressed(text: str, casing: Casing = Casing.CASED) -> str:
    story = _story(text, casing)
    return cuts.pieces_of(story, cuts.compress(story, story.sentences[0]))


def test_a_marker_goes_and_according_to_becomes_says_in_cased_text() -> None:
    story = _story(
        "Meanwhile, at least 80 people were killed Monday in violence across Syria, according"
        " to the Local Coordination Committees of Syria, an opposition group."
    )
    pieces = cuts.compress(story, story.sentences[0])
    assert cuts.pieces_of(story, pieces) == (
        "At least 80 people were killed Monday in violence across Syria, the Local"
        " Coordination Committees of Syria, an opposition group says."
    )
    assert [p for p in pieces if isinstance(p, str)] == [" says"]


def test_the_tokenized_form_gets_the_same_edits() -> None:
    text = "meanwhile , at least 80 people were killed , according to the group ."
    assert _compressed(text, Casing.TOKENIZED) == (
        "at least 80 people were killed , the group says ."
    )


@pytest.mark.parametrize(
    ("text", "casing", "expected"),
    [
        ("Roberto Mancini (left) won the title in 2012.", Casing.CASED, None),
        ("roberto mancini ( left ) won the title in 2012 .", Casing.TOKENIZED, None),
        ("roberto mancini -lrb- pictured -rrb- won the title in 2012 .", Casing.TOKENIZED, None),
        ("roberto mancini , pictured in 2006 , won the title in 2012 .", Casing.TOKENIZED, None),
        ("Roberto Mancini won the title in 2012, pictured.", Casing.CASED, None),
        # a caption whose verb is "pictured": cutting it would leave no sentence
        (
            "england 's richard kettleborough , pictured acting as peacemaker .",
            Casing.TOKENIZED,
            "england 's richard kettleborough , pictured acting as peacemaker .",
        ),
    ],
)
def test_photo_references_are_cut(text: str, casing: Casing, expected: str | None) -> None:
    default = (
        "roberto mancini won the title in 2012 ."
        if casing is Casing.TOKENIZED
        else "Roberto Mancini won the title in 2012."
    )
    assert _compressed(text, casing) == (expected or default)


def test_mail_boilerplate_at_the_end_is_cut() -> None:
    text = "The star has split from his wife of ten years, MailOnline can reveal."
    assert _compressed(text) == "The star has split from his wife of ten years."


@pytest.mark.parametrize(
    "text",
    [
        "The man died in hospital, according to a friend who saw the crash.",
        "He was charged, according to LAPD spokesman Jack Richter, and held at the jail.",
        "But it rained.",  # too short to lose a word
    ],
)
def test_unsafe_edits_are_not_made(text: str) -> None:
    assert _compressed(text) == text


@pytest.mark.parametrize(
    ("source", "verb"),
    [
        ("police", "say"),
        ("officials", "say"),
        ("the group", "says"),
        ("Reuters", "says"),
        ("police and witnesses", "say"),
        ("figures from the ministry", "say"),
        ("the Local Coordination Committees of Syria, an opposition group", "says"),
        ("the Centers for Disease Control", "say"),
    ],
)
def test_the_added_verb_agrees_with_the_source(source: str, verb: str) -> None:
    text = f"Three people died in the fire, according to {source}."
    assert _compressed(text) == f"Three people died in the fire, {source} {verb}."
