"""Throughput and memory of ``nutgraf batch`` for each model, next to Lead-3, in one run.

Absolute stories/s depend on the machine, so the figure worth quoting is the ratio to Lead-3
measured in the same run: every system goes through :func:`nutgraf.run.batch.run_batch` (read
JSONL, ingest, split, annotate, write JSONL), so the ratio isolates what choosing sentences with
each model costs. Every system is timed at the same worker counts.

Each measurement runs in a fresh Python process, so that its peak resident memory (the parent's
from ``getrusage``, and the largest worker's from ``VmHWM`` in ``/proc``, sampled while the
workers live, since ``forkserver`` workers are not the parent's children) is its own: the
default model, the accurate one with its encoder, and Lead-3 do not share a heap. The model and
spaCy's pipeline (which nutgraf's bullet editing and figures use) are loaded before timing;
with several workers, starting them, sending each the model and each loading spaCy (about 2 s)
are part of the time, as they are for a user.

    python bench/batch_speed.py                       # 2000 validation stories, all systems
    python bench/batch_speed.py --stories 500 --systems default lead3 --json
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from collections.abc import Collection, Sequence
from pathlib import Path

from _common import DEFAULT_DATA, WorkerPeak, build_corpus

from nutgraf.evaluate.peers import SUMMARY_SENTENCES
from nutgraf.run.batch import run_batch
from nutgraf.select.models import load_selector
from nutgraf.story import Highlight, Story


class Lead3:
    """Lead-3 as a batch selector: the first three real sentences, as ``evaluate.peers.lead3``."""

    def annotate(self, stories: Sequence[Story]) -> list[Story]:
        return self.choose(stories)

    def choose(
        self, stories: Sequence[Story], blocked: Sequence[Collection[int]] | None = None
    ) -> list[Story]:
        for story, block in zip(stories, blocked or [()] * len(stories), strict=True):
            lead = [s for s in story.sentences if s.position >= 0 and s.index not in block]
            story.highlights = [
                Highlight(s.text, (s.index,), ((s.start, s.end),), 1.0)
                for s in lead[:SUMMARY_SENTENCES]
            ]
        return list(stories)


SYSTEMS = (
    "default",
    "default+figures",
    "default+whole",
    "default+figures+whole",
    "accurate",
    "lead3",
)
"""The packaged models by name, and the Lead-3 baseline. A system without ``+figures`` runs
with ``figures=False``, so that the ratios time choosing and cutting sentences; ``+figures``
adds the parse that gives each bullet its figures and sources, as ``nutgraf batch`` does by
default, and ``+whole`` leaves compression out (``--no-compress``), so the pair times it."""


def measure_one(system: str, corpus: Path, out: Path, workers: int) -> dict[str, float]:
    """Time one system in this process; return stories/s and peak memory in MB."""
    model, *options = system.split("+")
    selector = Lead3() if system == "lead3" else load_selector(model=model)
    if system == "accurate":
        from nutgraf.select.accurate.encoder import load_encoder

        load_encoder()  # build or open the encoder graph before the clock starts, as a server would
    sampler = WorkerPeak()
    sampler.start()
    if system != "lead3":
        from nutgraf import nlp

        nlp.load()  # spaCy (bullet editing, figures) loads before the clock, as the model does
    summary = run_batch(
        corpus,
        out,
        workers=workers,
        progress=False,
        selector=selector,
        figures="figures" in options,
        compress="whole" not in options and system != "lead3",
    )
    sampler.stop()
    return {
        "stories_per_second": summary.stories_per_second,
        "parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_mb": sampler.peak,
    }


def measure(
    corpus: Path, workdir: Path, workers: Sequence[int], systems: Sequence[str]
) -> list[dict[str, object]]:
    """Run every system at every worker count, each in a fresh process."""
    rows: list[dict[str, object]] = []
    for n in workers:
        for system in systems:
            result = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    system,
                    "--corpus",
                    str(corpus),
                    "--out",
                    str(workdir / f"{system}-{n}.jsonl"),
                    "--workers",
                    str(n),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            rows.append({"workers": n, "system": system, **json.loads(result.stdout)})
        lead = next(r for r in rows if r["workers"] == n and r["system"] == "lead3")
        for row in rows:
            if row["workers"] == n:
                row["ratio_to_lead3"] = row["stories_per_second"] / lead["stories_per_second"]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL(.gz) stories")
    parser.add_argument("--stories", type=int, default=2000, help="corpus size")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--one", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, args.corpus, args.out, args.workers[0])))
        return
    systems = [*[s for s in args.systems if s != "lead3"], "lead3"]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        build_corpus(args.data, args.stories, workdir / "corpus.jsonl")
        rows = measure(workdir / "corpus.jsonl", workdir, args.workers, systems)
    if args.json:
        print(json.dumps({"data": str(args.data), "stories": args.stories, "runs": rows}, indent=2))
        return
    print(f"{args.stories} stories from {args.data.name}\n")
    print("| workers | system | stories/s | ratio to Lead-3 | parent MB | worker MB |")
    print("|---:|---|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['workers']} | {row['system']} | {row['stories_per_second']:.0f}"
            f" | {row['ratio_to_lead3']:.3f} | {row['parent_mb']:.0f} | {row['worker_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
