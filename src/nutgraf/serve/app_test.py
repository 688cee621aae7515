import json
import logging
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient

from nutgraf import pipeline, render
from nutgraf.edit import bullets as edit_stage
from nutgraf.read import ingest
from nutgraf.select import models
from nutgraf.serve import app as service
from nutgraf.serve.store import MAX_ID

EXAMPLE = Path(__file__).parents[3] / "examples" / "000_7c7ec3b5e1da7bbe.txt"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
HTML = (
    "<html><head><title>Storm</title></head><body><nav>Home | World</nav><article>"
    "<h1>Storm floods the county</h1><p>Rain fell on Monday across the county, and rivers"
    " burst their banks by the evening.</p><p>At least 40 homes were flooded, officials said,"
    " and 200 people spent the night in schools.</p><p>The rain is expected to ease on Tuesday"
    " as the storm moves north.</p></article><footer>Contact us</footer></body></html>"
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = service.create_app(tmp_path_factory.mktemp("service") / "stories.db")
    with TestClient(app) as client:
        yield client


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"]
    assert isinstance(body["error"], str) and body["error"]
    return str(body["error"])


def test_the_choices_in_the_schema_are_the_librarys() -> None:
    assert get_args(service.InputFormat) == ingest.FORMATS
    assert get_args(service.ModelName) == tuple(models.MODELS)


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_openapi_documents_every_endpoint_and_the_error_shape(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert set(document["paths"]) == {
        "/healthz",
        "/v1/highlights",
        "/v1/figures",
        "/v1/stories",
        "/v1/stories/{story_id}",
    }
    post = document["paths"]["/v1/highlights"]["post"]
    assert set(post["responses"]) == {"200", "400", "413", "422"}
    for code in ("400", "413", "422"):
        schema = post["responses"][code]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert set(document["paths"]["/v1/stories/{story_id}"]["get"]["responses"]) == {
        "200",
        "404",
        "422",
    }


def test_highlights_are_the_clis_json(client: TestClient) -> None:
    response = client.post("/v1/highlights", json={"text": EXAMPLE_TEXT})
    assert response.status_code == 200, response.text
    expected = render.story_json(pipeline.highlights(EXAMPLE_TEXT))
    assert response.json() == json.loads(json.dumps(expected))
    data = response.json()
    assert 3 <= len(data["highlights"]) <= 4
    assert any(h["sources"] for h in data["highlights"])


def test_compress_false_keeps_whole_sentences(client: TestClient) -> None:
    body = {"text": EXAMPLE_TEXT, "compress": False}
    response = client.post("/v1/highlights", json=body)
    assert response.status_code == 200, response.text
    story = pipeline.process(ingest.read(EXAMPLE_TEXT), compress=False)
    assert response.json() == json.loads(json.dumps(render.story_json(story)))
    stored = client.post("/v1/stories", json=body)
    assert stored.status_code == 201, stored.text
    highlights = stored.json()["story"]["highlights"]
    assert [h["text"] for h in highlights] == [h.text for h in story.highlights]
    assert [h["spans"] for h in highlights] == [
        [list(s) for s in h.spans] for h in story.highlights
    ]


@pytest.mark.parametrize("path", ["/v1/highlights", "/v1/stories"])
@pytest.mark.parametrize("compress", [None, True, False])
def test_compress_reaches_the_edit_stage_and_is_on_unless_turned_off(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, path: str, compress: bool | None
) -> None:
    seen: list[bool] = []
    real = edit_stage.edit

    def edit(stories: Any, chooser: Any, *, compress: bool = True) -> None:
        seen.append(compress)
        real(stories, chooser, compress=False)  # uncut, so that no model is needed

    monkeypatch.setattr(pipeline, "edit", edit)
    body: dict[str, Any] = {"text": EXAMPLE_TEXT}
    if compress is not None:
        body["compress"] = compress
    assert client.post(path, json=body).status_code in (200, 201)
    assert seen == [compress is not False]


def test_the_compress_field_is_documented(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    field = schemas["StoryIn"]["properties"]["compress"]
    assert field["type"] == "boolean" and field["default"] is True
    assert "whole sentences" in field["description"]
    assert "compress" not in schemas["TextIn"]["properties"]


def test_html_offsets_index_the_extracted_text_the_response_carries(client: TestClient) -> None:
    response = client.post("/v1/highlights", json={"text": HTML, "format": "html"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["format"] == "html"
    assert "<p>" not in data["text"]
    for highlight in data["highlights"]:
        for start, end in highlight["spans"]:
            assert data["text"][start:end] in highlight["text"]


def test_figures_lists_every_figure_with_its_source(client: TestClient) -> None:
    response = client.post("/v1/figures", json={"text": EXAMPLE_TEXT})
    assert response.status_code == 200, response.text
    story = pipeline.process(ingest.read(EXAMPLE_TEXT), highlights=False, figures="all")
    assert response.json() == {"text": story.text, "figures": render.figures_json(story)}
    assert "the observatory" in [f["source"] for f in response.json()["figures"]]


def test_a_stored_story_comes_back_by_id_and_by_search(client: TestClient) -> None:
    response = client.post("/v1/stories", json={"text": EXAMPLE_TEXT})
    assert response.status_code == 201, response.text
    stored = response.json()
    assert response.headers["location"] == f"/v1/stories/{stored['id']}"
    assert client.get(f"/v1/stories/{stored['id']}").json() == stored
    record = stored["story"]
    assert record["title"] == "Turkey seeks help from NATO on Syria"
    assert len(record["figures"]) > sum(len(h["figures"]) for h in record["highlights"])
    page = client.get("/v1/stories", params={"q": "sources:observatory"}).json()
    assert page["stories"][0] == {
        "id": stored["id"],
        "created": stored["created"],
        "title": record["title"],
        "highlights": [h["text"] for h in record["highlights"]],
    }


def test_search_is_newest_first_and_paged(client: TestClient) -> None:
    ids = [
        client.post("/v1/stories", json={"text": f"Zebras escaped from zoo number {i}."}).json()[
            "id"
        ]
        for i in range(5)
    ]
    first = client.get("/v1/stories", params={"q": "zebra", "limit": 2}).json()
    rest = client.get("/v1/stories", params={"q": "zebra", "limit": 3, "offset": 2}).json()
    assert (first["total"], first["limit"], first["offset"]) == (5, 2, 0)
    assert [s["id"] for s in first["stories"] + rest["stories"]] == ids[::-1]
    everything = client.get("/v1/stories", params={"limit": 100}).json()
    assert [s["id"] for s in everything["stories"]][:5] == ids[::-1]


def test_concurrent_requests_get_the_answers_they_get_alone(client: TestClient) -> None:
    fixture = Path(__file__).parents[3] / "tests" / "fixtures" / "cnndm_sample.jsonl"
    texts = [json.loads(line)["article"] for line in fixture.read_text().splitlines()]
    alone = [client.post("/v1/highlights", json={"text": text}).json() for text in texts]
    with ThreadPoolExecutor(8) as pool:
        together = list(
            pool.map(
                lambda text: client.post("/v1/highlights", json={"text": text}).json(),
                texts * 3,
            )
        )
    assert together == alone * 3


TOO_BIG = "Words of a very long story. " * 40_000  # 1.12 MB

BAD_POSTS: list[tuple[str, dict[str, Any], int, str]] = [
    ("empty text", {"json": {"text": ""}}, 400, "empty"),
    ("blank text", {"json": {"text": "  \n\t \n"}}, 400, "empty"),
    ("binary-ish text", {"json": {"text": "".join(map(chr, range(1, 32))) * 30}}, 400, "binary"),
    ("NUL in text", {"json": {"text": "Rain\x00fell."}}, 400, "NUL"),
    ("lone surrogate", {"content": b'{"text": "Rain \\ud800 fell."}'}, 400, "lone surrogate"),
    ("huge text", {"json": {"text": TOO_BIG}}, 413, "1,000,000"),
    ("text a number", {"json": {"text": 5}}, 422, "body.text: Input should be a valid string"),
    ("text a list", {"json": {"text": ["Rain fell."]}}, 422, "body.text"),
    ("text null", {"json": {"text": None}}, 422, "body.text"),
    ("no text", {"json": {}}, 422, "body.text: Field required"),
    ("body a list", {"json": ["Rain fell."]}, 422, "body"),
    ("body a string", {"json": "Rain fell."}, 422, "body"),
    ("no body", {}, 422, "body: Field required"),
    ("unknown format", {"json": {"text": "Rain.", "format": "pdf"}}, 422, "'plain', 'page'"),
    ("format a number", {"json": {"text": "Rain.", "format": 3}}, 422, "body.format"),
    ("unknown model", {"json": {"text": "Rain.", "model": "gpt"}}, 422, "'default' or"),
    ("compress a word", {"json": {"text": "Rain.", "compress": "maybe"}}, 422, "body.compress"),
    ("unknown field", {"json": {"text": "Rain.", "fromat": "html"}}, 422, "body.fromat: Extra"),
    ("malformed JSON", {"content": b'{"text": "Rain', "json_type": True}, 400, "not JSON"),
    ("not JSON at all", {"content": b"Rain fell.", "json_type": True}, 400, "not JSON"),
    ("text/plain body", {"content": b"Rain fell on Monday."}, 422, "body"),
    ("jsonl that is not", {"json": {"text": "Rain.", "format": "jsonl"}}, 400, "JSON"),
    ("html with no story", {"json": {"text": "<html></html>", "format": "html"}}, 400, "text"),
]


@pytest.mark.parametrize("path", ["/v1/highlights", "/v1/stories", "/v1/figures"])
@pytest.mark.parametrize(
    ("request_", "status", "says"),
    [case[1:] for case in BAD_POSTS],
    ids=[case[0] for case in BAD_POSTS],
)
def test_bad_input_is_a_4xx_with_a_clear_message(
    client: TestClient, path: str, request_: dict[str, Any], status: int, says: str
) -> None:
    kwargs = dict(request_)
    if kwargs.pop("json_type", False) or kwargs.get("content", b"").startswith(b"{"):
        kwargs["headers"] = {"content-type": "application/json"}
    for field in ("model", "compress"):
        if path == "/v1/figures" and field in kwargs.get("json", {}):
            status, says = 422, f"body.{field}: Extra inputs are not permitted"
    assert says in _error(client.post(path, **kwargs), status)


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"q": "covid-19"}, 400, "no such column: 19"),
        ({"q": '"unterminated'}, 400, "unterminated string"),
        ({"q": "x" * 1001}, 422, "query.q"),
        ({"limit": 0}, 422, "query.limit"),
        ({"limit": 101}, 422, "query.limit: Input should be less than or equal to 100"),
        ({"limit": "ten"}, 422, "query.limit"),
        ({"offset": -1}, 422, "query.offset"),
        ({"offset": MAX_ID + 1}, 422, "query.offset"),
        ({"offset": 10**40}, 422, "query.offset"),
    ],
)
def test_bad_searches_are_4xx(
    client: TestClient, params: dict[str, Any], status: int, says: str
) -> None:
    assert says in _error(client.get("/v1/stories", params=params), status)


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        (f"/v1/stories/{MAX_ID}", 404, f"no stored story has id {MAX_ID}"),
        ("/v1/stories/0", 422, "path.story_id"),
        ("/v1/stories/-3", 422, "path.story_id"),
        ("/v1/stories/abc", 422, "path.story_id: Input should be a valid integer"),
        (f"/v1/stories/{10**30}", 422, "path.story_id"),
        ("/v2/anything", 404, "Not Found"),
    ],
)
def test_unknown_ids_and_paths(client: TestClient, path: str, status: int, says: str) -> None:
    assert says in _error(client.get(path), status)


def test_a_wrong_method_is_405_json(client: TestClient) -> None:
    assert "Method Not Allowed" in _error(client.delete("/v1/stories"), 405)


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    body = json.dumps({"text": "x" * 10_000_000}).encode()
    response = client.post(
        "/v1/highlights", content=body, headers={"content-type": "application/json"}
    )
    assert _error(response, 413) == (
        "the request body is over 7,565,536 bytes of JSON, more than this server reads: it"
        " takes a text of up to 1,000,000 bytes and a web page of up to 5,000,000 (nutgraf"
        " serve --max-text-bytes, --max-html-bytes)"
    )


def test_a_body_sent_in_chunks_is_stopped_at_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 100_000

    response = client.post(
        "/v1/highlights", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "request body is over" in _error(response, 413)


def test_the_text_limit_is_configurable(tmp_path: Path) -> None:
    app = service.create_app(tmp_path / "small.db", max_text_bytes=100, max_html_bytes=100)
    with TestClient(app) as small:
        assert small.post("/v1/figures", json={"text": "Rain fell. " * 9}).status_code == 200
        message = _error(small.post("/v1/figures", json={"text": "Rain fell. " * 10}), 413)
        assert message == (
            "the text is 110 bytes; this server takes up to 100 (nutgraf serve --max-text-bytes)"
        )
        too_large = small.post("/v1/figures", json={"text": "é" * 40_000})
        assert "request body is over" in _error(too_large, 413)


AP_PAGE = Path(__file__).parents[3] / "tests" / "fixtures" / "page_ap_uk_tories_twitter.html"


def _padded_page(size: int) -> str:
    """The AP page grown to ``size`` bytes by inline data, as real pages are: mostly not article."""
    page = AP_PAGE.read_text(encoding="utf-8")
    head, tail = "<script>window.__DATA__ = [", "];</script></head>"
    room = size - len(page.encode()) - len(head) - len(tail) + len("</head>")
    data = ('{"id": 1, "kind": "related"}, ' * (room // 30 + 1))[:room]
    padded = page.replace("</head>", head + data + tail, 1)
    assert len(padded.encode()) == size
    return padded


@pytest.mark.parametrize("format_", ["html", None])
def test_a_real_page_over_the_text_limit_is_read(client: TestClient, format_: str | None) -> None:
    page = _padded_page(1_390_000)  # the size of the page a user reported refused
    response = client.post("/v1/highlights", json={"text": page, "format": format_})
    assert response.status_code == 200, response.text
    assert response.json()["format"] == "html"
    assert response.json()["text"] == ingest.read(page).text


def test_a_page_up_to_the_html_limit_is_read_and_one_byte_more_refused(client: TestClient) -> None:
    page = _padded_page(service.DEFAULT_MAX_HTML_BYTES)
    assert len(json.dumps({"text": page})) > 1.15 * len(page)  # its quotes escaped
    assert client.post("/v1/figures", json={"text": page}).status_code == 200
    message = _error(client.post("/v1/figures", json={"text": page + " "}), 413)
    assert message == (
        "the web page is 5,000,001 bytes; this server takes up to 5,000,000"
        " (nutgraf serve --max-html-bytes)"
    )


@pytest.mark.parametrize(
    ("max_text_bytes", "max_html_bytes", "body", "says"),
    [
        (300, 1000, {"text": HTML}, None),
        (300, 1000, {"text": "\ufeff" + HTML}, None),
        (300, 1000, {"text": HTML, "format": "html"}, None),
        (
            300,
            1000,
            {"text": HTML, "format": "plain"},
            "the text is 419 bytes; this server takes up to 300 (nutgraf serve --max-text-bytes)",
        ),
        (
            300,
            400,
            {"text": HTML},
            "the web page is 419 bytes; this server takes up to 400"
            " (nutgraf serve --max-html-bytes)",
        ),
        (
            200,
            1000,
            {"text": HTML},
            "the article text extracted from the page is 264 bytes; this"
            " server takes up to 200 (nutgraf serve --max-text-bytes)",
        ),
    ],
    ids=["guessed", "guessed after a BOM", "given", "read as text", "page", "extracted text"],
)
def test_a_page_is_held_to_the_html_limit_and_its_article_to_the_text_limit(
    tmp_path: Path,
    max_text_bytes: int,
    max_html_bytes: int,
    body: dict[str, str],
    says: str | None,
) -> None:
    app = service.create_app(
        tmp_path / "s.db", max_text_bytes=max_text_bytes, max_html_bytes=max_html_bytes, models=()
    )
    with TestClient(app) as small:
        response = small.post("/v1/figures", json=body)
    if says is None:
        assert response.status_code == 200, response.text
    else:
        assert _error(response, 413) == says


def test_the_app_can_be_built_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(service.ENV_DB, str(tmp_path / "env.db"))
    monkeypatch.setenv(service.ENV_MAX_TEXT_BYTES, "100")
    monkeypatch.setenv(service.ENV_MAX_HTML_BYTES, "400")
    with TestClient(service.create_app_from_env()) as built:
        assert "up to 100 " in _error(built.post("/v1/figures", json={"text": "Rain. " * 20}), 413)
        assert "up to 400 " in _error(built.post("/v1/figures", json={"text": HTML}), 413)
        assert built.post("/v1/stories", json={"text": "Rain fell."}).status_code == 201
    assert (tmp_path / "env.db").exists()


def test_random_bodies_never_get_a_500(client: TestClient) -> None:
    rng = random.Random(6)
    alphabet = "aZ 9.,\"'\\\n\t\x00\x01\x7f\u00e9\u2019\ud83d<>{}[]:"
    values: list[Any] = [None, True, 0, -1, 1.5, 10**20, "", [], {}, "plain", "accurate"]
    for _ in range(150):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        body: Any = {
            "text": rng.choice([text, text * 20, *values]),
            rng.choice(["format", "model", "extra"]): rng.choice([*values, *ingest.FORMATS]),
        }
        if rng.random() < 0.2:
            body = rng.choice(values)
        content = json.dumps(body, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
        if rng.random() < 0.2:
            content = content[: rng.randint(0, len(content))]
        for path in ("/v1/highlights", "/v1/figures"):
            response = client.post(
                path, content=content, headers={"content-type": "application/json"}
            )
            assert response.status_code in (200, 400, 413, 422), (body, response.text)
    for _ in range(100):
        query = "".join(rng.choice(alphabet + "*()-^") for _ in range(rng.randint(0, 12)))
        response = client.get("/v1/stories", params={"q": query.replace("\ud83d", "")})
        assert response.status_code in (200, 400, 422), (query, response.text)


def test_an_unexpected_exception_is_a_logged_500_json(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(pipeline, "process", broken)
    with caplog.at_level(logging.ERROR, logger="nutgraf.serve.app"):
        message = _error(client.post("/v1/highlights", json={"text": "Rain fell."}), 500)
    assert message.startswith("internal error")
    assert "a bug" not in message
    (record,) = caplog.records
    assert record.getMessage() == "POST /v1/highlights failed"
    assert record.exc_info is not None and "a bug" in str(record.exc_info[1])


RUSSIAN_PAGE = Path(__file__).parents[3] / "tests" / "fixtures" / "page_ru_skyrim_speed.html"


@pytest.mark.parametrize("endpoint", ["/v1/highlights", "/v1/figures", "/v1/stories"])
def test_a_story_in_another_language_is_a_400_naming_it(client: TestClient, endpoint: str) -> None:
    page = RUSSIAN_PAGE.read_text(encoding="utf-8")
    message = _error(client.post(endpoint, json={"text": page}), 400)
    assert message.startswith("text: this story is in Russian (ru); nutgraf reads English only")
    answer = client.post(endpoint, json={"text": page, "any_language": True})
    assert answer.status_code in (200, 201), answer.text


def test_a_page_without_article_text_is_a_400_saying_so(client: TestClient) -> None:
    links = "".join(f'<p><a href="/{n}">Story number {n} of the day</a></p>' for n in range(40))
    page = f"<html><body><main>{links}</main></body></html>"
    message = _error(client.post("/v1/highlights", json={"text": page}), 400)
    assert message.startswith("no article text found in this page: ")
