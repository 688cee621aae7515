"""Sentence features: what an editor weighs when picking the lines that carry the news.

Pure functions from a split :class:`~nutgraf.story.Story` to one row of numbers per sentence.
They read words and positions only, so a story costs well under a millisecond and the same
model serves cased text and the lowercased, PTB-tokenized form of the CNN/DailyMail data:
every feature is computed on the ``[a-z0-9]`` words of :func:`nutgraf.read.forms.normal`, the
view both forms share ("wasn't" and "was n't" give the same words).

The families, in the spirit of the feature-based extractors that Lead-3 is hard to beat with
(Kupiec et al. 1995; Nenkova and McKeown 2012):

- position: the inverted pyramid puts the news first; counted over real sentences only, so
  Daily Mail byline fragments do not push the lead down;
- centrality: idf-weighted cosine to the whole story and overlap with its lead, the signal
  behind centroid and graph summarizers;
- form: length, quotes (editors paraphrase quotes rather than lift them), attribution verbs,
  figures, questions;
- story shape: how long the story is, so the model learns how deep the news goes.

Lexical cues (which words make a sentence newsworthy) are learned separately by the
selector from hashed n-grams; see :mod:`nutgraf.select.selector`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from nutgraf import lexicon
from nutgraf.read.forms import normal
from nutgraf.story import Story

# A sentence that opens with a quotation mark (longer marks first, so each is read whole).
_QUOTE_OPEN = re.compile(
    r"^\s*(?:"
    + "|".join(re.escape(q) for q in sorted(lexicon.OPENING_QUOTES, key=lambda q: (-len(q), q)))
    + ")"
)

FEATURE_NAMES: tuple[str, ...] = (
    "position",
    "position_rel",
    "is_fragment",
    "n_words",
    "n_content",
    "centroid_cos",
    "tf_mean",
    "lead_overlap",
    "prev_overlap",
    "opens_quote",
    "quote_marks",
    "attribution",
    "figures",
    "question",
    "doc_sentences",
    "doc_words",
    "idf_mean",
)


def words(text: str) -> list[str]:
    """Return the words of the form-free view: the one tokenization every feature uses."""
    return lexicon.FEATURE_WORD.findall(normal(text))


def featurize(
    story: Story,
    tokens: Sequence[Sequence[str]],
    idf: Mapping[str, float],
    default_idf: float,
) -> NDArray[np.float32]:
    """One row of :data:`FEATURE_NAMES` per sentence of ``story`` (which must be split).

    ``tokens`` holds :func:`words` of each sentence, computed once by the caller, which needs
    them too. ``idf`` maps words to inverse document frequencies learned on the training
    stories; unseen words get ``default_idf``, the rarest value, since rare words mark
    specific news.
    """
    sentences = story.sentences
    n = len(sentences)
    out = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    if n == 0:
        return out
    content = [[w for w in ws if w not in lexicon.STOP_WORDS] for ws in tokens]
    doc_tf: Counter[str] = Counter()
    for bag in content:
        doc_tf.update(bag)
    weight = {w: c * idf.get(w, default_idf) for w, c in doc_tf.items()}
    doc_norm = math.sqrt(sum(v * v for v in weight.values())) or 1.0
    n_real = sum(1 for s in sentences if s.position >= 0) or 1
    lead = next((set(c) for s, c in zip(sentences, content, strict=True) if s.position >= 0), set())
    doc_words = sum(len(ws) for ws in tokens)
    seen: set[str] = set()
    for i, (sentence, ws, cs) in enumerate(zip(sentences, tokens, content, strict=True)):
        row = out[i]
        fragment = sentence.position < 0
        position = sentence.position if not fragment else n_real
        counts = Counter(cs)
        dot = sum(c * idf.get(w, default_idf) * weight[w] for w, c in counts.items())
        norm = math.sqrt(sum((c * idf.get(w, default_idf)) ** 2 for w, c in counts.items()))
        unique = set(cs)
        row[0] = min(position, 50)
        row[1] = position / n_real
        row[2] = fragment
        row[3] = len(ws)
        row[4] = len(cs)
        row[5] = dot / (norm * doc_norm) if norm else 0.0
        row[6] = sum(doc_tf[w] for w in cs) / len(cs) if cs else 0.0
        row[7] = len(unique & lead) / len(unique) if unique else 0.0
        row[8] = len(unique & seen) / len(unique) if unique else 0.0
        row[9] = bool(_QUOTE_OPEN.match(sentence.text))
        row[10] = len(lexicon.DOUBLE_QUOTE_MARK.findall(sentence.text))
        row[11] = sum(1 for w in ws if w in lexicon.ATTRIBUTION_WORDS)
        row[12] = sum(1 for w in ws if w[0].isdigit())
        row[13] = sentence.text.rstrip(" " + lexicon.CLOSING_QUOTE_CHARS).endswith("?")
        row[14] = n_real
        row[15] = doc_words
        row[16] = sum(idf.get(w, default_idf) for w in cs) / len(cs) if cs else 0.0
        seen |= unique
    return out
