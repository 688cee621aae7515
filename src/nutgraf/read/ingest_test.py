import gzip
import json
import shutil
from pathlib import Path

import pytest

from nutgraf.errors import (
    DecodeError,
    EmptyStoryError,
    InputFormatError,
    LanguageError,
    MissingInputError,
    NoArticleError,
    NutgrafError,
)
from nutgraf.read import ingest
from nutgraf.story import Casing, Story

ROOT = Path(__file__).parents[3]
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "examples" / "000_7c7ec3b5e1da7bbe.txt"
CORPUS = FIXTURES / "ingest_corpus.jsonl"


def _body(story: Story) -> list[str]:
    return [story.text[start:end] for start, end in story.body]


# --- plain text


def test_plain_text_body_is_the_trimmed_non_blank_lines() -> None:
    text = "  Rain fell on Monday.  \n\n\nThe match was called off.\n   \n"
    story = ingest.read(text)
    assert story.source_format == "plain"
    assert story.text == text
    assert _body(story) == ["Rain fell on Monday.", "The match was called off."]
    assert story.title is None and story.reference == []
    assert story.casing is Casing.CASED


def test_bytes_are_decoded_and_a_bom_is_dropped() -> None:
    story = ingest.read("\ufeffCafé au lait.".encode())
    assert story.text == "Café au lait."
    assert ingest.read("\ufeffHi there.").text == "Hi there."


# --- news page saved as text (the example)


@pytest.fixture(scope="module")
def page() -> Story:
    return ingest.read_file(EXAMPLE)


def test_page_is_detected_and_titled(page: Story) -> None:
    assert page.source_format == "page"
    assert page.title == "Turkey seeks help from NATO on Syria"
    assert page.casing is Casing.CASED


def test_page_reference_is_the_four_story_highlights(page: Story) -> None:
    assert page.reference == [
        "NEW: At least 80 people were killed Monday, an opposition group says; "
        'Syria reports 20 "martyrs"',
        "The defections include a Syrian general and at least 4 other officers, two sources say",
        "The EU announces a new round of sanctions against Syria",
        "U.N. human rights chief calls for referral of the case to the International "
        "Criminal Court",
    ]


def test_page_body_leaves_out_furniture_and_related_links(page: Story) -> None:
    body = _body(page)
    assert body[0].startswith("Syrian President Bashar al-Assad\u2019s military")
    for dropped in (
        "Syria rejects Turkey claims on downed jet",
        "Turkey hardens military position after Syria downs jet",
        "04:00 - Source: CNN",
        "Story highlights",
        "Turkey seeks help from NATO on Syria",
    ):
        assert dropped not in body
    assert not any(line.startswith("CNN") and len(line) < 10 for line in body)
    assert not any(bullet in body for bullet in page.reference)
    assert len(body) == 20


def test_page_keeps_the_cut_off_last_paragraph(page: Story) -> None:
    assert _body(page)[-1] == "\u201cBoth government and opp"


def test_page_offsets_index_the_original_text(page: Story) -> None:
    original = EXAMPLE.read_text(encoding="utf-8")
    assert page.text == original
    starts = [start for start, _ in page.body]
    assert starts == sorted(starts)
    for start, end in page.body:
        paragraph = original[start:end]
        assert paragraph == paragraph.strip() and paragraph
        assert f"\n{paragraph}\n" in f"\n{original}\n"


def test_page_bullets_end_at_the_dateline_or_at_the_first_full_sentence() -> None:
    with_dateline = ingest.read(
        "Headline\n\nStory highlights\n\nThe mayor tells CNN he will stay.\n"
        "Second bullet\n\nLONDON, England (CNN) --\n\nThe body starts here.\n"
    )
    assert with_dateline.reference == ["The mayor tells CNN he will stay.", "Second bullet"]
    assert _body(with_dateline) == ["The body starts here."]
    without = ingest.read(
        "Headline\nStory highlights\nFirst bullet\nSecond bullet says CNN\n"
        "The body starts here.\nA related story link\nThe end."
    )
    assert without.source_format == "page"
    assert without.reference == ["First bullet", "Second bullet says CNN"]
    assert _body(without) == ["The body starts here.", "The end."]


def test_page_with_nothing_after_its_highlights_is_empty() -> None:
    with pytest.raises(EmptyStoryError, match=r"page\.txt"):
        ingest.read("Headline\nStory highlights\nA bullet\nCNN \u2014\n", where="page.txt")


# --- CNN/DailyMail .story files


def test_story_file_splits_body_and_highlights() -> None:
    story = ingest.read_file(FIXTURES / "ingest_cnn.story")
    assert story.source_format == "story"
    assert story.reference == [
        "Celebrity chef Jamie Oliver to serve Scottish organic salmon, Welsh lamb",
        "Oliver will use traditional ingredients and recipes from UK",
        "Oliver will cook the meal along with young chefs from his apprentice program",
    ]
    body = _body(story)
    assert len(body) == 5
    assert body[0].startswith("LONDON, England (CNN) -- Celebrity Chef Jamie Oliver")
    assert not any("@highlight" in paragraph for paragraph in body)


def test_story_file_is_detected_by_content_too() -> None:
    text = (FIXTURES / "ingest_cnn.story").read_text(encoding="utf-8")
    assert ingest.read(text).source_format == "story"


# --- HTML


def test_html_keeps_the_article_and_drops_boilerplate() -> None:
    story = ingest.read_file(FIXTURES / "ingest_page.html")
    assert story.source_format == "html"
    assert story.title == "Flood waters rise in river town"
    body = _body(story)
    assert len(body) == 4
    assert body[0].startswith("Flood waters rose above the old bridge")
    for boilerplate in ("Subscribe", "cookies", "Most read", "Copyright", "Privacy", "Celebrity"):
        assert boilerplate not in story.text
    for start, end in story.body:
        assert story.text[start:end] == story.text[start:end].strip()


def test_html_is_detected_from_content() -> None:
    html = (FIXTURES / "ingest_page.html").read_text(encoding="utf-8")
    assert ingest.detect_format(html) == "html"
    assert ingest.read(html).source_format == "html"


def test_html_without_article_text_names_the_input() -> None:
    with pytest.raises(
        NoArticleError, match=r"^no article text found in this page: .*\(empty\.html\)"
    ):
        ingest.read(
            "<html><head><title>T</title></head><body><script>x()</script></body></html>",
            where="empty.html",
        )


# --- JSONL


def test_jsonl_object_read_as_one_story() -> None:
    line = json.dumps(
        {
            "id": "x1",
            "article": "It rained .",
            "highlights": "rain .\nmore rain .",
            "publisher": "cnn",
            "format": "lowercased-tokenized",
        }
    )
    story = ingest.read(line)
    assert story.source_format == "jsonl"
    assert (story.id, story.publisher, story.casing) == ("x1", "cnn", Casing.TOKENIZED)
    assert story.reference == ["rain .", "more rain ."]
    assert story.text == "It rained ." and _body(story) == ["It rained ."]


def test_jsonl_read_refuses_several_records() -> None:
    with pytest.raises(InputFormatError, match="iter_jsonl"):
        ingest.read('{"article": "A."}\n{"article": "B."}\n', "jsonl")


def test_truncated_line_names_its_problem_once() -> None:
    # the line's newline is no part of the record: the problem is the unclosed string, and
    # the decoder's own trailing "at" is not said twice
    error = ingest.parse_line(b'{"id": "x", "article": "The council met\n', "line 3")
    assert isinstance(error, InputFormatError)
    assert "(Unterminated string starting at column 24)" in str(error)


def test_jsonl_unknown_casing_is_refused() -> None:
    with pytest.raises(InputFormatError, match='unknown "format"'):
        ingest.from_record({"article": "A.", "format": "shouting"}, "row 1")


def _check_corpus(results: list[tuple[int, Story | NutgrafError]]) -> None:
    numbers = [number for number, _ in results]
    assert numbers == [1, 2, 4, 5, 6, 7, 8, 9]
    by_line = dict(results)
    stories = {n: r for n, r in by_line.items() if isinstance(r, Story)}
    assert sorted(stories) == [1, 4, 9]
    assert stories[1].casing is Casing.CASED
    assert stories[1].id == "a4942dd663020ca54575471657a0af38d82897d6"
    assert stories[1].reference[0] == "Zully Broussard decided to give a kidney to a stranger ."
    assert stories[4].casing is Casing.TOKENIZED
    assert stories[4].publisher == "dailymail"
    assert stories[9].casing is Casing.TOKENIZED  # no "format" field: detected
    expected_errors = {
        2: (InputFormatError, "not valid JSON"),
        5: (InputFormatError, "a JSON list"),
        6: (InputFormatError, 'no "article"'),
        7: (EmptyStoryError, '"article" is empty'),
        8: (InputFormatError, 'field "id" is a number'),
    }
    for number, (kind, message) in expected_errors.items():
        error = by_line[number]
        assert isinstance(error, kind), (number, error)
        assert f"line {number}: " in str(error) and message in str(error)


def test_iter_jsonl_reports_bad_lines_and_keeps_good_ones() -> None:
    _check_corpus(list(ingest.iter_jsonl(CORPUS)))


def test_iter_jsonl_reads_gzip(tmp_path: Path) -> None:
    packed = tmp_path / "corpus.jsonl.gz"
    with CORPUS.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    _check_corpus(list(ingest.iter_jsonl(packed)))


def test_iter_jsonl_reports_invalid_utf8_by_line(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b'{"article": "Fine."}\n{"article": "caf\xe9"}\n')
    (_, first), (_, second) = ingest.iter_jsonl(corpus)
    assert isinstance(first, Story)
    assert isinstance(second, DecodeError) and "line 2" in str(second)


def test_iter_jsonl_missing_file_fails_at_once(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError, match="no such file"):
        ingest.iter_jsonl(tmp_path / "absent.jsonl")


def test_iter_jsonl_damaged_gzip(tmp_path: Path) -> None:
    damaged = tmp_path / "c.jsonl.gz"
    damaged.write_bytes(gzip.compress(CORPUS.read_bytes())[:200])
    with pytest.raises(DecodeError, match="damaged"):
        list(ingest.iter_jsonl(damaged))


def test_read_file_decompresses_gzip(tmp_path: Path) -> None:
    packed = tmp_path / "story.txt.gz"
    packed.write_bytes(gzip.compress(b"It rained. Fans left."))
    story = ingest.read_file(packed)
    assert story.source_format == "plain" and story.text == "It rained. Fans left."


# --- detection


@pytest.mark.parametrize(
    ("text", "casing"),
    [
        ("The man, 35, said he's fine.", Casing.CASED),
        ("the man , 35 , said he 's fine .", Casing.TOKENIZED),
        ("police -lrb- pictured -rrb- arrived", Casing.TOKENIZED),
        ("lower case words only, no tokens.", Casing.CASED),
        ("12345", Casing.CASED),
    ],
)
def test_detect_casing(text: str, casing: Casing) -> None:
    assert ingest.detect_casing(text) is casing


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("anything", "a.html", "html"),
        ("anything", "a.HTM", "html"),
        ("anything", "a.story", "story"),
        ("anything", "a.jsonl.gz", "jsonl"),
        ("anything", "a.json", "jsonl"),
        ('  {"article": "x"}', None, "jsonl"),
        ("<!doctype html><p>x</p>", None, "html"),
        ("<div><p>x</p></div>", None, "html"),
        ("Body.\n\n@highlight\n\nBullet", None, "story"),
        ("Title\n00:59 - Source: CNN\n\nStory highlights\n\nBullet", None, "page"),
        ("Plain story. With <b>bold</b> later.", "notes.txt", "plain"),
    ],
)
def test_detect_format(text: str, name: str | None, expected: str) -> None:
    assert ingest.detect_format(text, name) == expected


def test_formats_constant() -> None:
    assert ingest.FORMATS == ("plain", "page", "story", "html", "jsonl")


# --- bad input


@pytest.mark.parametrize("source", ["", "   \n\t\n", b"", b"  \n"])
def test_empty_or_blank_story_names_where(source: str | bytes) -> None:
    with pytest.raises(EmptyStoryError, match=r"story\.txt: the story is empty"):
        ingest.read(source, where="story.txt")


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        bytes(range(1, 32)) * 20,
    ],
)
def test_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(DecodeError, match="binary"):
        ingest.read(data, where="blob.bin")


def test_nul_in_text_is_refused() -> None:
    with pytest.raises(DecodeError, match="NUL"):
        ingest.read("abc\x00def")


def test_control_characters_in_text_are_refused_as_binary() -> None:
    with pytest.raises(DecodeError, match="binary"):
        ingest.read("".join(map(chr, range(1, 32))) * 20, where="<request>")


def test_lone_surrogate_in_text_is_refused_with_its_place() -> None:
    with pytest.raises(DecodeError, match=r"character 6 \(a lone surrogate, U\+D800\)"):
        ingest.read("Hello \ud800 world.")


def test_invalid_utf8_names_where_and_offset() -> None:
    with pytest.raises(DecodeError, match=r"latin1.txt: not valid UTF-8 at byte 2"):
        ingest.read("Ol\u00e1 caf\u00e9".encode("latin-1") * 2, where="latin1.txt")


def test_invalid_utf8_offset_counts_the_bom() -> None:
    with pytest.raises(DecodeError, match="at byte 5"):
        ingest.read(b"\xef\xbb\xbfab\xff")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError, match="no such file"):
        ingest.read_file(tmp_path / "absent.txt")
    with pytest.raises(MissingInputError, match="is a directory"):
        ingest.read_file(tmp_path)


def test_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(InputFormatError, match="plain, page, story, html, jsonl"):
        ingest.read("Some text.", "pdf")


def test_invalid_json_story_names_where() -> None:
    with pytest.raises(InputFormatError, match=r"row\.json: not valid JSON"):
        ingest.read('{"article": ', where="row.json")


# --- languages and pages without an article

RUSSIAN_PAGE = FIXTURES / "page_ru_skyrim_speed.html"


def test_a_page_in_another_language_is_refused_naming_it() -> None:
    with pytest.raises(LanguageError, match=r"this story is in Russian \(ru\); nutgraf reads"):
        ingest.read_file(RUSSIAN_PAGE)


def test_any_language_reads_it_anyway() -> None:
    story = ingest.read_file(RUSSIAN_PAGE, any_language=True)
    assert story.source_format == "html" and story.body


def test_a_jsonl_record_in_another_language_is_refused() -> None:
    article = (
        "Die Bundesregierung hat am Montag beschlossen, die Steuern für alle Bürger im nächsten"
        " Jahr zu senken. Der Finanzminister sagte, das Land könne sich das leisten."
    )
    line = json.dumps({"article": article}).encode()
    refused = ingest.parse_line(line, "corpus.jsonl, line 4")
    assert isinstance(refused, LanguageError)
    assert str(refused).startswith("corpus.jsonl, line 4: this story is in German (de)")
    assert isinstance(ingest.parse_line(line, "x", any_language=True), Story)


def test_a_page_of_links_is_refused_with_why() -> None:
    links = "".join(f'<p><a href="/{n}">Story number {n} of the day</a></p>' for n in range(40))
    page = f"<html><head><title>News</title></head><body><main>{links}</main></body></html>"
    with pytest.raises(NoArticleError, match=r"^no article text found in this page: "):
        ingest.read(page, where="menu.html")


def test_page_body_spans_index_the_extracted_text() -> None:
    story = ingest.read_file(FIXTURES / "page_ap_uk_tories_twitter.html")
    assert story.title == "UK Tories under fire for Twitter name switch during debate"
    for start, end in story.body:
        assert story.text[start:end].strip() == story.text[start:end]
    assert not any("full coverage" in story.text[s:e] for s, e in story.body)


def test_plain_text_leaves_out_the_lines_a_page_says_of_itself() -> None:
    text = (
        "Floods swept through the northern towns on Monday.\n"
        "READ MORE: Storm warning for the weekend as winds pick up\n"
        "At least 40 homes were flooded, officials said.\n"
        "Sign up for our free daily newsletter.\n"
    )
    story = ingest.read(text)
    assert [text[s:e] for s, e in story.body] == [
        "Floods swept through the northern towns on Monday.",
        "At least 40 homes were flooded, officials said.",
    ]


def test_a_story_on_one_line_is_all_body() -> None:
    text = "Click here to subscribe, the sign said, and thousands of readers did so on Monday."
    assert ingest.read(text).body == [(0, len(text))]


def test_gzip_bytes_are_read_as_the_text_they_hold() -> None:
    text = "Rain fell on Monday. Fans left early."
    assert ingest.read(gzip.compress(text.encode()), where="stdin").text == text


def test_a_pasted_headline_is_the_title_not_a_sentence() -> None:
    pasted = (
        "Storm knocks out power to 200,000 homes in Oregon\n\nBy Jane Smith, CNN\n\n"
        "A winter storm knocked out power to 200,000 homes on Monday, officials said.\n"
        "Crews worked through the night.\n"
    )
    story = ingest.read(pasted, "plain")
    assert story.title == "Storm knocks out power to 200,000 homes in Oregon"
    assert _body(story) == [
        "A winter storm knocked out power to 200,000 homes on Monday, officials said.",
        "Crews worked through the night.",
    ]
    plain = ingest.read("Rain fell on Monday.\nFans left early.\n", "plain")
    assert plain.title is None and _body(plain) == ["Rain fell on Monday.", "Fans left early."]


def test_a_wrapped_lead_or_an_introduction_is_no_headline() -> None:
    wrapped = (
        "A storm cut power to 200,000 homes in Oregon on\nMonday, officials said. Crews left.\n"
    )
    assert ingest.read(wrapped, "plain").title is None
    told = 'The governor issued this statement on Monday:\n"We will rebuild." He left.\n'
    assert ingest.read(told, "plain").title is None
