"""The editors' page in a real browser: Debian's chromium, headless, against a live server.

Playwright drives ``/usr/bin/chromium`` (never a downloaded browser). Where it is missing the
test is skipped, unless ``NUTGRAF_REQUIRE_BROWSER=1`` (set by ``.ci/run``) makes that a failure.
Screenshots go to ``$NUTGRAF_SCREENSHOT_DIR`` (default: the test's tmp_path); their paths are
printed.
"""

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
EXAMPLE = Path(__file__).parents[1] / "examples" / "000_7c7ec3b5e1da7bbe.txt"
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from nutgraf.serve import app as service

    app = service.create_app(tmp_path_factory.mktemp("browser") / "stories.db")
    port = _free_port()
    live = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not live.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    live.should_exit = True
    thread.join(timeout=10)


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
    return [str(t) for t in page.locator("#bullets li").all_inner_texts()]


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
