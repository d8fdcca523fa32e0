"""Evaluation of topics above stories: BCubed over ``topic_id`` against a set's ``topic`` labels.

Each ECB+ topic holds two sibling events (two earthquakes, two rehab check-ins): storywire should
give the two events' stories one ``topic_id`` while keeping them apart as stories. The articles are
cleaned as plain-text articles (as ``storywire dedup`` receives them), streamed through the
pipeline's dedup stage in several random orders, and each article is scored with the topic of the
story it ended in.

The revisit of a young story's topic (``YOUNG_STORY`` and ``REVISIT_THRESHOLD`` of
:mod:`storywire.services.dedup.topics`) is chosen on the *tune* topics (odd numbers): the best B³ F1
whose B³ precision stays at ``PRECISION_FLOOR`` or above, with the new story's ``TOPIC_THRESHOLD``
at its shipped value (chosen on tune before revisits existed; ``--sweep-threshold`` sweeps it).
Scores are reported on the *holdout* topics (even numbers) first, beside the topic decided once
(no revisits) and two baselines: every story its own topic (storywire's ``story_id``), and a
single-pass TF-IDF centroid clustering with its one threshold chosen on tune the same way.

Run from the project root::

    storywire eval topics --dataset ../shared/data/stories/ecbplus-train-dev.jsonl --orders 3
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from evaluation.stories import baseline_clusters, bcubed, mean_scores, pairwise, stream_orders, table_row
from evaluation.story_set import Article, load_articles, split_of
from storywire.services.dedup import topics
from storywire.services.dedup.assigning import features_of
from storywire.services.dedup.features import ArticleFeatures
from storywire.services.pipeline import OfflinePipeline

__all__ = [
    "TopicReport",
    "TopicScores",
    "choose_revisit",
    "evaluate_topics",
    "main",
    "stream_topics",
    "topic_threshold",
]

#: Thresholds tried on the tune topics, for storywire's topic decision and for the baseline.
TOPIC_GRID = tuple(round(0.05 + 0.025 * i, 3) for i in range(15))
#: (young story size, revisit threshold) pairs tried on the tune topics.
REVISIT_GRID = tuple((k, t) for k in (2, 3, 4, 5, 8) for t in (0.15, 0.175, 0.2, 0.25))
PRECISION_FLOOR = 0.95
"""The B³ precision a revisit setting must keep on tune: a topic that merges two is worse than two topics."""
BASELINE_GRID = tuple(round(0.05 + 0.025 * i, 3) for i in range(9))


@dataclass(frozen=True, slots=True)
class TopicScores:
    """BCubed and pairwise precision/recall/F1 of one labelling against the topics, and its topic count."""

    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    pair_p: float
    pair_f1: float
    topics: float


@dataclass(frozen=True, slots=True)
class TopicReport:
    """Topic scores on one split, averaged over stream orders."""

    split: str
    articles: int
    gold_topics: int
    gold_events: int
    orders: int
    threshold: float
    young: int
    revisit: float
    baseline_threshold: float
    topics: TopicScores
    once: TopicScores
    """The topic decided once, when a story starts (no revisits)."""
    stories: TopicScores
    """Every story its own topic."""
    baseline: TopicScores
    events_kept: float
    """BCubed recall of the topics against the events: 1.0 when no event's articles are split across topics."""


@contextmanager
def topic_threshold(threshold: float, young: int | None = None, revisit: float | None = None) -> Iterator[None]:
    """Run the dedup stage with other topic settings (for choosing them), then restore them."""
    saved = topics.TOPIC_THRESHOLD, topics.YOUNG_STORY, topics.REVISIT_THRESHOLD
    topics.TOPIC_THRESHOLD = threshold
    topics.YOUNG_STORY = saved[1] if young is None else young
    topics.REVISIT_THRESHOLD = saved[2] if revisit is None else revisit
    try:
        yield
    finally:
        topics.TOPIC_THRESHOLD, topics.YOUNG_STORY, topics.REVISIT_THRESHOLD = saved


def stream_topics(
    articles: Sequence[Article], features: Mapping[str, ArticleFeatures]
) -> tuple[dict[str, str], dict[str, str]]:
    """Stream articles through the dedup stage in this order: (article -> topic, article -> story)."""
    stories = {}
    with OfflinePipeline() as pipeline:
        for i, article in enumerate(articles):
            # Logical ingest clock: one second per article, so nothing expires within a test set.
            placed = pipeline.assign(article.as_clean(), features=features[article.id], now=float(i))
            stories[article.id] = placed.assignment.story_id
        # Scored where each article ended up: a singleton may have been folded into a story since.
        stories = {a: pipeline.story_of(a) or s for a, s in stories.items()}
        topic_of: dict[str, str] = {}
        for story_id in set(stories.values()):
            update = pipeline.story(story_id)
            topic_of[story_id] = update.topic_id if update is not None and update.topic_id else story_id
    return {a: topic_of[s] for a, s in stories.items()}, stories


def topic_scores(gold: Mapping[str, str], predicted: Mapping[str, str]) -> TopicScores:
    bp, br, bf = bcubed(gold, predicted)
    pp, _pr, pf = pairwise(gold, predicted)
    return TopicScores(bp, br, bf, pp, pf, float(len(set(predicted.values()))))


def _features(articles: Sequence[Article]) -> dict[str, ArticleFeatures]:
    return {a.id: features_of(a.as_clean()) for a in articles}


def choose_threshold(
    articles: Sequence[Article], orders: int, seed: int, grid: Sequence[float] = TOPIC_GRID
) -> tuple[float, dict[float, float]]:
    """The topic threshold with the best mean BCubed F1 on ``articles`` (ties: the lower), and F1 per threshold."""
    gold = {a.id: a.topic for a in articles}
    features = _features(articles)
    streams = stream_orders(articles, orders, seed)
    f1 = {}
    for threshold in grid:
        with topic_threshold(threshold):
            f1[threshold] = sum(bcubed(gold, stream_topics(o, features)[0])[2] for o in streams) / len(streams)
    return max(grid, key=lambda t: (f1[t], -t)), f1


def choose_revisit(
    articles: Sequence[Article],
    orders: int,
    seed: int,
    threshold: float,
    grid: Sequence[tuple[int, float]] = REVISIT_GRID,
) -> tuple[tuple[int, float], dict[tuple[int, float], tuple[float, float]]]:
    """The (young size, revisit threshold) with the best mean B³ F1 on ``articles`` among those whose
    mean B³ precision reaches ``PRECISION_FLOOR`` (ties: the smaller size, then the higher threshold;
    none reaching it: revisits off), and (P, F1) per pair."""
    gold = {a.id: a.topic for a in articles}
    features = _features(articles)
    streams = stream_orders(articles, orders, seed)
    scored = {}
    for young, revisit in grid:
        with topic_threshold(threshold, young, revisit):
            runs = [bcubed(gold, stream_topics(o, features)[0]) for o in streams]
        scored[(young, revisit)] = (sum(r[0] for r in runs) / len(runs), sum(r[2] for r in runs) / len(runs))
    kept = [pair for pair in grid if scored[pair][0] >= PRECISION_FLOOR]
    if not kept:
        return (0, 1.0), scored
    return max(kept, key=lambda pair: (round(scored[pair][1], 6), -pair[0], pair[1])), scored


def choose_baseline(
    articles: Sequence[Article], orders: int, seed: int, grid: Sequence[float] = BASELINE_GRID
) -> tuple[float, dict[float, float]]:
    """The single-pass TF-IDF threshold with the best mean BCubed F1 over topics on ``articles``."""
    gold = {a.id: a.topic for a in articles}
    streams = stream_orders(articles, orders, seed)
    f1 = {t: sum(bcubed(gold, baseline_clusters(o, t))[2] for o in streams) / len(streams) for t in grid}
    return max(grid, key=lambda t: (f1[t], -t)), f1


def evaluate_topics(
    articles: Sequence[Article],
    split: str,
    *,
    threshold: float,
    baseline_threshold: float,
    orders: int,
    seed: int,
    young: int | None = None,
    revisit: float | None = None,
) -> TopicReport:
    """Score storywire's topics (revisits by ``young`` and ``revisit``, the shipped ones when None), the
    topic decided once, and both baselines on the ``split`` articles, averaged over random orders."""
    young = topics.YOUNG_STORY if young is None else young
    revisit = topics.REVISIT_THRESHOLD if revisit is None else revisit
    chosen = [a for a in articles if split == "all" or split_of(a.topic) == split]
    gold = {a.id: a.topic for a in chosen}
    events = {a.id: a.cluster for a in chosen}
    features = _features(chosen)
    system, once, stories, baseline, kept = [], [], [], [], []
    for order in stream_orders(chosen, orders, seed):
        with topic_threshold(threshold, young, revisit):
            topic_of, story_of = stream_topics(order, features)
        with topic_threshold(threshold, 0):
            once.append(topic_scores(gold, stream_topics(order, features)[0]))
        system.append(topic_scores(gold, topic_of))
        stories.append(topic_scores(gold, story_of))
        baseline.append(topic_scores(gold, baseline_clusters(order, baseline_threshold)))
        kept.append(bcubed(events, topic_of)[1])
    return TopicReport(
        split=split,
        articles=len(chosen),
        gold_topics=len(set(gold.values())),
        gold_events=len(set(events.values())),
        orders=orders,
        threshold=threshold,
        young=young,
        revisit=revisit,
        baseline_threshold=baseline_threshold,
        topics=mean_scores(system),
        once=mean_scores(once),
        stories=mean_scores(stories),
        baseline=mean_scores(baseline),
        events_kept=sum(kept) / len(kept),
    )


def format_report(
    reports: Sequence[TopicReport],
    sweep: Mapping[float, float],
    baseline: Mapping[float, float],
    revisits: Mapping[tuple[int, float], tuple[float, float]] | None = None,
) -> str:
    """Markdown table of the reports (held-aside first), then the tune sweeps."""
    lines = [
        "| split / system | B³ P | B³ R | B³ F1 | pair P | pair F1 | topics |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        label = f"{r.split} ({r.articles} art., {r.gold_topics} topics, {r.gold_events} events)"
        settings = f"threshold {r.threshold:g}, revisited up to {r.young} articles at {r.revisit:g}"
        lines.append(table_row(f"{label}: storywire topic_id ({settings})", r.topics))
        lines.append(table_row(f"{label}: topic decided once (threshold {r.threshold:g}, no revisits)", r.once))
        lines.append(table_row(f"{label}: every story its own topic", r.stories))
        lines.append(table_row(f"{label}: TF-IDF single pass (threshold {r.baseline_threshold:g})", r.baseline))
    first = reports[0]
    lines += [
        "",
        f"Averaged over {first.orders} stream orders; articles cleaned as plain-text articles, with the dates "
        "the cleaner finds. Settings chosen on the tune topics (odd numbers) only.",
        "Events kept whole (BCubed recall of topic_id against the events): "
        + ", ".join(f"{r.split} {r.events_kept:.3f}" for r in reports)
        + ".",
        "",
        "Tune B³ P/F1 by (young size, revisit threshold), kept when P >= "
        + f"{PRECISION_FLOOR:g}: "
        + ", ".join(f"({k}, {t:g}) {p:.3f}/{f:.3f}" for (k, t), (p, f) in (revisits or {}).items())
        + ".",
        "Tune B³ F1 by topic threshold: " + ", ".join(f"{t:g} {f:.3f}" for t, f in sweep.items()) + ".",
        "Tune B³ F1 of the TF-IDF baseline by threshold: "
        + ", ".join(f"{t:g} {f:.3f}" for t, f in baseline.items())
        + ".",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: choose the settings on tune, print holdout, tune and all."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, required=True)
    parser.add_argument("--orders", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="the new story's topic threshold (default: the shipped TOPIC_THRESHOLD)",
    )
    parser.add_argument(
        "--sweep-threshold", action="store_true", help="choose the new story's topic threshold on tune first"
    )
    parser.add_argument(
        "--shipped", action="store_true", help="score the shipped revisit settings instead of choosing them on tune"
    )
    args = parser.parse_args(argv)
    loaded = load_articles(args.dataset, "all", inputs="pipeline")
    tune = [a for a in loaded if split_of(a.topic) == "tune"]
    sweep: dict[float, float] = {}
    threshold = topics.TOPIC_THRESHOLD if args.threshold is None else args.threshold
    if args.sweep_threshold:
        threshold, sweep = choose_threshold(tune, args.orders, args.seed)
    revisits: dict[tuple[int, float], tuple[float, float]] = {}
    young, revisit = topics.YOUNG_STORY, topics.REVISIT_THRESHOLD
    if not args.shipped:
        (young, revisit), revisits = choose_revisit(tune, args.orders, args.seed, threshold)
    baseline_threshold, baseline_sweep = choose_baseline(tune, args.orders, args.seed)
    reports = [
        evaluate_topics(
            loaded,
            split,
            threshold=threshold,
            young=young,
            revisit=revisit,
            baseline_threshold=baseline_threshold,
            orders=args.orders,
            seed=args.seed,
        )
        for split in ("holdout", "tune", "all")
    ]
    sys.stdout.write(format_report(reports, sweep, baseline_sweep, revisits) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
