"""Form invariance: does a story get the same highlights cased and lowercased-tokenized?

Users give cased text; most of the CNN/DailyMail data is in See et al.'s lowercased,
PTB-tokenized form. For each story of the validation file this runs the default pipeline on
the story as given and on the same story in the other form
(:func:`nutgraf.read.forms.tokenize` for the 1,000 cased CNN stories,
:func:`nutgraf.read.forms.detokenize` for the 4,146 tokenized Daily Mail ones) and counts the
stories whose chosen sentences are the same: the same sentences, compared by their letters and
digits in :func:`nutgraf.read.forms.normal` view, in the same order. It also gives ROUGE-1/2/L of
nutgraf and of Lead-3 against the editors' highlights on each form.

    python bench/forms.py [--data FILE] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from _common import DEFAULT_DATA
from tqdm import tqdm

from nutgraf import pipeline
from nutgraf.evaluate.highlights import evaluate
from nutgraf.evaluate.peers import lead3
from nutgraf.read import ingest
from nutgraf.read.forms import detokenize, tokenize
from nutgraf.select.features import words
from nutgraf.select.models import load_selector
from nutgraf.story import Story

_BATCH = 64


def _chosen(story: Story) -> tuple[str, ...]:
    """The story's highlight sentences, each as its letters and digits in the form-free view.

    Spaces are left out: the tokenized form writes some words apart ("6 pm", "gon na").
    """
    return tuple(
        "".join(words(story.sentences[i].text)) for h in story.highlights for i in h.sentences
    )


def _run(records: Sequence[dict[str, object]], label: str) -> list[Story]:
    selector = load_selector()
    stories = [ingest.from_record(r, f"{label}:{n}") for n, r in enumerate(records, 1)]
    for start in tqdm(range(0, len(stories), _BATCH), desc=label, unit="batch", file=sys.stderr):
        pipeline.annotate(stories[start : start + _BATCH], selector, figures=None)
    return stories


def _bullets(story: Story) -> list[str]:
    return [h.text for h in story.highlights]


def _compare(
    name: str,
    records: list[dict[str, object]],
    convert: Callable[[str], str],
    other_format: str | None,
    other_label: str,
) -> str:
    given = _run(records, f"{name} as given")
    converted = [
        {**r, "article": convert(str(r["article"])), "format": other_format} for r in records
    ]
    other = _run(converted, f"{name} converted")
    same = sum(_chosen(a) == _chosen(b) for a, b in zip(given, other, strict=True))
    lines = [
        f"### {name}: {len(records)} stories, same sentences chosen for "
        f"{same} ({100 * same / max(1, len(records)):.1f}%)",
        "",
        "| form | nutgraf R1 / R2 / RL | Lead-3 R1 / R2 / RL | gain R1 |",
        "|---|---|---|---:|",
    ]
    for label, stories in ((str(records[0]["format"]), given), (other_label, other)):
        report = evaluate(stories, {"nutgraf": _bullets, "lead3": lead3})
        ours, base = (report.system(name).weighted for name in ("nutgraf", "lead3"))
        lines.append(
            f"| {label} | {ours.rouge1:.2f} / {ours.rouge2:.2f} / {ours.rougeLsum:.2f} | "
            f"{base.rouge1:.2f} / {base.rouge2:.2f} / {base.rougeLsum:.2f} | "
            f"{ours.rouge1 - base.rouge1:+.2f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="stories of each group at most")
    args = parser.parse_args(argv)
    with gzip.open(args.data, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    cased = [r for r in rows if r["format"] == "cased"][: args.limit]
    dm = [r for r in rows if r["format"] != "cased" and r["publisher"] == "dailymail"][: args.limit]
    print(_compare("CNN cased", cased, tokenize, "lowercased-tokenized", "tokenized"))
    print()
    print(_compare("Daily Mail tokenized", dm, detokenize, None, "detokenized"))


if __name__ == "__main__":
    main()
