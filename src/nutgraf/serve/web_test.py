from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from nutgraf.serve import app as service


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = service.create_app(tmp_path_factory.mktemp("web") / "stories.db")
    with TestClient(app) as client:
        yield client


def test_the_page_is_html_under_a_strict_csp(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert '<meta name="viewport"' in response.text
    assert '<script src="/static/app.js"' in response.text


@pytest.mark.parametrize(
    ("path", "media_type"),
    [("/static/app.js", "text/javascript"), ("/static/style.css", "text/css")],
)
def test_the_page_assets(client: TestClient, path: str, media_type: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["content-security-policy"] == service.PAGE_CSP


def test_the_page_has_no_inline_script_and_never_parses_story_text_as_html(
    client: TestClient,
) -> None:
    html = client.get("/").text
    assert "<script>" not in html and " on" + "click=" not in html
    script = client.get("/static/app.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


def test_the_page_is_not_in_the_api_document(client: TestClient) -> None:
    assert "/" not in client.get("/openapi.json").json()["paths"]


def test_an_unknown_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/static/nothing.js")
    assert response.status_code == 404
    assert "error" in response.json()
