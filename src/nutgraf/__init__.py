"""nutgraf: the highlights an editor writes on top of a news story, on a CPU.

>>> import nutgraf
>>> story = nutgraf.highlights(
...     "Heavy rain fell across the city on Monday. The match at the stadium was called off.")
>>> len(story.highlights) >= 1
True

``nutgraf.update(old, new)`` marks what a newer version of a story adds (NEW bullets, changed
figures) and ``nutgraf.track(versions)`` follows a timeline; they live in
:mod:`nutgraf.versions`, not in a module named ``update``, because a submodule and a function
of one name would take turns as ``nutgraf.update`` depending on import order.

The names below are imported on first use (PEP 562), not with the package: the pipeline pulls
in NumPy, LightGBM and the rest, a second and more that ``nutgraf --help`` or a module that needs
only :mod:`nutgraf.errors` should not pay.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nutgraf.errors import NutgrafError
    from nutgraf.pipeline import figures, highlights, process
    from nutgraf.story import Casing, Figure, Highlight, Sentence, Story
    from nutgraf.versions import Update, track, update

_HOMES = {
    "NutgrafError": "nutgraf.errors",
    "figures": "nutgraf.pipeline",
    "highlights": "nutgraf.pipeline",
    "process": "nutgraf.pipeline",
    "Casing": "nutgraf.story",
    "Figure": "nutgraf.story",
    "Highlight": "nutgraf.story",
    "Sentence": "nutgraf.story",
    "Story": "nutgraf.story",
    "Update": "nutgraf.versions",
    "track": "nutgraf.versions",
    "update": "nutgraf.versions",
}

__all__ = [
    "Casing",
    "Figure",
    "Highlight",
    "NutgrafError",
    "Sentence",
    "Story",
    "Update",
    "figures",
    "highlights",
    "process",
    "track",
    "update",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is not None:
        return getattr(import_module(home), name)
    try:  # a submodule, as `nutgraf.pipeline` was once the package imported them all
        return import_module(f"nutgraf.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"nutgraf.{name}":
            raise
    raise AttributeError(f"module 'nutgraf' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
