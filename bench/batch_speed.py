"""Throughput of ``nutgraf batch`` against Lead-3 over the same stories, in one run.

Absolute stories/s depend on the machine, so the figure worth quoting is the ratio to Lead-3
measured in the same run: both go through :func:`nutgraf.batch.run_batch` (read JSONL, ingest,
split, annotate, write JSONL), so the ratio isolates what choosing sentences with the model
costs. Lead-3 is timed at the same worker counts as nutgraf.

The corpus is the first N lines of the data, repeated when the file has fewer. The model is
loaded before timing; with several workers, starting them and sending each the model are part
of the time, as they are for a user.

    python bench/batch_speed.py                       # 2000 validation stories
    python bench/batch_speed.py --stories 500 --json
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
from collections.abc import Iterator, Sequence
from itertools import cycle, islice
from pathlib import Path

from nutgraf.batch import run_batch
from nutgraf.peers import SUMMARY_SENTENCES
from nutgraf.select import load_selector
from nutgraf.story import Highlight, Story

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "cnndm" / "validation.jsonl.gz"


class Lead3:
    """Lead-3 as a batch annotator: the first three real sentences, as ``nutgraf.peers.lead3``."""

    def annotate(self, stories: Sequence[Story]) -> list[Story]:
        for story in stories:
            lead = [s for s in story.sentences if s.position >= 0][:SUMMARY_SENTENCES]
            story.highlights = [
                Highlight(s.text, (s.index,), ((s.start, s.end),), 1.0) for s in lead
            ]
        return list(stories)


def _lines(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open() as f:
        yield from (line for line in f if line.strip())


def build_corpus(data: Path, stories: int, out: Path) -> None:
    lines = list(islice(_lines(data), stories))
    out.write_text("".join(islice(cycle(lines), stories)), encoding="utf-8")


def measure(
    corpus: Path, workdir: Path, workers: Sequence[int], model: Path | None
) -> list[dict[str, object]]:
    nutgraf = load_selector(model)
    rows: list[dict[str, object]] = []
    for n in workers:
        rates = {}
        for name, selector in (("nutgraf", nutgraf), ("lead3", Lead3())):
            summary = run_batch(
                corpus, workdir / f"{name}-{n}.jsonl", workers=n, progress=False, selector=selector
            )
            rates[name] = summary.stories_per_second
        rows.append(
            {
                "workers": n,
                "nutgraf": rates["nutgraf"],
                "lead3": rates["lead3"],
                "ratio": rates["nutgraf"] / rates["lead3"],
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL(.gz) stories")
    parser.add_argument("--stories", type=int, default=2000, help="corpus size")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--model", type=Path, help="model file [default: the packaged one]")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        build_corpus(args.data, args.stories, workdir / "corpus.jsonl")
        rows = measure(workdir / "corpus.jsonl", workdir, args.workers, args.model)
    if args.json:
        print(json.dumps({"data": str(args.data), "stories": args.stories, "runs": rows}, indent=2))
        return
    print(f"{args.stories} stories from {args.data.name}\n")
    print("| workers | nutgraf stories/s | lead3 stories/s | nutgraf / lead3 |")
    print("|---:|---:|---:|---:|")
    for row in rows:
        rates = f"{row['nutgraf']:.0f} | {row['lead3']:.0f} | {row['ratio']:.2f}"
        print(f"| {row['workers']} | {rates} |")


if __name__ == "__main__":
    main()
