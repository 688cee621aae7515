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
"""

from nutgraf.errors import NutgrafError
from nutgraf.pipeline import figures, highlights, process
from nutgraf.story import Casing, Figure, Highlight, Sentence, Story
from nutgraf.versions import Update, track, update

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
