"""Start-up of the ``nutgraf`` command: wall time and peak memory of what a person types first.

Each command runs in a fresh process, ``--repeats`` times, in turns (so that the shared
machine's noise falls on all of them alike), next to ``python -c pass``, the floor any Python
command pays. The figure that carries from one machine to another is each command's median
over that floor's, measured in the same run.

    python bench/startup.py                     # --help, highlights --help, the example
    python bench/startup.py --long-mb 3         # and figures of a 3 MB text, with its memory
    python bench/startup.py --json

``--long-mb`` builds a text of that many megabytes from the validation stories (one story after
another, as a transcript or a dump reads) and times ``nutgraf figures`` on it, the command whose
time and memory grow with a single story's length.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import cycle
from pathlib import Path

from _common import DEFAULT_DATA, lines

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "000_7c7ec3b5e1da7bbe.txt"
FALLBACK_DATA = ROOT / "tests" / "fixtures" / "cnndm_sample.jsonl"


def _run(command: list[str]) -> tuple[float, float]:
    """Run ``command`` once; its wall time in seconds and its peak resident memory in MB.

    Its standard error goes to a file, not a pipe, which a long progress bar or traceback would
    fill while this waits for the process (``os.wait4``, for the process's own rusage).
    """
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            said = errors.read().decode("utf-8", "replace")
            raise SystemExit(f"startup.py: {' '.join(command)} failed:\n{said}")
    return seconds, usage.ru_maxrss / 1024


def _long_text(data: Path, megabytes: float, out: Path) -> None:
    """Write the stories of ``data`` one after another, cycled, until ``megabytes`` MB."""
    wanted, size, parts = megabytes * 1e6, 0, []
    for line in cycle(lines(data)):
        if size >= wanted:
            break
        parts.append(json.loads(line)["article"])
        size += len(parts[-1].encode("utf-8")) + 2
    out.write_text("\n\n".join(parts), encoding="utf-8")


def main() -> None:
    """Time the commands and print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--long-mb", type=float, default=0.0, help="also figures of a long text")
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA if DEFAULT_DATA.exists() else FALLBACK_DATA,
        help="stories for the long text (JSONL or JSONL.gz)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    nutgraf = str(Path(sys.executable).with_name("nutgraf"))
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "nutgraf --help": [nutgraf, "--help"],
        "nutgraf highlights --help": [nutgraf, "highlights", "--help"],
        "nutgraf highlights EXAMPLE": [nutgraf, "highlights", str(EXAMPLE)],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    memory: dict[str, float] = {}
    for _ in range(args.repeats):
        for name, command in commands.items():
            seconds, megabytes = _run(command)
            times[name].append(seconds)
            memory[name] = max(memory.get(name, 0.0), megabytes)
    floor = statistics.median(times["python -c pass"])
    rows = [
        {
            "command": name,
            "seconds": round(statistics.median(spent), 3),
            "over_python": round(statistics.median(spent) / floor, 1),
            "peak_mb": round(memory[name]),
        }
        for name, spent in times.items()
    ]
    if args.long_mb:
        with tempfile.TemporaryDirectory() as work:
            text = Path(work) / "long.txt"
            _long_text(args.data, args.long_mb, text)
            seconds, megabytes = _run([nutgraf, "figures", str(text)])
            rows.append(
                {
                    "command": f"nutgraf figures LONG ({args.long_mb:g} MB)",
                    "seconds": round(seconds, 1),
                    "over_python": round(seconds / floor, 1),
                    "peak_mb": round(megabytes),
                }
            )
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"median of {args.repeats} runs each, in turns; python: {sys.executable}\n")
    print("| command | seconds | × python -c pass | peak MB |\n|---|---:|---:|---:|")
    for row in rows:
        print(
            f"| `{row['command']}` | {row['seconds']} | {row['over_python']} | {row['peak_mb']} |"
        )


if __name__ == "__main__":
    main()
