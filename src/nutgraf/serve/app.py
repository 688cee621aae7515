"""nutgraf over HTTP: a FastAPI app as thin as the CLI, with a store of summarized stories.

Each endpoint reads one pydantic model, calls the library (:mod:`nutgraf.read.ingest`,
:mod:`nutgraf.pipeline`, :mod:`nutgraf.claims.extract`, :mod:`nutgraf.serve.store`) and answers with
:mod:`nutgraf.render`'s JSON, checked against a response model so that the OpenAPI document at
``/openapi.json`` (browsable at ``/docs``) is the contract:

=========================  ============================================================
``POST /v1/highlights``    the bullets, with provenance and the figures each states
``POST /v1/figures``       every figure the story reports, and whom it credits
``POST /v1/stories``       summarize a story, find all its figures, store it (201, its id)
``GET /v1/stories/{id}``   a stored story
``GET /v1/stories?q=``     full-text search of stored stories, newest first, paged
``GET /healthz``           liveness
``GET /``                  the editors' page (:data:`PAGE_CSP`; not in the OpenAPI document)
=========================  ============================================================

Errors are ``{"error": "<what is wrong and what to do>"}``: 400 for input the library refuses
(a :class:`~nutgraf.errors.NutgrafError`: empty, binary, not in its format, not in English
unless ``any_language``, a web page with no article text, a bad search),
404 for an unknown id or path, 413 for a story over a size limit (:data:`DEFAULT_MAX_TEXT_BYTES`,
:data:`DEFAULT_MAX_HTML_BYTES`), 422 for fields that are missing, of the wrong type or outside
their choices. No input gives a 500: an exception nothing else handles is logged and answered
as a 500 only as a last resort, and the tests send bad input of every kind to check that none
gets there.

The endpoints are plain ``def``, so FastAPI runs them in its threadpool and the CPU-bound
pipeline never blocks the event loop; the model and spaCy are loaded once, at startup. The
pipeline is mostly Python, holding the GIL, so one process summarizes on about one core;
:func:`serve` runs several worker processes for more, each building its own app
(:func:`create_app_from_env`) around the same store file, which SQLite lets them all write.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any, Literal

import uvicorn
from fastapi import FastAPI, Path, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nutgraf import pipeline, render
from nutgraf.errors import NutgrafError, TooLargeError, UnknownStoryError
from nutgraf.read import ingest
from nutgraf.serve.store import DEFAULT_PATH, MAX_ID, MAX_LIMIT, Store, StoredStory
from nutgraf.story import Story

__all__ = [
    "DEFAULT_MAX_HTML_BYTES",
    "DEFAULT_MAX_TEXT_BYTES",
    "ENV_DB",
    "ENV_MAX_HTML_BYTES",
    "ENV_MAX_TEXT_BYTES",
    "create_app",
    "create_app_from_env",
    "serve",
]

logger = logging.getLogger(__name__)

DEFAULT_MAX_TEXT_BYTES = 1_000_000
"""The largest story text accepted, in UTF-8 bytes: 1 MB, about 0.7 s of the default model.

For a web page it is the article text extracted from the page (:attr:`Story.text`), which is
what the model reads; the page itself has :data:`DEFAULT_MAX_HTML_BYTES`.
"""

DEFAULT_MAX_HTML_BYTES = 5_000_000
"""The largest web page accepted (``format`` ``"html"``, given or guessed), in UTF-8 bytes: 5 MB.

A page is mostly scripts, styles, inline data and menus that extraction drops: a real 1.39 MB
article page holds a few kilobytes of article, so holding pages to the text limit refused pages
the CLI reads. 5 MB is over three times that page. What it bounds is extraction's time, as the
text limit bounds the model's: on a 2-core machine a 5 MB page that is mostly script is read in
a tenth of a second, and even 5 MB of nothing but paragraphs in about 8 s, after which its
extracted text (4.9 MB) is refused by the text limit.
"""

ENV_DB = "NUTGRAF_DB"
""":func:`create_app_from_env`'s store (default :data:`~nutgraf.serve.store.DEFAULT_PATH`)."""
ENV_MAX_TEXT_BYTES = "NUTGRAF_MAX_TEXT_BYTES"
""":func:`create_app_from_env`'s ``max_text_bytes`` (default :data:`DEFAULT_MAX_TEXT_BYTES`)."""
ENV_MAX_HTML_BYTES = "NUTGRAF_MAX_HTML_BYTES"
""":func:`create_app_from_env`'s ``max_html_bytes`` (default :data:`DEFAULT_MAX_HTML_BYTES`)."""

# A body over the larger of what the two limits take, spelled out as JSON, is refused before it
# is read whole. JSON may spell a text at up to six times its UTF-8 size ("\\u0001" for one
# byte). A web page is markup, which JSON sends as it is but for quotes and backslashes: real
# pages come to 1.04-1.24 times their size, the most with non-ASCII letters sent as "\\u0436",
# so 1.5 times leaves room. Six times the page limit would have the server read 30 MB to refuse
# it; with the defaults the cap is max(6 MB, 7.5 MB) + 64 KiB, so a 5 MB page passes and a
# 10 MB body does not.
_TEXT_BODY_FACTOR = 6
_HTML_BODY_FACTOR = 1.5
_BODY_SLACK = 65_536

# An over-limit body is read and dropped, up to this much, before the 413 is sent: a client
# that writes its whole body before reading the answer (Python's urllib, requests) gets a reset
# connection, not the 413, if the server closes with the body unread. Past this the server
# stops reading rather than take in an endless body, and the client is cut off.
_DRAIN_BYTES = 64 * 1024 * 1024

# Spelled out for the OpenAPI document; service_test checks them against the library's lists.
InputFormat = Literal["plain", "page", "story", "html", "jsonl"]
ModelName = Literal["default", "accurate"]

# Long enough (over language.MIN_LETTERS) that warming up loads the language model too.
_WARM_UP = (
    "Rain fell on Monday across the north of the country. At least 40 homes were flooded,"
    " officials said. Roads were closed and schools shut for the rest of the week."
)


class TextIn(BaseModel):
    """A story to read."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": "Rain fell on Monday. At least 40 homes were flooded."}]
        },
    )

    text: str = Field(description="The story: plain text, a saved page, a .story file or HTML.")
    format: InputFormat | None = Field(
        default=None, description="How to read the text; guessed when left out."
    )
    any_language: bool = Field(
        default=False,
        description="Read a story in another language too; nutgraf reads English and answers"
        " 400 for a story that is surely in another language.",
    )


class StoryIn(TextIn):
    """A story to summarize."""

    model: ModelName = Field(
        default="default",
        description='"accurate" needs the server to have pip install "nutgraf[accurate]".',
    )
    compress: bool = Field(
        default=True,
        description="Cut each bullet to the editors' length (the default), or with false keep"
        " whole sentences.",
    )


class ErrorOut(BaseModel):
    """What went wrong and what to do about it."""

    error: str


class FigureOut(BaseModel):
    """A figure, by the fields of the claims annotation guidelines."""

    text: str
    value: int | float
    qualifier: str | None
    counts: str
    source: str | None = Field(description="Whom the story credits; null when it states it.")
    sentence: str
    sentence_index: int
    start: int = Field(description="Character offset of text into the story's text.")
    end: int


class HighlightOut(BaseModel):
    """One bullet, with the sentences and character spans of the story it came from."""

    text: str
    sentences: list[int]
    spans: list[tuple[int, int]] = Field(description="[start, end) offsets into text.")
    score: float
    figures: list[FigureOut]
    sources: list[str]


class SentenceOut(BaseModel):
    """A sentence of the story's body."""

    index: int
    text: str
    start: int
    end: int


class HighlightsOut(BaseModel):
    """A summarized story; every offset indexes ``text``."""

    id: str | None
    title: str | None
    format: InputFormat
    text: str = Field(description="The text offsets index: for HTML, the text extracted.")
    highlights: list[HighlightOut]
    sentences: list[SentenceOut]
    reference: list[str] = Field(default=[], description="The story's own highlights, if any.")


class RecordOut(HighlightsOut):
    """A summarized story with every figure it reports."""

    figures: list[FigureOut]


class FiguresOut(BaseModel):
    """Every figure a story reports; offsets index ``text``."""

    text: str
    figures: list[FigureOut]


class StoredOut(BaseModel):
    """A stored story."""

    id: int
    created: str = Field(description="When it was stored: UTC, ISO 8601.")
    story: RecordOut


class SummaryOut(BaseModel):
    """A stored story in a list of search results."""

    id: int
    created: str
    title: str | None
    highlights: list[str]


class PageOut(BaseModel):
    """One page of search results, newest first."""

    total: int = Field(description="How many stories match in all.")
    limit: int
    offset: int
    stories: list[SummaryOut]


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Input the library refuses: empty, binary, not in its format, not in English, a"
        " page with no article text, a bad search.",
        404: "No stored story has that id.",
        413: "The text, the web page or the article text extracted from it is over the"
        " server's size limits.",
        422: "A field is missing, of the wrong type or not one of its choices.",
    }
    return {code: {"model": ErrorOut, "description": descriptions[code]} for code in codes}


def create_app(
    db: str | os.PathLike[str] = DEFAULT_PATH,
    *,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    max_html_bytes: int = DEFAULT_MAX_HTML_BYTES,
    models: Sequence[str] = ("default",),
) -> FastAPI:
    """Build the app around the store at ``db``, opening it (creating or migrating it) now.

    A story is held to ``max_text_bytes`` (UTF-8); a web page (``format`` ``"html"``, or left
    out and guessed as :func:`nutgraf.read.ingest.read` guesses it) to ``max_html_bytes``, and
    the article text extracted from it to ``max_text_bytes``. Over either is a 413 naming the
    limit and the ``nutgraf serve`` option that sets it.

    Starting the app runs one small story through each of ``models``, which loads the model
    and spaCy once, so the first request is as fast as any; other models load on their first
    request. The store stays open for the app's life, not its lifespan: an app started again
    (a test client re-entered, a server restarted in-process) must still have it, and the file
    is consistent whether or not the connection is closed.

    Raises:
        StoreError: the store cannot be opened; raised here so that a bad ``--db`` is said
            before the server starts.

    """
    store = Store(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for model in models:
            pipeline.highlights(_WARM_UP, model=model)
        yield

    app = FastAPI(
        title="nutgraf",
        summary="Editor-style highlights for news stories, traced to their sentences.",
        version="0.1.0",
        lifespan=lifespan,
    )
    max_body = (
        max(_TEXT_BODY_FACTOR * max_text_bytes, int(_HTML_BODY_FACTOR * max_html_bytes))
        + _BODY_SLACK
    )
    app.add_middleware(
        _LimitBody,
        max_bytes=max_body,
        message=f"the request body is over {max_body:,} bytes of JSON, more than this server"
        f" reads: it takes a text of up to {max_text_bytes:,} bytes and a web page of up to"
        f" {max_html_bytes:,} (nutgraf serve --max-text-bytes, --max-html-bytes)",
    )
    app.add_middleware(_LastResort)
    _add_error_handlers(app)

    def read(body: TextIn) -> Story:
        # Guessed as ingest.read guesses, after the byte-order mark it drops, only to pick the
        # limit: ingest.read still gets body.format, so every story is read as it was.
        html = (body.format or ingest.detect_format(body.text.removeprefix("\ufeff"))) == "html"
        if html:
            _refuse_over(body.text, max_html_bytes, "the web page", "--max-html-bytes")
        else:
            _refuse_over(body.text, max_text_bytes, "the text", "--max-text-bytes")
        story = ingest.read(body.text, body.format, where="text", any_language=body.any_language)
        if html:  # what the model reads is the text extracted, held to the text limit
            extracted = "the article text extracted from the page"
            _refuse_over(story.text, max_text_bytes, extracted, "--max-text-bytes")
        return story

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """Say the service is up."""
        return {"status": "ok"}

    _add_page(app)

    @app.post("/v1/highlights", response_model=HighlightsOut, responses=_errors(400, 413, 422))
    def highlights(body: StoryIn) -> dict[str, Any]:
        """Choose a story's highlights; each traced to its sentences, with its figures."""
        story = pipeline.process(read(body), model=body.model, compress=body.compress)
        return render.story_json(story)

    @app.post("/v1/figures", response_model=FiguresOut, responses=_errors(400, 413, 422))
    def figures(body: TextIn) -> dict[str, Any]:
        """List every figure a story reports, what it counts and whom the story credits."""
        story = pipeline.process(read(body), highlights=False, figures="all")
        return {"text": story.text, "figures": render.figures_json(story)}

    @app.post(
        "/v1/stories",
        status_code=status.HTTP_201_CREATED,
        response_model=StoredOut,
        responses=_errors(400, 413, 422),
    )
    def add_story(body: StoryIn, response: Response) -> dict[str, Any]:
        """Summarize a story, find all its figures and store it; answer with its id."""
        story = pipeline.process(
            read(body), model=body.model, figures="all", compress=body.compress
        )
        stored = store.get(store.add(story))
        response.headers["Location"] = f"/v1/stories/{stored.id}"
        return _stored(stored)

    @app.get("/v1/stories/{story_id}", response_model=StoredOut, responses=_errors(404, 422))
    def get_story(story_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> dict[str, Any]:
        """Return a stored story."""
        return _stored(store.get(story_id))

    @app.get("/v1/stories", response_model=PageOut, responses=_errors(400, 422))
    def search_stories(
        q: Annotated[
            str | None,
            Query(
                max_length=1000,
                description='FTS5 query: words, "a phrase", prefix*, AND/OR/NOT,'
                " title:/text:/highlights:/sources: columns. Empty lists every story.",
            ),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
        offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    ) -> dict[str, Any]:
        """Search the stored stories' text, title, highlights and figure sources, newest first."""
        page = store.search(q, limit=limit, offset=offset)
        return {
            "total": page.total,
            "limit": limit,
            "offset": offset,
            "stories": [
                {"id": s.id, "created": s.created, "title": s.title, "highlights": s.highlights}
                for s in page.stories
            ],
        }

    return app


def create_app_from_env() -> FastAPI:
    """Build the app from :data:`ENV_DB`, :data:`ENV_MAX_TEXT_BYTES` and :data:`ENV_MAX_HTML_BYTES`.

    The factory each uvicorn worker calls: a worker is a new process that imports its app by
    name, so it cannot be handed arguments, but it inherits the environment, where
    :func:`serve` puts them. Other ASGI servers can use it too, e.g. ``NUTGRAF_DB=stories.db
    uvicorn --factory nutgraf.serve.app:create_app_from_env --workers 4``.
    """
    return create_app(
        os.environ.get(ENV_DB, DEFAULT_PATH),
        max_text_bytes=int(os.environ.get(ENV_MAX_TEXT_BYTES, DEFAULT_MAX_TEXT_BYTES)),
        max_html_bytes=int(os.environ.get(ENV_MAX_HTML_BYTES, DEFAULT_MAX_HTML_BYTES)),
    )


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    db: str | os.PathLike[str] = DEFAULT_PATH,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    max_html_bytes: int = DEFAULT_MAX_HTML_BYTES,
    workers: int = 1,
) -> None:
    """Serve the API on uvicorn with ``workers`` processes until stopped: ``nutgraf serve``.

    The store is opened (created or migrated) here first, so that a bad ``db`` is said before
    the server starts rather than by each worker. The settings go to the workers through the
    environment (:func:`create_app_from_env`; this process's environment is changed), and every
    worker opens the same store file, whose writes SQLite serializes. Each worker loads its own
    model, so memory grows with ``workers``; more workers than cores gains nothing. Workers
    share out connections, not requests: a client's kept-alive connections stay with the
    worker that accepted them (``docs/service.md``, Workers).

    Raises:
        StoreError: the store cannot be opened.
        ValueError: ``workers`` is under 1 (uvicorn would start none and wait).

    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    Store(db).close()
    os.environ[ENV_DB] = os.fspath(db)
    os.environ[ENV_MAX_TEXT_BYTES] = str(max_text_bytes)
    os.environ[ENV_MAX_HTML_BYTES] = str(max_html_bytes)
    print(
        f"nutgraf: stories in {db}; API docs at http://{host}:{port}/docs;"
        f" {workers} worker{'s' if workers > 1 else ''}",
        file=sys.stderr,
    )
    uvicorn.run(
        "nutgraf.serve.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
    )


def _refuse_over(text: str, max_bytes: int, what: str, option: str) -> None:
    """Raise :class:`TooLargeError` if ``text`` is over ``max_bytes`` in UTF-8."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise TooLargeError(
            f"{what} is {size:,} bytes; this server takes up to {max_bytes:,}"
            f" (nutgraf serve {option})"
        )


PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
"""The page's Content-Security-Policy: its own script and style only, no inline script."""

_PAGE_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/style.css": ("style.css", "text/css; charset=utf-8"),
}


def _add_page(app: FastAPI) -> None:
    """Serve the editors' page (``nutgraf/web``, package data) at ``/``, outside the API schema.

    The page puts story text only in text nodes; the CSP is the second line: no inline script,
    no script from elsewhere, no requests but to this server.
    """
    web = resources.files("nutgraf.serve") / "web"
    for route, (name, media_type) in _PAGE_FILES.items():
        app.add_api_route(
            route,
            _page_file((web / name).read_bytes(), media_type),
            methods=["GET"],
            include_in_schema=False,
        )


def _page_file(body: bytes, media_type: str) -> Callable[[], Response]:
    headers = {
        "Content-Security-Policy": PAGE_CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }

    def page() -> Response:
        return Response(body, media_type=media_type, headers=headers)

    return page


def _stored(stored: StoredStory) -> dict[str, Any]:
    return {"id": stored.id, "created": stored.created, "story": stored.story}


class _ErrorResponse(JSONResponse):
    """``{"error": message}``, written as ASCII so that any message can be sent."""

    def __init__(self, message: str, status_code: int) -> None:
        super().__init__({"error": message}, status_code=status_code)

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True).encode("ascii")


def _add_error_handlers(app: FastAPI) -> None:
    async def bad_input(request: Request, error: Exception) -> Response:
        statuses = {UnknownStoryError: 404, TooLargeError: 413}
        code = next((code for kind, code in statuses.items() if isinstance(error, kind)), 400)
        return _ErrorResponse(str(error), code)

    async def invalid_fields(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        problems = error.errors()
        if any(problem["type"] == "json_invalid" for problem in problems):
            reason = problems[0].get("ctx", {}).get("error", "JSON decode error")
            return _ErrorResponse(f"the body is not JSON ({reason}); send a JSON object", 400)
        return _ErrorResponse("; ".join(_problem(problem) for problem in problems), 422)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        response = _ErrorResponse(str(error.detail), error.status_code)
        response.headers.update(error.headers or {})
        return response

    app.add_exception_handler(NutgrafError, bad_input)
    app.add_exception_handler(RequestValidationError, invalid_fields)
    app.add_exception_handler(HTTPException, http_error)


def _problem(problem: Any) -> str:
    """One validation problem as ``where: what``, e.g. ``body.text: Field required``."""
    where = ".".join(str(part) for part in problem["loc"])
    return f"{where}: {problem['msg']}"


class _LimitBody:
    """Refuse a request body over ``max_bytes`` with 413 and ``message``, without keeping it.

    A declared ``Content-Length`` over the limit is refused before the app sees the request; a
    body sent in chunks is counted as it arrives and refused when it passes the limit. Either
    way the rest of the body is read and dropped (up to :data:`_DRAIN_BYTES`) before the answer,
    so that a client still sending it reads the 413 rather than a reset connection; a client
    that asked ``Expect: 100-continue`` (curl, for big bodies) has sent nothing yet and is
    answered at once.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, message: str) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.message = message

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            expects_continue = headers.get(b"expect", b"").lower() == b"100-continue"
            if not expects_continue and int(declared) <= _DRAIN_BYTES:
                await _drain(receive)
            await _ErrorResponse(self.message, 413)(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            received = await receive()
            seen += len(received.get("body", b""))
            if seen > self.max_bytes:
                if received.get("more_body", False):
                    await _drain(receive)
                raise HTTPException(413, self.message)
            return received

        await self.app(scope, counted, send)


async def _drain(receive: Receive) -> None:
    """Read and drop the rest of the request body, stopping after :data:`_DRAIN_BYTES`."""
    drained = 0
    while drained <= _DRAIN_BYTES:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
        drained += len(message.get("body", b""))


class _LastResort:
    """Answer an exception nothing else handled with a logged 500, once, if nothing was sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            logger.exception("%s %s failed", scope["method"], scope["path"])
            if started:
                raise
            message = "internal error: the server log has the details; please report it"
            await _ErrorResponse(message, 500)(scope, receive, send)
