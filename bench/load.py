"""Load on ``nutgraf serve``: requests/s, p50 and p99 latency and errors of POST /v1/highlights.

Starts a real server (:func:`nutgraf.serve.app.serve`, what ``nutgraf serve`` runs: uvicorn
with ``--workers`` processes, in a subprocess, on 127.0.0.1, a free port and a temporary store),
waits until every worker has started, then sends ``--requests`` highlight requests with
``--concurrency`` in flight at once (an httpx AsyncClient, one connection per slot). The bodies
are validation stories, ``{"text": article}``, cycled. Latency is measured per request at the
client, from sending to the last byte of the answer; an error is any answer but 200 or any
exception (a refused connection, a timeout). Several ``--workers`` counts are run one after the
other, each on a fresh server, and each run's requests/s is given over the first's; the exit
status is 1 if any run had an error or a traceback in the server's log.

Workers share out connections, not requests: each slot's keep-alive connection stays with the
worker that accepted it, and connections opened at the same moment are often all accepted by
one worker, so that a run with two workers measures one about half the time.
``--new-connections`` opens a connection for every request instead, as many separate clients
do, and the workers share the load; compare worker counts with it.

Client and server share the machine, so requests/s depend on it, and so does what workers add:
they need cores the client is not using. The figures that carry are p99/p50 and the ratio
between worker counts in the same run.

    python bench/load.py                                  # 2,000 requests, 16 at once
    python bench/load.py --requests 500 --concurrency 4 --json
    python bench/load.py --requests 400 --workers 1 2 --new-connections
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import cycle, islice
from pathlib import Path
from typing import Any

import httpx2 as httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "cnndm" / "validation.jsonl.gz"
FALLBACK_DATA = ROOT / "tests" / "fixtures" / "cnndm_sample.jsonl"
DISTINCT_STORIES = 2000
"""At most this many distinct stories are read and cycled."""


def _lines(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open() as f:
        yield from (line for line in f if line.strip())


def load_bodies(data: Path, n: int) -> list[bytes]:
    """``n`` request bodies, ``{"text": article}``, cycling the first stories of ``data``."""
    texts = [json.loads(line)["article"] for line in islice(_lines(data), DISTINCT_STORIES)]
    bodies = [json.dumps({"text": text}).encode("utf-8") for text in texts if text.strip()]
    if not bodies:
        raise SystemExit(f"load.py: no stories in {data}")
    return list(islice(cycle(bodies), n))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


SERVE = (
    "import sys; from nutgraf.serve.app import serve;"
    " serve(port=int(sys.argv[1]), db=sys.argv[2], workers=int(sys.argv[3]))"
)
"""The server: ``serve`` called as ``nutgraf serve`` calls it, without depending on the CLI."""

STARTED = "Application startup complete"
"""What uvicorn logs once a worker has loaded the model and takes connections."""


def start_server(port: int, db: Path, log: Path, workers: int) -> subprocess.Popen[bytes]:
    """``serve`` from this checkout (``src`` first on the path), logging to ``log``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    command = [sys.executable, "-c", SERVE, str(port), str(db), str(workers)]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_ready(
    base: str, server: subprocess.Popen[bytes], log: Path, workers: int, timeout: float
) -> float:
    """Seconds until every worker has started and ``/healthz`` answers 200; exits if never.

    ``/healthz`` alone answers once the first worker is up, and a run begun then would measure
    fewer workers than it says.
    """
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if server.poll() is not None:
            raise SystemExit(f"load.py: the server exited:\n{log.read_text()}")
        try:
            healthy = httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            healthy = False
        if healthy and log.read_text().count(STARTED) >= workers:
            return time.perf_counter() - start
        time.sleep(0.1)
    raise SystemExit(f"load.py: not ready in {timeout:.0f} s:\n{log.read_text()}")


async def send_all(
    base: str, bodies: list[bytes], concurrency: int, new_connections: bool
) -> tuple[list[float], list[str], float]:
    """Send every body with ``concurrency`` in flight; latencies (s), errors, wall seconds."""
    latencies: list[float] = []
    errors: list[str] = []
    queue = iter(bodies)
    kept = 0 if new_connections else concurrency
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=kept)
    headers = {"content-type": "application/json"}

    async def slot(client: httpx.AsyncClient) -> None:
        for body in queue:  # the iterator is shared: each slot takes the next body
            start = time.perf_counter()
            try:
                response = await client.post("/v1/highlights", content=body, headers=headers)
                await response.aread()
            except httpx.HTTPError as error:
                errors.append(f"{type(error).__name__}: {error}")
                continue
            latencies.append(time.perf_counter() - start)
            if response.status_code != 200:
                errors.append(f"{response.status_code}: {response.text[:200]}")

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        start = time.perf_counter()
        await asyncio.gather(*(slot(client) for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return latencies, errors, wall


def summarize(
    latencies: list[float], errors: list[str], wall: float, requests: int
) -> dict[str, Any]:
    ms = [1000 * t for t in latencies]
    p50, p90, p99 = (float(p) for p in np.percentile(ms, [50, 90, 99])) if ms else [math.nan] * 3
    return {
        "requests": requests,
        "errors": len(errors),
        "seconds": round(wall, 2),
        "requests_per_s": round(requests / wall, 1),
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
        "p50_ms": round(p50, 1),
        "p90_ms": round(p90, 1),
        "p99_ms": round(p99, 1),
        "max_ms": round(max(ms), 1) if ms else None,
        "p99_over_p50": round(p99 / p50, 2) if p50 else None,
        "first_errors": errors[:5],
    }


def run(
    workers: int,
    bodies: list[bytes],
    concurrency: int,
    new_connections: bool,
    startup_timeout: float,
) -> dict[str, Any]:
    """Start a server with ``workers`` processes, send it ``bodies``, stop it; the figures."""
    with tempfile.TemporaryDirectory(prefix="nutgraf-load-") as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "server.log"
        server = start_server(port, Path(tmp) / "load.db", log, workers)
        try:
            startup = wait_ready(base, server, log, workers, startup_timeout)
            sent = send_all(base, bodies, concurrency, new_connections)
            latencies, errors, wall = asyncio.run(sent)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        server_errors = [line for line in log.read_text().splitlines() if "Traceback" in line]
    result = summarize(latencies, errors, wall, len(bodies))
    result.update(
        workers=workers,
        concurrency=concurrency,
        new_connections=new_connections,
        startup_s=round(startup, 2),
        server_tracebacks=len(server_errors),
    )
    return result


def table(results: list[dict[str, Any]]) -> str:
    columns = [
        ("workers", "workers"),
        ("requests", "requests"),
        ("concurrency", "concurrency"),
        ("errors", "errors"),
        ("req/s", "requests_per_s"),
        ("mean ms", "mean_ms"),
        ("p50 ms", "p50_ms"),
        ("p90 ms", "p90_ms"),
        ("p99 ms", "p99_ms"),
        ("max ms", "max_ms"),
        ("p99/p50", "p99_over_p50"),
        ("req/s over first", "speedup"),
    ]
    head = "| " + " | ".join(name for name, _ in columns) + " |"
    rule = "|" + "|".join("---:" for _ in columns) + "|"
    rows = ["| " + " | ".join(f"{r[key]:,}" for _, key in columns) + " |" for r in results]
    return "\n".join([head, rule, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1],
        help="server processes; several: one run each",
    )
    parser.add_argument(
        "--new-connections",
        action="store_true",
        help="a connection per request, not one kept per slot (for comparing --workers)",
    )
    parser.add_argument("--data", type=Path, default=None, help="JSONL(.gz) with 'article'")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--startup-timeout", type=float, default=120)
    args = parser.parse_args()
    if args.requests < 1 or args.concurrency < 1 or min(args.workers) < 1:
        parser.error("--requests, --concurrency and --workers must be at least 1")

    data = args.data or (DEFAULT_DATA if DEFAULT_DATA.exists() else FALLBACK_DATA)
    bodies = load_bodies(data, args.requests)
    results = [
        run(n, bodies, args.concurrency, args.new_connections, args.startup_timeout)
        for n in args.workers
    ]
    for result in results:
        result.update(
            data=str(data),
            speedup=round(result["requests_per_s"] / results[0]["requests_per_s"], 2),
        )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        connections = "a new connection each" if args.new_connections else "kept-alive connections"
        print(
            f"{args.requests:,} POST /v1/highlights, {args.concurrency} at once, {connections},"
            f" from {data}"
        )
        for result in results:
            print(
                f"{result['workers']} worker(s): ready in {result['startup_s']:.1f} s;"
                f" {result['server_tracebacks']} tracebacks in the server log"
            )
        print(f"\n{table(results)}")
        for result in results:
            for error in result["first_errors"]:
                print(f"error ({result['workers']} worker(s)): {error}")
    sys.exit(1 if any(r["errors"] or r["server_tracebacks"] for r in results) else 0)


if __name__ == "__main__":
    main()
