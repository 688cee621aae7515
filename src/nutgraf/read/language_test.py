"""Tests of telling a story's language: other languages named, English never refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nutgraf.read import language

FIXTURES = Path(__file__).parents[3] / "tests" / "fixtures"


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [
        ("Die Bundesregierung hat am Montag beschlossen, die Steuern für alle Bürger im nächsten"
         " Jahr zu senken. Der Finanzminister sagte, das Land könne sich das leisten.",
         "de", "German"),
        ("Kindle書籍を読む場合は、一般的にスマホやタブレットなどのモバイル端末で読むことが多いと思いますが、"
         "何か書籍で調べながら作業をする場合など、パソコンでそのまま読みたい時もあります。"
         "そんな用途を考慮してか、Kindleや楽天koboにはデスクトップアプリが用意されています。",
         "ja", "Japanese"),
        ("Nesta página você terá sempre a classificação atualizada da NASCAR até a última corrida!"
         " Coloque nos seus favoritos e venha sempre conferir a classificação.",
         "pt", "Portuguese"),
    ],
)  # fmt: skip
def test_a_story_in_another_language_is_named(text: str, code: str, name: str) -> None:
    found = language.foreign(text)
    assert found is not None
    assert (found.code, found.name) == (code, name)
    assert language.foreign(text) == found  # the same answer every time


@pytest.mark.parametrize(
    "text",
    [
        "Obama met Putin in Moscow.",
        "Bayern München beat Borussia Dortmund 2-1 on Saturday.",
        "Kim Jong Un met Moon Jae-in at Panmunjom on Friday, Yonhap said.",
        "Merkel, Macron and Sánchez met in Brussels on Tuesday. They agreed on nothing.",
        '"Gracias," said the coach after Real Madrid won the Copa del Rey in Sevilla.',
    ],
)
def test_a_short_english_paste_is_never_refused(text: str) -> None:
    assert language.foreign(text) is None


def test_english_in_both_forms_of_the_data_is_english() -> None:
    rows = FIXTURES.joinpath("cnndm_sample.jsonl").read_text(encoding="utf-8").splitlines()
    articles = [json.loads(row)["article"] for row in rows]
    assert {json.loads(row).get("format") for row in rows} >= {"cased", "lowercased-tokenized"}
    for article in articles:
        found = language.detect(article)
        assert found is not None and found.code == language.ENGLISH
        assert found.english > 10 * language.MAX_ENGLISH  # far from a refusal


def test_too_little_text_gets_no_verdict() -> None:
    assert language.detect("Ein kurzer Satz.") is None


ENGLISH_NEWS = (
    "The talks were the first since the ceasefire, and officials from both sides said they would"
    " meet again after the holiday. The minister, who has led the delegation for two years, said"
    " that the plan was the best of the options they have and that it would be put to a vote."
    " Their opponents have said the deal gives away too much, and that they will fight it in the"
    " courts. The vote is expected within a month, with the outcome still in doubt."
)


def test_plain_english_is_read_without_loading_the_language_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse() -> None:
        raise AssertionError("py3langid was asked")

    monkeypatch.setattr(language, "_identifier", refuse)
    assert language.foreign(ENGLISH_NEWS) is None


def test_another_language_with_english_names_still_goes_to_the_model() -> None:
    german = (
        "Die Regierung hat am Montag in Berlin beschlossen, die Steuern für alle Bürger zu senken,"
        " und der Finanzminister sagte, das Land könne sich das leisten. The Guardian und die New"
        " York Times berichteten über den Plan der Regierung, der im Parlament noch eine Mehrheit"
        " braucht. Die Opposition kündigte an, gegen das Gesetz zu stimmen, weil es die Reichen"
        " bevorzuge und die Schulden erhöhe."
    )
    found = language.foreign(german)
    assert found is not None and found.code == "de"
