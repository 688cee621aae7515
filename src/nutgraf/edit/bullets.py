"""Bullets in the editors' style: each chosen sentence cut as an editor cuts it, never reworded.

The selector lifts whole sentences; editors write shorter bullets that stand on their own. This
stage, run on every story right after the selector (:func:`edit`, which
:mod:`nutgraf.pipeline` calls), rewrites each bullet in place, and no edit adds a fact or
changes one:

* **Cuts** (:mod:`nutgraf.edit.cuts`) drop discourse markers, photo references and the Daily
  Mail's "MailOnline can reveal", and turn a trailing ", according to X." into ", X says.".
* **Openings.** A bullet that opens with a pronoun its own words cannot resolve
  (:func:`nutgraf.edit.openings.opening_pronoun`) is repaired. "He"/"She" becomes the
  person's name and "His"/"Her" the name's possessive when the story's resolver of referring
  words names the person under its strict rule (:mod:`nutgraf.claims.referents`). Otherwise
  the selector chooses otherwise: it picks its best set again without that sentence
  (:class:`Chooser`), so the story keeps a balanced set of bullets rather than a one-for-one
  stand-in. Attribution stays: "..., an opposition group says" is kept, never cut.

Provenance. :attr:`Highlight.sentences` stays the sentence the bullet states, so figures and
sources are still looked up there; :attr:`Highlight.spans` are the ranges of
:attr:`Story.text` the bullet's words come from, in the bullet's order: several per sentence
once pieces are cut, and, first, the range of the name that replaced a pronoun, which lies in
an earlier sentence. Between spans a bullet holds nothing but these inserted strings: `` says``
or `` say`` after a moved source, and a possessive after a name (``'s``, or ``'`` after an
s; `` 's`` and `` '`` in the tokenized form). The first letter of a cased bullet whose opening
was cut is upper-cased.

Compression. Last, unless the caller asks for whole sentences, each bullet is cut to the
editors' length (:mod:`nutgraf.edit.compression`): parse units the model expects to cost the
bullet ROUGE go, never its attribution, figures, negation, subject or main verb.

Speed. nutgraf chooses sentences at hundreds of stories a second per core, so the rule-based
edits must cost well under a millisecond a story (about 0.4 ms on the validation set, most of
it choosing again). A pronoun to resolve needs spaCy's parser and entity recognizer over the
one sentence that should name the person, for the 1-2% of bullets that open with "he", "she",
"his" or "her"; all of a call's go through :meth:`spacy.language.Language.pipe` in one batch,
with the tagger and lemmatizer off. Choosing again reuses the selector's sentence scores.
spaCy's small model finds fewer names in lowercased text, so there more of these bullets are
chosen otherwise than resolved; both keep the bullet true. Compression parses every bullet's
sentence, in one batch per call, without the entity recognizer.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from nutgraf import lexicon, nlp
from nutgraf.claims.referents import Parses, Referent, Referents, naming_sentence
from nutgraf.edit.compression import shorten
from nutgraf.edit.cuts import Piece, compress, merged, pieces_of
from nutgraf.edit.openings import opening_pronoun
from nutgraf.story import Casing, Highlight, Sentence, Story

ROUNDS = 3
"""How many times a story may be chosen again before every pronoun opening is blocked."""

_CLITIC_AFTER = re.compile(
    r"\s*(?:"
    + "|".join(lexicon.APOSTROPHES)
    + ")(?:"
    + "|".join(clitic[1:] for clitic in lexicon.CLITICS if clitic.startswith("'"))
    + r")\b",
    re.IGNORECASE,
)
"""A clitic after an opening word, either apostrophe ("He's", "He’d")."""
_PARSE = frozenset({"tok2vec", "parser", "ner"})
"""The spaCy components resolution needs: subjects from the parser, people from the NER."""


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

    ``None`` when the pronoun is not a plain "He"/"His" at the bullet's very start, or is
    contracted ("He's" may be "He is" or "He has"; a name would read as a possessive); else
    the resolver's naming sentence (:func:`nutgraf.claims.referents.naming_sentence`).
    """
    first = bullet.pieces[0]
    pronoun = bullet.pronoun
    if pronoun not in lexicon.GENDERED_OPENINGS or not isinstance(first, tuple):
        return None
    after = first[0] + len(pronoun)
    if story.text[first[0] : after].lower() != pronoun or _CLITIC_AFTER.match(story.text, after):
        return None
    return naming_sentence(story, bullet.highlight.sentences[0], pronoun)


def _resolve(story: Story, bullet: _Bullet, name: tuple[int, int]) -> list[Piece]:
    """Replace the opening pronoun by the name, with a possessive after it for "his"/"her"."""
    first = bullet.pieces[0]
    assert isinstance(first, tuple) and bullet.pronoun is not None
    pieces: list[Piece] = [name]
    if bullet.pronoun in lexicon.GENDERED_POSSESSIVES:
        ends_in_s = story.text[name[1] - 1].lower() == "s"
        mark = "'" if ends_in_s else "'s"
        pieces.append(" " + mark if story.casing is Casing.TOKENIZED else mark)
    return [*pieces, (first[0] + len(bullet.pronoun), first[1]), *bullet.pieces[1:]]


def _resolve_all(stories: Sequence[Story], bullets: Sequence[list[_Bullet]]) -> None:
    """Resolve every personal-pronoun opening of a call with one batched spaCy pass.

    spaCy reads only each bullet's naming sentence, with its parser (for subjects) and entity
    recognizer, and no tagger or lemmatizer; the resolver then reads those parses.
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
        assert bullet.pronoun is not None
        referents = Referents(story, Parses(story, {naming: doc}))
        name: Referent | None = referents.resolve(
            bullet.highlight.sentences[0],
            bullet.pronoun,
            strict=True,
            context=pieces_of(story, bullet.pieces),
        )
        if name is not None and name.span is not None:
            bullet.pieces = _resolve(story, bullet, name.span)
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


class Chooser(Protocol):
    """What :func:`edit` needs to choose otherwise: a selector that can avoid sentences."""

    def choose(
        self, stories: Sequence[Story], blocked: Sequence[Collection[int]] | None = None
    ) -> list[Story]:
        """Write each story's highlights, whole sentences, none of them among ``blocked``."""
        ...


def edit(stories: Sequence[Story], chooser: Chooser, *, compress: bool = True) -> None:
    """Rewrite every story's highlights in the editors' style, in place (see the module).

    Expects highlights as ``chooser`` writes them, one whole sentence each; a story with a
    bullet whose opening pronoun cannot be resolved is given to ``chooser`` again with such
    sentences blocked. Stories are handled together so that the pronouns of all of them go
    through spaCy in one batch; the result for a story does not depend on the others.
    """
    bullets = [[_bullet(story, h, h.sentences[0]) for h in story.highlights] for story in stories]
    _resolve_all(stories, bullets)
    _choose_otherwise(stories, bullets, chooser)
    if compress:
        shortened = shorten(
            stories, [[(b.highlight.sentences[0], b.pieces) for b in own] for own in bullets]
        )
        for own, pieces in zip(bullets, shortened, strict=True):
            for bullet, cut in zip(own, pieces, strict=True):
                bullet.pieces = cut
    for story, story_bullets in zip(stories, bullets, strict=True):
        story.highlights = [
            replace(b.highlight, text=pieces_of(story, b.pieces), spans=merged(b.pieces))
            for b in story_bullets
        ]
