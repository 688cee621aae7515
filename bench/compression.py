"""Compression: what cutting units out of the bullets does to ROUGE, length, sources and grammar.

For each validation story this runs the default pipeline twice, with compression
(:mod:`nutgraf.edit.compression`) and without (whole sentences), and beside them an oracle
that cuts, from the same whole bullets, each unit (:mod:`nutgraf.edit.units`) whose cut raises
ROUGE-1 + ROUGE-2 F1 against the editors' highlights, longest unit first: the room a perfect
model of the same units would have. It reports, by publisher and form:

* ROUGE-1/2/Lsum and words a bullet of the three, and the editors' words a bullet;
* of the figures stated in bullets whose source's words all stand in the whole sentence, the
  share whose source's words all stand in the compressed bullet too;
* grammaticality of ``--sample`` compressed bullets drawn at random (seeded) among those that
  compression changed: the share whose spaCy parse has a finite main verb and no dangling
  conjunction or relative word, before and after;
* with ``--examples N``, the first N of that sample printed beside their sentences (Markdown).

    python bench/compression.py [--data FILE] [--limit N] [--sample 200] [--examples 50]

ROUGE here is rouge-score's, as ``nutgraf evaluate`` computes it; the validation table in
``docs/evaluation.md`` comes from ``nutgraf evaluate --systems nutgraf,nutgraf-whole,lead3``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from _common import DEFAULT_DATA, lines
from tqdm import tqdm

from nutgraf import lexicon, nlp, pipeline
from nutgraf.edit.compression import Cut, story_cuts, without
from nutgraf.edit.cuts import Piece, pieces_of, pieces_of_highlight
from nutgraf.read import ingest
from nutgraf.rouge import Reference, rouge_tokens, score
from nutgraf.select.models import load_selector
from nutgraf.story import Story

_BATCH = 64
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})


def _group(story: Story) -> str:
    return f"{story.publisher} ({story.casing.value})"


def _oracle(
    story: Story, bullets: Sequence[tuple[int, Sequence[Piece]]], found: Sequence[Sequence[Cut]]
) -> list[str]:
    """The whole bullets with each unit cut whose cut raises ROUGE-1 + 2, longest first."""
    reference = Reference(story.reference)
    pieces = [list(p) for _, p in bullets]
    for k, candidates in enumerate(found):
        for cut in sorted(candidates, key=lambda c: c.start - c.end):
            texts = [rouge_tokens(pieces_of(story, p)) for p in pieces]
            before = reference.gain_of(texts)
            trial = without(pieces[k], cut.start, cut.end)
            texts[k] = rouge_tokens(pieces_of(story, trial))
            if reference.gain_of(texts) > before:
                pieces[k] = trial
    return [pieces_of(story, p) for p in pieces]


def _source_kept(whole: Story, cut: Story) -> tuple[int, int]:
    """Of the credited figures of bullets whose source stands whole in the sentence, how many
    keep it in the compressed bullet: (kept, counted)."""
    counted = kept = 0
    bullets = {
        h.sentences[0]: (h, c) for h, c in zip(whole.highlights, cut.highlights, strict=True)
    }
    for figure in whole.figures:
        if figure.source is None or figure.sentence not in bullets:
            continue
        before, after = bullets[figure.sentence]
        words = set(lexicon.FEATURE_WORD.findall(figure.source.lower()))
        if not words or not words <= set(lexicon.FEATURE_WORD.findall(before.text.lower())):
            continue
        counted += 1
        kept += words <= set(lexicon.FEATURE_WORD.findall(after.text.lower()))
    return kept, counted


def _grammatical(text: str) -> bool:
    """A finite main verb, and no conjunction or relative word left hanging."""
    doc = nlp.load()(text)
    roots = [t for t in doc if t.dep_ == "ROOT"]
    finite = any(
        t.tag_ in _FINITE_TAGS
        or any(c.dep_ in ("aux", "auxpass", "cop") and c.tag_ in _FINITE_TAGS for c in t.children)
        for t in roots
    )
    words = [t for t in doc if not t.is_punct]
    dangling = bool(words) and (
        words[-1].dep_ in ("cc", "prep", "mark") or words[-1].tag_ in _RELATIVE_TAGS
    )
    dangling = dangling or any(
        t.dep_ == "cc" and not any(c.dep_ == "conj" for c in t.head.children) for t in doc
    )
    return finite and not dangling


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="the first N stories")
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import json
    from itertools import islice

    records = [json.loads(line) for line in islice(lines(args.data), args.limit)]
    selector = load_selector()
    scores: dict[str, dict[str, list[tuple[float, float, float, float]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    kept = counted = 0
    changed: list[tuple[str, str]] = []
    for start in tqdm(
        range(0, len(records), _BATCH), desc="stories", unit="batch", file=sys.stderr
    ):
        chunk = records[start : start + _BATCH]
        whole = [ingest.from_record(r, f"v:{start + n}") for n, r in enumerate(chunk)]
        cut = [ingest.from_record(r, f"v:{start + n}") for n, r in enumerate(chunk)]
        pipeline.annotate(whole, selector, compress=False)
        pipeline.annotate(cut, selector)
        bullets: list[list[tuple[int, Sequence[Piece]]]] = [
            [(h.sentences[0], pieces_of_highlight(s, h)) for h in s.highlights] for s in whole
        ]
        for story, after, own, found in zip(
            whole, cut, bullets, story_cuts(whole, bullets), strict=True
        ):
            group = _group(story)
            systems = {
                "whole": [h.text for h in story.highlights],
                "compressed": [h.text for h in after.highlights],
                "oracle": _oracle(story, own, found),
            }
            for name, texts in systems.items():
                s = score(texts, story.reference)
                words = statistics.fmean(len(t.split()) for t in texts) if texts else 0.0
                scores[group][name].append((s.rouge1, s.rouge2, s.rougeLsum, words))
            editors = statistics.fmean(len(line.split()) for line in story.reference)
            scores[group]["editors"].append((0.0, 0.0, 0.0, editors))
            k, c = _source_kept(story, after)
            kept, counted = kept + k, counted + c
            changed += [
                (b.text, a.text)
                for b, a in zip(story.highlights, after.highlights, strict=True)
                if b.text != a.text
            ]
    print("| stories | system | R1 | R2 | RLsum | words a bullet |")
    print("|---|---|--:|--:|--:|--:|")
    for group, by_system in sorted(scores.items()):
        for name, rows in by_system.items():
            mean = [statistics.fmean(r[i] for r in rows) for i in range(4)]
            cells = ["" if name == "editors" else f"{100 * m:.2f}" for m in mean[:3]]
            print(f"| {group} ({len(rows)}) | {name} | {' | '.join(cells)} | {mean[3]:.1f} |")
    print(f"\nsources kept: {kept} of {counted} credited figures ({kept / max(1, counted):.3f})")
    sample = random.Random(args.seed).sample(changed, min(args.sample, len(changed)))
    before = sum(_grammatical(b) for b, _ in sample)
    after_ok = sum(_grammatical(a) for _, a in sample)
    print(
        f"grammatical, of {len(sample)} compressed bullets drawn from {len(changed)} changed:"
        f" before {before / max(1, len(sample)):.3f}, after {after_ok / max(1, len(sample)):.3f}"
    )
    if args.examples:
        print(f"\n{args.examples} of them, each sentence and then its bullet:\n")
        for n, (b, a) in enumerate(sample[: args.examples], 1):
            print(f"{n}. {b}\n   → {a}\n")


if __name__ == "__main__":
    main()
