"""Score figure sources against PolNeAR's attributions, on articles nobody tuned for.

Every figure nutgraf finds in an article is judged by where it stands:

* inside an attribution's content whose source the corpus **names** (a word in capitals that
  is not a pronoun: "The New York Post", "Caddell", "a Washington Post-ABC News poll"), it
  must be credited to that source;
* **outside** every content, it must be credited to nobody: the article states it;
* inside a content whose source is a pronoun or a bare description ("he", "a source"), it is
  counted apart, since the corpus does not say whom the pronoun names.

A credit names the source when the two are names of one party
(:func:`~nutgraf.claims.referents.same_party`, on the source up to its first comma and without
its titles, so that "Charlie King, a prominent New York Democrat" is "Charlie King" and "Mr.
Rhodes" is the "Benjamin J. Rhodes" the story introduced), or when every word of the
credit is a word of the annotated source ("memo" for "a memo released Friday by the agency's
watchdog").

``cross_validate`` reports the training corpus by folds of articles, each fold scored by a
model fitted on the others, as the issue asks ("report both on train too").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from nutgraf import lexicon
from nutgraf.claims import extract
from nutgraf.claims.attribution import Attributor
from nutgraf.claims.referents import is_role, same_party
from nutgraf.claims.sources import SourceModel
from nutgraf.claims.train import Article, fit, targets


@dataclass(slots=True)
class SourcesReport:
    """Counts of one scoring run."""

    articles: int = 0
    named: int = 0
    named_right: int = 0
    outside: int = 0
    outside_right: int = 0
    unnamed: int = 0
    unnamed_credited: int = 0

    @property
    def named_accuracy(self) -> float:
        """Share of figures in a named source's content credited to that source."""
        return self.named_right / self.named if self.named else 0.0

    @property
    def outside_accuracy(self) -> float:
        """Share of figures outside every content credited to nobody."""
        return self.outside_right / self.outside if self.outside else 0.0

    @property
    def overall(self) -> float:
        """Both together: the share of judged figures credited rightly."""
        judged = self.named + self.outside
        return (self.named_right + self.outside_right) / judged if judged else 0.0

    def add(self, other: SourcesReport) -> None:
        """Add another run's counts (a fold's) to these."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_markdown(self) -> str:
        """Return a one-row table: both judged rates, overall, and the pronoun-source count."""
        return (
            "| articles | named | credited to it | outside | credited to nobody | overall |"
            " pronoun or description |\n"
            "|--:|--:|--:|--:|--:|--:|--:|\n"
            f"| {self.articles} | {self.named} | {self.named_accuracy:.3f} | {self.outside}"
            f" | {self.outside_accuracy:.3f} | {self.overall:.3f} | {self.unnamed} |"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the counts and rates, as JSON."""
        return {
            "articles": self.articles,
            "named": self.named,
            "named_accuracy": round(self.named_accuracy, 4),
            "outside": self.outside,
            "outside_accuracy": round(self.outside_accuracy, 4),
            "overall": round(self.overall, 4),
            "unnamed": self.unnamed,
            "unnamed_credited": self.unnamed_credited,
        }


def is_named(source: str) -> bool:
    """Whether an annotated source names its party: a capitalized word, not a pronoun."""
    return any(
        word[:1].isupper()
        and word.lower() not in lexicon.OPENING_PRONOUNS
        and word.lower() not in ("a", "an", "the")
        for word in source.split()
    )


def credits_source(source: str, credit: str | None) -> bool:
    """Whether a credit names the annotated source (see the module's docstring)."""
    if credit is None:
        return False
    name = " ".join(w for w in source.split(",")[0].split() if not is_role(w))
    if same_party(name, credit):
        return True
    words = set(lexicon.WORD.findall(credit.lower())) - {"the", "a", "an"}
    return bool(words) and words <= set(lexicon.WORD.findall(source.lower()))


def score(
    articles: Sequence[Article], model: SourceModel, *, progress: bool = False
) -> SourcesReport:
    """Credit every figure of the articles with ``model`` and judge each credit."""
    report = SourcesReport()
    for article in tqdm(articles, desc="sources", unit="article", disable=not progress):
        report.articles += 1
        attributor = Attributor(article.story, article.docs, model)
        for i, sentence in enumerate(article.story.sentences):
            for mention in extract.mentions(article.docs[i]):
                start = sentence.start + mention.span.start_char
                gold = article.attribution_of(start, sentence.start + mention.span.end_char)
                credit = attributor.source(i, mention.head)
                if gold is None:
                    report.outside += 1
                    report.outside_right += credit is None
                elif gold.source_text and is_named(gold.source_text):
                    report.named += 1
                    report.named_right += credits_source(gold.source_text, credit)
                else:
                    report.unnamed += 1
                    report.unnamed_credited += credit is not None
    return report


def cross_validate(articles: Sequence[Article], folds: int = 5) -> SourcesReport:
    """Score each fold of articles with a model fitted on the other folds."""
    report = SourcesReport()
    for fold in tqdm(range(folds), desc="folds", unit="fold"):
        held = [a for k, a in enumerate(articles) if k % folds == fold]
        kept = [a for k, a in enumerate(articles) if k % folds != fold]
        report.add(score(held, fit(kept, targets(kept))))
    return report
