import pytest

from nutgraf.edit import openings


@pytest.mark.parametrize(
    ("text", "pronoun"),
    [
        ("He said the talks had failed.", "he"),
        ("His wife was not hurt.", "his"),
        ("They were charged with theft.", "they"),
        ("`` we will win , '' he said .", "we"),
        ("But he said the talks failed.", "he"),
        ("meanwhile , they left the city .", "they"),
        ("It was first posted by a photographer on Monday.", "it"),
        ("It comes as the government announced cuts.", "it"),
        ("it 's a dictionary - defined racial slur .", "it"),
        ("This is the first time the team has won.", "this"),
        ("That incident was never explained.", "that"),
        ("'I was scared,' he said.", "i"),
        ("It is understood that the club will appeal.", None),
        ("it 's fair to say the plan failed .", None),
        ("It has been nearly 20 years since the film came out.", None),
        ("it took three years for him to score again .", None),
        ("it was finland manager paatelainen who gave him his break .", None),
        ("It is the first time New Zealand has reached a final.", None),
        ("This week the talks failed.", None),
        ("That the deal failed surprised no one.", None),
        ("'I was scared,' said Smith.", None),
        ("`` i need time , '' chief tom jackson said .", None),
        ("There were 20 people on board.", None),
        ("US troops left the base.", None),
        ("Us Weekly retracted the story.", None),
        ("The group said it would appeal.", None),
    ],
)
def test_opening_pronoun(text: str, pronoun: str | None) -> None:
    assert openings.opening_pronoun(text) == pronoun
