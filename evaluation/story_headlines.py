"""Story headlines against human-written event headlines (Wikinews).

Each event of the multi-outlet story set (``wikinews-dev.jsonl``; its ``cluster`` is the title of
the Wikinews article that cites the event's sources, a human-written headline) becomes one story:
its gold articles, each cleaned as a plain-text article from a publisher that sends its title,
outlet and date (:func:`evaluation.story_set.load_articles`, ``inputs="publisher"``), are summarised
and recorded in one story in date order (undated last), as ``storywire summarize --stories``
does, and the story is summarised (:func:`storywire.services.summarizer.summarizing.summarize_story`).
Events of one article are left out: their story headline can only be that article's title.

Scored against the reference with ROUGE-1/2/L F-measure x100 (rouge-score, Porter stemming):

* ``headline``: ``StorySummary.headline``;
* ``point``: the story's first key point;
* ``earliest``: the earliest article's title (undated articles after dated ones, then input order);
* ``medoid``: the title of the article most similar to the rest of its event (TF-IDF over title
  and text, IDF over the whole set; the article whose vector has the highest summed cosine to the
  other articles' vectors).

Also counted: stories with no headline at all, and headlines that are site furniture. The stated
furniture test (:func:`is_furniture`): a headline is furniture when it holds a phrase of site
chrome (cookie, subscribe, sign in, newsletter, menu, ...: :data:`FURNITURE_PHRASES`, whole words,
any case) or when it is, letter for letter, a line found in articles of three or more events
(a page's chrome recurs across unrelated stories, a headline does not).

The events are split into two halves by a stated rule, the parity of the first byte of the
SHA-1 of the reference headline (:func:`half_of`): any rule of the story headline was chosen on
half ``A`` and is reported first on half ``B``, then on ``A`` and on all events.

Run: ``storywire eval summaries --stories-dataset PATH`` (with the summary report), or
``python -m evaluation.story_headlines --dataset PATH`` alone.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from evaluation.jsonl import read_jsonl
from evaluation.rouge import f_measures
from evaluation.story_set import Article, Inputs, load_articles
from storywire.contracts import StoryAssignment, StorySummary
from storywire.services.pipeline import OfflinePipeline
from storywire.services.summarizer.keywords import terms

__all__ = [
    "DEFAULT_DATASET",
    "FURNITURE_PHRASES",
    "EventStory",
    "HeadlineReport",
    "build_stories",
    "evaluate_story_headlines",
    "format_headline_report",
    "half_of",
    "is_furniture",
    "main",
    "medoid_title",
]

_PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_DATASET = _PROJECT.parent / "shared" / "data" / "stories" / "wikinews-dev.jsonl"

#: Phrases of site chrome that a headline of an event never needs (whole words, any case).
FURNITURE_PHRASES = (
    "cookie",
    "cookies",
    "subscribe",
    "subscription",
    "sign in",
    "sign up",
    "log in",
    "login",
    "newsletter",
    "menu",
    "skip to",
    "privacy policy",
    "terms of use",
    "all rights reserved",
    "advertisement",
    "share this",
    "follow us",
    "javascript",
    "click here",
    "read more",
    "related articles",
    "most popular",
)
_FURNITURE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in FURNITURE_PHRASES) + r")\b", re.IGNORECASE)
#: A line found in articles of this many events or more is a site's chrome.
_RECURRING_EVENTS = 3
_SYSTEMS = ("headline", "point", "earliest", "medoid")


@dataclass(frozen=True, slots=True)
class EventStory:
    """One event of the set: its reference headline, its articles in date order and its story summary."""

    reference: str
    articles: tuple[Article, ...]
    summary: StorySummary

    @property
    def half(self) -> str:
        """``A`` or ``B`` (:func:`half_of`)."""
        return half_of(self.reference)


@dataclass(frozen=True, slots=True)
class HeadlineReport:
    """Mean ROUGE F-measures (x100) of each candidate over the events of one half."""

    half: str
    events: int
    scores: Mapping[str, tuple[float, float, float]]
    no_headline: int
    furniture: int


def half_of(reference: str) -> str:
    """``A`` when the first byte of the SHA-1 of ``reference`` is even, else ``B``."""
    return "A" if hashlib.sha1(reference.encode(), usedforsecurity=False).digest()[0] % 2 == 0 else "B"


def _reference(cluster: str, subset: str | None) -> str:
    """The event's headline: the cluster label without its subset's prefix (``wikinews_big:``)."""
    prefix = f"{subset}:" if subset else ""
    return cluster[len(prefix) :] if prefix and cluster.startswith(prefix) else cluster


def _date_order(articles: Iterable[Article]) -> list[Article]:
    """Dated articles by date, then undated ones, each in input order."""
    listed = list(articles)
    latest = datetime.max.replace(tzinfo=UTC)
    return sorted(listed, key=lambda a: (a.published_at is None, a.published_at or latest, listed.index(a)))


def _story(
    pipeline: OfflinePipeline, story_id: str, articles: Sequence[Article], outlets: Mapping[str, str]
) -> StorySummary:
    """The articles recorded in one story, in the given order, and the story's summary."""
    for position, article in enumerate(articles):
        clean = article.as_clean().model_copy(update={"outlet": outlets.get(article.id)})
        assignment = StoryAssignment(
            article_id=clean.article_id,
            content_hash=clean.content_hash,
            story_id=story_id,
            is_new_story=position == 0,
            article=clean,
        )
        pipeline.summarize(assignment)
    return next(s for s in pipeline.story_summaries(min_articles=1) if s.story_id == story_id)


def build_stories(dataset: Path, inputs: Inputs = "publisher") -> list[EventStory]:
    """Every event of two or more articles as one story (see the module notes).

    With ``inputs`` "pipeline" the cleaner gets each row's text alone (no title, outlet or date), as
    from a scraper that sends none: titles, and the baselines' titles, are those the cleaner finds.
    """
    rows = list(read_jsonl(dataset))
    outlets = {str(r["id"]): str(r.get("outlet") or "") or None for r in rows}
    subsets = {str(r["cluster"]): r.get("subset") for r in rows}
    events: dict[str, list[Article]] = {}
    for article in load_articles(dataset, inputs=inputs):
        events.setdefault(article.cluster, []).append(article)
    # A scraper that sends the text alone sends no outlet either.
    known = {k: v for k, v in outlets.items() if v is not None and inputs == "publisher"}
    stories = []
    with OfflinePipeline() as pipeline:
        for number, (cluster, members) in enumerate(events.items()):
            if len(members) < 2:
                continue
            ordered = _date_order(members)
            summary = _story(pipeline, f"event-{number}", ordered, known)
            stories.append(EventStory(_reference(cluster, subsets.get(cluster)), tuple(ordered), summary))
    return stories


def _tfidf(texts: Sequence[str], idf: Mapping[str, float]) -> list[dict[str, float]]:
    vectors = []
    for text in texts:
        counts = Counter(terms(text))
        vector = {t: c * idf.get(t, 0.0) for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({t: v / norm for t, v in vector.items()})
    return vectors


def _idf(documents: Iterable[str]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    n = 0
    for document in documents:
        frequency.update(set(terms(document)))
        n += 1
    return {t: math.log((1 + n) / (1 + f)) + 1 for t, f in frequency.items()}


def medoid_title(articles: Sequence[Article], idf: Mapping[str, float]) -> str | None:
    """The title of the titled article most similar to the rest (summed cosine of TF-IDF vectors)."""
    vectors = _tfidf([f"{a.title or ''}\n{a.text}" for a in articles], idf)
    best: tuple[float, int] | None = None
    for i, article in enumerate(articles):
        if not article.title:
            continue
        score = sum(
            sum(w * vectors[j].get(t, 0.0) for t, w in vectors[i].items()) for j in range(len(articles)) if j != i
        )
        if best is None or score > best[0]:
            best = (score, i)
    return None if best is None else articles[best[1]].title


def _recurring_lines(articles: Iterable[Article]) -> frozenset[str]:
    """Lines (and titles) found in articles of :data:`_RECURRING_EVENTS` or more events."""
    events: dict[str, set[str]] = {}
    for article in articles:
        for line in {*(article.text.splitlines()), article.title or ""}:
            key = line.strip().casefold()
            if key:
                events.setdefault(key, set()).add(article.cluster)
    return frozenset(line for line, found in events.items() if len(found) >= _RECURRING_EVENTS)


def is_furniture(headline: str, recurring: frozenset[str] = frozenset()) -> bool:
    """True when ``headline`` holds a phrase of site chrome or is one of the ``recurring`` lines."""
    return bool(_FURNITURE_RE.search(headline)) or headline.strip().casefold() in recurring


def _candidates(story: EventStory, idf: Mapping[str, float]) -> dict[str, str | None]:
    titled = [a for a in story.articles if a.title]
    points = story.summary.key_points
    return {
        "headline": story.summary.headline,
        "point": points[0].text if points else None,
        "earliest": titled[0].title if titled else None,
        "medoid": medoid_title(story.articles, idf),
    }


def evaluate_story_headlines(stories: Sequence[EventStory], half: str = "all") -> HeadlineReport:
    """Mean ROUGE of each candidate over the events of ``half`` (``A``, ``B`` or ``all``)."""
    return _headline_report(half, _scored_stories(stories, half))


@dataclass(frozen=True, slots=True)
class _ScoredStory:
    """One event's ROUGE F-measures per candidate (None: the candidate has no text), and its headline's flaws."""

    half: str
    scores: Mapping[str, tuple[float, float, float] | None]
    no_headline: bool
    furniture: bool


def _scored_stories(stories: Sequence[EventStory], half: str) -> list[_ScoredStory]:
    """Each event of ``half`` scored; the IDF and the recurring lines are those of every event."""
    everything = [a for s in stories for a in s.articles]
    idf = _idf(f"{a.title or ''}\n{a.text}" for a in everything)
    recurring = _recurring_lines(everything)
    scored = []
    for story in stories:
        if half not in ("all", story.half):
            continue
        candidates = _candidates(story, idf)
        scores: dict[str, tuple[float, float, float] | None] = {}
        for name, text in candidates.items():
            if not text:
                scores[name] = None
                continue
            scores[name] = f_measures(story.reference, text)
        headline = candidates["headline"]
        furniture = headline is not None and is_furniture(headline, recurring)
        scored.append(_ScoredStory(story.half, scores, headline is None, furniture))
    return scored


def _headline_report(half: str, scored: Sequence[_ScoredStory]) -> HeadlineReport:
    """The mean F-measures x100 over the scored events of ``half``, summed in the events' order."""
    chosen = [s for s in scored if half in ("all", s.half)]
    totals = {name: [0.0, 0.0, 0.0] for name in _SYSTEMS}
    for story in chosen:
        for name, f in story.scores.items():
            if f is None:
                continue
            for k in range(3):
                totals[name][k] += f[k]
    n = max(1, len(chosen))
    means = {name: (100 * t[0] / n, 100 * t[1] / n, 100 * t[2] / n) for name, t in totals.items()}
    no_headline = sum(s.no_headline for s in chosen)
    return HeadlineReport(half, len(chosen), means, no_headline, sum(s.furniture for s in chosen))


def format_headline_report(reports: Sequence[HeadlineReport]) -> str:
    """A markdown table: each half's ROUGE for the story headline, the first point and both baselines."""
    lines = [
        "Story headlines against Wikinews headlines (ROUGE F x100; rules chosen on half A, B is unseen)",
        "",
        "| half | events | candidate | R1 | R2 | RL | ΔR1 vs best baseline | no headline | furniture |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for rep in reports:
        best = max(rep.scores["earliest"][0], rep.scores["medoid"][0])
        for name in _SYSTEMS:
            r1, r2, rl = rep.scores[name]
            delta = f"{r1 - best:+.2f}" if name in ("headline", "point") else ""
            counts = (f"{rep.no_headline}", f"{rep.furniture}") if name == "headline" else ("", "")
            lines.append(
                f"| {rep.half} | {rep.events} | {name} | {r1:.2f} | {r2:.2f} | {rl:.2f} | {delta} | "
                + " | ".join(counts)
                + " |"
            )
    return "\n".join(lines)


def story_headline_section(dataset: Path, inputs: Inputs = "publisher") -> str:
    """The report for ``dataset``: half B (unseen) first, then A, then all."""
    scored = _scored_stories(build_stories(dataset, inputs), "all")
    return format_headline_report([_headline_report(half, scored) for half in ("B", "A", "all")])


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; prints a markdown report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument(
        "--inputs",
        choices=("publisher", "pipeline"),
        default="publisher",
        help="publisher: each row's title, outlet and date sent with its text; pipeline: the text alone",
    )
    args = parser.parse_args(argv)
    sys.stdout.write(story_headline_section(args.dataset, args.inputs) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
