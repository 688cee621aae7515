"""The packaged models: their names, their files, and loading one once per process.

A model file records its ``kind`` (:attr:`HighlightSelector.kind`), so :func:`load` rebuilds
the class that wrote it. The accurate tier's class is imported only when a file or a name asks
for it, since its module needs the ``[accurate]`` extra; a missing extra is said then, naming
the command that installs it.

>>> type(load_selector()).__name__
'HighlightSelector'
"""

from __future__ import annotations

import json
import zipfile
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from nutgraf.errors import ModelError
from nutgraf.select.selector import FORMAT_VERSION, HighlightSelector

MODELS: dict[str, str] = {"default": "highlights.npz", "accurate": "accurate.npz"}
"""The packaged models by name, and their files under ``nutgraf/models``."""


def _check_model(model: str) -> None:
    if model not in MODELS:
        raise ModelError(f"unknown model {model!r}: choose one of {', '.join(MODELS)}")


def selector_class(model: str) -> type[HighlightSelector]:
    """Look up a model name's selector class; the accurate one checks its extra is installed."""
    _check_model(model)
    if model == "accurate":
        from nutgraf.select.accurate.encoder import require_extra

        require_extra()
        from nutgraf.select.accurate.selector import AccurateSelector

        return AccurateSelector
    return HighlightSelector


def default_model_path(model: str = "default") -> Path:
    """Where a packaged model lives (and where ``nutgraf train --model`` writes by default)."""
    _check_model(model)
    return Path(str(resources.files("nutgraf") / "models" / MODELS[model]))


def load(path: str | Path) -> HighlightSelector:
    """Read a model that :meth:`HighlightSelector.save` wrote, as the class that wrote it."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != FORMAT_VERSION:
                raise ModelError(
                    f"{path}: model format {meta.get('format')} is not"
                    f" {FORMAT_VERSION}; retrain it with `nutgraf train`"
                )
            return selector_class(meta.get("kind", "default")).from_arrays(meta, data)
    except ModelError:
        raise  # already says what is wrong, e.g. which extra to install
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ModelError(
            f"cannot read the model {path}: {error}; rebuild it with `nutgraf train`"
        ) from error


@lru_cache(maxsize=4)
def load_selector(path: str | Path | None = None, *, model: str = "default") -> HighlightSelector:
    """Load the selector saved at ``path``, or the packaged ``model``, once per process."""
    selector_class(model)  # an unknown name or a missing extra is said before a missing file
    target = Path(path) if path is not None else default_model_path(model)
    if not target.is_file():
        raise ModelError(f"no model at {target}: build it with `nutgraf train --model {model}`")
    return load(target)
