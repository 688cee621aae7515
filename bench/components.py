"""spaCy's stock pipeline against nutgraf's swapped one: time a sentence and same output.

``nlp.load`` swaps two of the small English pipeline's components for the subclasses in
:mod:`nutgraf.components`, and its models' matrix products from BLIS to numpy. This bench
loads the stock pipeline beside nutgraf's, parses the same validation sentences with both,
component by component in alternating rounds (this machine is shared and noisy; the ratio is
of one run), and reports each component's time a sentence and the share of sentences whose
annotations (part of speech, morphology, lemma, dependencies, entities) differ, which must be
none. nutgraf's repair of the parse (:mod:`nutgraf.reattach`), which changes it on purpose,
is left out of both.

    python bench/components.py [--data FILE] [--stories 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Sequence
from itertools import islice
from pathlib import Path

import spacy
from _common import DEFAULT_DATA, lines
from spacy.language import Language
from spacy.tokens import Doc

from nutgraf import nlp, reattach
from nutgraf.read import ingest, sentences


def texts_of(data: Path, stories: int) -> list[str]:
    """The sentences of the first ``stories`` stories, as nutgraf splits them."""
    found: list[str] = []
    for n, line in enumerate(islice(lines(data), stories)):
        story = sentences.split(ingest.from_record(json.loads(line), f"{data}:{n + 1}"))
        found.extend(sentence.text for sentence in story.sentences)
    return found


def timed(language: Language, texts: Sequence[str], spent: dict[str, float]) -> list[Doc]:
    """Parse ``texts`` one component at a time, adding each component's seconds to ``spent``."""
    docs = [language.make_doc(text) for text in texts]
    for name, component in language.pipeline:
        start = time.perf_counter()
        docs = list(component.pipe(docs))  # type: ignore[attr-defined]
        spent[name] += time.perf_counter() - start
    return docs


def annotated(doc: Doc) -> tuple[object, ...]:
    """What a component may set on a doc, as comparable values."""
    return (
        [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc],
        [(e.start, e.end, e.label_) for e in doc.ents],
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--stories", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    texts = texts_of(args.data, args.stories)
    pipelines = {"stock": spacy.load(nlp.PIPELINE), "nutgraf": nlp.load()}
    pipelines["nutgraf"].disable_pipe(reattach.COMPONENT)
    spent: dict[str, dict[str, float]] = {name: defaultdict(float) for name in pipelines}
    parsed: dict[str, list[Doc]] = {}
    for _ in range(args.rounds):
        for name, language in pipelines.items():
            parsed[name] = timed(language, texts, spent[name])
    differ = sum(
        annotated(a) != annotated(b)
        for a, b in zip(parsed["stock"], parsed["nutgraf"], strict=True)
    )
    per = 1000 / (len(texts) * args.rounds)
    print(f"{len(texts)} sentences of {args.stories} stories, {args.rounds} rounds; ms a sentence")
    print("| component | stock | nutgraf | ratio |")
    print("|---|---|---|---|")
    names = [name for name, _ in pipelines["nutgraf"].pipeline]
    for name in [*names, "all"]:
        stock, ours = (
            sum(spent[p].values()) if name == "all" else spent[p][name] for p in pipelines
        )
        print(f"| {name} | {stock * per:.3f} | {ours * per:.3f} | {ours / stock:.2f} |")
    print(f"sentences whose annotations differ: {differ} of {len(texts)}")


if __name__ == "__main__":
    main()
