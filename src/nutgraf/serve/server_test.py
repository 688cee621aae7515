"""The service on a real uvicorn server, over real sockets.

TestClient hands the app the whole body at once and never closes a socket, so what depends on
the connection is tested here: an over-limit body answered with a 413 the client can read (not
a reset connection), and ``serve`` with several worker processes sharing one store.
"""

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from nutgraf.errors import StoreError
from nutgraf.serve import app as service

TOO_BIG = json.dumps({"text": "x" * 10_000_000}).encode()  # 10 MB, over the default body cap
JSON = {"content-type": "application/json"}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live(app: FastAPI) -> Iterator[str]:
    """Run ``app`` on uvicorn in a thread, on a free port, and yield its base URL.

    Shared with the browser and CLI tests, which need a server as a client meets it.
    """
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with the default limits, in a thread; no model is loaded (no story is read)."""
    app = service.create_app(tmp_path_factory.mktemp("server") / "stories.db", models=())
    with live(app) as url:
        yield url


def _refusal(request: urllib.request.Request) -> str:
    """The error message of the 413 that ``request`` gets."""
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 413
    body = json.loads(refused.value.read())
    assert list(body) == ["error"]
    return str(body["error"])


def test_urllib_sending_a_body_over_the_limit_in_one_piece_reads_the_413(server: str) -> None:
    request = urllib.request.Request(f"{server}/v1/highlights", data=TOO_BIG, headers=JSON)
    assert _refusal(request).startswith("the request body is over 7,565,536 bytes of JSON")


def test_urllib_sending_a_body_over_the_limit_in_chunks_reads_the_413(server: str) -> None:
    # no length, so sent chunked; well past the limit, so that it is still sending at the 413
    chunks = [b'{"text": "', *[b"x" * 1_000_000] * 30, b'"}']
    request = urllib.request.Request(f"{server}/v1/highlights", data=iter(chunks), headers=JSON)
    assert _refusal(request).startswith("the request body is over 7,565,536 bytes of JSON")


def test_the_connection_serves_on_after_a_413(server: str) -> None:
    connection = http.client.HTTPConnection(server.removeprefix("http://"), timeout=60)
    connection.request("POST", "/v1/figures", body=TOO_BIG, headers=JSON)
    response = connection.getresponse()
    assert (response.status, json.loads(response.read())["error"][:24]) == (
        413,
        "the request body is over",
    )
    connection.request("GET", "/healthz")
    assert connection.getresponse().status == 200
    connection.close()


def test_a_client_that_expects_100_continue_is_answered_before_it_sends(server: str) -> None:
    connection = http.client.HTTPConnection(server.removeprefix("http://"), timeout=60)
    connection.putrequest("POST", "/v1/highlights")
    for name, value in {**JSON, "content-length": "10000000", "expect": "100-continue"}.items():
        connection.putheader(name, value)
    connection.endheaders()  # and no body: it waits for 100 Continue, as curl does
    response = connection.getresponse()
    assert response.status == 413
    assert json.loads(response.read())["error"].startswith("the request body is over")
    connection.close()


def test_a_body_declared_past_what_is_drained_is_refused_unread(server: str) -> None:
    connection = http.client.HTTPConnection(server.removeprefix("http://"), timeout=10)
    connection.putrequest("POST", "/v1/highlights")
    for name, value in {**JSON, "content-length": "1000000000"}.items():
        connection.putheader(name, value)
    connection.endheaders()  # and no body: were the server reading 1 GB, this would time out
    assert connection.getresponse().status == 413
    connection.close()


def test_serve_refuses_a_bad_store_or_no_workers_before_it_starts(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        service.serve(db=tmp_path / "no" / "such" / "dir" / "stories.db", port=free_port())
    with pytest.raises(ValueError, match="workers must be at least 1, not 0"):
        service.serve(db=tmp_path / "stories.db", port=free_port(), workers=0)


def _post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=JSON)
    with urllib.request.urlopen(request, timeout=120) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


def test_two_workers_share_one_store(tmp_path: Path) -> None:
    port, db, log = free_port(), tmp_path / "stories.db", tmp_path / "server.log"
    command = f"from nutgraf.serve.app import serve; serve(port={port}, db={str(db)!r}, workers=2)"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-c", command], stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 180
        while log.read_text().count("Application startup complete") < 2:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        url = f"http://127.0.0.1:{port}/v1/stories"
        texts = [
            f"Zebra number {n} escaped from the zoo on Monday, keepers said." for n in range(24)
        ]
        with ThreadPoolExecutor(8) as pool:
            stored = list(pool.map(lambda text: _post(url, {"text": text}), texts))
        assert len({story["id"] for story in stored}) == len(texts)
        with urllib.request.urlopen(f"{url}?q=zebra&limit=100", timeout=60) as response:
            assert json.loads(response.read())["total"] == len(texts)
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert log.read_text().count("Started server process") == 2
    assert "Traceback" not in log.read_text()
