"""What a plain ``nutgraf.highlights`` imports, and the cycle finder of ``lint-imports``.

``lint-imports`` (``[tool.importlinter]``, run by ``.ci/run``) checks the static import graph;
this checks what really gets imported at run time, which also sees ``importlib`` and imports
inside functions: the accurate extra's code, the service, Dask and the evaluation harness are
imported only when asked for.
"""

import itertools
import json
import subprocess
import sys

import pytest

from tools.importlinter_contracts import _one_cycle, _strongly_connected, is_test_module

# Modules that the default model's highlights must not import, and what each belongs to.
NOT_FOR_HIGHLIGHTS = {
    "nutgraf.select.accurate": "the accurate model",
    "onnxruntime": "the accurate extra",
    "onnx": "the accurate extra",
    "tokenizers": "the accurate extra",
    "safetensors": "the accurate extra",
    "torch": "the accurate extra",
    "distributed": "Dask (nutgraf batch --dask)",
    "dask": "Dask (nutgraf batch --dask)",
    "fastapi": "the service (nutgraf serve)",
    "nutgraf.serve": "the service (nutgraf serve)",
    "nutgraf.evaluate": "the evaluation harness (nutgraf evaluate)",
    "nutgraf.rouge": "training and evaluation (the labels and the scores)",
    "rouge_score": "training and evaluation (the labels and the scores)",
    "nltk": "training and evaluation (ROUGE's stemmer)",
}

# spaCy's backend, thinc, probes for torch at import (thinc.compat: try: import torch) and so
# imports it wherever it is installed; that import is thinc's, not nutgraf's.
PROBED_BY = {"torch": ("thinc.",)}

# The child records who first imports each watched module, then summarizes a short story.
_CHILD = """
import importlib.abc, json, sys

watched = json.loads(sys.argv[1])
importers = {}

def _importer():
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if not name.startswith(("importlib", "_frozen_importlib")):
            return name
        frame = frame.f_back
    return None

class Watch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        for module in watched:
            if (name == module or name.startswith(module + ".")) and module not in importers:
                importers[module] = _importer()
        return None

sys.meta_path.insert(0, Watch())
import nutgraf

story = nutgraf.highlights(sys.argv[2])
assert story.highlights, story
loaded = {m: importers.get(m) for m in watched if m in sys.modules}
print(json.dumps(loaded))
"""

STORY = (
    "Rain fell on Monday across the north of the country. The match was called off, officials"
    " said. At least 80 homes were flooded, police said. Fans went home early."
)


def _imported_by_highlights(watched: list[str]) -> dict[str, str | None]:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(watched), STORY],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    loaded: dict[str, str | None] = json.loads(result.stdout.splitlines()[-1])
    return loaded


def test_highlights_with_the_default_model_import_no_extra() -> None:
    loaded = _imported_by_highlights(list(NOT_FOR_HIGHLIGHTS))
    unexpected = {
        module: f"{NOT_FOR_HIGHLIGHTS[module]}, first imported by {importer}"
        for module, importer in loaded.items()
        if not (importer or "").startswith(PROBED_BY.get(module, ("-",)))
    }
    assert not unexpected


def test_the_child_sees_what_highlights_does_import() -> None:
    # so that an empty result above means "not imported", not "not watched"
    loaded = _imported_by_highlights(["nutgraf.select.selector", "lightgbm", "spacy"])
    assert (loaded["nutgraf.select.selector"] or "").startswith("nutgraf.")
    assert set(loaded) == {"nutgraf.select.selector", "lightgbm", "spacy"}


@pytest.mark.parametrize(
    ("module", "is_test"),
    [
        ("nutgraf.read.sentences_test", True),
        ("nutgraf.story_test", True),
        ("conftest", True),
        ("nutgraf.select.accurate", False),
        ("nutgraf.evaluate.highlights", False),
        ("nutgraf.testing", False),
    ],
)
def test_lint_imports_leaves_out_exactly_the_test_modules(module: str, is_test: bool) -> None:
    assert is_test_module(module) is is_test


def test_the_cycle_finder_finds_every_cycle_and_only_cycles() -> None:
    edges = {
        "a": ["b"],
        "b": ["c", "d"],
        "c": ["a"],  # a -> b -> c -> a
        "d": ["e"],
        "e": [],
        "f": ["f"],  # a module importing itself
        "g": ["h"],
        "h": ["g", "e"],  # g <-> h
    }
    components = _strongly_connected(sorted(edges), edges)
    cycles = [c for c in components if len(c) > 1 or c[0] in edges[c[0]]]
    assert sorted(cycles) == [["a", "b", "c"], ["f"], ["g", "h"]]
    assert sorted(c for c in components if c not in cycles) == [["d"], ["e"]]
    assert _one_cycle(["a", "b", "c"], edges) == ["a", "b", "c", "a"]
    assert _one_cycle(["f"], edges) == ["f", "f"]
    assert _one_cycle(["g", "h"], edges) == ["g", "h", "g"]


def test_the_cycle_finder_handles_a_long_chain_without_recursion() -> None:
    names = [f"m{i:05d}" for i in range(20_000)]
    edges = {name: [following] for name, following in itertools.pairwise(names)}
    edges[names[-1]] = [names[0]]
    (component,) = _strongly_connected(names, edges)
    assert len(component) == len(names)


def test_the_package_names_its_api_and_submodules_on_first_use() -> None:
    import nutgraf

    assert nutgraf.pipeline.process is nutgraf.process  # a submodule, imported when asked for
    assert nutgraf.Story.__module__ == "nutgraf.story"
    assert set(nutgraf.__all__) <= set(dir(nutgraf))
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        _ = nutgraf.nonexistent
