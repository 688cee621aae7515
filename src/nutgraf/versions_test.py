from pathlib import Path

import pytest

import nutgraf
from nutgraf import pipeline, render, versions
from nutgraf.errors import EmptyStoryError, NutgrafError
from nutgraf.read import ingest, sentences
from nutgraf.story import Figure, Highlight, Story

ROOT = Path(__file__).parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
# Three versions of the example page, oldest first: v1 has no defections and other tolls (60
# killed, 15 in Daraa, 14,400 since March, 12 "martyrs"); v2 adds the defections, 70 killed,
# 20 in Daraa and 17 in Deir Ezzor, 20 "martyrs"; v3, the page itself, 80 killed and 15,000.
TIMELINE = [
    FIXTURES / "update_v1.txt",
    FIXTURES / "update_v2.txt",
    ROOT / "examples" / "000_7c7ec3b5e1da7bbe.txt",
]
# Bullets the tests choose themselves, so that they do not move with the trained model: the
# Hatay defectors (new in v2), the toll (changed in every version) and the downed jet (in all);
# v1, only ever the older version, lacks the first; its bullets are never read.
BULLETS = ("The 33 army defectors", "Meanwhile, at least", "Syria was in a war of words")


def _version(path: Path) -> Story:
    story = sentences.split(ingest.read_file(path))
    chosen = [s for start in BULLETS for s in story.sentences if s.text.startswith(start)]
    story.highlights = [Highlight(s.text, (s.index,), ((s.start, s.end),), 1.0) for s in chosen]
    return story


def _kinds(bullet: versions.Bullet) -> list[str]:
    return [novelty.kind for novelty in bullet.novelties]


def _values(update: versions.Update) -> list[tuple[float, float]]:
    return [(change.old.value, change.new.value) for change in update.changes]


def test_a_timeline_marks_each_version_against_the_one_before() -> None:
    first, second = versions.track([_version(path) for path in TIMELINE])

    defectors, toll, jet = first.bullets
    assert defectors.new and toll.new and not jet.new
    assert sorted(_kinds(defectors)) == ["event", "figure", "name", "name"]
    assert [n.text for n in defectors.novelties if n.kind == "name"] == ["Hatay", "Anadolu"]
    assert _kinds(toll) == ["figure"]
    (changed,) = toll.novelties
    assert changed.was is not None and changed.figure is not None
    assert (changed.was.value, changed.figure.value) == (60, 70)
    assert _values(first) == [(60, 70), (15, 20), (12, 20)]

    defectors, toll, jet = second.bullets
    assert not defectors.new and toll.new and not jet.new
    assert _values(second) == [(70, 80), (14400, 15000)]
    assert second.previous is first.story  # the middle version is read once, used twice


def test_comparing_first_and_last_skips_the_middle_version() -> None:
    result = versions.update(_version(TIMELINE[0]), _version(TIMELINE[2]))
    assert [bullet.new for bullet in result.bullets] == [True, True, False]
    assert _values(result) == [(60, 80), (15, 20), (14400, 15000), (12, 20)]
    # What is counted and who says so are the claims stage's to word; the change is ours.
    said = str(result.changes[0])
    assert said.startswith("at least 60 → at least 80 people killed (")
    assert "Local Coordination Committees" in said


def test_an_unchanged_story_has_nothing_new() -> None:
    text = TIMELINE[2].read_bytes()
    result = nutgraf.update(text, text)
    assert len(result.bullets) >= 3
    assert not any(bullet.new for bullet in result.bullets)
    assert result.changes == ()
    assert "NEW" not in result.to_text() and "Changed figures" not in result.to_text()


def test_the_model_path_flags_the_newest_toll() -> None:
    old, new = (path.read_text(encoding="utf-8") for path in TIMELINE[1:])
    text = nutgraf.update(old, new).to_text()
    assert "• NEW: At least 80 people were killed" in text  # "Monday" may be cut
    assert text.count("NEW:") == 1
    toll, observatory = text.split("\nChanged figures:\n")[1].splitlines()
    assert toll.startswith("  at least 70 → at least 80 ") and "Local Coordination" in toll
    assert observatory.startswith("  more than 14,400 → more than 15,000 ")
    assert "observatory" in observatory


def test_updates_are_deterministic() -> None:
    texts = [path.read_bytes() for path in TIMELINE]
    runs = [[render.update_json(update) for update in nutgraf.track(texts)] for _ in range(2)]
    assert runs[0] == runs[1]


def test_json_traces_figures_to_both_versions() -> None:
    old, new = _version(TIMELINE[0]), _version(TIMELINE[2])
    data = render.update_json(versions.update(old, new))
    assert [h["new"] for h in data["highlights"]] == [True, True, False]
    (why,) = data["highlights"][1]["why"]
    assert why["kind"] == "figure" and why["figure"]["text"] == "at least 80"
    assert why["was"]["text"] == "at least 60"
    change = data["changed"][0]
    assert old.text[change["old"]["start"] : change["old"]["end"]] == "at least 60"
    assert new.text[change["new"]["start"] : change["new"]["end"]] == "at least 80"


def test_json_has_the_shape_of_highlights_json_plus_the_changes() -> None:
    old, new = _version(TIMELINE[0]), _version(TIMELINE[2])
    update = versions.update(old, new)
    data = render.update_json(update)
    plain = render.story_json(update.story)
    assert set(data) == set(plain) | {"changed"}
    assert data["text"] == new.text and data["sentences"] == plain["sentences"]
    for bullet, highlight in zip(data["highlights"], plain["highlights"], strict=True):
        assert set(bullet) == set(highlight) | {"new", "why"}
        assert {key: bullet[key] for key in highlight} == highlight
        for start, end in bullet["spans"]:
            assert new.text[start:end].lower() in bullet["text"].lower()


def _covered(highlight: Highlight) -> set[int]:
    return {i for start, end in highlight.spans for i in range(start, end)}


def test_compress_false_keeps_the_newer_versions_sentences_whole() -> None:
    old, new = (path.read_text(encoding="utf-8") for path in TIMELINE[1:])
    whole = versions.update(old, new, compress=False)
    expected = pipeline.process(ingest.read(new), compress=False, figures=None)
    assert [b.highlight for b in whole.bullets] == expected.highlights
    (tracked,) = versions.track([old, new], compress=False)
    assert [b.highlight for b in tracked.bullets] == expected.highlights
    cut = versions.update(old, new)  # the default cuts: fewer of the same sentence's words
    for short, long in zip(cut.bullets, whole.bullets, strict=True):
        assert short.highlight.sentences == long.highlight.sentences
        assert _covered(short.highlight) <= _covered(long.highlight)


def test_fewer_than_two_versions_is_an_error() -> None:
    with pytest.raises(NutgrafError, match="at least two versions"):
        nutgraf.track([TIMELINE[0].read_bytes()])


def test_an_unreadable_version_is_named_by_its_place() -> None:
    with pytest.raises(EmptyStoryError, match="version 3"):
        nutgraf.track([TIMELINE[0].read_bytes(), TIMELINE[1].read_bytes(), b"  \n"])


def _figure(value: float, counts: str, source: str | None = None, sentence: int = 0) -> Figure:
    text = f"{value:g}"
    return Figure(text, value, None, counts, source, sentence, 0, len(text))


def test_counterparts_pair_changed_figures_one_to_one() -> None:
    old = [_figure(60, "people killed"), _figure(15, "killed in Daraa"), _figure(10000, "x")]
    new = [
        _figure(17, "killed in Deir Ezzor"),
        _figure(20, "killed in Daraa"),
        _figure(80, "people killed"),
        _figure(10000, "x"),
    ]
    matched, changed = versions.counterparts(old, new)
    assert matched == {3}
    assert changed == {1: old[1], 2: old[0]}  # Deir Ezzor's toll is new, not Daraa's changed


def test_a_figure_from_another_source_is_no_counterpart() -> None:
    old = [_figure(15000, "people killed", "the observatory")]
    new = [_figure(10000, "people killed", "The United Nations")]
    assert versions.counterparts(old, new) == (set(), {})
    assert versions.counterparts(old, [_figure(16000, "people killed", None)])[1] == {0: old[0]}


def test_a_change_repeated_in_a_later_sentence_is_listed_once() -> None:
    def story(toll: int) -> Story:
        text = f"At least {toll} people were killed. Twenty of those {toll} died in Daraa."
        story = sentences.split(Story(text))
        story.figures = [_figure(toll, "people killed"), _figure(toll, "people killed", None, 1)]
        return story

    result = versions.compare(story(70), story(80))
    assert _values(result) == [(70, 80)]


def test_new_names_know_a_surname_and_ignore_the_and_possessives() -> None:
    old = "Al-Assad's regime buried soldiers, the Local Coordination Committees said."
    assert versions.new_names("Bashar al-Assad met the Local Coordination Committees.", old) == []
    assert versions.new_names("Victoria Nuland spoke in Washington.", old) == [
        "Victoria Nuland",
        "Washington",
    ]


def test_merged_sentences_are_no_new_event() -> None:
    old = ["Twenty of the dead were in Daraa.", "Seventeen more died in Deir Ezzor."]
    merged = "Twenty of the dead were in Daraa, and seventeen more died in Deir Ezzor."
    assert versions.closest_overlap(merged, old) >= versions.EVENT_OVERLAP
    unrelated = "U.S. officials praised the defections in Washington."
    assert versions.closest_overlap(unrelated, old) < versions.EVENT_OVERLAP


def test_a_story_compared_with_itself_has_nothing_new() -> None:
    text = "Twenty of those 80 were children. At least 80 people were killed, police said."
    result = nutgraf.update(text, text)
    assert "NEW" not in result.to_text() and result.changes == ()
