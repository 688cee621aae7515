import re
from collections.abc import Collection, Mapping

import pytest

from nutgraf import lexicon, nlp

# Lists that rules compare with lowercased words or lowercased tokens.
LOWERCASED: Mapping[str, Collection[str]] = {
    "PERSONAL_PRONOUNS": lexicon.PERSONAL_PRONOUNS,
    "GROUP_PRONOUNS": lexicon.GROUP_PRONOUNS,
    "THIRD_PERSON": lexicon.THIRD_PERSON,
    "FIRST_PERSON": lexicon.FIRST_PERSON,
    "DEMONSTRATIVES": lexicon.DEMONSTRATIVES,
    "GENDERED_OPENINGS": lexicon.GENDERED_OPENINGS,
    "GENDER_PRONOUNS": [w for words in lexicon.GENDER_PRONOUNS.values() for w in words],
    "CONTINUING_PRONOUNS": lexicon.CONTINUING_PRONOUNS,
    "PERSON_SUBJECTS": lexicon.PERSON_SUBJECTS,
    "RELATIVE_SUBJECTS": lexicon.RELATIVE_SUBJECTS,
    "PREPOSITIONS": lexicon.PREPOSITIONS,
    "PLURAL_DETERMINERS": lexicon.PLURAL_DETERMINERS,
    "APPOSITIVE_STARTS": lexicon.APPOSITIVE_STARTS,
    "CLAUSE_STARTS": lexicon.CLAUSE_STARTS,
    "NAME_OPENERS": lexicon.NAME_OPENERS,
    "CLAUSE_WORDS": lexicon.CLAUSE_WORDS,
    "DISCOURSE_MARKERS": lexicon.DISCOURSE_MARKERS,
    "REPORTING_LEMMAS": lexicon.REPORTING_LEMMAS,
    "FINDING_LEMMAS": lexicon.FINDING_LEMMAS,
    "SPEECH_VERBS": lexicon.SPEECH_VERBS,
    "ATTRIBUTION_WORDS": lexicon.ATTRIBUTION_WORDS,
    "EVIDENCE": lexicon.EVIDENCE,
    "PLURAL_SOURCES": lexicon.PLURAL_SOURCES,
    "SINGULAR_S_NOUNS": lexicon.SINGULAR_S_NOUNS,
    "TITLES": [w for words in lexicon.TITLES.values() for w in words.split("|")],
    "ROLES": lexicon.ROLES,
    "TIME_UNITS": lexicon.TIME_UNITS,
    "HYPHENATED_TIME_UNITS": lexicon.HYPHENATED_TIME_UNITS,
    "CALENDAR_NOUNS": lexicon.CALENDAR_NOUNS,
    "TIME_ZONES": lexicon.TIME_ZONES,
    "PTB_TOKENS": lexicon.PTB_TOKENS,
    "CLITICS": lexicon.CLITICS,
    "PLACE_PARTICLES": lexicon.PLACE_PARTICLES,
    "BYLINE_PARTICLES": lexicon.BYLINE_PARTICLES,
    "STOP_WORDS": lexicon.STOP_WORDS,
    "PAGE_FURNITURE": lexicon.PAGE_FURNITURE,
    "CALLS_TO_ACTION": lexicon.CALLS_TO_ACTION,
    "PHOTO_CREDITS": lexicon.PHOTO_CREDITS,
    "TIMESTAMP_OPENINGS": lexicon.TIMESTAMP_OPENINGS,
    "MONTH_AND_DAY_ABBREVIATIONS": lexicon.MONTH_AND_DAY_ABBREVIATIONS,
}


@pytest.mark.parametrize("name", sorted(LOWERCASED))
def test_lists_read_against_lowercased_text_hold_no_uppercase(name: str) -> None:
    words = list(LOWERCASED[name])
    assert words, name
    assert [w for w in words if w != w.lower()] == []
    assert [w for w in words if not w or w != w.strip()] == []


@pytest.mark.parametrize(
    "words",
    [
        lexicon.CLAUSE_WORDS,
        lexicon.DISCOURSE_MARKERS,
        lexicon.TIME_ZONES,
        lexicon.PLACE_PARTICLES,
        lexicon.BYLINE_PARTICLES,
        lexicon.CLITICS,
        lexicon.DOUBLE_QUOTES,
    ],
)
def test_ordered_lists_hold_each_word_once(words: tuple[str, ...]) -> None:
    assert len(set(words)) == len(words)


def test_derived_pronoun_sets_are_the_unions_they_claim() -> None:
    assert lexicon.CREDIT_PRONOUNS == lexicon.PERSONAL_PRONOUNS | lexicon.GROUP_PRONOUNS
    assert lexicon.OPENING_PRONOUNS == (
        lexicon.THIRD_PERSON | lexicon.FIRST_PERSON | lexicon.DEMONSTRATIVES
    )
    assert not lexicon.THIRD_PERSON & lexicon.FIRST_PERSON
    assert "us" not in lexicon.OPENING_PRONOUNS  # "US troops", "Us Weekly"


def test_narrower_pronoun_lists_lie_inside_the_wider() -> None:
    assert lexicon.CREDIT_PRONOUNS <= lexicon.OPENING_PRONOUNS
    assert set(lexicon.CONTINUING_PRONOUNS) <= lexicon.GROUP_PRONOUNS
    assert set(lexicon.PERSON_SUBJECTS) <= lexicon.CREDIT_PRONOUNS
    assert set(lexicon.GENDERED_OPENINGS) <= lexicon.OPENING_PRONOUNS
    assert set(lexicon.GENDERED_OPENINGS) >= lexicon.GENDERED_POSSESSIVES


def test_gendered_words_agree_on_gender() -> None:
    masculine, feminine = lexicon.GENDER_PRONOUNS["m"], lexicon.GENDER_PRONOUNS["f"]
    assert not set(masculine) & set(feminine)
    for word, gender in lexicon.GENDERED_OPENINGS.items():
        assert word in lexicon.GENDER_PRONOUNS[gender], word
    titles = {g: set(alternatives.split("|")) for g, alternatives in lexicon.TITLES.items()}
    assert not titles["m"] & titles["f"]


def test_entity_label_sets() -> None:
    assert lexicon.NAME_LABELS | {"NORP", "LANGUAGE"} == lexicon.PROPER_NAME_LABELS
    assert "NORP" not in lexicon.NAME_LABELS
    assert lexicon.PARTY_LABELS <= lexicon.PROPER_NAME_LABELS
    assert lexicon.NOT_PERSON_LABELS <= lexicon.PROPER_NAME_LABELS
    assert "PERSON" not in lexicon.NOT_PERSON_LABELS
    assert "ORG" not in lexicon.NOT_PERSON_LABELS  # the small model tags people ORG
    assert all(label.isupper() for label in lexicon.PROPER_NAME_LABELS)
    # every label is one the pipeline can give: a misspelt one would never match
    language = nlp.load()
    entity_labels = set(language.get_pipe("ner").labels)  # type: ignore[attr-defined]
    dependency_labels = set(language.get_pipe("parser").labels)  # type: ignore[attr-defined]
    assert entity_labels >= lexicon.PROPER_NAME_LABELS
    assert dependency_labels >= lexicon.SUBJECT_DEPS


def test_narrower_word_lists_lie_inside_the_wider() -> None:
    assert set(lexicon.BARE_DISCOURSE_MARKERS) <= set(lexicon.DISCOURSE_MARKERS)
    assert lexicon.HYPHENATED_TIME_UNITS - {"year-old"} <= lexicon.TIME_UNITS
    assert lexicon.DEMONSTRATIVES - {"those"} <= lexicon.CLAUSE_STARTS | {"that"}
    assert lexicon.FINDING_LEMMAS.isdisjoint(lexicon.REPORTING_LEMMAS)


def test_feature_word_lists_are_feature_tokens() -> None:
    # a word the tokenizer cannot produce would never be counted or left out
    for word in lexicon.STOP_WORDS | lexicon.ATTRIBUTION_WORDS:
        assert lexicon.FEATURE_WORD.fullmatch(word), word


def test_quote_sets_are_built_from_the_double_and_single_marks() -> None:
    double, single = set(lexicon.DOUBLE_QUOTES), set(lexicon.SINGLE_QUOTES)
    assert double | single == lexicon.QUOTES
    assert not double & single
    assert set(lexicon.STRAIGHT_DOUBLE_QUOTES) == double - set(lexicon.CURLY_DOUBLE_QUOTES)
    assert set(lexicon.OPENING_DOUBLE_QUOTES) <= double
    assert lexicon.QUOTES - {"”", "’"} == lexicon.OPENING_QUOTES
    assert set(lexicon.PTB_QUOTES) <= double
    assert set(lexicon.QUOTE_CHARS) == {q for q in lexicon.QUOTES if len(q) == 1}
    assert set(lexicon.OPENING_QUOTE_CHARS) | set(lexicon.CLOSING_QUOTE_CHARS) == set(
        lexicon.QUOTE_CHARS
    )
    assert set(lexicon.OPENING_QUOTE_CHARS) & set(lexicon.CLOSING_QUOTE_CHARS) == {'"', "'"}
    assert set(lexicon.APOSTROPHES) <= single


def test_double_quote_mark_reads_each_mark_whole() -> None:
    text = " ".join(["a", *lexicon.DOUBLE_QUOTES, "b", "'", "‘"])
    assert lexicon.DOUBLE_QUOTE_MARK.findall(text) == list(lexicon.DOUBLE_QUOTES)


def test_ptb_tokens() -> None:
    assert lexicon.PTB_TOKENS == {**lexicon.PTB_BRACKETS, **lexicon.PTB_QUOTES}
    assert [lexicon.PTB_BRACKETS[t] for t in lexicon.PTB_PARENTHESES] == ["(", ")"]
    assert all(t.startswith("-") and t.endswith("-") for t in lexicon.PTB_BRACKETS)


@pytest.mark.parametrize(
    ("pattern", "marks", "others"),
    [
        (lexicon.OPENING_PARENTHESIS, lexicon.OPENING_PARENTHESES, lexicon.CLOSING_PARENTHESES),
        (lexicon.CLOSING_PARENTHESIS, lexicon.CLOSING_PARENTHESES, lexicon.OPENING_PARENTHESES),
    ],
)
def test_parenthesis_patterns_read_their_marks_only(
    pattern: str, marks: tuple[str, ...], others: tuple[str, ...]
) -> None:
    for mark in marks:
        assert re.fullmatch(pattern, mark), mark
    for mark in [*others, "-lsb-", "["]:
        assert not re.fullmatch(pattern, mark), mark


def test_regular_expression_fragments() -> None:
    durations = re.compile(rf"(?:{lexicon.DURATIONS})")
    for words in ["year", "years", "century", "centuries", "a while", "long"]:
        assert durations.fullmatch(words), words
    assert not durations.fullmatch("yearly")
    for credit in ["(CNN)", "(CNN Student News)"]:
        assert re.fullmatch(lexicon.CNN_CREDIT, credit)
    assert not re.fullmatch(lexicon.CNN_CREDIT, "(FBI)")
    for name in ["O'Neill", "J.K.", "Al-Assad", "D’Souza"]:
        assert re.fullmatch(lexicon.CAPITALIZED_WORD, name), name
        assert lexicon.NAME_WORD.fullmatch(name), name
    assert not re.fullmatch(lexicon.CAPITALIZED_WORD, "smith")


def test_word_patterns() -> None:
    text = "O'Neill's 3rd goal, 2-1: don't stop_it"
    assert lexicon.WORD.findall(text) == "O Neill s 3rd goal 2 1 don t stop_it".split()
    assert lexicon.ASCII_WORD.findall(text) == "O Neill s rd goal don t stop it".split()
    assert (
        lexicon.FEATURE_WORD.findall(text.lower()) == "o neill s 3rd goal 2 1 don t stop it".split()
    )
    assert lexicon.LETTER_WORD.findall(text.lower()) == "o'neill's rd goal don't stop it".split()
    assert lexicon.SUMY_WORD.match("don't") and not lexicon.SUMY_WORD.match("3rd")


def test_abbreviation_lists() -> None:
    # an abbreviation in both would be read as never final: the lists must not overlap
    assert not lexicon.NEVER_FINAL & lexicon.MAY_BE_FINAL
    assert all(not w.endswith(".") for w in lexicon.NEVER_FINAL | lexicon.MAY_BE_FINAL)
    assert all(w[0].isupper() for w in lexicon.SENTENCE_STARTERS)


def test_spacy_stop_words_are_the_pipelines() -> None:
    spacy_words = lexicon.spacy_stop_words()
    assert spacy_words == nlp.load().Defaults.stop_words
    # the features' list is not spaCy's: it holds what [a-z0-9] tokens make of clitics
    assert {"s", "t", "n"} <= lexicon.STOP_WORDS - spacy_words
