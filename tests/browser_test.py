"""The editors' page in a real browser: Debian's chromium, headless, against a live server.

Playwright drives ``/usr/bin/chromium`` (never a downloaded browser). Where it is missing the
test is skipped, unless ``NUTGRAF_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure.
Screenshots go to ``$NUTGRAF_SCREENSHOT_DIR`` (default: the test's tmp_path); their paths are
printed.
"""

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLE = Path(__file__).parents[1] / "examples" / "000_7c7ec3b5e1da7bbe.txt"
FIXTURES = Path(__file__).parent / "fixtures"
NEWS_PAGE = FIXTURES / "page_ap_uk_tories_twitter.html"  # a real saved AP page
SMALL_PAGE = FIXTURES / "ingest_page.html"
NO_ARTICLE = "<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav></body></html>"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = (
    "Police said the fire started at 3 a.m. on Monday, and 12 families lost their homes.\n\n"
    "<script>window.pwned=1</script> Firefighters fought the blaze for six hours.\n\n"
    '<img src=x onerror="window.pwned=2"> The mayor promised help for the families.\n\n'
    "The cause of the fire is not yet known, officials said."
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _browser_or_skip() -> Any:
    required = os.environ.get("NUTGRAF_REQUIRE_BROWSER") == "1"
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
        if required:
            pytest.fail(f"NUTGRAF_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            raise
        pytest.skip('playwright is not installed: pip install -e ".[dev]"')
    return sync_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from nutgraf.serve import app as service
    from nutgraf.serve.server_test import live

    with live(service.create_app(tmp_path_factory.mktemp("browser") / "stories.db")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _browser_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("NUTGRAF_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(browser: Any, server: str, width: int, height: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A failed request (the bad search's 400) is logged too; only script errors count.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.goto(server + "/")
    page.errors = errors
    return page


def _highlight(page: Any, text: str) -> list[str]:
    page.fill("#story-text", text)
    page.click("#highlight")
    page.wait_for_selector("#bullets li")
    return _bullets(page)


def _bullets(page: Any) -> list[str]:
    return [str(t) for t in page.locator("#bullets li").all_inner_texts()]


def _bullet_texts(page: Any) -> list[str]:
    """The bullets as the API words them, without the credits line under each."""
    texts = page.locator("#bullets li").evaluate_all("(lis) => lis.map((li) => li.firstChild.data)")
    return [str(t) for t in texts]


def _api(page: Any, text: str, format: str | None = None, **fields: Any) -> Any:
    """The API's own answer for ``text``, asked from the page (``fields``: more of the body)."""
    body = {"text": text} if format is None else {"text": text, "format": format}
    body.update(fields)
    return page.evaluate(
        "async (body) => (await fetch('/v1/highlights', {method: 'POST',"
        " headers: {'content-type': 'application/json'}, body: JSON.stringify(body)})).json()",
        body,
    )


def _paste(page: Any, text: str) -> None:
    """Paste ``text`` over the whole box as a user does: the clipboard, select all, paste."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    page.focus("#story-text")
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("ControlOrMeta+V")
    assert page.input_value("#story-text") == text


def _drop(page: Any, name: str, text: str, media_type: str) -> None:
    """Drop a file on the box: the drag events a browser sends, holding a real File."""
    page.evaluate(
        """([name, text, type]) => {
          const data = new DataTransfer();
          data.items.add(new File([text], name, {type}));
          const area = document.getElementById("story-text");
          for (const kind of ["dragenter", "dragover", "drop"]) {
            area.dispatchEvent(
              new DragEvent(kind, {dataTransfer: data, bubbles: true, cancelable: true}));
          }
        }""",
        [name, text, media_type],
    )


def _submit(page: Any) -> None:
    """Choose Highlight and wait until the page has both answers and has shown them."""
    with page.expect_response(lambda response: response.url.endswith("/v1/highlights")):
        page.click("#highlight")
    page.wait_for_selector("#highlight:enabled")


def _assert_cleared(page: Any, bullets: list[str]) -> None:
    """A failed request: its error in the status line, nothing of the story before it."""
    assert "error" in (page.get_attribute("#status", "class") or "")
    assert page.locator("#result").is_hidden()
    assert page.locator("#empty").is_visible()
    assert page.locator("#bullets li, #story mark, #figures tbody tr").count() == 0
    shown = page.text_content("#output") or ""  # hidden text too
    for bullet in bullets:
        assert bullet not in shown


def test_paste_highlight_mark_store_and_search(browser: Any, server: str, shots: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    page = _page(browser, server, 1366, 900)
    bullets = _highlight(page, text)
    assert 3 <= len(bullets) <= 4
    assert "Syrian President Bashar al-Assad" in bullets[0]

    # The API's own answer says which text each bullet came from; the page must mark exactly it.
    story = page.evaluate(
        "async (text) => (await fetch('/v1/highlights', {method: 'POST',"
        " headers: {'content-type': 'application/json'},"
        " body: JSON.stringify({text})})).json()",
        text,
    )
    for index in range(len(bullets)):
        page.locator("#bullets li").nth(index).click()
        marked = "".join(page.locator("#story mark.on").all_text_contents())
        expected = "".join(story["text"][a:b] for a, b in story["highlights"][index]["spans"])
        assert marked == expected
        assert page.locator("#bullets li").nth(index).get_attribute("aria-pressed") == "true"
    page.locator("#bullets li").nth(0).click()
    first = "".join(story["text"][a:b] for a, b in story["highlights"][0]["spans"])
    assert "".join(page.locator("#story mark.on").all_text_contents()) == first
    assert page.locator("#figures tbody tr").count() >= 3

    page.mouse.move(0, 0)  # a full-page shot resizes the view; keep the pointer off the rows
    path = shots / "page-laptop.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")

    page.click("#store")
    page.wait_for_selector("#status:has-text('Stored as #')")
    page.fill("#search", "Hatay OR Apaydin")  # FTS5 syntax is sent as typed
    page.press("#search", "Enter")
    page.wait_for_selector("#results li")
    page.fill("#search", "Hatay")
    page.press("#search", "Enter")
    page.wait_for_selector("#search-status:has-text('matching')")
    assert page.locator("#results li").count() == 1
    assert "Turkey seeks help from NATO on Syria" in page.locator("#results li").inner_text()
    page.fill("#search", "U.S.")  # plain words are quoted: no FTS5 syntax error
    page.press("#search", "Enter")
    page.wait_for_selector("#search-status:has-text('U.S.')")
    assert "error" not in (page.get_attribute("#search-status", "class") or "")
    page.fill("#search", 'title:"unclosed')  # syntax FTS5 cannot parse: the API's message
    page.press("#search", "Enter")
    page.wait_for_selector("#search-status.error")
    assert "cannot search" in page.inner_text("#search-status")
    page.fill("#search", "Hatay")
    page.press("#search", "Enter")
    page.wait_for_selector("#search-status:has-text('1 story')")
    page.click("#results li button")
    page.wait_for_selector("#status:has-text('Showing stored story')")
    assert page.locator("#bullets li").count() == len(bullets)
    assert page.errors == []


def test_story_text_is_never_run_as_html(browser: Any, server: str, shots: Path) -> None:
    page = _page(browser, server, 1366, 900)
    _highlight(page, HOSTILE)
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    story = page.inner_text("#story")
    assert "<script>window.pwned=1</script>" in story
    assert '<img src=x onerror="window.pwned=2">' in story
    assert page.locator("#story script, #story img, #bullets script, #bullets img").count() == 0
    page.click("#store")
    page.wait_for_selector("#status:has-text('Stored as #')")
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    assert page.errors == []


def test_marks_stay_on_their_text_after_an_emoji(browser: Any, server: str, shots: Path) -> None:
    # The API counts characters, JavaScript UTF-16 units: an emoji is one of the first and two
    # of the second, so without converting, every mark after it would slip.
    text = (
        "Fans cheered 😀😀 on Monday. "
        + HOSTILE.split("\n\n", 1)[0]
        + "\n\n"
        + ("The mayor promised help for the 12 families, officials said on Tuesday.")
    )
    page = _page(browser, server, 1366, 900)
    _highlight(page, text)
    story = page.evaluate(
        "async (text) => (await fetch('/v1/highlights', {method: 'POST',"
        " headers: {'content-type': 'application/json'},"
        " body: JSON.stringify({text})})).json()",
        text,
    )
    for index, highlight in enumerate(story["highlights"]):
        page.locator("#bullets li").nth(index).click()
        marked = "".join(page.locator("#story mark.on").all_text_contents())
        assert marked == "".join(story["text"][a:b] for a, b in highlight["spans"])
    assert page.errors == []


def test_phone_width(browser: Any, server: str, shots: Path) -> None:
    page = _page(browser, server, 390, 844)
    bullets = _highlight(page, EXAMPLE.read_text(encoding="utf-8"))
    assert 3 <= len(bullets) <= 4
    page.locator("#bullets li").nth(1).click()
    assert page.locator("#story mark.on").count() >= 1
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.mouse.move(0, 0)
    path = shots / "page-phone.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    assert page.errors == []


def _story(index: int) -> str:
    """A plain CNN story of the fixtures (no headline or highlights: read as plain text)."""
    lines = (FIXTURES / "cnndm_sample.jsonl").read_text(encoding="utf-8").splitlines()
    return str(json.loads(lines[index])["article"])


def test_an_opened_page_then_a_pasted_story_shows_only_the_story(
    browser: Any, server: str, shots: Path
) -> None:
    html = NEWS_PAGE.read_text(encoding="utf-8")
    page = _page(browser, server, 1366, 900)
    page.set_input_files("#story-file", str(NEWS_PAGE))
    page.wait_for_selector(f"#status:has-text('Opened {NEWS_PAGE.name}: read ')")
    article = _api(page, html, "html")
    first = [h["text"] for h in article["highlights"]]
    assert len(first) >= 2
    # The box holds the article text the marks index, never the page's source.
    assert page.input_value("#story-text") == article["text"]
    assert "NREUM" not in article["text"] and "<script" not in article["text"]
    assert page.input_value("#story-format") == "html"  # what the server read
    assert _bullet_texts(page) == first
    assert "UK Tories under fire" in page.inner_text("#title")
    page.locator("#bullets li").nth(0).click()
    marked = "".join(page.locator("#story mark.on").all_text_contents())
    assert marked == "".join(article["text"][a:b] for a, b in article["highlights"][0]["spans"])
    _submit(page)  # the page again, until the box is edited: the same story and title
    assert _bullet_texts(page) == first
    assert "UK Tories under fire" in page.inner_text("#title")
    assert page.input_value("#story-format") == "html"

    # Pasted HTML read as HTML by an explicit pick still reads the page.
    _paste(page, html)
    assert page.input_value("#story-format") == ""  # new text: guessed afresh
    page.select_option("#story-format", "html")
    _submit(page)
    assert _bullet_texts(page) == first
    assert page.input_value("#story-format") == "html"

    # The report: a plain story pasted next was read as HTML and failed under the page's
    # bullets. The pick was for the page; the story is guessed, read, and shown alone.
    story = _story(3)
    _paste(page, story)
    assert page.input_value("#story-format") == ""
    _submit(page)
    assert "error" not in (page.get_attribute("#status", "class") or "")
    second = [h["text"] for h in _api(page, story)["highlights"]]
    assert _bullet_texts(page) == second
    assert page.input_value("#story-format") == "plain"
    assert page.inner_text("#story") == story
    shown = page.text_content("#output") or ""
    for bullet in first:
        assert bullet not in shown
    assert "Tories" not in shown
    page.mouse.move(0, 0)
    path = shots / "page-opened-then-pasted.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    assert page.errors == []


def test_a_dropped_file_is_read(browser: Any, server: str, shots: Path) -> None:
    html = SMALL_PAGE.read_text(encoding="utf-8")
    page = _page(browser, server, 1366, 900)
    _drop(page, "gazette.html", html, "text/html")
    page.wait_for_selector("#status:has-text('Opened gazette.html: read ')")
    article = _api(page, html, "html")
    gazette = [h["text"] for h in article["highlights"]]
    assert page.input_value("#story-text") == article["text"]
    assert "<nav>" not in page.input_value("#story-text")
    assert page.input_value("#story-format") == "html"
    assert _bullet_texts(page) == gazette
    # Edited, the box's text is the story: read as text, not as the page it came from.
    page.focus("#story-text")
    page.keyboard.press("End")
    page.keyboard.type(" Rain is expected again on Friday.")
    assert page.input_value("#story-format") == ""
    _submit(page)
    assert page.input_value("#story-format") not in ("", "html")
    assert "Rain is expected again on Friday." in page.inner_text("#story")

    # A text file goes into the box as it is, its format guessed when it is read.
    text = EXAMPLE.read_text(encoding="utf-8")
    _drop(page, EXAMPLE.name, text, "text/plain")
    page.wait_for_selector(f"#status:text-is('Opened {EXAMPLE.name}.')")
    assert page.input_value("#story-text") == text
    assert page.input_value("#story-format") == ""
    _submit(page)
    assert _bullet_texts(page) == [h["text"] for h in _api(page, text)["highlights"]]
    assert page.input_value("#story-format") == "page"  # what the server read: a saved page
    shown = page.text_content("#output") or ""
    assert not any(bullet in shown for bullet in gazette)

    # A page saved under another name is known by its content.
    _drop(page, "saved.txt", html, "text/plain")
    page.wait_for_selector("#status:has-text('Opened saved.txt: read ')")
    assert page.input_value("#story-text") == article["text"]
    assert _bullet_texts(page) == gazette

    # A page with no article: the error, no result, and the box as it was.
    _drop(page, "menu.html", NO_ARTICLE, "text/html")
    page.wait_for_selector("#status.error:has-text('Cannot open menu.html')")
    _assert_cleared(page, gazette)
    assert page.input_value("#story-text") == article["text"]
    assert page.errors == []


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        (" \n\t ", "Paste a story first."),
        ("Rain fell on Monday.\x00\x01 Forty homes were flooded.", "binary"),
        ("Rain fell on Monday. " * 60_000, "bytes"),  # over the server's 1 MB: a 413
    ],
    ids=["blank", "binary", "too-large"],
)
def test_a_failed_request_clears_the_story_before_it(
    browser: Any, server: str, shots: Path, bad: str, says: str
) -> None:
    page = _page(browser, server, 1366, 900)
    before = _highlight(page, EXAMPLE.read_text(encoding="utf-8"))
    _paste(page, bad)
    page.click("#highlight")
    page.wait_for_selector("#status.error")
    assert says in page.inner_text("#status")
    _assert_cleared(page, before)
    assert page.errors == []


def test_whole_sentences_asks_for_uncut_bullets(browser: Any, server: str, shots: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    page = _page(browser, server, 1366, 900)
    sent: list[tuple[str, Any]] = []

    def posted(request: Any) -> None:
        if request.method == "POST":
            sent.append((request.url.removeprefix(server), request.post_data_json))

    def taken() -> list[tuple[str, Any]]:
        bodies = sorted(sent, key=lambda request: request[0])
        sent.clear()
        return bodies

    assert not page.is_checked("#story-whole")  # bullets are cut unless told otherwise
    page.fill("#story-text", text)
    page.check("#story-whole")
    page.on("request", posted)
    _submit(page)
    # compress only where bullets are written: /v1/figures has no such field
    assert taken() == [
        ("/v1/figures", {"text": text}),
        ("/v1/highlights", {"text": text, "compress": False}),
    ]
    whole = _api(page, text, compress=False)
    sent.clear()
    assert _bullet_texts(page) == [h["text"] for h in whole["highlights"]]
    # The answer set "Read as" to the form the server read, which goes with the text from now on.
    read = {"text": text, "format": "page"}
    page.click("#store")
    page.wait_for_selector("#status:has-text('Stored as #')")
    page.wait_for_selector("#highlight:enabled")
    assert taken() == [("/v1/stories", {**read, "compress": False})]
    page.uncheck("#story-whole")
    _submit(page)
    assert taken() == [("/v1/figures", read), ("/v1/highlights", read)]
    assert page.errors == []


def test_the_story_is_set_in_the_page_face(browser: Any, server: str, shots: Path) -> None:
    page = _page(browser, server, 1366, 900)
    faces = page.evaluate(
        "['body', '#story', '#bullets', '#story-text']"
        ".map((s) => getComputedStyle(document.querySelector(s)).fontFamily)"
    )
    assert len(set(faces)) == 1 and "serif" in faces[0] and "Georgia" not in faces[0]
    assert page.errors == []
