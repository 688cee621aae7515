"""Load on ``nutgraf serve``: requests/s, p50 and p99 latency and errors of POST /v1/highlights.

Starts a real server (``nutgraf serve`` on uvicorn, in a subprocess, on 127.0.0.1, a free port
and a temporary store), waits for ``/healthz``, then sends ``--requests`` highlight requests
with ``--concurrency`` in flight at once (an httpx AsyncClient, one connection per slot). The
bodies are validation stories, ``{"text": article}``, cycled. Latency is measured per request
at the client, from sending to the last byte of the answer; an error is any answer but 200 or
any exception (a refused connection, a timeout).

Client and server share the machine, so requests/s depend on it; the figure that carries is
p99/p50 in the same run, the spread a client sees under load.

    python bench/load.py                                  # 2,000 requests, 16 at once
    python bench/load.py --requests 500 --concurrency 4 --json
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


def start_server(port: int, db: Path, log: Path) -> subprocess.Popen[bytes]:
    """``nutgraf serve`` from this checkout (``src`` first on the path), logging to ``log``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    command = [sys.executable, "-c", "from nutgraf.cli import app; app()", "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--db", str(db)]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(base: str, server: subprocess.Popen[bytes], log: Path, timeout: float) -> float:
    """Seconds until ``/healthz`` answers 200; exits with the server's log if it never does."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if server.poll() is not None:
            raise SystemExit(f"load.py: the server exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return time.perf_counter() - start
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"load.py: no /healthz in {timeout:.0f} s:\n{log.read_text()}")


async def send_all(
    base: str, bodies: list[bytes], concurrency: int
) -> tuple[list[float], list[str], float]:
    """Send every body with ``concurrency`` in flight; latencies (s), errors, wall seconds."""
    latencies: list[float] = []
    errors: list[str] = []
    queue = iter(bodies)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
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


def table(result: dict[str, Any]) -> str:
    columns = [
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
    ]
    head = "| " + " | ".join(name for name, _ in columns) + " |"
    rule = "|" + "|".join("---:" for _ in columns) + "|"
    row = "| " + " | ".join(f"{result[key]:,}" for _, key in columns) + " |"
    return "\n".join([head, rule, row])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--data", type=Path, default=None, help="JSONL(.gz) with 'article'")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--startup-timeout", type=float, default=120)
    args = parser.parse_args()
    if args.requests < 1 or args.concurrency < 1:
        parser.error("--requests and --concurrency must be at least 1")

    data = args.data or (DEFAULT_DATA if DEFAULT_DATA.exists() else FALLBACK_DATA)
    bodies = load_bodies(data, args.requests)
    with tempfile.TemporaryDirectory(prefix="nutgraf-load-") as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "server.log"
        server = start_server(port, Path(tmp) / "load.db", log)
        try:
            startup = wait_healthy(base, server, log, args.startup_timeout)
            latencies, errors, wall = asyncio.run(send_all(base, bodies, args.concurrency))
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        server_errors = [line for line in log.read_text().splitlines() if "Traceback" in line]

    result = summarize(latencies, errors, wall, args.requests)
    result.update(
        concurrency=args.concurrency,
        data=str(data),
        startup_s=round(startup, 2),
        server_tracebacks=len(server_errors),
    )
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{args.requests:,} POST /v1/highlights, {args.concurrency} at once, from {data}")
        print(f"server ready in {startup:.1f} s; {len(server_errors)} tracebacks in its log\n")
        print(table(result))
        for error in result["first_errors"]:
            print(f"error: {error}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
