"""What the batch benches share: the validation data, corpora built from it, process memory.

Each bench times a run in a fresh Python process and reads memory from outside Python: the
process's own peak from ``getrusage``, and that of its workers from ``VmHWM`` in ``/proc``,
sampled while they live. ``forkserver`` workers hang off the fork server, not off the process
that asked for them (a LocalCluster's, spawned by nannies that run in that process, are its
children), so :class:`WorkerPeak` follows every descendant of the process, whatever its depth.
"""

from __future__ import annotations

import gzip
import json
import os
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import cycle, islice
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "cnndm" / "validation.jsonl.gz"


def lines(path: Path) -> Iterator[str]:
    """The non-blank lines of a JSONL(.gz) file, newline kept."""
    with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open() as f:
        yield from (line for line in f if line.strip())


def build_corpus(data: Path, stories: int, out: Path) -> None:
    """Write the first ``stories`` lines of ``data`` to ``out``, cycled when it has fewer."""
    found = list(islice(lines(data), stories))
    out.write_text("".join(islice(cycle(found), stories)), encoding="utf-8")


def build_archive(data: Path, stories: int, out: Path, *, compresslevel: int = 1) -> int:
    """Write ``stories`` stories to ``out`` from ``data``, repeated with fresh ids if need be.

    The first pass keeps the stories as they are (only as many as needed are read); the
    ``k``-th repeat gives each the id ``ID-r{k}``, so that every record of the archive is a
    distinct story to a reader. ``out`` is gzip-compressed when it ends in ``.gz``. Returns the
    number of distinct stories, those read from ``data``.
    """
    rest: list[tuple[str, str]] = []  # each story's id, and its JSON less the id
    for line in islice(lines(data), stories):
        row = json.loads(line)
        story_id = str(row.pop("id", None) or f"line-{len(rest) + 1}")
        rest.append((story_id, json.dumps(row, ensure_ascii=False)[1:]))
    if not rest:
        raise SystemExit(f"no stories in {data}")
    with _create(out, compresslevel) as f:
        for n in range(stories):
            repeat, at = divmod(n, len(rest))
            story_id, body = rest[at]
            new_id = story_id if repeat == 0 else f"{story_id}-r{repeat}"
            f.write(f'{{"id": {json.dumps(new_id)}, {body}\n')
    return len(rest)


def _create(path: Path, compresslevel: int) -> TextIO:
    """Open ``path`` to write text, gzip-compressed when it ends in ``.gz``."""
    if path.suffix == ".gz":
        return gzip.open(path, "wt", encoding="utf-8", compresslevel=compresslevel)
    return path.open("w", encoding="utf-8")


def descendants(root: int) -> list[int]:
    """Every live process below ``root`` (forkserver workers hang off the fork server)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def peak_mb(pid: int) -> float:
    """A process's peak resident memory (``VmHWM``) in MB, 0 when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(slots=True)
class Seen:
    """One descendant process as last sampled: its parent, command line, peak memory, CPU."""

    pid: int
    ppid: int
    cmdline: str
    peak_mb: float = 0.0
    cpu_s: float = 0.0

    def role(self, parents: set[int]) -> str:
        """What the process is to the run: a worker, or one of multiprocessing's helpers."""
        if "resource_tracker" in self.cmdline:
            return "resource tracker"
        if "forkserver" in self.cmdline and self.pid in parents:
            return "fork server"
        return "worker"


def _sample(pid: int) -> tuple[int, float] | None:
    """A live process's parent and CPU seconds (user + system) so far; None when gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def machine_cpu_s() -> float:
    """CPU seconds every process of the machine has used since boot (``/proc/stat``).

    The difference over a run, less what the run's own processes used, is what others took
    from the same cores meanwhile: on shared cores, the noise in a timing.
    """
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / _TICK


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


class WorkerPeak(threading.Thread):
    """Sample the peak memory (and CPU time) of this process's descendants until stopped.

    ``peak`` is the largest peak of any worker process; ``seen`` keeps every descendant by
    pid, with its last sampled peak and CPU time (a process's last fifth of a second before
    it exits goes unseen); ``history`` holds, for every sample, the seconds since the start,
    this process's peak and the largest worker's, in MB, to show whether memory stays flat.
    """

    def __init__(self, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.seen: dict[int, Seen] = {}
        self.history: list[tuple[float, float, float]] = []
        self.done = threading.Event()
        self.started = time.monotonic()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self._sample()

    def stop(self) -> None:
        """Stop sampling, after one last sample of whatever is still alive."""
        self.done.set()
        self.join()
        self._sample()

    def _sample(self) -> None:
        for pid in descendants(os.getpid()):
            state = _sample(pid)
            if state is None:
                continue
            seen = self.seen.get(pid)
            if seen is None:
                seen = self.seen[pid] = Seen(pid, state[0], _cmdline(pid))
            seen.peak_mb = max(seen.peak_mb, peak_mb(pid))
            seen.cpu_s = state[1]
        now = time.monotonic() - self.started
        self.history.append((now, peak_mb(os.getpid()), self.peak))

    def history_at(self, fractions: Sequence[float]) -> list[dict[str, float]]:
        """The parent's and the largest worker's peak MB as they stood at fractions of the run."""
        if not self.history:
            return []
        end = self.history[-1][0]
        marks = []
        for fraction in fractions:
            last = [h for h in self.history if h[0] <= fraction * end] or self.history[:1]
            at, parent, worker = last[-1]
            marks.append(
                {"fraction": fraction, "seconds": round(at, 1), "parent_mb": round(parent, 1),
                 "worker_mb": round(worker, 1)}
            )  # fmt: skip
        return marks

    def processes(self) -> list[dict[str, object]]:
        """Every descendant seen: pid, role, peak MB and CPU seconds, in order of pid."""
        parents = {seen.ppid for seen in self.seen.values()}
        return [
            {
                "pid": seen.pid,
                "role": seen.role(parents),
                "peak_mb": round(seen.peak_mb, 1),
                "cpu_s": round(seen.cpu_s, 2),
            }
            for seen in sorted(self.seen.values(), key=lambda s: s.pid)
        ]

    @property
    def peak(self) -> float:
        """The largest peak memory of any worker process, in MB."""
        parents = {seen.ppid for seen in self.seen.values()}
        workers = [s.peak_mb for s in self.seen.values() if s.role(parents) == "worker"]
        return max(workers, default=0.0)
