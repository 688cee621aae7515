r"""Tell the language a story is written in, so that nutgraf refuses what it cannot read.

nutgraf's model, splitter, word lists and spaCy pipeline are English; a story in another
language still gets bullets, and they are noise with nothing to say so. :func:`detect` names
the language with py3langid (Lui and Baldwin 2012's langid.py, a naive Bayes classifier over
byte n-grams of 97 languages and more, with its model inside the package, so nothing is
downloaded): deterministic, and about 0.3 ms for the :data:`SAMPLE_CHARS` characters it reads
(a tenth of what the default model takes to choose a story's sentences, a fiftieth of a story's
figures).

**Asking only when in doubt.** A sample of :data:`MIN_MARKED_WORDS` words or more of which
:data:`MIN_MARKER_SHARE` are :data:`~nutgraf.lexicon.ENGLISH_MARKERS` ("the", "of", "said",
"which") is English, and py3langid is not asked: loading its model takes a third of a second,
the longest wait of a one-story command. 98% of the CNN/DailyMail validation stories pass
this way (the median share is 0.17); the example sentences spaCy ships for 66 other languages,
and the benchmark's saved pages in 8 other languages, have none of these words at all.

**Reading little, refusing late.** Only the first :data:`SAMPLE_CHARS` characters are read,
which keeps a batch's cost per story flat whatever the story's length (on the 5,363
CNN/DailyMail validation stories, cased and lowercased-tokenized alike, English's probability
is at least 0.67 on that much). A sample of fewer than :data:`MIN_LETTERS` letters gets no
verdict: on a sentence or two, names decide the guess ("Bayern München beat Borussia Dortmund
2-1." reads as German). Above it, a story is refused only when English is all but ruled out
(probability under :data:`MAX_ENGLISH`, with py3langid's length-calibrated probabilities), so a
story of English quoting another language, or of many foreign names, is read.

>>> detect("Rain fell on Monday.") is None
True
>>> detect("Die Regierung hat am Montag beschlossen, die Steuern für alle Bürger zu senken. "
...        "Der Finanzminister sagte, das Land könne sich das leisten.").code
'de'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from nutgraf import lexicon

__all__ = [
    "MAX_ENGLISH",
    "MIN_LETTERS",
    "MIN_MARKED_WORDS",
    "MIN_MARKER_SHARE",
    "SAMPLE_CHARS",
    "Language",
    "detect",
    "foreign",
]

SAMPLE_CHARS = 600
"""How many characters of the story are read to tell its language."""

MIN_LETTERS = 100
"""The fewest letters of a sample on which a language is named."""

MIN_MARKED_WORDS = 60
"""The fewest words of a sample on which its share of English markers decides."""

MIN_MARKER_SHARE = 0.10
"""The share of :data:`~nutgraf.lexicon.ENGLISH_MARKERS` among a sample's words that makes it
English: 98% of English news stories have more, text in another language none."""

MAX_ENGLISH = 0.05
"""English's probability under which a story is taken to be in another language."""

ENGLISH = "en"

_WORD = re.compile(r"[^\W\d_]+")

_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian", "bg": "Bulgarian",
    "bn": "Bengali", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "ga": "Irish", "gl": "Galician", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "ja": "Japanese", "jv": "Javanese", "ka": "Georgian",
    "kk": "Kazakh", "km": "Khmer", "kn": "Kannada", "ko": "Korean", "la": "Latin",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam",
    "mn": "Mongolian", "mr": "Marathi", "ms": "Malay", "mt": "Maltese", "my": "Burmese",
    "ne": "Nepali", "nl": "Dutch", "nn": "Norwegian Nynorsk", "no": "Norwegian",
    "pa": "Punjabi", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "so": "Somali",
    "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil",
    "te": "Telugu", "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "zh": "Chinese", "yue": "Cantonese",
}  # fmt: skip
"""English names of the languages news is most often written in; others go by their code."""


@dataclass(frozen=True, slots=True)
class Language:
    """A language found: its ISO 639 code, its English name, and English's probability."""

    code: str
    name: str
    english: float


def detect(text: str) -> Language | None:
    """Name the most probable language of ``text``'s start; ``None`` on too little text."""
    sample = text[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    ranked = _identifier().rank(sample)
    code = str(ranked[0][0])
    english = next((float(p) for lang, p in ranked if lang == ENGLISH), 0.0)
    return Language(code, _NAMES.get(code, f"language {code!r}"), english)


def foreign(text: str) -> Language | None:
    """Return the language ``text`` is in when it is surely not English, else ``None``.

    >>> foreign("Rain fell on Monday across the north. At least 40 homes were flooded, "
    ...         "officials said, and roads were closed for the rest of the week.") is None
    True
    """
    if _plainly_english(text[:SAMPLE_CHARS]):
        return None
    found = detect(text)
    if found is None or found.code == ENGLISH or found.english >= MAX_ENGLISH:
        return None
    return found


def _plainly_english(sample: str) -> bool:
    words = _WORD.findall(sample.lower())
    markers = sum(word in lexicon.ENGLISH_MARKERS for word in words)
    return len(words) >= MIN_MARKED_WORDS and markers >= MIN_MARKER_SHARE * len(words)


@cache
def _identifier() -> Any:
    """Load py3langid's model once per process (half a second), on first use."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
