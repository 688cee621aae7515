r"""Every word list nutgraf reads text with, in one place, as spaCy keeps ``lang/en``.

The stages need to know words of English news: pronouns, reporting verbs, quotation marks,
titles and roles, time words, abbreviations, the tokens of the PTB-tokenized data, what a word
is. Each list is written once, here, and named for what it means; a stage that needs a narrower
or a wider set builds it from these rather than writing its own. Where two stages read the same
kind of word with different lists, both are here side by side, and the docstring says why they
differ. None of these lists may change without changing nutgraf's output: the selector's model
was trained on :data:`FEATURE_WORD`, :data:`STOP_WORDS`, :data:`ATTRIBUTION_WORDS` and the quote
marks, and every other list decides a rule's answer.

Two forms of text are read: cased text, and the lowercased PTB tokens of the CNN/DailyMail data
(See et al. 2017), where ``(`` is ``-lrb-``, an opening ``"`` is ``\`\``` and a closing one
``''``, and clitics stand apart ("it 's"). Lists of words that are compared with lowercased text
hold lowercase words only (``lexicon_test.py`` checks it); the few cased lists (abbreviations,
sentence starters, entity labels) say so.

Regular expressions live here when they are plainly word data: what a word is
(:data:`WORD` and its kin), and fragments (``r"..."`` strings of alternatives, like
:data:`TITLES`) that several stages build their patterns from. A stage's own patterns (the
expletive "it" of :mod:`nutgraf.edit.openings`, the photo captions and "MailOnline can reveal"
of :mod:`nutgraf.edit.cuts`, the datelines and bylines of :mod:`nutgraf.read.sentences`) stay
with the stage and are built from the lists here where they hold them.

Lists of one rule only stay with the rule that reads them, as spaCy keeps a component's own
patterns with the component:

* the figure parser's number words, scales, fractions, currencies, percent words and units of
  measure, its qualifiers ("at least"), and its other cues for what is not a figure (generic
  nouns after "one", scores, kin, age cues, "100 per cent sure", verbs of speaking and of
  wanting, the few words it tests inline) or where a change ends and a level begins (verbs of
  change), all in :mod:`nutgraf.claims.extract`;
* the alternatives of one pattern: the auxiliaries, passives and adjectives of the expletive
  "it" (:mod:`nutgraf.edit.openings`); the photo words, "it has emerged" and "MailOnline can
  reveal" (:mod:`nutgraf.edit.cuts`); the fields and bylines of a page's preamble
  (:mod:`nutgraf.read.sentences`); the markers of the input formats (:mod:`nutgraf.read.ingest`);
* punctuation written inside a structural pattern or trimmed off a phrase a function made (the
  characters a dateline or a source may not hold, the tokenized splitter's closing quote
  tokens, :func:`nutgraf.claims.referents.clean`);
* spaCy's part-of-speech and dependency labels that one rule tests (only :data:`SUBJECT_DEPS`,
  which three modules read, is here) and the pipeline components a stage runs.

spaCy's own English stop list is reached through :func:`spacy_stop_words`, next to the
features' shorter :data:`STOP_WORDS`.
"""

from __future__ import annotations

import re
from collections.abc import Set

# -- words ---------------------------------------------------------------------------------------

WORD = re.compile(r"\w+")
"""A word as Python's regular expressions read one: a run of letters, digits and underscores.
The claims scorer's tokens, the words of a name compared with another, and the words a byline
fragment is counted in."""

ASCII_WORD = re.compile(r"[A-Za-z]+")
"""A run of ASCII letters: the opening word of a bullet and the words after a quotation, read
alike in cased text and in the lowercased tokens (where "it 's" splits at the apostrophe)."""

FEATURE_WORD = re.compile(r"[a-z0-9]+")
"""The one tokenization of the selector's features, over lowercased text: ASCII letters and
digits, which the cased and the tokenized form share. The packaged model was trained on it."""

LETTER_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
"""Letters, with apostrophes inside ("don't", "o'neill"), and no digits: the words two versions
of a story compare, whose figures are compared on their own."""

SUMY_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['-])*$")
"""sumy's own rule for a word token (``sumy.nlp.tokenizers.Tokenizer._WORD_PATTERN``): a letter,
then letters, apostrophes or hyphens. The peer systems must read words as sumy does."""

NAME_WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W\d_])?\.?")
"""A word of a name: letters, with inner apostrophes, hyphens or points (O'Neill, Al-Assad)."""

CAPITALIZED_WORD = r"[A-Z][\w.'\u2019-]*"
"""A capitalized word of a name, in cased text, as a regular expression: an upper-case letter,
then word characters, points, apostrophes or hyphens ("O'Neill", "J.K.", "Al-Assad")."""

# -- pronouns -----------------------------------------------------------------------------------

PERSONAL_PRONOUNS = frozenset("he she him her".split())
"""Pronouns of one person: a credit to one of these is a credit to a person."""

GROUP_PRONOUNS = frozenset("they them it we i".split())
"""Pronouns a credit may use for a party that is not one person ("they said", "it reported")."""

CREDIT_PRONOUNS = PERSONAL_PRONOUNS | GROUP_PRONOUNS
"""Pronouns that, credited with a claim, are resolved to the party they stand for."""

THIRD_PERSON = frozenset("he she him his her hers they them their theirs it its".split())
"""Pronouns of someone or something other than the speaker and the listener."""

FIRST_PERSON = frozenset("i me my mine we our ours you your yours".split())
"""Pronouns of the speaker and the listener, which a quotation's own words may use."""

DEMONSTRATIVES = frozenset("this that these those".split())
"""Demonstratives: as a pronoun each stands for what came before ("This is ..."), before a
calendar word for the story's date ("This week ...")."""

OPENING_PRONOUNS = THIRD_PERSON | FIRST_PERSON | DEMONSTRATIVES
"""Words that, opening a bullet, point at something the bullet may not name. "Us" is left out:
it cannot open a sentence as a pronoun, and opens many as a name ("Us Weekly", "US troops").
Wider than :data:`CREDIT_PRONOUNS`: a bullet may not open with a possessive or a demonstrative
either, while a credit ("they said") is only ever a subject or an object."""

GENDERED_OPENINGS = {"he": "m", "his": "m", "she": "f", "her": "f"}
"""Openings a bullet's person's name can replace, with the gender each implies."""

GENDERED_POSSESSIVES = frozenset({"his", "her"})
"""The possessives of :data:`GENDERED_OPENINGS`: a name in their place takes a possessive."""

GENDER_PRONOUNS = {"m": ("he", "him", "his", "himself"), "f": ("she", "her", "hers", "herself")}
"""Every pronoun of one gender: one of the other gender between a name and a "he" says the
"he" may be someone else. Wider than :data:`GENDERED_OPENINGS`, which holds only the pronouns a
name can stand in for."""

CONTINUING_PRONOUNS = ("it", "they")
"""Subjects that carry a sentence on from the one before, which then lends it its credit ("It
saw an increase of 2.9%"): the pronouns of a body or a group, whose statements run on. Narrower
than :data:`GROUP_PRONOUNS`, which also holds the speakers' "we" and "i" and the object "them"."""

PERSON_SUBJECTS = ("he", "she", "i")
"""Subject pronouns of one person: "he was 55" gives an age, where "it was 55" gives a count."""

AGE_GROUPS = frozenset(
    """people persons adults children kids men women boys girls patients residents voters
    those anyone everyone drivers workers""".split()
)
"""Nouns of people whose "over 60", "under 5" is an age ("adults over 60", "children under
5"), where "costs over 60" is a figure."""

RELATIVE_SUBJECTS = ("that", "which", "who", "this", "what")
"""Subjects of a reporting verb that stand for a clause or a relative, never a party ("the
report, which said ..."). "WHO" in capitals is the World Health Organization: the reader checks
the case itself."""

# -- function words -----------------------------------------------------------------------------

PREPOSITIONS = frozenset("of from for in at on with by to near inside".split())
"""Prepositions that end the head of a noun phrase ("figures from the ministry")."""

PLURAL_DETERMINERS = frozenset(
    """the these those some many several both all most its his her their our two three four
    five six seven eight nine ten dozens hundreds thousands""".split()
)
"""Words that may lead a noun phrase whose noun in -s is then a plural ("the officials",
"three doctors"), so the verb after it is "say"."""

APPOSITIVE_STARTS = frozenset("a an the its his her their one another".split())
"""Words an appositive after a comma opens with ("the LCC, an opposition group"); anything
else after the comma is the sentence going on."""

CLAUSE_STARTS = frozenset("the a an he she they it we i his her their its this these".split())
"""Words after "that" when "that" opens a subject clause ("That the deal failed ..."), where it
is a conjunction, not a pronoun."""

NAME_OPENERS = frozenset("the a an in on at but and as after when while with for".split())
"""Words that, capitalized before a name ("In Kenny Park's view", "The Park family"), are no
part of it."""

CLAUSE_WORDS = (
    "according", "who", "whom", "which", "that", "where", "when", "while", "whose", "because",
    "after", "before", "since", "although", "though", "if", "unless", "said", "says", "say",
    "told", "is", "are", "was", "were", "has", "have", "had", "will", "would", "could", "can",
    "may", "might",
)  # fmt: skip
"""Words that make a phrase a clause rather than a noun phrase: relatives, conjunctions and
verbs. A source holding one cannot become "X says"."""

DISCOURSE_MARKERS = (
    "meanwhile", "however", "but", "and", "also", "still", "moreover", "furthermore",
    "additionally", "indeed", "nevertheless", "nonetheless", "instead", "besides", "likewise",
    "similarly", "separately", "elsewhere", "incidentally", "interestingly", "ironically",
    "crucially", "significantly", "notably", "sadly", "tragically", "unfortunately",
    "fortunately", "luckily", "thankfully", "incredibly", "amazingly", "remarkably",
    "surprisingly", "bizarrely", "astonishingly", "curiously", "so", "well", "anyway",
    "in addition", "in fact", "of course", "on the other hand",
)  # fmt: skip
"""Discourse markers that open a sentence before a comma ("Meanwhile, ...", "Of course, ..."),
carrying no news: a bullet drops them. In this order: regular expressions are built from it."""

BARE_DISCOURSE_MARKERS = ("but", "and", "meanwhile")
"""The :data:`DISCOURSE_MARKERS` that open a sentence without a comma too ("But he said ...").
Narrower: "So ..." or "Still ..." without a comma may be the sentence's own words."""

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
"""spaCy's dependency labels of a subject, active and passive."""

# -- reporting ----------------------------------------------------------------------------------

REPORTING_LEMMAS = frozenset(
    "say tell report announce claim estimate state add confirm reveal write note insist warn "
    "explain allege cite suggest indicate disclose count record tweet post predict "
    "acknowledge admit testify conclude calculate put tally peg".split()
)
"""Lemmas of verbs that credit what follows to their subject."""

CLAUSE_REPORTING_LEMMAS = frozenset("observe project forecast reply argue declare counter".split())
"""Verbs that credit their subject only when they report a clause with a verb of its own
("analysts project that sales will fall 5%", "Smith replied that 200 had signed"), since
their other senses report nothing ("replied to 200 emails", "observed a minute of silence",
"argued over the $3 million fee", "declared a state of emergency for 25 counties"). Kept
apart from :data:`REPORTING_LEMMAS`, which also says which words a bullet must keep, so that
the noun "project" stays cuttable."""

SPEECH_LEMMAS = frozenset(
    "say add tell claim note explain insist warn write tweet announce".split()
)
"""Reporting verbs of speech: as a participle ("..., saying 80 people were killed") they say
what the subject of the verb they hang from says, where one of evidence ("..., suggesting
that", "showing") draws a conclusion nobody is credited with."""

NAMING_WORDS = frozenset("called named known as the".split())
"""Words between a description and the name it gives ("a group called Local Coordination
Committees", "an opposition group known as the LCC")."""

GOING_ON = frozenset("go continue proceed".split())
"""Verbs whose reporting infinitive was said ("went on to say that 300 ..."), unlike those of
asking, refusing or planning ("urged him to say", "declined to say", "plans to announce")."""

PHRASAL_REPORTING = frozenset({("point", "out")})
"""A verb and its particle that together report a clause ("the mayor pointed out that 12
schools had closed"), where the verb alone ("pointed to the poll") reports nothing."""

MEDIUM_PREPOSITIONS = frozenset("in during at via through".split())
"""Prepositions that say where or how something was said ("in a report", "during a briefing",
"at a news conference"). After others a clause is what the speaker heard or hoped, not what
they said: "said amid speculation that it would cut 10,000 jobs that ...", "counted on hopes
that 5,000 volunteers would sign up" (after "said on Twitter that" spaCy hangs the clause
rightly)."""

VALUING_LEMMAS = frozenset("put estimate peg tally".split())
"""Verbs that give a quantity its value with "at": "the Red Cross put the death toll at 230",
"police estimated the crowd at 10,000". The value is the subject's figure, whatever else the
sentence says; the attribution corpus has too few of these (five in 840 articles) for the
source model to learn them."""

SHARES = frozenset("percent % percentage".split())
"""Nouns of a share of a population in a poll. A share that speaks ("51 percent of respondents
said") answers the poll: it is no source of a figure, the poll is. "A majority of the justices
said" and "half of the board said" are bodies speaking, so other shares are not here."""

FINDING_LEMMAS = frozenset("find show".split())
"""Verbs that credit a finding: any subject's when they report a clause with a verb of its own
("TheBlaze found that the odds...", "the jury found that he had stolen $40,000"), only
evidence's (:data:`EVIDENCE`) otherwise ("a survey found 20 cases"; not "a jury found four men
guilty" or "the video shows three men"). PolNeAR's annotators take a finding reported as a
clause for an attribution, whoever finds it."""

SPEECH_VERBS = frozenset(
    """said says told added explained admitted insisted claimed revealed wrote tweeted
    continued recalled warned declared agreed replied asked according""".split()
)
"""Words that, right after a quotation closes, credit it to the speaker named next ("'I was
scared,' said Smith", "..., according to Smith"). Written forms, not lemmas: no parse is read
there. Unlike :data:`REPORTING_LEMMAS`, the words that stand right after a quotation, speech
("replied", "continued") rather than reporting ("estimate", "record")."""

ATTRIBUTION_WORDS = frozenset(
    "said says told according reported reports added explained claimed announced".split()
)
"""Words the selector counts as attribution anywhere in a sentence (feature ``attribution``),
written forms over :data:`FEATURE_WORD` tokens. Unlike :data:`SPEECH_VERBS`, it counts the
reporting of documents and agencies too ("reported", "announced") and few verbs of speech; the
packaged model was trained on it as it stands."""

# -- sources and evidence -------------------------------------------------------------------------

EVIDENCE = frozenset(
    "data report reports figure figures statistic statistics estimate estimates survey study "
    "count tally analysis record records number numbers poll research finding assertion "
    "statement account claim datum".split()
)
"""Nouns that carry a claim: their owner is its source ("the police department's assertion
that...", "Airports Council International's data"). Read by lemma, and spaCy's lemma of
"data" is "datum"."""

PLURAL_SOURCES = frozenset(
    """police officials authorities reports witnesses sources experts researchers scientists
    doctors investigators prosecutors residents activists figures statistics estimates records
    documents analysts people friends relatives neighbours neighbors organisers organizers
    campaigners rebels militants medics paramedics rescuers firefighters troops forces
    officers staff students locals parents teachers lawyers attorneys historians economists
    polls surveys studies papers filings results findings tests emails messages accounts
    members supporters fans critics insiders aides diplomats ministers lawmakers legislators
    guidelines numbers""".split()
)
"""Sources that are plural whatever comes before them ("police say", "figures from the ministry
say"), some without an -s."""

INSTITUTIONS = frozenset(
    """center centre council department agency service institute university foundation
    association committee commission board bureau office company corporation group bank
    court museum school hospital society union league federation administration authority
    ministry organization organisation network""".split()
)
"""Nouns that end the name of one body, however many words it joins with "and" ("the National
Snow and Ice Data Center says", not "say")."""

SINGULAR_S_NOUNS = frozenset("times news reuters states us".split())
"""Sources ending in -s that are singular ("The New York Times says", "Reuters says")."""

# -- people -------------------------------------------------------------------------------------

TITLES = {
    "m": "mr|sir|lord|king|prince|duke|father|husband|son|brother|boyfriend|actor",
    "f": "mrs|ms|miss|lady|queen|princess|duchess|mother|wife|daughter|sister|girlfriend|actress",
}
"""Words before a name that say a person's gender, as regular-expression alternatives."""

ROLES = frozenset(
    """striker defender midfielder goalkeeper forward winger manager coach boss captain
    president chief minister senator governor mayor judge officer sergeant detective dr mr
    mrs ms miss sir star actor actress singer player""".split()
)
"""Roles and titles the entity recognizer takes into a name ("striker Ian Wright")."""

# -- named entities -----------------------------------------------------------------------------

NAME_LABELS = frozenset("PERSON ORG GPE LOC FAC EVENT PRODUCT WORK_OF_ART LAW".split())
"""spaCy entity labels that name something a reader would call a new fact. Nationalities and
groups (``NORP``: "Syrian", "Turkish") are left out: a new adjective of nationality is no news,
and the small model tags stray capitalized words as ``NORP`` most often."""

PROPER_NAME_LABELS = NAME_LABELS | {"NORP", "LANGUAGE"}
"""Every spaCy entity label of a proper name. A number at the end of one is part of a name
("Apollo 13"), not a figure; the figure parser makes an exception of ``NORP``. Wider than
:data:`NAME_LABELS` by the nationalities and the languages."""

PARTY_LABELS = frozenset("PERSON ORG GPE NORP FAC".split())
"""spaCy entity labels of a party that can be credited with a claim or referred back to: people,
organizations, places, nationalities and groups, buildings. Narrower than
:data:`PROPER_NAME_LABELS`: an event, a law, a work or a product is no party."""

PLACE_LABELS = frozenset("GPE LOC FAC".split())
"""Entity labels of places: a place can be "it" ("China said ... It said") but not "they"."""

NOT_PERSON_LABELS = PLACE_LABELS | {"NORP"}
"""spaCy entity labels that are never a person ("he" or "she"): places, nationalities,
buildings. ``ORG`` is not among them: the small model often tags a person ``ORG``."""

# -- time ---------------------------------------------------------------------------------------

TIME_UNITS = frozenset(
    "second seconds minute minutes hour hours day days week weeks month months year years "
    "decade decades century centuries night nights weekend weekends season seasons term terms "
    "am pm a.m. p.m. o'clock".split()
)
"""Nouns after a number that make it a date, a time or a duration, which are not figures."""

HYPHENATED_TIME_UNITS = frozenset("year years year-old month day hour minute week".split())
"""Time words after a number and a hyphen ("a 10-year sentence", "a 3-month-old"): an age or a
duration. Mostly the singular units of :data:`TIME_UNITS`, as a compound takes them, with
"year-old" besides."""

CALENDAR_NOUNS = frozenset(
    """week weekend month year season summer winter spring autumn morning afternoon evening
    term century decade christmas easter""".split()
)
"""Words after "this" or "that" that point at the story's date, which every news reader has
("This week ..."). Unlike :data:`TIME_UNITS`, singular periods of the calendar (seasons,
holidays, parts of the day), and no clock words."""

DURATIONS = r"years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies)|a while|long"
"""Words that measure a stretch of time ("it has been 20 years since ..."), as
regular-expression alternatives."""

TIME_ZONES = ("est", "edt", "gmt", "bst", "et", "pst", "pdt", "cet", "utc", "aest", "aedt")
"""Time zones a news page stamps its times with ("12:01 EST"), lowercase, in this order for
the regular expression built from them."""

# -- quotation marks ----------------------------------------------------------------------------

DOUBLE_QUOTES = ('"', "“", "”", "``", "''")
"""Double quotation marks of both forms of the data: straight, curly opening and closing, and the
PTB tokens for an opening and a closing one. A tuple, for ``str.startswith``."""

SINGLE_QUOTES = ("'", "‘", "’")
"""Single quotation marks: straight and curly. The straight one and the curly closing one are
apostrophes as well, which is why most rules read only :data:`DOUBLE_QUOTES`."""

QUOTES = frozenset(DOUBLE_QUOTES + SINGLE_QUOTES)
"""Every quotation mark, double or single, as a token: a number between two is a quoted label."""

OPENING_CURLY_QUOTES = ("“", "‘")
"""Curly quotation marks that open a quotation."""

CLOSING_CURLY_QUOTES = ("”", "’")
"""Curly quotation marks that close a quotation (the single one is an apostrophe too)."""

CURLY_DOUBLE_QUOTES = ("“", "”")
"""The curly double quotes, opening and closing: they show which way they face."""

STRAIGHT_DOUBLE_QUOTES = tuple(q for q in DOUBLE_QUOTES if q not in CURLY_DOUBLE_QUOTES)
"""The double quotes that do not show their direction: the straight mark, and the PTB tokens
that its preprocessing guessed a direction for. Quotations are read from them by counting."""

OPENING_DOUBLE_QUOTES = ("“", "``")
"""Double quotes that certainly open a quotation: the curly one and its PTB token."""

OPENING_QUOTES = QUOTES - frozenset(CLOSING_CURLY_QUOTES)
"""Marks a sentence that opens a quotation may open with (feature ``opens_quote``): every
quotation mark except the curly closing ones. The PTB closing token ``''`` is among them, as
the packaged model was trained."""

DOUBLE_QUOTE_MARK = re.compile("|".join(re.escape(q) for q in DOUBLE_QUOTES))
"""Any one of :data:`DOUBLE_QUOTES` in running text; no two of them start alike, so each match
is a whole mark."""

QUOTE_CHARS = "".join(q for q in DOUBLE_QUOTES + SINGLE_QUOTES if len(q) == 1)
"""The quotation marks that are one character, as a string (for ``str.strip`` and character
classes of regular expressions): straight and curly, double and single."""

OPENING_QUOTE_CHARS = "".join(c for c in QUOTE_CHARS if c not in CLOSING_CURLY_QUOTES)
"""One-character marks that may open a quotation: the straight ones and the curly opening ones."""

CLOSING_QUOTE_CHARS = "".join(c for c in QUOTE_CHARS if c not in OPENING_CURLY_QUOTES)
"""One-character marks that may close a quotation: the straight ones and the curly closing ones."""

GUILLEMETS = ("«", "»")
"""Opening and closing guillemets, which the sentence splitter reads as quotes too (and no other
rule does)."""

APOSTROPHES = ("'", "’")
"""Apostrophes: straight and typographic."""

# -- punctuation and the PTB tokens -----------------------------------------------------------

DASHES = ("--", "\u2014", "\u2013")
"""Dashes between a dateline and its story, or around an aside: the double hyphen (the form of
the tokenized data), the em dash and the en dash. A single hyphen is a dash only between
spaces, which each rule tests itself."""

PTB_BRACKETS = {"-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}"}
"""The PTB tokens of the lowercased CNN/DailyMail data for brackets, with the brackets."""

PTB_QUOTES = {"``": '"', "''": '"'}
"""The PTB tokens of the lowercased CNN/DailyMail data for double quotes, with the straight mark."""

PTB_TOKENS = {**PTB_BRACKETS, **PTB_QUOTES}
"""Every PTB token of the data that stands for a punctuation mark, with the mark."""

PTB_PARENTHESES = ("-lrb-", "-rrb-")
"""The PTB tokens of an opening and a closing parenthesis, the only brackets the rules read."""

OPENING_PARENTHESES = ("(", PTB_PARENTHESES[0])
"""An opening parenthesis, in cased text and in the PTB tokens."""

CLOSING_PARENTHESES = (")", PTB_PARENTHESES[1])
"""A closing parenthesis, in cased text and in the PTB tokens."""

OPENING_PARENTHESIS = r"(?:\(|-lrb-)"
"""An opening parenthesis in either form (:data:`OPENING_PARENTHESES`), as a regular
expression."""

CLOSING_PARENTHESIS = r"(?:\)|-rrb-)"
"""A closing parenthesis in either form (:data:`CLOSING_PARENTHESES`), as a regular expression."""

CLITICS = ("'s", "'d", "'re", "'ve", "'ll", "'m", "n't")
"""English clitics, which the tokenized form writes apart from their word ("it 's", "is n't")."""

# -- datelines and bylines ----------------------------------------------------------------------

CNN_CREDIT = r"\(CNN[^()\n]{0,20}\)"
"""CNN's credit in a dateline, as a regular expression over cased text: "(CNN)", "(CNN Student
News)"."""

PLACE_PARTICLES = ("de", "la", "del", "da", "el", "al", "of")
"""Lowercase words inside a place name of a dateline ("Rio de Janeiro", "Isle of Man")."""

BYLINE_PARTICLES = ("and", "for", "of", "the", "de", "van", "von", "der", "la", "le", "du", "da")
"""Lowercase words in a byline's names ("By Jane Smith and John Doe for MailOnline", "Vincent
van Gogh"). Unlike :data:`PLACE_PARTICLES`, connectors of names and of the publication too."""

# -- web pages ----------------------------------------------------------------------------------

PAGE_FURNITURE = (
    "read more", "read next", "read also", "also read", "also on", "also:", "more:", "related",
    "see also", "see more", "don't miss", "don’t miss", "most read", "most popular",
    "recommended", "you may also like", "you might also like", "scroll down for video",
    "advertisement", "sponsored", "share this", "share on", "share:", "order reprints",
    "sign up", "subscribe", "click here", "tell us what you think", "have a tip",
    "if you enjoyed this", "additional reporting", "reporting by", "editing by",
    "copyright", "all rights reserved", "source:", "watch:", "video:", "listen:",
)  # fmt: skip
"""How a web page's own lines begin, lowercase: links to other stories, share and sign-up
lines, credits. A line that opens with one of these (then a space, a point or a colon) is the
page's, not the story's, whatever follows ("READ MORE: China plague outbreak confirmed")."""

CALLS_TO_ACTION = (
    "click here", "click to tweet", "sign up for", "sign up to", "subscribe to", "subscribe for",
    "follow us on", "order reprints", "all rights reserved", "for as little as",
)  # fmt: skip
"""Phrases that make a whole line the page's wherever they stand in it, lowercase: no article
sentence asks its reader to click, subscribe or follow ("Get the magazine every month. 12
issues for £11.99. Click here for more information")."""

PHOTO_CREDITS = (
    "©", "(c)", "photo:", "photos:", "photo by", "photos by", "photograph:", "photograph by",
    "image:", "image by", "credit:", "pictured:", "getty images", "ap photo", "file photo",
)  # fmt: skip
"""Marks of a photo caption or credit, lowercase, found anywhere in a line."""

TIMESTAMP_OPENINGS = ("updated", "last updated", "published", "first published", "posted")
"""Openings of a page's time stamp ("Updated at 1:23 p.m.", "Published 14:02 GMT"), lowercase;
a line is a time stamp when a short line opens with one, then a date or a time."""

MONTH_AND_DAY_ABBREVIATIONS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    "mon", "tue", "wed", "thu", "fri", "sat", "sun",
)  # fmt: skip
"""The first three letters of the months and the days, lowercase: how a date starts."""

SENTENCE_END_CHARS = ".?!\u2026\u3002\uff01\uff1f"
"""The marks that end a sentence: point, question and exclamation marks, the ellipsis, and the
full stop and marks of Chinese and Japanese text (so that a page in another language is told
by its language, not refused for want of English points)."""


# -- abbreviations and sentence starts (cased text) ----------------------------------------------

NEVER_FINAL = frozenset(
    """Mr Mrs Ms Messrs Mmes Dr Drs Prof Gen Lt Col Maj Sgt Capt
    Cmdr Cpl Pvt Spc Adm Brig Gov Govs Sen Sens Rep Reps Rev
    Msgr Fr Hon Pres Supt Det Insp Atty Amb Mt Ft Jan Feb Mar
    Apr Aug Sep Sept Oct Nov Dec No Nos Vol Vols Fig Figs Art
    Nr vs v cf approx e.g i.e E.g I.e""".split()
)
"""Abbreviations that are followed by a name or a number, never by the end of a sentence, as
written before their point. Case matters: "No. 1" is an abbreviation, "he said no." is not."""

MAY_BE_FINAL = frozenset(
    """Inc Corp Ltd Co Cos Bros Plc Jr Sr St Ave Blvd Rd Dept
    Univ Assn etc al Ala Ariz Ark Calif Colo Conn Del Fla Ga
    Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo Mont Neb
    Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo""".split()
)
"""Abbreviations that usually sit inside a sentence but may end one ("Apple Inc.", "in Atlanta,
Ga."), as written before their point."""

SENTENCE_STARTERS = frozenset(
    """The A An He She It They We I You His Her Its Their Our My
    Your This That These Those There Here But And Or So Yet In
    On At For If When While After Before As Since Although
    Though Because What Who How Why Where Which Meanwhile
    However Still Now Then Many Some Most Both Each Other
    Another One Such Instead Later Earlier Police Officials""".split()
)
"""Capitalized words that start a new sentence after a word of :data:`MAY_BE_FINAL`, an acronym
(U.S., a.m.) or an initial; anything else (a name: "U.S. Army", "J.K. Rowling") continues it."""

# -- stop words ---------------------------------------------------------------------------------

STOP_WORDS = frozenset(
    """a about after all also an and are as at be been but by can could did do does for from
    had has have he her him his how i if in into is it its just me more most my n no not
    of on one or our out over s said says she so some t than that the their them then
    there these they this to up was we were what when where which while who will with
    would you your""".split()
)
"""Words the selector's features leave out of a sentence's content words. Not spaCy's list
(:func:`spacy_stop_words`, 326 words): the packaged model was trained on this one, which is
short, and holds "said", "says" and the pieces the ``[a-z0-9]`` tokens make of clitics ("s",
"t", "n"), which spaCy's does not."""


def spacy_stop_words() -> Set[str]:
    """Return spaCy's English stop words (``spacy.lang.en.stop_words``), as its pipeline has them.

    The words two versions of a story compare leave these out. spaCy is imported on first use
    only, so a stage that never asks does not pay for it.
    """
    from spacy.lang.en.stop_words import STOP_WORDS as SPACY_STOP_WORDS

    return SPACY_STOP_WORDS


# -- language -----------------------------------------------------------------------------------

ENGLISH_MARKERS = frozenset(
    "the of and that with his said from this have has were which their they would been"
    " after about who will".split()
)
"""Common English words that other languages do not use as common words ("in", "a", "to",
"was", "on", "for", "her" are left out: German, Romance, Slavic or Nordic languages have them).
A text with enough of them is English without asking py3langid
(:func:`nutgraf.read.language.foreign`)."""
