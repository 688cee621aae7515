"""Tests of reading web pages: the story's lines kept, the page's set aside, the headline."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree

from nutgraf.read import html

FIXTURES = Path(__file__).parents[3] / "tests" / "fixtures"

SENTENCES = [
    "Floods swept through the northern towns on Monday after three days of heavy rain.",
    "At least 40 homes were flooded in Riverton, and 200 people spent the night in a school.",
    "The mayor said the river had never risen so fast in the town's history.",
    "Engineers will inspect the bridges on Tuesday before the roads are opened again.",
]
FURNITURE = [
    "Floods hit the north as river bursts its banks",
    "By Jane Smith",
    "Updated 10:42 GMT, 18 November 2019",
    "READ MORE: Storm warning for the weekend as winds pick up in the west.",
    "Sign up for our free daily newsletter.",
    "Residents look at the water on Monday. (Photo: John Doe/Getty Images)",
    "Follow our coverage at https://example.com/floods for the latest.",
    "12 issues for £11.99. Click here to subscribe.",
    "Keyboard",
]


def _page(body: str, head: str = "<title>Floods hit the north | Daily Post</title>") -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def _lines(article: html.Article) -> list[str]:
    return [article.text[start:end] for start, end in article.body]


def test_the_pages_own_lines_are_set_aside_and_the_storys_kept() -> None:
    furniture = iter(FURNITURE)
    paragraphs = [f"<p>{next(furniture)}</p>" for _ in range(3)]
    for sentence in SENTENCES:
        paragraphs += [f"<p>{sentence}</p>", f"<p>{next(furniture, 'Share this')}</p>"]
    paragraphs.append('<ul><li><a href="/a">Storm warning for the weekend</a></li>'
                      '<li><a href="/b">Schools shut across the region</a></li></ul>')  # fmt: skip
    article = html.extract(_page("<h1>Floods hit the north</h1>" + "".join(paragraphs)), "p")
    assert _lines(article) == SENTENCES
    assert article.problem is None
    assert "By Jane Smith" in article.text  # in the text the offsets index, not in the body


def test_a_subhead_and_a_repeated_headline_are_not_the_story() -> None:
    body = "".join(f"<p>{s}</p>" for s in SENTENCES[:2])
    body += "<h2>What happens next</h2><p>Floods hit the north as the river bursts its banks!</p>"
    body += "".join(f"<p>{s}</p>" for s in SENTENCES[2:])
    head = (
        '<meta property="og:title" content="Floods hit the north as the river bursts its banks!">'
    )
    article = html.extract(_page(body, head), "p")
    assert _lines(article) == SENTENCES


@pytest.mark.parametrize(
    ("head", "title"),
    [
        ('<title>escenic</title><meta property="og:title" content="Floods hit the north">',
         "Floods hit the north"),
        ('<title>Floods hit the north - Daily Post</title>'
         '<meta property="og:site_name" content="Daily Post">', "Floods hit the north"),
        ('<title>Daily Post</title><script type="application/ld+json">{"@type": "NewsArticle",'
         ' "headline": "Floods hit the north"}</script>', "Floods hit the north"),
    ],
)  # fmt: skip
def test_the_title_is_the_headline_never_a_site_or_cms_name(head: str, title: str) -> None:
    body = "".join(f"<p>{s}</p>" for s in SENTENCES)
    assert html.extract(_page(body, head), "p").title == title


def test_a_page_of_links_has_no_article() -> None:
    link = '<p><a href="/{0}">Story number {0} of the day about the floods in the north</a></p>'
    links = "".join(link.format(n) for n in range(30))
    article = html.extract(_page(f"<p>{SENTENCES[0]}</p>{links}"), "p")
    assert article.problem is not None
    assert article.problem.startswith("only 1 sentence of article text (96% of its words are links")


def test_a_teaser_of_two_sentences_has_no_article() -> None:
    article = html.extract(_page("<p>Floods hit the north. Read the story inside.</p>"), "p")
    assert article.problem is not None and "a story needs at least 3" in article.problem


def test_json_ld_article_body_is_read_when_trafilatura_finds_nothing() -> None:
    body = "\\n".join(SENTENCES)
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Floods hit'
        f' the north", "articleBody": "{body}"}}</script>'
    )
    article = html.extract(f"<html><head>{head}</head><body><nav>Home</nav></body></html>", "p")
    assert article.problem is None
    assert all(sentence in article.text for sentence in SENTENCES)


def test_a_real_page_keeps_its_article_and_drops_its_coverage_link() -> None:
    page = (FIXTURES / "page_ap_uk_tories_twitter.html").read_text(encoding="utf-8")
    article = html.extract(page, "ap")
    lines = _lines(article)
    assert article.title == "UK Tories under fire for Twitter name switch during debate"
    assert lines[0].startswith("LONDON (AP) —")
    assert not any("Follow AP's full coverage" in line for line in lines)
    assert "Follow AP's full coverage" in article.text


@pytest.mark.parametrize(
    "line",
    [
        "READ MORE: China plague outbreak confirmed",
        "Scroll down for video",
        "Also on CNN: the best gadgets of the year",
        "Sign up for the free daily newsletter.",
        "- Order Reprints",
        "Subscribe to our newsletter for $1 a week, click here.",
        "https://www.example.com/news/article-123.php",
        "By Jane Smith and John Doe",
        "Posted 5:45 AM PST 11/19/2019",
    ],
)
def test_furniture_is_told_by_what_it_says(line: str) -> None:
    assert html.is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Read the report, which runs to 300 pages, before the vote.",
        "By the time police arrived, the men had fled.",
        "Updated figures show 40 people died in the floods.",
        "The company said it would sign up 200 new drivers by March.",
    ],
)
def test_story_sentences_are_not_furniture(line: str) -> None:
    assert not html.is_furniture(line)


def test_links_run_together_in_a_line_keep_only_the_first() -> None:
    # A card the page shows over a name, written into the paragraph: the name's link, then
    # the person's full name and other stories' headlines, each a link, nothing between.
    card = (
        '<a href="/people/jane-doe">Jane Doe</a><a href="/people/jane-doe">Jane Ann Doe</a>'
        '<a href="/news/1">Mayor pledges new flood barriers</a> '
        '<a href="/news/2">Council votes on budget</a> <a href="/people/jane-doe">MORE</a>'
    )
    paragraphs = "".join(f"<p>{s}</p>" for s in SENTENCES[1:])
    page = _page(
        f"<p>Riverton Mayor {card} (D) toured the flooded streets on Monday.</p>" + paragraphs
    )
    lines = _lines(html.extract(page, "page"))
    assert lines[0] == "Riverton Mayor Jane Doe (D) toured the flooded streets on Monday."


def test_two_links_side_by_side_stay() -> None:
    paragraphs = "".join(f"<p>{s}</p>" for s in SENTENCES[1:])
    page = _page(
        '<p>Flooding hit <a href="/a">Riverton</a> <a href="/b">Eastbrook</a> and three other'
        " towns on Monday.</p>" + paragraphs
    )
    lines = _lines(html.extract(page, "page"))
    assert lines[0] == "Flooding hit Riverton Eastbrook and three other towns on Monday."


def test_a_link_glued_to_a_word_gets_its_space_back() -> None:
    parts = [
        ("after ", False, False),
        ("CNBC reported", True, False),
        ("that it fell", False, False),
    ]
    assert html._joined(parts) == "after CNBC reported that it fell"
    assert html._joined([("Apple", True, False), ("'s", False, False)]) == "Apple's"


def test_the_extraction_without_links_is_taken_when_links_lose_text() -> None:
    # trafilatura, on some pages, drops a sentence's text before a link when it keeps links
    class Extractor:
        def __init__(self, with_links: str, without: str) -> None:
            self.texts = {True: with_links, False: without}

        def bare_extraction(self, page: str, *, include_links: bool, **_: object) -> object:
            return SimpleNamespace(
                body=etree.fromstring(f"<body><p>{self.texts[include_links]}</p></body>")
            )

    whole = "The indexes were mixed in early trading after CNBC reported that the mood was grim."
    lossy = Extractor("<ref>CNBC reported</ref>that the mood was grim.", whole)
    assert "".join(html._extraction(lossy, "", "precision")[1].itertext()) == whole
    linked = "The indexes were mixed after <ref>CNBC reported</ref> that the mood was grim."
    kept = Extractor(linked, "The indexes were mixed after CNBC reported that the mood was grim.")
    assert html._extraction(kept, "", "precision")[1].find("p/ref") is not None
