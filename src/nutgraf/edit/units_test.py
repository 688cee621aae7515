import itertools

import pytest

from nutgraf import nlp
from nutgraf.claims.sources import quotations
from nutgraf.edit.units import deletable


def _cuts(text: str) -> dict[str, str]:
    """Each unit's text, and the sentence left when it alone is cut."""
    doc = nlp.load()(text)
    return {
        text[u.start : u.end]: text[: u.start] + text[u.end :]
        for u in deletable(doc, quotations(text))
    }


def test_an_appositive_goes_with_both_its_commas() -> None:
    cuts = _cuts("Kurdi, the deputy commander of the army, said the men had crossed the border.")
    assert cuts[", the deputy commander of the army,"] == (
        "Kurdi said the men had crossed the border."
    )


def test_a_fronted_modifier_goes_with_its_comma_and_a_trailing_one_with_its_space() -> None:
    cuts = _cuts("On Monday, rebels attacked the town and burned houses in the north.")
    assert cuts["On Monday, "] == "rebels attacked the town and burned houses in the north."
    assert cuts[" and burned houses in the north"] == "On Monday, rebels attacked the town."


def test_a_relative_clause_goes_only_when_a_comma_sets_it_off() -> None:
    # within one clause both commas go
    cuts = _cuts("Rebels took the town, which lies north of Homs, after a long siege.")
    assert cuts[", which lies north of Homs,"] == "Rebels took the town after a long siege."
    restrictive = _cuts("Rebels took the town that lies north of Homs after a long siege.")
    assert not any("lies" in unit for unit in restrictive)


def test_a_clause_after_an_aside_keeps_its_comma_and_a_hyphenated_word_stays_whole() -> None:
    cuts = _cuts(
        "The bodies were found outside the town of Damasak, near the border with Niger, the"
        " sources said."
    )
    assert cuts[", near the border with Niger"] == (
        "The bodies were found outside the town of Damasak, the sources said."
    )
    assert not any("now" in unit for unit in _cuts("The now-disbanded band played on Monday."))
    assert not any("so" in unit for unit in _cuts("these so - called subjects help pupils a lot ."))


def test_a_modifier_ends_before_the_comma_that_closes_its_clause() -> None:
    cuts = _cuts(
        "When Bush spoke at the conference in National Harbor, Maryland, the hopeful did"
        " better than expected."
    )
    assert cuts[" at the conference in National Harbor, Maryland"] == (
        "When Bush spoke, the hopeful did better than expected."
    )


def test_the_tokenized_form_is_cut_with_single_spaces() -> None:
    text = "on monday , rebels attacked the town , which lies north of homs , after a long siege ."
    for left in _cuts(text).values():
        assert "  " not in left and not left.startswith((" ", ","))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # the attribution, a figure and its qualifier, a negation, a hedge, a condition
        ("At least 80 people were killed on Monday, according to the group.", "according"),
        ("At least 80 people were killed on Monday, according to the group.", "At least"),
        ("Police did not find the car near the river last week.", "not"),
        ("The minister reportedly resigned from the cabinet after the vote.", "reportedly"),
        ("If elected, she will raise taxes on the banks next year.", "If elected"),
        ("He said 'we will never leave this town' to reporters in Homs.", "never leave"),
        # a noun's phrase and a coordinated noun: the cut would change the fact or agreement
        ("The war in Syria has killed thousands of people since March.", "in Syria"),
        ("John and Mary were arrested by police at the airport on Friday.", "and Mary"),
        # "according to" whole, and a subject the parse took for a modifier
        ("According to flight trackers, the plane had been flying for an hour.", "to flight"),
        ("This weekend marked the official opening of the play in New York.", "This weekend"),
        # a copula's complement, and a wh-word that opens a clause
        ("What seems like a figment of the imagination becomes reality here.", "like a"),
        ("He fled to Sweden, where prosecutors want to question him about it.", "where"),
        ("The report lists cases in which officials protected the rider from bans.", "in which"),
        ("Here's how the super swap works, the medical center says in a statement.", "how"),
        # a copula's modifier, and the one word of a participle
        ("The bodies of the seven Marines who were aboard were found, police said.", "aboard"),
        ("In the report released Tuesday, the group says the number of attacks fell.", "Tuesday"),
        # a figure in any form, a quotation in single marks, and a lowercased name the parse
        # took for a modifier
        ("Now in her 90s, Priscilla Sitienei is going back to school in the village.", "90s"),
        ("He said he only 'truly grew up' when he worked in the outback for months.", "truly"),
        ("davis lifts the trophy after rangers beat falkirk 1 - 0 in the final .", "falkirk"),
        # a phrasal verb's adverb, and the one word of a verb that is not the main one
        ("The chairman stepped down after the vote in the city on Monday.", "down"),
        ("Speaking to reporters, the coach said the team had played well.", "to reporters"),
        # a negation that is not "not", and half of an aside
        ("The expat oil workers had nowhere in Abu Dhabi to play football.", "nowhere"),
        ("The Swede -- who lost to the champion by one stroke -- was angry on Monday.", "who"),
    ],
)
def test_what_a_bullet_must_keep_is_never_in_a_unit(text: str, kept: str) -> None:
    assert all(kept not in unit for unit in _cuts(text))


def test_units_do_not_overlap_and_are_in_text_order() -> None:
    doc = nlp.load()(
        "The president, speaking to CNN by telephone from his office in the capital, said on"
        " Tuesday that the talks, which began in May, had failed."
    )
    units = deletable(doc)
    assert units
    assert all(a.end <= b.start for a, b in itertools.pairwise(units))


def test_cuts_that_would_change_the_fact_are_not_offered() -> None:
    # a goal that is all a verb says after itself, a clause after an aside's closing comma,
    # and a fronted phrase the parse ended before its comma (sentences of real pages)
    assert " to a church parking lot" not in _cuts(
        "After the fight, he drove to a church parking lot."
    )
    assert ", working" not in _cuts(
        "Noem cited the backlash as proof that efforts to raise awareness around South Dakota's"
        " methamphetamine crisis was, in fact, working."
    )
    study = _cuts(
        "In a new case study out Monday, they detail how the man came down with a rare form"
        " of allergy to the bird feathers that filled his new duvet and pillows."
    )
    # nor "Monday" alone, which left "a new case study out," ("study" parsed as a verb)
    assert not any(unit.startswith("In a new case") or "Monday" in unit for unit in study)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # how, how often, how far along, where: an adverb that is part of the fact stays
        ("She was detained because she unwittingly shared a taxi with a stranger.", "unwitting"),
        ("Georgia has indefinitely postponed at least one other execution, the state said.", "ind"),
        ("The governor said she had not yet received an answer from the government.", "yet"),
        ("More than 20,000 Londoners are believed to have been buried there in the past.", "there"),
        ("The show has managed to grow its audience every week since its premiere.", "every"),
        ("The drug must be taken twice a day for six months by every patient.", "a day"),
        ("The company filed its taxes late in 2019, the agency said.", "late"),
    ],
)
def test_an_adverb_that_qualifies_the_fact_stays(text: str, kept: str) -> None:
    assert all(kept not in unit for unit in _cuts(text))


def test_adverbs_of_discourse_and_time_still_go() -> None:
    cuts = _cuts("The company also said on Monday that it had recently hired 300 more workers.")
    assert " also" in cuts
    assert " recently" in cuts


def test_one_of_a_run_of_appositives_stays() -> None:
    cuts = _cuts("Washington, DC, United States: Getting to the Moon has been done.")
    assert ", DC," not in cuts


def test_a_relative_clause_after_an_age_goes_whole() -> None:
    cuts = _cuts("Smith, 45, who lives in Leeds, was arrested.")
    assert cuts[", who lives in Leeds,"] == "Smith, 45 was arrested."
    assert all("who lives," not in left for left in cuts.values())
