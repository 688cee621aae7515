r"""The two written forms of a story, and the one view of its words that both share.

Users give cased text; the CNN/DailyMail data nutgraf learns from is mostly in See et al.
(2017)'s lowercased, PTB-tokenized form ("the 25 - year - old said he was n't there ."). A
story must get the same highlights in either form, so:

- :func:`normal` is the view every learned feature reads: lowercased, PTB bracket tokens
  turned back into brackets and clitics joined to their word, so "wasn't" and "was n't" give
  the same words;
- :func:`tokenize` and :func:`detokenize` turn a story into the other form, so that training
  sees both forms of every story (:mod:`nutgraf.select.train`) and a bench can check that the
  forms get the same sentences (``bench/forms.py``). :func:`tokenize` uses spaCy's English
  tokenizer rules, whose splits (punctuation, clitics, hyphens within words) are PTB's.

>>> normal("He wasn't there -lrb- he said -rrb- .")
"he wasn't there ( he said ) ."
>>> normal("the 25 - year - old said he was n't there .") == normal(
...     "The 25-year-old said he wasn't there.").replace("-", " - ").replace(".", " .")
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from nutgraf import lexicon
from nutgraf.read.sentences import split_text

if TYPE_CHECKING:
    from spacy.language import Language

# A clitic the tokenized form writes apart ("was n't", "it 's"), to join to its word.
_APART_CLITIC = re.compile(
    r" (" + "|".join(re.escape(c) for c in lexicon.CLITICS) + r")(?![a-z0-9])"
)
_PTB_TOKEN = re.compile("|".join(re.escape(t) for t in lexicon.PTB_BRACKETS))
# Marks written against the word before them, and those written against the word after.
_CLOSE_UP = re.compile(r" ([,.?!;:%)\]}]|\.\.\.)(?= |$|['\"\u2019\u201d])")
_OPEN_UP = re.compile(r"(^| )([(\[{$#]) ")
_GLUED_BRACKET = re.compile(r"\)(?=\w)")
# Quotation marks by kind: a straight mark closes the open quotation of its kind.
_QUOTE_KIND = dict.fromkeys('"\u201c\u201d', "double") | dict.fromkeys("'\u2018\u2019", "single")
_HYPHEN = re.compile(r"(?<=[a-z0-9]) - (?=[a-z0-9])")


def normal(text: str) -> str:
    """Return the form-free view of ``text``: lowercased, brackets as brackets, clitics joined.

    PTB also writes "cannot" apart; it is joined back.
    """
    lowered = _PTB_TOKEN.sub(lambda m: lexicon.PTB_BRACKETS[m.group()], text.lower())
    return _APART_CLITIC.sub(r"\1", lowered).replace("can not", "cannot")


def tokenize(text: str) -> str:
    """``text`` in the lowercased, space-tokenized form of the CNN/DailyMail data.

    Paragraph breaks become spaces, as in the data, whose stories are one line each. A closing
    bracket glued to the next word, as in CNN's "(CNN)Share", is set apart first: spaCy keeps
    it on the word. As PTB's tokenizer does, a sentence that ends in an abbreviation gets a
    period token of its own ("at 10 a.m. ."); nutgraf's cased splitter says where they end.
    """
    spaced = _GLUED_BRACKET.sub(") ", text)
    out: list[str] = []
    done = 0
    for start, end in split_text(spaced):
        out.extend(_tokens(spaced[done:start]))  # what the splitter passed over: a dateline
        words = _tokens(spaced[start:end])
        if words and words[-1].endswith(".") and words[-1][0].isalpha():
            words.append(".")  # PTB's own period after a sentence-final "a.m." or "U.S."
        out.extend(words)
        done = end
    out.extend(_tokens(spaced[done:]))
    return " ".join(out)


def _tokens(text: str) -> list[str]:
    return [token.text.lower() for token in _english().tokenizer(text) if not token.is_space]


def detokenize(text: str) -> str:
    """Tokenized ``text`` spaced as ordinary prose, still lowercased (its casing is lost).

    Punctuation is closed up to its word, clitics joined, PTB tokens turned back into the marks
    they stand for and hyphens within a word joined ("25 - year - old" is "25-year-old"). Double
    quotes are closed up on the side away from the words they enclose.
    """
    out = normal(text).replace("``", '"').replace("''", '"')
    out = _close_quotes(_OPEN_UP.sub(r"\1\2", out))
    return _HYPHEN.sub("-", _CLOSE_UP.sub(r"\1", out))


def _close_quotes(text: str) -> str:
    """Close standalone quotation marks up to what they enclose: ``' a b '`` is ``'a b'``.

    Curly marks show their side. A straight one closes the open quotation of its kind, else
    opens one; but a straight single mark right after a word in -s closes up to it whatever
    is open, since it is as often a plural's apostrophe ("the players ' wives").
    """
    out: list[str] = []
    glue_next = False
    open_kinds: set[str] = set()
    for token in text.split(" "):
        kind = _QUOTE_KIND.get(token)
        after_plural = bool(out) and out[-1].endswith("s") and not glue_next
        closing = kind is not None and (
            token in lexicon.CLOSING_CURLY_QUOTES
            or (token not in lexicon.OPENING_CURLY_QUOTES and kind in open_kinds)
            or (token == "'" and after_plural)
        )
        if closing and out and not glue_next:
            open_kinds.discard(str(kind))
            out[-1] += token
            continue
        if kind is not None:
            open_kinds.add(kind)
        out.append(out.pop() + token if glue_next and out else token)
        glue_next = kind is not None and not closing
    return " ".join(out)


@lru_cache(maxsize=1)
def _english() -> Language:
    import spacy  # imported here: only training and benches change a story's form

    language = spacy.blank("en")
    # PTB keeps the abbreviations of news ("No. 1", "Det. Smith") whole, where spaCy's rules
    # split the period off some of them; the splitter's tables list them.
    for word in sorted(lexicon.NEVER_FINAL | lexicon.MAY_BE_FINAL):
        special = [{"ORTH": f"{word}."}]
        language.tokenizer.add_special_case(f"{word}.", special)  # type: ignore[union-attr]
    return language
