import pytest

from nutgraf import nlp
from nutgraf.reattach import COMPONENT


@pytest.mark.parametrize(
    ("text", "clause", "verb"),
    [
        ("The UN said in a report that 1 million more people would need food aid.", "need", "said"),
        ("The governor wrote in a letter that 400 inmates would be released.", "released", "wrote"),
    ],
)
def test_a_reported_clause_hung_from_a_prepositions_object_goes_to_its_verb(
    text: str, clause: str, verb: str
) -> None:
    before = {t.text: t for t in nlp.load().pipe([text], disable=[COMPONENT]).__next__()}
    assert before[clause].dep_ in ("acl", "relcl")  # the misparse this repairs
    after = {t.text: t for t in nlp.load()(text)}
    assert (after[clause].dep_, after[clause].head.text) == ("ccomp", verb)


@pytest.mark.parametrize(
    "text",
    [
        # a relative clause: its "that" is a pronoun, not a conjunction
        "She said in the report that she wrote last year that costs had risen.",
        # not a reporting verb
        "They sat in a room that was too small.",
        # what the speaker heard, not what they said
        "The company said on Tuesday amid speculation that it would cut 10,000 jobs that it"
        " was reviewing its options.",
        "Officials counted on hopes that 5,000 volunteers would sign up.",
    ],
)
def test_other_clauses_stay_where_the_parser_put_them(text: str) -> None:
    before = next(nlp.load().pipe([text], disable=[COMPONENT]))
    after = nlp.load()(text)
    assert [(t.dep_, t.head.i) for t in after] == [(t.dep_, t.head.i) for t in before]
