"""nutgraf: the highlights an editor writes on top of a news story, on a CPU.

>>> import nutgraf
>>> story = nutgraf.highlights("Rain fell on Monday. The match was called off. Fans went home.")
>>> len(story.highlights) >= 1
True
"""

from nutgraf.errors import NutgrafError
from nutgraf.pipeline import highlights, process
from nutgraf.story import Casing, Highlight, Sentence, Story

__all__ = [
    "Casing",
    "Highlight",
    "NutgrafError",
    "Sentence",
    "Story",
    "highlights",
    "process",
]
