r"""Which bullets open with a pronoun they cannot resolve: "He said ...", "They ...", "This is ...".

A bullet stands alone under a headline, so an opening that points back at a sentence the reader
does not see leaves the reader guessing. :func:`opening_pronoun` is the definition the editing
stage repairs against (:mod:`nutgraf.edit.bullets`) and the evaluation counts
(:mod:`nutgraf.evaluate.highlights`). The words are regular expressions over the text, which
read both forms of the data alike (cased text and the lowercased PTB tokens).
"""

from __future__ import annotations

import re

from nutgraf import lexicon
from nutgraf.edit.cuts import MARKER, NEWS_OPENING

# Openings skipped before the first word: quotes, brackets, dashes, in both forms of the data.
_OPENING = re.compile(rf"(?:\s+|``|''|-lrb-|--|[{lexicon.QUOTE_CHARS}`(\[—–-])*", re.IGNORECASE)

# The expletive "it" (dummy subject) of news prose. A pattern here reads the words after "it",
# lowercased and with the tokenized form's spaces before clitics removed.
_AUX = (
    r"(?:(?:'s|'d|is|was|has|had|have|will|would|could|may|might|can|must|should|does|did|"
    r"be|been|being)(?:n't)?\s+(?:(?:not|also|still|now|already|perhaps|certainly|probably|"
    r"widely|generally|thus|just|only|hardly|really|quite|so|too|very|rather|increasingly|"
    r"almost|surely|always|never|often|since|long|previously)\s+)*)*"
)
_PASSIVE = (
    r"(?:understood|thought|believed|alleged|claimed|reported|said|feared|expected|estimated|"
    r"hoped|known|rumou?red|suggested|confirmed|announced|revealed|argued|assumed|accepted|"
    r"agreed|noted|recogni[sz]ed|acknowledged|anticipated|predicted|speculated)\b"
)
_RAISING = (
    r"(?:emerged|transpired|seems|seemed|appears|appeared|follows|turns out|turned out|"
    r"looks like|looks as if|looks as though|looked like|goes without saying|"
    r"remains to be seen|remains unclear)\b"
)
_JUDGED = (
    r"(?:clear|unclear|true|possible|impossible|important|essential|vital|necessary|obvious|"
    r"evident|certain|uncertain|likely|unlikely|fair|hard|difficult|easy|tough|tempting|"
    r"inconceivable|staggering|entertaining|fitting|worth|safe|strange|odd|remarkable|"
    r"surprising|ironic|interesting|incredible|amazing|sad|tragic|unusual|rare|common|"
    r"understandable|unthinkable|good|bad|wrong|right|better|best|worse|great|wonderful|"
    r"terrible|shocking|crucial|critical|unfair|illegal|legal|official|time|high time|"
    r"too early|too late|no secret|no surprise|no wonder|no coincidence|no exaggeration|"
    r"a shame|a pity|a miracle|a mystery|a wonder|a surprise|a relief)\b"
)
_DURATION = rf"(?:{lexicon.DURATIONS})\b"
_COMPLEMENT = (
    r"(?:[\s,]+[^\s,]+){0,4}?[\s,]+(?:that|to|whether|if|how|why|what|when|where|who|for)\b"
)
_EXPLETIVE_IT = re.compile(
    "|".join(
        [
            # "it is understood ...", "it has emerged that ...", "it seems ..." (not "it was
            # said to be" or "it seems to work", where "it" is a thing, nor "it said", where it
            # is a company)
            rf"{_AUX}(?<=\s)(?:{_PASSIVE})(?!\s+to\b)",
            rf"{_AUX}{_RAISING}(?!\s+to\b)",
            # "it is clear that ...", "it's fair to say ...", "it's no secret that ..."
            rf"{_AUX}{_JUDGED}{_COMPLEMENT}",
            # clefts: "it was the manager who ...", "it is the first time ..."
            r"(?:'s|is|was|will be)\s+(?:not\s+)?(?:\S+\s+){1,6}?who\b",
            r"(?:'s|is|was|will be)\s+(?:not\s+)?(?:the\s+)?(?:first|second|third|fourth|"
            r"fifth|sixth|seventh|eighth|ninth|tenth|last|only|latest|\d+(?:st|nd|rd|th))\s+time\b",
            # durations: "it has been 20 years since ...", "it took three hours for ..."
            rf"{_AUX}(?<=\s)(?:\S+\s+){{0,5}}?{_DURATION}\W*(?:\s+\S+){{0,3}}?\s+(?:since|ago|before|until)\b",
            r"(?:took|takes|will take|would take)\s+(?!place\b)(?:\S+\s+){1,6}?(?:for|to)\b",
            # clock and weather: "it was 9:35 ...", "it was raining"
            r"(?:'s|is|was)\s+(?:\d|mid-|midnight|noon|dawn|dusk|raining|snowing|pouring|"
            r"freezing|dark\b|cold\b|hot\b|sunny\b)",
        ]
    )
)
# Clitics of the tokenized form ("it 's", "is n't") joined back as cased text writes them.
_CLITIC = re.compile(rf"\s+(?=(?:{'|'.join(lexicon.CLITICS)})\b)")

# A quotation's closing mark and the words after it, for "'I was scared,' said Smith."
_QUOTE_END = re.compile(rf"[,.!?]\s*(?:''|[{lexicon.CLOSING_QUOTE_CHARS}])\s*(?P<after>.*)$")


def opening_pronoun(text: str) -> str | None:
    """Return the pronoun a bullet opens with when the bullet cannot resolve it, else ``None``.

    The opening word is the first word after any quotes, brackets or dashes and after any
    leading discourse marker ("But he said ..." opens with "he", as the editing here would
    leave it). It counts when it is a personal, possessive or demonstrative pronoun
    (:data:`nutgraf.lexicon.OPENING_PRONOUNS`) written as a word, not as an acronym ("IT"),
    except where the word points at nothing outside the bullet:

    * "it" as a dummy subject: "It is understood that ...", "It is clear that ...", "It was the
      manager who ...", "It is the first time ...", "It has been 20 years since ...", "It took
      three hours for ...", "It was 9:35 ...". Any other "it" counts: "It is a unique
      privilege" and "It comes as ..." lean on the sentence before.
    * "this", "that", "these", "those" before a calendar word ("This week ..."), which the
      story's date resolves, and "that" opening a clause ("That the deal failed ..."). "This
      is ..." and "This latest attack ..." count: "this" stands for what came before.
    * "I", "we", "you" and their forms inside an opening quotation that the bullet credits to
      a named speaker ("'I was scared,' said Smith.").

    "There is" is not a pronoun at all. The dummy "it" is told by its pattern, not parsed, so a
    rare dummy the patterns miss counts as unresolved: the measure errs towards strictness.
    Both casings read the same:

    >>> opening_pronoun("He said the talks failed.")
    'he'
    >>> opening_pronoun("but , meanwhile , they left .")
    'they'
    >>> opening_pronoun("it 's fair to say the plan failed .") is None
    True
    >>> opening_pronoun("'I was scared,' said Smith.") is None
    True
    >>> opening_pronoun("This week the talks failed.") is None
    True
    """
    start = 0
    while True:
        opening = _OPENING.match(text, start)
        start = opening.end() if opening else start
        lead = MARKER.match(text, start) or NEWS_OPENING.match(text, start)
        if lead is None:
            break
        start = lead.end()
    word = lexicon.ASCII_WORD.match(text, start)
    if word is None or (len(word.group()) > 1 and word.group().isupper()):
        return None
    pronoun = word.group().lower()
    if pronoun not in lexicon.OPENING_PRONOUNS:
        return None
    rest = _CLITIC.sub("", text[word.end() :].lower().replace("’", "'")).strip()
    following = rest.split(maxsplit=1)[0] if rest else ""
    if pronoun == "it" and _EXPLETIVE_IT.match(rest):
        return None
    if pronoun in lexicon.DEMONSTRATIVES and following.strip(",") in lexicon.CALENDAR_NOUNS:
        return None
    if pronoun == "that" and following in lexicon.CLAUSE_STARTS:
        return None
    quoted = any(mark in text[:start] for mark in lexicon.OPENING_QUOTE_CHARS + "`")
    if pronoun in lexicon.FIRST_PERSON and quoted and _speaker_named(text[start:]):
        return None
    return pronoun


def _speaker_named(quotation: str) -> bool:
    """Whether a quotation is credited, right after it closes, to a speaker who is not a pronoun.

    >>> _speaker_named("I was scared,' said Smith.")
    True
    >>> _speaker_named("I was scared , '' he said .")
    False
    """
    close = _QUOTE_END.search(quotation)
    if close is None:
        return False
    words = [w.lower() for w in lexicon.ASCII_WORD.findall(close.group("after"))[:2]]
    if words and words[0] in lexicon.SPEECH_VERBS:
        words = words[1:]
    return (
        bool(words)
        and words[0] not in lexicon.OPENING_PRONOUNS
        and words[0] not in lexicon.SPEECH_VERBS
    )
