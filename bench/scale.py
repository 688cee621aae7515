"""How ``nutgraf batch`` scales: stories/s on 1 and 2 workers and on Dask, and memory on an archive.

Two measurements, each run of them in a fresh Python process that calls
:func:`nutgraf.run.batch.run_batch` as ``nutgraf batch IN --out OUT`` does (the default model,
figures on, a progress bar on stderr), so that the time is what a user waits for: the
summary's seconds, which include loading the model, starting the workers or the Dask cluster,
sending each the model, each loading spaCy, and joining the parts.

1. **Throughput.** The same corpus (``--stories`` validation stories, repeated with fresh ids
   when there are more than the file holds) on ``workers=1``, ``workers=2`` and
   ``dask=local:2``. Absolute stories/s depend on the machine; the figures that carry are the
   ratios to ``workers=1`` in the same run, against the bars of 1.7x for two workers and 1.5x
   for a two-process Dask cluster. The three outputs must be the same bytes, and are checked.
2. **Archive.** ``--archive`` stories (the validation stories, or ``--archive-data``'s,
   repeated with fresh ids ``ID-r{k}``, one JSONL.gz) on two workers: stories/s, and the peak
   resident memory of every process, the parent and each worker, against the bar of 1 GB per
   process however long the archive, with the peaks as they stood along the run to show that
   memory stays flat. Repeated stories add no new words to spaCy's vocabulary; train.jsonl.gz
   (43,490 distinct stories) as ``--archive-data`` makes an archive without repeats.

Peak memory is the parent's ``getrusage`` high-water mark and each descendant's ``VmHWM``,
sampled from ``/proc`` while it lives (``forkserver`` workers are children of the fork server;
a LocalCluster's are the parent's own, spawned by the nannies it runs). CPU seconds are
sampled likewise, to show where the cores went, and the machine's CPU time (``/proc/stat``)
less the run's own says what other processes took from the same cores meanwhile: on shared
cores, a run that others slowed shows it there, and ``--repeat`` keeps the median of several.

    python bench/scale.py                                   # 6,000 stories, 200,000 archive
    python bench/scale.py --stories 1000 --archive 2000     # a quick check
    python bench/scale.py --stories 6000 --archive 0 --repeat 3 --json
    python bench/scale.py --runs workers=1 --env OMP_NUM_THREADS=1   # an experiment
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import DEFAULT_DATA, WorkerPeak, build_archive, machine_cpu_s

RUNS: dict[str, dict[str, Any]] = {
    "workers=1": {"workers": 1},
    "workers=2": {"workers": 2},
    "dask=local:2": {"dask": "local:2"},
}
"""The throughput runs by name, and the backend each asks ``run_batch`` for."""
BARS = {"workers=2": 1.7, "dask=local:2": 1.5}
"""The least speed-up over ``workers=1`` each run must show."""
MEMORY_BAR_MB = 1024
"""The most any one process of an archive run may hold resident."""

Row = dict[str, Any]


def measure_one(corpus: Path, out: Path, backend: dict[str, Any]) -> Row:
    """Run one batch in this process, as the command line does; return its time and memory."""
    from nutgraf.run.batch import run_batch

    sampler = WorkerPeak()
    sampler.start()
    before, machine_before = resource.getrusage(resource.RUSAGE_SELF), machine_cpu_s()
    summary = run_batch(corpus, out, **backend)
    usage, machine_after = resource.getrusage(resource.RUSAGE_SELF), machine_cpu_s()
    sampler.stop()
    parent_cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    processes = sampler.processes()
    ours = parent_cpu + sum(float(p["cpu_s"]) for p in processes)
    return {
        "pid": os.getpid(),
        "done": summary.done,
        "rejected": summary.rejected,
        "seconds": summary.seconds,
        "stories_per_second": summary.stories_per_second,
        "parent_mb": usage.ru_maxrss / 1024,
        "parent_cpu_s": parent_cpu,
        "others_cpu_s": max(0.0, machine_after - machine_before - ours),
        "worker_mb": sampler.peak,
        "processes": processes,
        "memory_over_time": sampler.history_at([0.1, 0.25, 0.5, 0.75, 1.0]),
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def run_one(
    corpus: Path, out: Path, backend: dict[str, Any], env: dict[str, str], log: Path
) -> Row:
    """Measure one batch in a fresh process; its stderr (the progress bar) goes to ``log``."""
    with log.open("w") as stderr:
        result = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                json.dumps(backend),
                "--corpus",
                str(corpus),
                "--out",
                str(out),
            ],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, **env},
        )
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"scale.py: {backend} failed ({result.returncode}):\n{tail}")
    row = json.loads(result.stdout.strip().splitlines()[-1])
    row["sha256"] = _sha256(out)
    out.unlink()  # the next run must not find a finished output to mistake for its own
    return row


def throughput(
    corpus: Path, workdir: Path, runs: list[str], repeat: int, env: dict[str, str]
) -> list[Row]:
    """Each run ``repeat`` times (the runs interleaved), keeping the one of median time."""
    tries: dict[str, list[Row]] = {name: [] for name in runs}
    for attempt in range(repeat):
        for name in runs:
            out = workdir / f"out-{name.replace('=', '-').replace(':', '')}-{attempt}.jsonl"
            log = out.with_suffix(".log")
            tries[name].append(run_one(corpus, out, RUNS[name], env, log))
    rows = []
    for name in runs:
        ordered = sorted(tries[name], key=lambda row: row["seconds"])
        row = {"run": name, **ordered[(len(ordered) - 1) // 2]}
        row["all_seconds"] = [round(r["seconds"], 2) for r in tries[name]]
        row["sha256_all"] = sorted({r["sha256"] for r in tries[name]})
        rows.append(row)
    base = next((row for row in rows if row["run"] == "workers=1"), None)
    for row in rows:
        row["ratio"] = row["stories_per_second"] / base["stories_per_second"] if base else None
        row["bar"] = BARS.get(row["run"])
        row["meets_bar"] = (
            None if row["bar"] is None or base is None else row["ratio"] >= row["bar"]
        )
    return rows


def archive(data: Path, stories: int, workdir: Path, workers: int, env: dict[str, str]) -> Row:
    """Build an archive of ``stories`` stories and run it on ``workers`` workers."""
    path = workdir / "archive.jsonl.gz"
    started = time.perf_counter()
    distinct = build_archive(data, stories, path)
    built = time.perf_counter() - started
    out = workdir / "archive-out.jsonl"
    row = run_one(path, out, {"workers": workers}, env, workdir / "archive.log")
    processes = [
        {"pid": row["pid"], "role": "parent", "peak_mb": round(row["parent_mb"], 1),
         "cpu_s": round(row["parent_cpu_s"], 2)},
        *row["processes"],
    ]  # fmt: skip
    peak = max(p["peak_mb"] for p in processes)
    return {
        **row,
        "data": str(data),
        "stories": stories,
        "distinct": distinct,
        "workers": workers,
        "archive_mb": path.stat().st_size / 2**20,
        "build_seconds": built,
        "processes": processes,
        "max_mb": peak,
        "bar_mb": MEMORY_BAR_MB,
        "meets_bar": peak <= MEMORY_BAR_MB,
    }


def machine() -> Row:
    """What the figures were measured on: cores usable here, the CPU, memory, Python."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) / 2**20
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    threads = {
        key: os.environ[key]
        for key in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        if key in os.environ
    }
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory, 1),
        "python": platform.python_version(),
        "thread_env": threads,
    }


def _yes(flag: bool | None) -> str:
    return "-" if flag is None else ("yes" if flag else "**no**")


def markdown(report: Row) -> str:
    """The report as markdown tables."""
    m = report["machine"]
    note = f", {m['thread_env']}" if m["thread_env"] else ""
    lines = [
        f"Machine: nproc {m['nproc']} (of {m['cpu_count']} CPUs), {m['cpu']},"
        f" {m['memory_gb']} GB, Python {m['python']}{note}"
    ]
    if report["env"]:
        lines.append(f"Extra environment of the runs: {report['env']}")
    rows = report["throughput"]
    if rows:
        lines += [
            "",
            f"Throughput: {report['stories']:,} stories from {Path(report['data']).name},"
            " default model, figures on; time includes start-up"
            + (f"; median of {report['repeat']}" if report["repeat"] > 1 else ""),
            "",
            "| run | stories | seconds | stories/s | ratio to workers=1 | bar | meets bar"
            " | parent MB | largest worker MB | parent CPU s | workers' CPU s | others' CPU s |",
            "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
        ]
        for row in rows:
            ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}x"
            bar = "-" if row["bar"] is None else f"{row['bar']:.1f}x"
            workers_cpu = sum(p["cpu_s"] for p in row["processes"] if p["role"] == "worker")
            lines.append(
                f"| {row['run']} | {row['done'] + row['rejected']:,} | {row['seconds']:.1f}"
                f" | {row['stories_per_second']:.1f} | {ratio} | {bar} | {_yes(row['meets_bar'])}"
                f" | {row['parent_mb']:.0f} | {row['worker_mb']:.0f}"
                f" | {row['parent_cpu_s']:.1f} | {workers_cpu:.1f} | {row['others_cpu_s']:.1f} |"
            )
        same = report["identical"]
        lines += [
            "",
            "CPU s: the parent's during the run, its workers' (their whole lives), and what other"
            " processes of the machine took meanwhile (noise on shared cores).",
            "Outputs byte-identical across runs: "
            + ("yes" if same else "**NO**")
            + f" (sha256 {', '.join(h[:16] for h in report['output_sha256'])})",
        ]
    a = report["archive"]
    if a:
        lines += [
            "",
            f"Archive: {a['stories']:,} stories, {a['distinct']:,} distinct from"
            f" {Path(a['data']).name}"
            + (", repeated with fresh ids" if a["stories"] > a["distinct"] else "")
            + f" ({a['archive_mb']:.0f} MB JSONL.gz) on"
            f" workers={a['workers']}: {a['done'] + a['rejected']:,} stories"
            f" ({a['rejected']} rejected) in {a['seconds']:.1f} s,"
            f" {a['stories_per_second']:.1f} stories/s ({a['others_cpu_s']:.0f} CPU s taken by"
            " other processes meanwhile)",
            "",
            "| process | pid | peak RSS MB | CPU s |",
            "|---|---:|---:|---:|",
        ]
        for p in a["processes"]:
            lines.append(f"| {p['role']} | {p['pid']} | {p['peak_mb']:.0f} | {p['cpu_s']:.1f} |")
        over = a["memory_over_time"]
        lines += [
            "",
            "Peak so far at "
            + ", ".join(f"{m['fraction']:.0%} ({m['seconds']:.0f} s)" for m in over)
            + " of the run: parent "
            + " / ".join(f"{m['parent_mb']:.0f}" for m in over)
            + " MB; largest worker "
            + " / ".join(f"{m['worker_mb']:.0f}" for m in over)
            + " MB",
        ]
        lines += [
            "",
            f"Largest process: {a['max_mb']:.0f} MB against the bar of {a['bar_mb']} MB:"
            f" {'within' if a['meets_bar'] else '**OVER**'}",
        ]
    return "\n".join(lines)


def _env(pairs: list[str]) -> dict[str, str]:
    env = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"scale.py: --env {pair!r}: give KEY=VALUE")
        env[key] = value
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL(.gz) stories")
    parser.add_argument("--stories", type=int, default=6000, help="throughput corpus size")
    parser.add_argument(
        "--runs", nargs="+", choices=list(RUNS), default=list(RUNS), help="throughput runs"
    )
    parser.add_argument("--repeat", type=int, default=1, help="times to run each; median kept")
    parser.add_argument(
        "--archive", type=int, default=200_000, help="archive size in stories; 0 skips it"
    )
    parser.add_argument(
        "--archive-data",
        type=Path,
        help="stories the archive repeats (default --data); train.jsonl.gz has 43,490 distinct",
    )
    parser.add_argument("--archive-workers", type=int, default=2)
    parser.add_argument(
        "--env", nargs="*", default=[], metavar="KEY=VALUE", help="set in every run's process"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.corpus, args.out, json.loads(args.one))))
        return
    env = _env(args.env)
    report: Row = {
        "machine": machine(),
        "env": env,
        "data": str(args.data),
        "stories": args.stories,
        "repeat": args.repeat,
        "throughput": [],
        "archive": None,
    }
    with tempfile.TemporaryDirectory(prefix="nutgraf-scale-") as tmp:
        workdir = Path(tmp)
        if args.stories > 0 and args.runs:
            corpus = workdir / "corpus.jsonl.gz"
            build_archive(args.data, args.stories, corpus)
            rows = throughput(corpus, workdir, args.runs, max(1, args.repeat), env)
            hashes = sorted({h for row in rows for h in row["sha256_all"]})
            report["throughput"] = rows
            report["output_sha256"] = hashes
            report["identical"] = len(hashes) == 1
        if args.archive > 0:
            report["archive"] = archive(
                args.archive_data or args.data, args.archive, workdir, args.archive_workers, env
            )
    print(json.dumps(report, indent=2) if args.json else markdown(report))


if __name__ == "__main__":
    main()
