"""Whom a story credits with a figure, read through :func:`nutgraf.figures`."""

from __future__ import annotations

import pytest

from nutgraf import figures

LCC = (
    "Meanwhile, at least 80 people were killed Monday in violence across Syria, according to"
    " the Local Coordination Committees of Syria, an opposition group. Twenty of those 80 were"
    " killed in Daraa, while 17 were killed in Deir Ezzor, the group said."
)


def _sources(text: str) -> dict[str, str | None]:
    """Each figure's text and source; figure texts are unique in the cases here."""
    found = figures(text)
    assert len({f.text for f in found}) == len(found)
    return {f.text: f.source for f in found}


@pytest.mark.parametrize(
    ("text", "figure", "source"),
    [
        (
            "About 200 people were evacuated, according to the fire department.",
            "About 200",
            "the fire department",
        ),
        ("Some 300 homes were damaged, officials said.", "Some 300", "officials"),
        ("Anadolu reported that 33,000 Syrians had fled.", "33,000", "Anadolu"),
        ("The Red Cross sent 20 nurses, the agency said.", "20", "the agency"),
        ("Around 1,500 people marched on Saturday, police said.", "Around 1,500", "police"),
        ("Up to 300 jobs could go, the union warned.", "Up to 300", "the union"),
        # the parse hangs the speaker on the noun before it as an appositive
        (
            "A crash in northern Peru killed at least 37 people, the country's Ministry of"
            " Health said Monday.",
            "at least 37",
            "Ministry of Health",
        ),
        # evidence is named by who made it
        ("Profit rose 18%, according to data compiled by FactSet.", "18%", "FactSet"),
        ("Prices rose 3%, according to data from March.", "3%", "data from March"),
        # a finding credits any subject that reports a clause, evidence's otherwise
        ("Exit polling shows he won 83% of young voters.", "83%", "Exit polling"),
        # these verbs credit only when they report a clause
        ("Analysts project that sales will fall 5% this year.", "5%", "Analysts"),
        ("He replied to 200 emails on Monday.", "200", None),
        ("The city observed a minute of silence for the 49 victims.", "49", None),
        ("The sides argued over the $3 million fee.", "$3 million", None),
        ("Officials pegged the damage at $3 million.", "$3 million", "Officials"),
        # a verb that values a quantity "at" a figure credits its subject, whatever else
        ("The Red Cross put the death toll at 230.", "230", "The Red Cross"),
        ("Police estimated the crowd at 10,000 on Sunday.", "10,000", "Police"),
        ("The cost of the damage was put at $4 billion by insurers.", "$4 billion", "insurers"),
        ("He put the bag at the door and left 3 boxes.", "3", None),
        # "at" says where
        ("Police put extra officers on duty at 30 stations, the mayor said.", "30", "the mayor"),
        ("Officials put the death toll at 45.", "45", "Officials"),  # a value, not an age
        # the parse hangs "by police" on the value; a "by" of time names no one
        ("The crowd was estimated at 10,000 by police.", "10,000", "police"),
        ("The crowd was estimated at 10,000 by the end of the day.", "10,000", None),
        # evidence that values in a relative clause is its owner's, when the story names one
        (
            "Officials rejected a Red Cross estimate that put the death toll at 300.",
            "300",
            "Red Cross",
        ),
        (
            "Analysts doubted Moody's estimate, which put the losses at $4 billion.",
            "$4 billion",
            "Moody",
        ),
        (
            "The government disputed the figures, which put unemployment at 12 percent.",
            "12 percent",
            None,
        ),
        # two parties credited together are named both
        (
            "The UN and the Red Cross said at least 5,000 people had fled.",
            "at least 5,000",
            "UN and the Red Cross",
        ),
        (
            "Police and hospital officials said 12 people were hurt.",
            "12",
            "Police and hospital officials",
        ),
        # a speaker in a relative clause is its antecedent
        ("Merkel met Macron, who said France would send 2,000 troops.", "2,000", "Macron"),
        ("The minister, who said 300 jobs would go, resigned on Monday.", "300", "The minister"),
        # the parse hangs "at" inside the valued phrase
        ("Analysts put the odds of a rate cut at 30 percent.", "30 percent", "Analysts"),
        # the parse hangs the reported clause from "report", "letter"; it is the verb's
        (
            "The UN said in a report that 1 million more people would need food aid by March.",
            "1 million",
            "UN",
        ),
        (
            "The governor wrote in a letter that 400 inmates would be released.",
            "400",
            "The governor",
        ),
        # the parse made the subject the root and the verb its clause
        (
            "A Quinnipiac University poll found last week that Clinton would win 46 percent.",
            "46 percent",
            "Quinnipiac University poll",
        ),
        # a verb the parse took for a noun, its subject for a compound
        ("Trump estimates that he spent $45 million on ads.", "$45 million", "Trump"),
        (
            "Nearly two-thirds of Americans support the measure, a new Pew Research Center"
            " survey shows.",
            "Nearly two-thirds",
            "Pew Research Center survey",
        ),
        ('Pence replied, "These are two men that get along."', "two", "Pence"),
        # "All told" sums; it credits nobody
        (
            "All told, the groups spent more than $2.5 million on ads.",
            "more than $2.5 million",
            None,
        ),
        # a participle or an infinitive reports for the subject of the verb it hangs from
        (
            "The ministry issued a statement on Monday, saying at least 80 people were killed.",
            "at least 80",
            "The ministry",
        ),
        ("Pence went on to say that 300 jobs would be lost.", "300", "Pence"),
        ("He refused to say whether 500 troops would be sent.", "500", None),
        # what a verb does not say is no claim
        ("He would not say whether 500 troops would be sent.", "500", None),
        (
            "The company has not said how many of its 5,000 workers will lose their jobs.",
            "5,000",
            None,
        ),
        # the parse hung the report's maker on the verb
        (
            "The report, by the Government Accountability Office, found that 40 percent of"
            " the contracts were late.",
            "40 percent",
            "the Government Accountability Office",
        ),
        (
            "Lawmakers urged the Pentagon to say how many of the 5,000 troops would stay.",
            "5,000",
            None,
        ),
        # a participle of evidence draws a conclusion nobody is credited with
        (
            "Payrolls rose last month, suggesting that unemployment would fall to 5 percent.",
            "5 percent",
            None,
        ),
        # "according to" names the speaker of the participle beside it
        (
            "Rebels attacked the base on Sunday, according to the Syrian Observatory for Human"
            " Rights, saying that 20 soldiers died.",
            "20",
            "the Syrian Observatory for Human Rights",
        ),
        # a declaration reports when it declares a clause, not a state of emergency
        (
            "The senator declared that 40 percent of voters backed the plan.",
            "40 percent",
            "The senator",
        ),
        ("The governor declared a state of emergency for 25 counties.", "25", None),
        # "point out" reports; "point to" does not
        ("The mayor pointed out that 12 schools had closed.", "12", "The mayor"),
        ("The mayor pointed to 12 schools that had closed.", "12", None),
    ],
    ids=[
        "according-to",
        "x-said",
        "x-reported-that",
        "the-agency",
        "police",
        "warned",
        "speaker-as-appositive",
        "evidence-by",
        "evidence-of-a-date",
        "finding-of-a-clause",
        "project-that",
        "replied-to",
        "observed-silence",
        "argued-over",
        "pegged",
        "put-the-toll-at",
        "estimated-the-crowd-at",
        "was-put-at-by",
        "put-the-bag-at",
        "at-a-place",
        "put-the-toll-at-45",
        "agent-on-the-value",
        "by-a-time",
        "estimate-that-put",
        "possessive-estimate-which-put",
        "figures-of-nobody",
        "two-parties",
        "two-parties-in-one-phrase",
        "who-said",
        "who-said-inside-the-subject",
        "at-inside-the-valued-phrase",
        "said-in-a-report-that",
        "wrote-in-a-letter-that",
        "finding-misparsed",
        "estimate-misparsed",
        "shows-misparsed",
        "replied",
        "all-told",
        "saying",
        "went-on-to-say",
        "refused-to-say",
        "would-not-say",
        "has-not-said",
        "maker-on-the-verb",
        "urged-to-say",
        "suggesting",
        "according-to-beside-saying",
        "declared-that",
        "declared-an-emergency",
        "pointed-out",
        "pointed-to",
    ],
)
def test_the_credited_party(text: str, figure: str, source: str | None) -> None:
    assert _sources(text) == {figure: source}


def test_evidence_is_named_without_the_sample_it_counts() -> None:
    found = _sources("Support stands at 41%, according to a YouGov survey of 2,104 adults.")
    assert found["41%"] == "YouGov survey"


def test_said_before_the_speaker() -> None:
    source = _sources("Five people were arrested, said Inspector Jane Doe.")["Five"]
    assert source is not None and source.endswith("Jane Doe")


def test_the_group_is_the_group_named_the_sentence_before() -> None:
    found = _sources(LCC)
    assert set(found) == {"at least 80", "Twenty", "80", "17"}
    for source in found.values():
        assert source is not None
        assert source.removeprefix("the ") == "Local Coordination Committees of Syria"


def test_he_said_is_the_person_named_before() -> None:
    text = "John Brown runs the local food bank. He said 500 families came in last month."
    assert _sources(text) == {"500": "John Brown"}


def test_she_said_skips_the_title_and_takes_the_name() -> None:
    text = "Police chief Maria Gomez spoke to reporters. She said officers had seized 50 guns."
    assert _sources(text) == {"50": "Maria Gomez"}


def test_a_surname_is_the_full_name_introduced_earlier() -> None:
    text = (
        "Kenny Park opened the shop in the spring."
        " Sales have reached 2,000 boxes a week, Park said."
    )
    assert _sources(text) == {"2,000": "Kenny Park"}


def test_a_person_has_one_name_whether_the_surname_or_a_pronoun_is_credited() -> None:
    text = (
        "Health Minister Anna Lind announced new measures on Tuesday."
        " She said 4,000 new nurses would be hired. We will spend 2 billion euros, Lind said."
    )
    assert _sources(text) == {"4,000": "Anna Lind", "2 billion": "Anna Lind"}
    # a role word that is part of the name stays
    text = "Federico Mayor Zaragoza spoke. We counted 40 votes, Zaragoza said."
    assert _sources(text) == {"40": "Federico Mayor Zaragoza"}


@pytest.mark.parametrize(
    "text",
    [
        '"We lost 40 homes," Mayor Ann Lee said. "Another 12 were badly damaged."',
        'Mayor Ann Lee said: "We lost 40 homes. Another 12 were badly damaged."',
    ],
    ids=["quote-resumes", "quote-runs-on"],
)
def test_a_quote_that_goes_on_keeps_its_speaker(text: str) -> None:
    assert _sources(text) == {"40": "Ann Lee", "12": "Ann Lee"}


def test_a_credit_does_not_carry_to_a_plain_sentence_after_it() -> None:
    text = "Five people were hurt, police said. The road reopened with 2 lanes on Tuesday."
    assert _sources(text) == {"Five": "police", "2": None}


def test_a_figure_about_the_speaker_is_not_credited_to_the_speaker() -> None:
    text = (
        '"I lost three races," said the Brazilian, who has failed to finish in seven of 12 starts.'
    )
    found = _sources(text)
    assert found["seven"] is None and found["12"] is None
    assert found["three"] is not None and "Brazilian" in found["three"]


def test_a_plain_statement_has_no_source() -> None:
    assert _sources("Thirty people were hurt in the crash.") == {"Thirty": None}


@pytest.mark.parametrize(
    ("text", "figure", "source"),
    [
        ("A survey found 40% of workers felt tired.", "40%", "survey"),
        ("Investigators found that 12 men had been cheated.", "12", "Investigators"),
        ("The jury found that he had stolen $40,000.", "$40,000", "The jury"),
        ("The jury found 12 men guilty.", "12", None),
        ("In May, a jury found four men guilty on all charges.", "four", None),
    ],
)
def test_found_credits_evidence_and_findings_not_verdicts(
    text: str, figure: str, source: str | None
) -> None:
    assert _sources(text) == {figure: source}


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ('"We have lost 40 homes," the mayor told CNN.', "the mayor"),
        ("The mayor told CNN that 40 homes had been lost.", "The mayor"),
    ],
)
def test_a_description_is_not_the_name_it_speaks_to(text: str, source: str) -> None:
    # "mayor" stands before "CNN" as the subject of "told", not as CNN's title
    assert [f.source for f in figures(text)] == [source]


def test_a_share_of_respondents_is_no_source_the_poll_is() -> None:
    text = (
        "In a national CNN/ORC poll released Monday, 31% of Republicans said they were"
        " enthusiastic, compared with 23% of Democrats."
    )
    assert _sources(text) == {"31%": "national CNN/ORC poll", "23%": "national CNN/ORC poll"}


def test_a_majority_of_a_body_is_a_source() -> None:
    text = "A majority of the justices said the $2 billion fine was excessive."
    assert _sources(text) == {"$2 billion": "majority of the justices"}


def test_the_mayor_is_the_mayor_named_with_a_capitalized_title() -> None:
    text = (
        "Mayor Bill de Blasio told CNN that 40 schools would close."
        " The mayor said 300 teachers were sick."
    )
    assert _sources(text)["300"] == "Bill de Blasio"


def test_a_name_given_with_called_is_the_name_of_the_group() -> None:
    text = (
        "A group called Local Coordination Committees said 45 people were killed on Friday."
        " The group said 20 of them died in Homs."
    )
    assert _sources(text) == {
        "45": "Local Coordination Committees",
        "20": "Local Coordination Committees",
    }


def test_an_aside_between_dashes_is_not_part_of_the_name() -> None:
    text = "Café owners — some of them worried — said 40% of shops closed."
    assert _sources(text) == {"40%": "Café owners"}


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "The deal was with Spotify. Meghan Markle will host 12 shows, Markle said.",
            "Meghan Markle",
        ),
        (
            "Gov. Ed Rendell spoke first. The state has 300 bridges, Rendell said.",
            "Gov. Ed Rendell",
        ),
    ],
    ids=["a-sentence-ends-before-the-name", "a-title-ends-no-sentence"],
)
def test_a_surname_is_named_in_full_from_its_own_sentence(text: str, source: str) -> None:
    assert [f.source for f in figures(text)] == [source]


def test_both_estimates_of_a_crowd_keep_their_own_sources_and_what_they_count() -> None:
    found = figures(
        "Police estimated the crowd at 10,000, though organizers put the number at 50,000."
    )
    assert [(f.text, f.source, f.counts) for f in found] == [
        ("10,000", "Police", "crowd"),
        ("50,000", "organizers", "number"),
    ]
    found = figures("Officials put the number of displaced people at about 60,000.")
    assert [(f.text, f.source, f.counts) for f in found] == [
        ("about 60,000", "Officials", "number of displaced people")
    ]


def test_they_with_no_named_party_is_the_one_group_before_it() -> None:
    assert _sources("Police arrested John Smith on Friday. They said 14 guns were found.") == {
        "14": "Police"
    }
    assert (
        _sources("Officials said 40 migrants were rescued off Libya. They said 12 drowned.")["12"]
        == "Officials"
    )
    # "they" is never a place
    assert _sources("Lawmakers met in Ohio on Monday. They said 12 bills had passed.") == {
        "12": "Lawmakers"
    }
    # the police or the protesters: no one is named
    assert _sources("Police fired tear gas at protesters. They said 40 members were hurt.") == {
        "40": "They"
    }


def test_a_standing_is_no_value_and_an_age_no_figure() -> None:
    assert _sources("The loss put the Yankees at 12 games behind.") == {"12": None}
    assert _sources("The prosecutor put Kasab's age at 21.") == {}


def test_he_with_no_name_before_it_is_the_role_the_story_gave() -> None:
    text = (
        'The minister spoke for an hour. "Our economy grew 3 percent last year," he told'
        " parliament."
    )
    assert _sources(text) == {"3 percent": "The minister"}
    # a subject that is no role, or two people it could be: the pronoun stays
    assert _sources("Officials met the minister on Monday. He said 40 schools would reopen.") == {
        "40": "He"
    }
    assert _sources("The president met the prime minister. She said trade grew 8 percent.") == {
        "8 percent": "She"
    }
    # the role credited before, not the subject of its quotation
    text = '"The president has failed us," the senator said. He said 40 states had lost jobs.'
    assert _sources(text) == {"40": "the senator"}
