import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from nutgraf.errors import NutgrafError
from nutgraf.evaluate.highlights import Openings, Report, evaluate, evaluate_corpus
from nutgraf.evaluate.peers import lead3
from nutgraf.read.corpus import Corpus, parse
from nutgraf.story import Casing, Sentence, Story

FIXTURE = Path(__file__).parents[3] / "tests" / "fixtures" / "cnndm_sample.jsonl"
SYSTEMS = ["lead3", "oracle"]


def _read(path: Path) -> list[Story]:
    stories = []
    for record in Corpus(path).records():
        story = parse(record)
        if isinstance(story, Story):
            stories.append(story)
    return stories


def _untimed(report: Report) -> Report:
    return replace(report, systems=tuple(replace(r, seconds=0.0) for r in report.systems))


def _story(texts: list[str], reference: list[str], publisher: str | None) -> Story:
    story = Story(" ".join(texts), reference=reference, publisher=publisher)
    position = 0
    for index, text in enumerate(texts):
        byline = text.startswith("by .")
        story.sentences.append(Sentence(index, text, 0, 0, -1 if byline else position))
        position += not byline
    return story


def _hand_made() -> list[Story]:
    # rouge-score tokens of lead3's summary: the cat sat on the mat dog bark loudli rain fell
    # (11), of the reference: the cat sat (3); all 3 match: R1 = 2·(3/11)·1 / (3/11 + 1) = 3/7.
    cnn = _story(
        ["The cat sat on the mat.", "Dogs bark loudly.", "Rain fell.", "Birds sang."],
        ["The cat sat."],
        "cnn",
    )
    # The byline fragment is skipped: a storm hit the town the river rose school close (10)
    # against a storm hit the town school close (7), all 7 match: R1 = 2·0.7·1 / 1.7 = 14/17.
    dailymail = _story(
        ["by . jane smith .", "a storm hit the town .", "the river rose .", "schools closed ."],
        ["a storm hit the town .", "schools closed ."],
        "dailymail",
    )
    return [cnn, dailymail]


@pytest.fixture(scope="module")
def fixture_report() -> Report:
    return evaluate(_read(FIXTURE), SYSTEMS)


def test_lead3_r1_pinned_by_hand() -> None:
    report = evaluate(_hand_made(), {"lead3": lead3})
    result = report.system("lead3")
    assert result.publishers["cnn"].rouge1 == pytest.approx(100 * 3 / 7)
    assert result.publishers["dailymail"].rouge1 == pytest.approx(100 * 14 / 17)
    assert result.publishers["cnn"].rouge2 == pytest.approx(100 / 3)


def test_weighted_mean_uses_the_test_split_make_up() -> None:
    report = evaluate(_hand_made(), {"lead3": lead3})
    expected = (1093 * 100 * 3 / 7 + 10397 * 100 * 14 / 17) / 11490
    assert report.weighted
    assert report.system("lead3").weighted.rouge1 == pytest.approx(expected)
    assert report.system("lead3").weighted.n == 2


def test_one_publisher_gives_the_plain_mean() -> None:
    stories = _hand_made()
    stories[1].publisher = "cnn"
    result = evaluate(stories, {"lead3": lead3})
    assert not result.weighted
    assert result.system("lead3").weighted.rouge1 == pytest.approx(50 * (3 / 7 + 14 / 17))


def test_unknown_publisher_is_reported_but_not_weighted() -> None:
    stories = [*_hand_made(), _story(["Rain fell."], ["Snow fell."], None)]
    result = evaluate(stories, {"lead3": lead3}).system("lead3")
    assert sorted(result.publishers) == ["cnn", "dailymail", "other"]
    assert result.publishers["other"].n == 1
    assert result.weighted.n == 3
    expected = (1093 * 100 * 3 / 7 + 10397 * 100 * 14 / 17) / 11490
    assert result.weighted.rouge1 == pytest.approx(expected)


def test_stories_without_reference_are_skipped() -> None:
    stories = [*_hand_made(), _story(["Rain fell."], [], "cnn")]
    report = evaluate(stories, {"lead3": lead3})
    assert (report.stories, report.skipped) == (2, 1)
    assert report.system("lead3").publishers["cnn"].n == 1
    assert "1 stories without a reference were skipped" in report.to_markdown()


def test_a_failing_system_names_itself_and_the_story() -> None:
    def broken(story: Story) -> list[str]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError) as caught:
        evaluate(_hand_made(), {"broken": broken})
    assert "'broken'" in caught.value.__notes__[0]


def test_fixture_per_publisher_split(fixture_report: Report) -> None:
    lead = fixture_report.system("lead3")
    assert fixture_report.stories == 12
    assert {p: r.n for p, r in lead.publishers.items()} == {"cnn": 7, "dailymail": 5}
    assert fixture_report.weighted


def test_fixture_oracle_beats_lead3(fixture_report: Report) -> None:
    lead, oracle = (fixture_report.system(name).weighted for name in ("lead3", "oracle"))
    assert 20 < lead.rouge1 < 60
    assert lead.rouge2 < lead.rougeLsum < lead.rouge1 + 1e-9
    assert oracle.rouge1 > lead.rouge1 + 5
    assert oracle.rouge2 > lead.rouge2


def test_evaluation_is_deterministic(fixture_report: Report) -> None:
    assert _untimed(evaluate(_read(FIXTURE), SYSTEMS)) == _untimed(fixture_report)


def test_to_markdown_has_every_system_and_the_gap_to_lead3(fixture_report: Report) -> None:
    table = fixture_report.to_markdown().split("By written form")[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[0] for row in rows[2:]] == ["| lead3", "| oracle"]
    assert "Δ lead3" in rows[0] and "weighted R1" in rows[0] and "DM RLsum" in rows[0]
    assert rows[2].endswith("+0.00 / +0.00 / +0.00 |")
    assert "1,093·CNN + 10,397·DM" in table


def test_forms_are_scored_apart_and_side_by_side() -> None:
    stories = _hand_made()
    stories[1].casing = Casing.TOKENIZED
    report = evaluate(stories, {"lead3": lead3})
    forms = report.system("lead3").forms
    assert forms["cased"].rouge1 == pytest.approx(100 * 3 / 7)
    assert forms["lowercased-tokenized"].rouge1 == pytest.approx(100 * 14 / 17)
    by_form = report.to_markdown().split("By written form")[1]
    assert "(1 cased, 1 lowercased-tokenized)" in by_form
    assert "| lead3 | 42.86 |" in by_form and "| +0.00 |" in by_form


def test_to_markdown_without_lead3_has_no_gap_column() -> None:
    stories = _hand_made()[:1]
    table = evaluate(stories, {"first": lambda s: [s.sentences[0].text]}).to_markdown()
    assert "Δ lead3" not in table
    assert "| first | 66.67 |" in table  # the cat sat on the mat: 2·(3/6)·1 / (3/6 + 1) = 2/3
    assert "weighted" not in table


def test_json_round_trip(fixture_report: Report) -> None:
    data = json.loads(json.dumps(fixture_report.to_dict()))
    assert Report.from_dict(data) == fixture_report
    assert data["systems"][0]["stories_per_second"] > 0


def test_pronoun_openings_are_counted_per_publisher_and_weighted() -> None:
    stories = _hand_made()
    report = evaluate(stories, {"second": lambda s: [s.sentences[1].text, "He left."]})
    result = report.system("second")
    assert result.openings == {"cnn": Openings(2, 1), "dailymail": Openings(2, 1)}
    assert result.pronoun_share == pytest.approx(50.0)
    assert "| pronoun openings % |" in report.to_markdown().splitlines()[2]
    assert report.to_markdown().splitlines()[4].endswith("| 50.00 |")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["systems"][0]["pronoun_openings"]["share"] == pytest.approx(50.0)
    assert Report.from_dict(data) == report


def test_lead3_openings_are_reported_too(fixture_report: Report) -> None:
    lead = fixture_report.system("lead3")
    assert sum(o.bullets for o in lead.openings.values()) == 3 * fixture_report.stories


def test_corpus_in_partitions_gives_the_report_of_evaluate(
    fixture_report: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    # Partitions of 5, 5 and 2 stories: the exact sums make the grouping invisible.
    report = evaluate_corpus(FIXTURE, SYSTEMS, partition_size=5, progress=True)
    assert _untimed(report) == _untimed(fixture_report)
    assert "12/12" in capsys.readouterr().err


def test_corpus_on_two_workers_gives_the_same_report(tmp_path: Path) -> None:
    # summa falls back to the lead on a story of one sentence: its count comes from a worker.
    one = {"id": "one", "article": "A storm hit the town.", "highlights": "Storm hits town."}
    path = tmp_path / "corpus.jsonl"
    path.write_text(FIXTURE.read_text(encoding="utf-8") + json.dumps(one) + "\n")
    systems = [*SYSTEMS, "summa"]
    report = evaluate_corpus(path, systems, workers=2, partition_size=2, progress=False)
    assert _untimed(report) == _untimed(evaluate(_read(path), systems))
    assert report.system("summa").fallbacks == 1
    assert all(result.seconds > 0 for result in report.systems)


def test_corpus_skips_bad_records_and_logs_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = FIXTURE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([good[0], "{not json", good[1], good[2]]) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="nutgraf.evaluate.highlights"):
        report = evaluate_corpus(path, {"lead3": lead3}, partition_size=2, progress=False)
    assert report.stories == 3
    assert caplog.messages[0].startswith("skipped: ") and "line 2" in caplog.messages[0]
    assert caplog.messages[-1].endswith("skipped 1 bad records, read 3 stories")
    assert _untimed(report) == _untimed(evaluate(_read(path), {"lead3": lead3}))


def test_corpus_limit_stops_at_that_record(tmp_path: Path) -> None:
    assert evaluate_corpus(FIXTURE, ["lead3"], limit=5, progress=False).stories == 5
    good = FIXTURE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([good[0], "{not json", good[1], good[2]]) + "\n", encoding="utf-8")
    assert evaluate_corpus(path, ["lead3"], limit=3, progress=False).stories == 2


def test_corpus_takes_systems_that_do_not_pickle_in_one_process() -> None:
    report = evaluate_corpus(FIXTURE, {"first": lambda s: [s.sentences[0].text]}, progress=False)
    assert report.system("first").weighted.n == 12


def test_corpus_with_an_unknown_system_fails_at_once() -> None:
    with pytest.raises(NutgrafError, match="Unknown system 'gpt'"):
        evaluate_corpus(FIXTURE, ["lead3", "gpt"], progress=False)
