"""LightGBM models as nutgraf ships them: one ``.npz`` of JSON and LightGBM's text, no pickle.

The source model (:mod:`nutgraf.claims.sources`) and the compression model
(:mod:`nutgraf.edit.compression`) are each one booster, its feature names and a little JSON;
both are written and read here, so a file of another layout, or no model at all, is refused
the same way, naming the command that retrains it. A text format survives library upgrades,
and loading it runs no code. The highlight selector keeps several boosters and arrays in a
layout of its own (:meth:`nutgraf.select.selector.HighlightSelector.save`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np

from nutgraf.errors import ModelError

FORMAT_VERSION = 1
"""The version of the file layout :func:`save` writes."""


def save(
    path: str | Path,
    booster: lgb.Booster | None,
    features: Sequence[str],
    what: str,
    **parts: object,
) -> None:
    """Write ``booster`` with its ``features`` and each of ``parts`` as JSON to ``path``.

    ``what`` names the model in the error for one not fitted yet.
    """
    if booster is None:
        raise ModelError(f"the {what} is not fitted: nothing to save")
    meta = {"format": FORMAT_VERSION, "features": list(features)}
    np.savez_compressed(
        path,
        allow_pickle=False,
        meta=np.array(json.dumps(meta)),
        booster=np.array(booster.model_to_string()),
        **{name: np.array(json.dumps(part)) for name, part in parts.items()},
    )


def load(
    path: str | Path,
    features: Sequence[str],
    what: str,
    retrain: str,
    parts: Sequence[str] = (),
) -> tuple[lgb.Booster, dict[str, Any]]:
    """Read a model :func:`save` wrote: its booster and its ``parts``, decoded.

    A file of another layout or with other features is refused, saying to run ``retrain``.
    """
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != FORMAT_VERSION or meta.get("features") != list(features):
                raise ModelError(f"{path}: a {what} of another layout; retrain it with `{retrain}`")
            found = {name: json.loads(str(data[name])) for name in parts}
            booster = lgb.Booster(model_str=str(data["booster"]))
    except (OSError, KeyError, ValueError) as error:
        raise ModelError(f"cannot read the {what} {path}: {error}") from error
    return booster, found
