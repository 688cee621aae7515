r"""Bullets in the editors' style: each chosen sentence cut as an editor cuts it, never reworded.

The selector lifts whole sentences; editors write shorter bullets that stand on their own. This
stage, run on every story right after the selector (:func:`edit`), rewrites each bullet in
place, and no edit adds a fact or changes one:

* **Compression** drops what carries no news: a leading discourse marker ("Meanwhile,",
  "However,", "But", "And", "Also,"...), a photo reference such as "(pictured)", "(left)" or
  ", pictured in 2006,", the Daily Mail's ", MailOnline can reveal" and ", it has emerged" at
  the end, and "It has emerged that" at the start. A trailing ", according to X." becomes
  ", X says." with X kept whole, so the bullet keeps its attribution.
* **Pronouns.** A bullet that opens with a pronoun its own words cannot resolve (see
  :func:`opening_pronoun`) is repaired. "He"/"She" becomes the person's name and "His"/"Her"
  the name's possessive when the sentence before (past any that go on about the same person
  unnamed) names exactly one person, as its leading subject, and nothing in the story says the
  pronoun could be someone else. Otherwise the selector chooses otherwise: it picks its best
  set again without that sentence (:class:`Chooser`), so the story keeps a balanced set of
  bullets rather than a one-for-one stand-in. Attribution stays: "..., an opposition group
  says" is kept, never cut.

Provenance. :attr:`Highlight.sentences` stays the sentence the bullet states, so figures and
sources are still looked up there; :attr:`Highlight.spans` are the ranges of
:attr:`Story.text` the bullet's words come from, in the bullet's order: several per sentence
once pieces are cut, and, first, the range of the name that replaced a pronoun, which lies in
an earlier sentence. Between spans a bullet holds nothing but these inserted strings: `` says``
or `` say`` after a moved source, and a possessive after a name (``'s``, or ``'`` after an
s; `` 's`` and `` '`` in the tokenized form). The first letter of a cased bullet whose opening
was cut is upper-cased. :func:`compress` returns the pieces, :func:`pieces_of` the text.

Speed. nutgraf chooses sentences at hundreds of stories a second per core, so this stage must
cost well under a millisecond a story (it costs about 0.4 ms on the validation set, most of it
choosing again). Compression is compiled regular expressions over the sentence text, which
read both forms of the data (cased text, and the lowercased PTB tokens with ``-lrb-``,
`````` and ``''``): the rules look at words and punctuation, not at case. Only a pronoun to
resolve needs a model, spaCy's parser and entity recognizer over the one sentence that should
name the person, for the 1-2% of bullets that open with "he", "she", "his" or "her"; all of a
call's go through :meth:`spacy.language.Language.pipe` in one batch, with the tagger and
lemmatizer off. Choosing again reuses the selector's sentence scores. spaCy's small model finds
fewer names in lowercased text, so there more of these bullets are chosen otherwise than
resolved; both keep the bullet true.

>>> text = "Meanwhile, at least 80 people died, according to the group."
>>> story = Story(text, sentences=[Sentence(0, text, 0, len(text), 0)])
>>> pieces = compress(story, story.sentences[0])
>>> pieces
[(11, 36), (49, 58), ' says', (58, 59)]
>>> pieces_of(story, pieces)
'At least 80 people died, the group says.'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from nutgraf import nlp
from nutgraf.story import Casing, Highlight, Sentence, Story

if TYPE_CHECKING:
    from spacy.tokens import Doc

Piece = tuple[int, int] | str
"""A piece of a bullet: a ``(start, end)`` range of :attr:`Story.text`, or an inserted string."""

CONTEXT_SENTENCES = 3
"""How far before a bullet the sentence naming its pronoun's person may lie."""
ROUNDS = 3
"""How many times a story may be chosen again before every pronoun opening is blocked."""

# -- the definition of an unresolved opening --------------------------------------------------

PRONOUNS = frozenset(
    """he she him his her hers they them their theirs it its we our ours i me my mine
    you your yours this that these those""".split()
)
"""Words that, opening a bullet, point at something the bullet may not name. "Us" is left out:
it cannot open a sentence as a pronoun, and opens many as a name ("Us Weekly", "US troops")."""

_FIRST_PERSON = frozenset("i me my mine we our ours you your yours".split())

# Openings skipped before the first word: quotes, brackets, dashes, in both forms of the data.
_OPENING = re.compile(r"(?:\s+|``|''|-lrb-|--|[\"'“”‘’`(\[—–-])*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")

# "This week" and its kin point at the story's date, which every news reader has.
_TIME_NOUNS = frozenset(
    """week weekend month year season summer winter spring autumn morning afternoon evening
    term century decade christmas easter""".split()
)
# "That the ..." opens a subject clause: that is a conjunction there, not a pronoun.
_CLAUSE_STARTS = frozenset("the a an he she they it we i his her their its this these".split())

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
_DURATION = (
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies)|a while|long)\b"
)
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
_CLITIC = re.compile(r"\s+(?=(?:'s|'d|'re|'ve|'ll|'m|n't)\b)")

# A quotation's closing mark and the words after it, for "'I was scared,' said Smith."
_QUOTE_END = re.compile(r"[,.!?]\s*(?:''|[\"”'’])\s*(?P<after>.*)$")
_SPEECH_VERBS = frozenset(
    """said says told added explained admitted insisted claimed revealed wrote tweeted
    continued recalled warned declared agreed replied asked according""".split()
)


def opening_pronoun(text: str) -> str | None:
    """Return the pronoun a bullet opens with when the bullet cannot resolve it, else ``None``.

    The opening word is the first word after any quotes, brackets or dashes and after any
    leading discourse marker ("But he said ..." opens with "he", as the editing here would
    leave it). It counts when it is a personal, possessive or demonstrative pronoun
    (:data:`PRONOUNS`) written as a word, not as an acronym ("IT"), except where the word
    points at nothing outside the bullet:

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
        lead = _MARKER.match(text, start) or _NEWS_OPENING.match(text, start)
        if lead is None:
            break
        start = lead.end()
    word = _WORD.match(text, start)
    if word is None or (len(word.group()) > 1 and word.group().isupper()):
        return None
    pronoun = word.group().lower()
    if pronoun not in PRONOUNS:
        return None
    rest = _CLITIC.sub("", text[word.end() :].lower().replace("’", "'")).strip()
    following = rest.split(maxsplit=1)[0] if rest else ""
    if pronoun == "it" and _EXPLETIVE_IT.match(rest):
        return None
    if pronoun in {"this", "that", "these", "those"} and following.strip(",") in _TIME_NOUNS:
        return None
    if pronoun == "that" and following in _CLAUSE_STARTS:
        return None
    quoted = any(mark in text[:start] for mark in "\"'“‘`")
    if pronoun in _FIRST_PERSON and quoted and _speaker_named(text[start:]):
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
    words = [w.lower() for w in _WORD.findall(close.group("after"))[:2]]
    if words and words[0] in _SPEECH_VERBS:
        words = words[1:]
    return bool(words) and words[0] not in PRONOUNS and words[0] not in _SPEECH_VERBS


# -- compression ------------------------------------------------------------------------------

_MARKER = re.compile(
    r"(?:(?:meanwhile|however|but|and|also|still|moreover|furthermore|additionally|indeed|"
    r"nevertheless|nonetheless|instead|besides|likewise|similarly|separately|elsewhere|"
    r"incidentally|interestingly|ironically|crucially|significantly|notably|sadly|tragically|"
    r"unfortunately|fortunately|luckily|thankfully|incredibly|amazingly|remarkably|"
    r"surprisingly|bizarrely|astonishingly|curiously|so|well|anyway|in addition|in fact|"
    r"of course|on the other hand)\s*,|(?:but|and|meanwhile)\b(?!\s*[,.;:!?]))\s*",
    re.IGNORECASE,
)
_WHEN_EMERGED = (
    r"(?:\s+(?:today|tonight|yesterday|last\s+night|this\s+(?:week|morning|afternoon|evening)|"
    r"last\s+week|on\s+\w+day))?"
)
_MAIL = (
    r"(?:mailonline|daily\s*mail\s+online|the\s+mail\s+on\s+sunday|the\s+daily\s+mail|the\s+mail|"
    r"sportsmail|this\s+newspaper)\s+can\s+(?:now\s+|today\s+|exclusively\s+)?reveal"
)
_EMERGED = (
    rf"it\s+(?:has\s+|had\s+)?(?:now\s+|since\s+|also\s+)?emerged{_WHEN_EMERGED}|"
    r"it\s+can\s+(?:now\s+)?be\s+revealed|it\s+has\s+been\s+revealed"
)
_NEWS_OPENING = re.compile(rf"(?:{_EMERGED}|{_MAIL}){_WHEN_EMERGED}\s+that\s+", re.IGNORECASE)
_NEWS_CLOSING = re.compile(rf"\s*,\s*(?:{_EMERGED}|{_MAIL})\s*(?=[.!?]\s*$)", re.IGNORECASE)
# ", pictured in 2006," between commas goes with both of them. Before the full stop only a bare
# ", pictured (left)." goes: in "Smith, pictured shaking hands." the words are the sentence.
_PICTURED = re.compile(
    r"\s*,\s*pictured\b(?:[^,.;:!?\"“”`']{0,60}?\s*,(?=\s)"
    r"|(?:\s+(?:here|above|below|left|right|centre|center))?(?=\s*[.!?]\s*$))",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"\s*(?:\(|-lrb-)\s*(?P<body>[^()]{1,60}?)\s*(?:\)|-rrb-)", re.IGNORECASE)
_PHOTO = re.compile(
    r"(?:pictured|photographed|shown|circled|inset|file\s+(?:photo|picture|image)|"
    r"stock\s+(?:photo|picture|image))\b.*"
    r"|(?:(?:top|bottom|far|second|third|from|centre|center|middle|front|back|main|above|"
    r"below|and|to|-|,)\s*)*(?:left|right|centre|center|above|below|top|bottom|middle|"
    r"main|inset)",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r",\s+(?P<cut>according\s+to\s+)(?P<source>(?:(?!``|'')[^\"“”])+?)\s*[.!?]\s*$",
    re.IGNORECASE,
)
_NOT_A_SOURCE = re.compile(
    r"\b(?:according|who|whom|which|that|where|when|while|whose|because|after|before|since|"
    r"although|though|if|unless|said|says|say|told|is|are|was|were|has|have|had|will|would|"
    r"could|can|may|might)\b",
    re.IGNORECASE,
)
_PLURAL_SOURCES = frozenset(
    """police officials authorities reports witnesses sources experts researchers scientists
    doctors investigators prosecutors residents activists figures statistics estimates records
    documents analysts people friends relatives neighbours neighbors organisers organizers
    campaigners rebels militants medics paramedics rescuers firefighters troops forces
    officers staff students locals parents teachers lawyers attorneys historians economists
    polls surveys studies papers filings results findings tests emails messages accounts
    members supporters fans critics insiders aides diplomats ministers lawmakers legislators
    guidelines numbers""".split()
)
_DETERMINERS = frozenset(
    """the these those some many several both all most its his her their our two three four
    five six seven eight nine ten dozens hundreds thousands""".split()
)
_APPOSITIVE_STARTS = frozenset("a an the its his her their one another".split())
_SINGULAR_S = frozenset("times news reuters states us".split())
_PREPOSITIONS = frozenset("of from for in at on with by to near inside".split())
_MIN_WORDS = 4
"""A cut that would leave fewer words than this is not made: the sentence stays whole."""


def _source_verb(source: str) -> str:
    """``say`` or ``says``: agree with the source's head noun, that of its last appositive.

    >>> _source_verb("the Local Coordination Committees of Syria, an opposition group")
    'says'
    >>> _source_verb("police and witnesses"), _source_verb("figures from the ministry")
    ('say', 'say')
    """
    segment = [s for s in re.split(r"\s*,\s*", source.lower()) if s][-1].split()
    head = segment
    for at, word in enumerate(segment):
        if word in _PREPOSITIONS and at:
            head = segment[:at]
            break
    noun = head[-1].rstrip(".")
    plural = (
        "and" in head
        or noun in _PLURAL_SOURCES
        or (
            head[0] in _DETERMINERS
            and len(head) > 1
            and noun.endswith("s")
            and not noun.endswith(("ss", "us", "is", "'s", "’s"))
            and noun not in _SINGULAR_S
        )
    )
    return "say" if plural else "says"


def compress(story: Story, sentence: Sentence) -> list[Piece]:
    """Cut one sentence as an editor would; return the bullet's pieces (see :data:`Piece`).

    Every rule is a regular expression over the sentence's text, so the cost is a few
    microseconds a sentence. A rule applies only where it is safe: the cut leaves at least
    :data:`_MIN_WORDS` words, and a source moved to "X says" holds no clause of its own (no
    "who", "which", "said"...), so the verb added never attaches to the wrong subject.
    """
    text = sentence.text
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in sentence offsets
    start = 0
    while found := _MARKER.match(text, start) or _NEWS_OPENING.match(text, start):
        start = found.end()
    if start:
        edits.append((0, start, ""))
    closing = _NEWS_CLOSING.search(text)
    according = _ACCORDING.search(text)
    if closing is not None:
        edits.append((closing.start(), closing.end(), ""))
    elif according is not None and _movable(according.group("source")):
        source_end = according.end("source")
        edits.append((according.start("cut"), according.start("source"), ""))
        edits.append((source_end, source_end, " " + _source_verb(according.group("source"))))
    edits += [
        (found.start(), found.end(), "")
        for found in _BRACKETS.finditer(text)
        if _PHOTO.fullmatch(found.group("body").strip())
    ]
    edits += [(found.start(), found.end(), "") for found in _PICTURED.finditer(text)]
    return _apply(sentence, _without_overlaps(edits, text))


def _movable(source: str) -> bool:
    """Whether "according to ``source``" can become "``source`` says": a noun phrase alone.

    It holds no verb or clause word, and what follows a comma is an appositive ("the LCC, an
    opposition group"), not the sentence going on ("Richter, and held at the jail").
    """
    appositives = [part.lower().split() or [""] for part in source.split(",")[1:]]
    return (
        0 < len(source.split()) <= 16
        and _NOT_A_SOURCE.search(source) is None
        and all(len(a) <= 8 and a[0] in _APPOSITIVE_STARTS for a in appositives)
    )


def _without_overlaps(edits: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """Keep the edits in order of position, dropping any that overlaps one already kept."""
    kept: list[tuple[int, int, str]] = []
    for edit_ in sorted(edits, key=lambda e: (e[0], e[1] - e[0])):
        if kept and edit_[0] < kept[-1][1]:
            continue
        kept.append(edit_)
    removed = sum(len(text[a:b].split()) for a, b, _ in kept)
    return kept if len(text.split()) - removed >= _MIN_WORDS else []


def _apply(sentence: Sentence, edits: list[tuple[int, int, str]]) -> list[Piece]:
    """Turn edits of a sentence into pieces in story offsets."""
    pieces: list[Piece] = []
    at = 0
    for start, end, insert in edits:
        if start > at:
            pieces.append((sentence.start + at, sentence.start + start))
        if insert:
            pieces.append(insert)
        at = max(at, end)
    if at < len(sentence.text):
        pieces.append((sentence.start + at, sentence.end))
    return pieces


def pieces_of(story: Story, pieces: Sequence[Piece]) -> str:
    """Render pieces as bullet text: spans read from the story, inserted strings as they are.

    A cased bullet whose first span does not start its sentence (a marker was cut, a pronoun
    replaced) gets its first letter upper-cased, as a sentence's first word is written.
    """
    text = "".join(story.text[p[0] : p[1]] if isinstance(p, tuple) else p for p in pieces)
    first = pieces[0] if pieces else None
    word = _WORD.match(text)
    if (
        story.casing is Casing.CASED
        and isinstance(first, tuple)
        and all(first[0] != s.start for s in story.sentences)
        and word is not None
        and word.group().islower()  # not "iPhone"
    ):
        text = text[0].upper() + text[1:]
    return text


# -- pronouns ---------------------------------------------------------------------------------

_PERSONAL = {"he": "m", "his": "m", "she": "f", "her": "f"}
"""Openings resolved to a person's name, with the gender each implies."""
_OTHER_GENDER = {
    "m": re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE),
    "f": re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE),
}
_TITLES = {
    "m": "mr|sir|lord|king|prince|duke|father|husband|son|brother|boyfriend|actor",
    "f": "mrs|ms|miss|lady|queen|princess|duchess|mother|wife|daughter|sister|girlfriend|actress",
}
# A sentence that goes on about the same person without naming anyone: "He ...", "The
# 66-year-old ...". The search for the name passes over these to the sentence before.
_GOES_ON = {
    "m": re.compile(r"(?:he|his)\b|the\s+(?:\S+\s+){0,2}?\d+\s*-\s*year\s*-\s*old\b", re.I),
    "f": re.compile(r"(?:she|her)\b|the\s+(?:\S+\s+){0,2}?\d+\s*-\s*year\s*-\s*old\b", re.I),
}
_CLITIC_AFTER = re.compile(r"\s*(?:'|’)(?:s|d|ll|re|ve|m)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_NAME_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W\d_])?\.?")
"""A word of a name: letters, with inner apostrophes, hyphens or points (O'Neill, Al-Assad)."""
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_PARSE = frozenset({"tok2vec", "parser", "ner"})
"""The spaCy components resolution needs: subjects from the parser, people from the NER."""
_ROLES = frozenset(
    """striker defender midfielder goalkeeper forward winger manager coach boss captain
    president chief minister senator governor mayor judge officer sergeant detective dr mr
    mrs ms miss sir star actor actress singer player""".split()
)


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int

    def surname(self, story: Story) -> str:
        return story.text[self.start : self.end].split()[-1].lower()


@dataclass(slots=True)
class _Bullet:
    """A bullet being edited: its highlight and the pieces it will be written from."""

    highlight: Highlight
    pieces: list[Piece]
    pronoun: str | None


def _bullet(story: Story, highlight: Highlight, index: int) -> _Bullet:
    pieces = compress(story, story.sentences[index])
    return _Bullet(highlight, pieces, opening_pronoun(pieces_of(story, pieces)))


def _naming_sentence(story: Story, bullet: _Bullet) -> int | None:
    """Return the sentence that should name the person of a bullet's opening pronoun.

    That is the sentence before the bullet's, or, past sentences that go on about the same
    person unnamed ("He ...", "The 66-year-old ..."), the one before those, at most
    :data:`CONTEXT_SENTENCES` back. ``None`` when the pronoun is not a plain "He"/"His" at
    the bullet's very start, or is contracted ("He's" may be "He is" or "He has"; a name
    would read as a possessive).
    """
    first = bullet.pieces[0]
    pronoun = bullet.pronoun
    if pronoun not in _PERSONAL or not isinstance(first, tuple):
        return None
    after = first[0] + len(pronoun)
    if story.text[first[0] : after].lower() != pronoun or _CLITIC_AFTER.match(story.text, after):
        return None
    index = bullet.highlight.sentences[0]
    for before in range(index - 1, max(index - 1 - CONTEXT_SENTENCES, -1), -1):
        if not _GOES_ON[_PERSONAL[pronoun]].match(story.sentences[before].text):
            return before
    return None


def _mentions(story: Story, start: int, doc: Doc) -> list[tuple[_Mention, bool]]:
    """Return the people spaCy found in a sentence, each with whether it leads the sentence.

    A person leads when the sentence's first subject that is not a pronoun is the person's
    name ("Smith, 45, was arrested", "'It hurts,' Smith said"): in "The jogger was hurt,
    Smith said" the jogger leads, and a "he" after it is the jogger. A mention is trimmed of a
    role before it ("striker Ian Wright": the entity recognizer includes it in lowercased
    text) and of a possessive after it; mentions that are not plain words are left out.
    ``start`` is the sentence's offset in the story.
    """
    lead = next((t.i for t in doc if t.dep_ in _SUBJECTS and t.lower_ not in PRONOUNS), len(doc))
    found = []
    for entity in doc.ents:
        if entity.label_ != "PERSON":
            continue
        words = [(w.start(), w.end()) for w in re.finditer(r"\S+", entity.text)]
        while words and entity.text[words[0][0] : words[0][1]].lower() in _ROLES:
            words.pop(0)
        if words:
            last, end = words.pop()
            possessive = _POSSESSIVE.search(entity.text, last, end)
            end = possessive.start() if possessive else end
            words += [(last, end)] if end > last else []
        if not 0 < len(words) <= 5 or not all(
            _NAME_TOKEN.fullmatch(entity.text, a, b) for a, b in words
        ):
            continue
        offset = start + entity.start_char
        mention = _Mention(offset + words[0][0], offset + words[-1][1])
        found.append((mention, entity.start <= lead < entity.end))
    return found


def _antecedent(
    story: Story, bullet: _Bullet, naming: int, found: Sequence[tuple[_Mention, bool]]
) -> _Mention | None:
    """Find the person a bullet's opening "he"/"she"/"his"/"her" names, if no one else could be.

    The naming sentence (:func:`_naming_sentence`) must name exactly one person, and that
    person must lead it (see :func:`_mentions`), not be a possessor or an object there. The
    name is refused when the pronoun's gender is contradicted (a pronoun of the other gender
    from the naming sentence to the bullet, or a title such as "Mrs" before the name anywhere
    in the story) and when the bullet names the person itself, later on. The longest mention
    in the naming sentence is the name used.
    """
    assert bullet.pronoun is not None
    surnames = {mention.surname(story) for mention, _ in found}
    if len(surnames) != 1 or not any(leads for _, leads in found):
        return None
    (surname,) = surnames
    gender = _PERSONAL[bullet.pronoun]
    other = "f" if gender == "m" else "m"
    index = bullet.highlight.sentences[0]
    between = story.text[story.sentences[naming].start : story.sentences[index].start]
    title = re.compile(rf"\b(?:{_TITLES[other]})\.?\s+(?:\S+\s+)?{re.escape(surname)}\b", re.I)
    if (
        _OTHER_GENDER[gender].search(between)
        or title.search(story.text)
        or re.search(rf"\b{re.escape(surname)}\b", pieces_of(story, bullet.pieces), re.I)
    ):
        return None
    return max(
        (mention for mention, _ in found),
        key=lambda m: (len(story.text[m.start : m.end].split()), m.start),
    )


def _resolve(story: Story, bullet: _Bullet, name: _Mention) -> list[Piece]:
    """Replace the opening pronoun by the name, with a possessive after it for "his"/"her"."""
    first = bullet.pieces[0]
    assert isinstance(first, tuple) and bullet.pronoun is not None
    pieces: list[Piece] = [(name.start, name.end)]
    if bullet.pronoun in {"his", "her"}:
        ends_in_s = story.text[name.end - 1].lower() == "s"
        mark = "'" if ends_in_s else "'s"
        pieces.append(" " + mark if story.casing is Casing.TOKENIZED else mark)
    return [*pieces, (first[0] + len(bullet.pronoun), first[1]), *bullet.pieces[1:]]


def _resolve_all(stories: Sequence[Story], bullets: Sequence[list[_Bullet]]) -> None:
    """Resolve every personal-pronoun opening of a call with one batched spaCy pass.

    spaCy reads only each bullet's naming sentence, with its parser (for subjects) and entity
    recognizer, and no tagger or lemmatizer.
    """
    wanted = [
        (story, bullet, naming)
        for story, story_bullets in zip(stories, bullets, strict=True)
        for bullet in story_bullets
        if (naming := _naming_sentence(story, bullet)) is not None
    ]
    if not wanted:
        return
    language = nlp.load()
    docs = language.pipe(
        (story.sentences[naming].text for story, _, naming in wanted),
        disable=[name for name in language.pipe_names if name not in _PARSE],
    )
    for (story, bullet, naming), doc in zip(wanted, docs, strict=True):
        found = _mentions(story, story.sentences[naming].start, doc)
        name = _antecedent(story, bullet, naming, found)
        if name is not None:
            bullet.pieces = _resolve(story, bullet, name)
            bullet.pronoun = None


def _choose_otherwise(
    stories: Sequence[Story], bullets: list[list[_Bullet]], chooser: Chooser
) -> None:
    """Choose again, as a whole set, for every story with a bullet still unresolved.

    The chooser is asked to avoid the sentences whose pronoun could not be resolved, so the
    set's size and balance stay the selector's choice rather than a one-for-one swap; a
    newly chosen sentence opening with "he" or "she" goes to spaCy in turn. Each round blocks
    only what failed, keeping the pool of candidates close to the selector's own; the last of
    the :data:`ROUNDS` blocks every sentence opening with a pronoun not yet resolved, so no
    story ends with one. Sentences chosen again keep their resolved pieces. A story with
    nothing left to choose keeps the bullets it had.
    """
    blocked: list[set[int]] = [set() for _ in stories]
    ready: list[dict[int, _Bullet]] = [{} for _ in stories]
    settled: set[int] = set()
    for round_ in range(1, ROUNDS + 1):
        redo = [
            k
            for k, story_bullets in enumerate(bullets)
            if k not in settled and any(b.pronoun for b in story_bullets)
        ]
        if not redo:
            return
        for k in redo:
            ready[k].update({b.highlight.sentences[0]: b for b in bullets[k] if not b.pronoun})
            blocked[k].update(b.highlight.sentences[0] for b in bullets[k] if b.pronoun)
            if round_ == ROUNDS:
                blocked[k].update(
                    s.index for s in stories[k].sentences if _opens_badly(stories[k], s, ready[k])
                )
        again = [stories[k] for k in redo]
        previous = [story.highlights for story in again]
        chooser.choose(again, [blocked[k] for k in redo])
        for k, story, old in zip(redo, again, previous, strict=True):
            if not story.highlights:  # everything blocked: keep the bullets, stop choosing
                story.highlights = old
                settled.add(k)
                continue
            bullets[k] = [
                replace(ready[k][h.sentences[0]], highlight=h)
                if h.sentences[0] in ready[k]
                else _bullet(story, h, h.sentences[0])
                for h in story.highlights
            ]
        live = [k for k in redo if k not in settled]
        _resolve_all([stories[k] for k in live], [bullets[k] for k in live])


def _opens_badly(story: Story, sentence: Sentence, ready: Collection[int]) -> bool:
    """Whether a sentence, as a bullet, would open with a pronoun not already resolved."""
    if sentence.index in ready:
        return False
    return opening_pronoun(pieces_of(story, compress(story, sentence))) is not None


def _merged(pieces: Sequence[Piece]) -> tuple[tuple[int, int], ...]:
    """Return the spans of the pieces, joining neighbours that no inserted string separates."""
    spans: list[tuple[int, int]] = []
    joinable = False
    for piece in pieces:
        if isinstance(piece, str):
            joinable = False
            continue
        if joinable and spans[-1][1] == piece[0]:
            spans[-1] = (spans[-1][0], piece[1])
        else:
            spans.append(piece)
        joinable = True
    return tuple(spans)


class Chooser(Protocol):
    """What :func:`edit` needs to choose otherwise: a selector that can avoid sentences."""

    def choose(
        self, stories: Sequence[Story], blocked: Sequence[Collection[int]] | None = None
    ) -> list[Story]:
        """Write each story's highlights, whole sentences, none of them among ``blocked``."""
        ...


def edit(stories: Sequence[Story], chooser: Chooser) -> None:
    """Rewrite every story's highlights in the editors' style, in place (see the module).

    Expects highlights as ``chooser`` writes them, one whole sentence each; a story with a
    bullet whose opening pronoun cannot be resolved is given to ``chooser`` again with such
    sentences blocked. Stories are handled together so that the pronouns of all of them go
    through spaCy in one batch; the result for a story does not depend on the others.
    """
    bullets = [[_bullet(story, h, h.sentences[0]) for h in story.highlights] for story in stories]
    _resolve_all(stories, bullets)
    _choose_otherwise(stories, bullets, chooser)
    for story, story_bullets in zip(stories, bullets, strict=True):
        story.highlights = [
            replace(b.highlight, text=pieces_of(story, b.pieces), spans=_merged(b.pieces))
            for b in story_bullets
        ]
