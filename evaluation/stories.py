"""Evaluation of story detection and near-duplicate detection.

Story detection is scored on a labelled JSONL set (fields ``id``, ``title``,
``text``, ``date``, ``cluster``, ``topic``), each row's text first cleaned as a
plain-text article as ``storywire dedup`` receives it (:mod:`evaluation.story_set`),
processed as a stream in several random orders: BCubed and pairwise precision/recall/F1,
averaged over orders, next to a single-pass TF-IDF centroid baseline. Topics are split
deterministically into a *tune* part (odd topic numbers, used for choosing
thresholds) and a *holdout* part (even topic numbers).

Near-duplicate detection is scored on a synthetic set built from the same
articles (:mod:`evaluation.duplicates`).

Run from the project root::

    storywire eval stories --dataset ../shared/data/stories/ecbplus-train-dev.jsonl --orders 3
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, get_args

from evaluation import furniture as furniture_options
from evaluation.duplicates import DuplicateReport, evaluate_near_duplicates
from evaluation.furniture import FURNISHED_SITES
from evaluation.story_set import Article, Inputs, load_articles, split_of
from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG, ClusterConfig
from storywire.services.dedup.features import ArticleFeatures
from storywire.services.pipeline import OfflinePipeline

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = [
    "ClusterScores",
    "StoryReport",
    "baseline_clusters",
    "bcubed",
    "cluster_scores",
    "cluster_stream",
    "evaluate_stories",
    "format_duplicates",
    "format_report",
    "main",
    "mean_scores",
    "pairwise",
    "stream_orders",
    "table_row",
]

_INPUTS_READ: dict[Inputs, str] = {
    "pipeline": "cleaned as plain-text articles",
    "publisher": "cleaned as plain-text articles that carry the set's titles, dates and outlets",
    "fields": "taken from the set's fields",
}


@dataclass(frozen=True, slots=True)
class ClusterScores:
    """BCubed and pairwise precision/recall/F1 of one clustering (or an average)."""

    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    pair_p: float
    pair_r: float
    pair_f1: float
    clusters: float


@dataclass(frozen=True, slots=True)
class StoryReport:
    """Story-detection results on one split, averaged over stream orders."""

    dataset: str
    split: str
    inputs: Inputs
    use_dates: bool
    stored_order: bool
    articles: int
    gold_clusters: int
    orders: int
    system: ClusterScores
    baseline: ClusterScores
    articles_per_second: float


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 (F1 of the two averages)."""
    pred_members: dict[str, list[str]] = defaultdict(list)
    gold_sizes = Counter(gold.values())
    for item, cluster in predicted.items():
        pred_members[cluster].append(item)
    precision = recall = 0.0
    for item, cluster in predicted.items():
        labels = Counter(gold[m] for m in pred_members[cluster])
        same = labels[gold[item]]
        precision += same / len(pred_members[cluster])
        recall += same / gold_sizes[gold[item]]
    n = len(predicted)
    p, r = precision / n, recall / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(gold: Mapping[str, str], predicted: Mapping[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 over all same-cluster pairs."""

    def pairs(counts: Iterable[int]) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    both = pairs(Counter((gold[i], predicted[i]) for i in predicted).values())
    pred = pairs(Counter(predicted.values()).values())
    true = pairs(Counter(gold[i] for i in predicted).values())
    p = both / pred if pred else 1.0
    r = both / true if true else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cluster_scores(gold: Mapping[str, str], predicted: Mapping[str, str]) -> ClusterScores:
    bp, br, bf = bcubed(gold, predicted)
    pp, pr, pf = pairwise(gold, predicted)
    return ClusterScores(bp, br, bf, pp, pr, pf, float(len(set(predicted.values()))))


_Scores = TypeVar("_Scores", bound="DataclassInstance")


def mean_scores(scores: Sequence[_Scores]) -> _Scores:
    """Field by field mean of scores of one kind (:class:`ClusterScores`, ``topics.TopicScores``)."""
    n = len(scores)
    kind = type(scores[0])
    return kind(*(sum(getattr(s, f.name) for s in scores) / n for f in fields(kind)))


def stream_orders(articles: Sequence[Article], orders: int, seed: int) -> list[list[Article]]:
    """``orders`` random stream orders of ``articles``, each a fresh shuffle from one seeded sequence."""
    rng = random.Random(seed)
    out = []
    for _ in range(orders):
        order = list(articles)
        rng.shuffle(order)
        out.append(order)
    return out


BASELINE_THRESHOLD = 0.25
"""Cosine threshold of the baseline, the best of 0.15-0.35 on the tune split."""
_BASELINE_TOKEN = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def baseline_clusters(articles: Sequence[Article], threshold: float = BASELINE_THRESHOLD) -> dict[str, str]:
    """Single-pass TF-IDF centroid clustering with one cosine threshold (the reference baseline).

    Scans every centroid: fine for evaluation, not for production.
    """
    df: Counter[str] = Counter()
    centroids: list[dict[str, float]] = []
    assignment: dict[str, str] = {}
    for n, article in enumerate(articles):
        tf = Counter(t.lower() for t in _BASELINE_TOKEN.findall(f"{article.title or ''}\n{article.text}"))
        df.update(tf.keys())
        vec = {t: (1 + math.log(c)) * math.log((n + 2) / (df[t] + 0.5)) for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {t: v / norm for t, v in vec.items()}
        best, best_sim = -1, threshold
        for i, centroid in enumerate(centroids):
            cnorm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
            sim = sum(v * centroid.get(t, 0.0) for t, v in vec.items()) / cnorm
            if sim >= best_sim:
                best, best_sim = i, sim
        if best < 0:
            centroids.append(dict(vec))
            best = len(centroids) - 1
        else:
            centroid = centroids[best]
            for t, v in vec.items():
                centroid[t] = centroid.get(t, 0.0) + v
        assignment[article.id] = f"b{best}"
    return assignment


def cluster_stream(
    articles: Sequence[Article],
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
    features: Mapping[str, ArticleFeatures] | None = None,
    *,
    use_dates: bool = False,
) -> dict[str, str]:
    """Stream articles through the pipeline's dedup stage in the given order; article id -> story id."""
    out = {}
    with OfflinePipeline(config) as pipeline:
        for i, article in enumerate(articles):
            given = None if features is None else features[article.id]
            # Logical ingest clock: one second per article, so nothing expires within a test set.
            placed = pipeline.assign(article.as_clean(use_dates=use_dates), features=given, now=float(i))
            out[article.id] = placed.assignment.story_id
        # Scored where each article ended up: a singleton may have been folded into a story since.
        return {article_id: pipeline.story_of(article_id) or story_id for article_id, story_id in out.items()}


def evaluate_stories(
    dataset: Path,
    *,
    orders: int = 3,
    split: str = "all",
    seed: int = 0,
    config: ClusterConfig = DEFAULT_CLUSTER_CONFIG,
    baseline_threshold: float = BASELINE_THRESHOLD,
    inputs: Inputs = "pipeline",
    use_dates: bool = True,
    loaded: Sequence[Article] | None = None,
    stored_order: bool = False,
) -> StoryReport:
    """Score the streaming clusterer and the baseline on ``split``, averaged over random orders.

    By default the articles reach the clusterer as they do in the service and in
    ``storywire dedup``: each row's text cleaned as a plain-text article, with the
    title and publication time the cleaner finds (``inputs`` as in :func:`load_articles`;
    "fields" uses the row's fields, whose ``date`` the set's makers parsed from the text);
    ``use_dates=False`` withholds publication times. ``loaded`` is the whole
    set as :func:`load_articles` read it with the same ``inputs``, so that
    several splits are cleaned once. ``stored_order`` streams the articles once, in the set's
    own order (which may group or interleave events), instead of ``orders`` random orders.
    """
    if loaded is None:
        articles = load_articles(dataset, split, inputs=inputs)
    else:
        articles = [a for a in loaded if split == "all" or split_of(a.topic) == split]
    gold = {a.id: a.cluster for a in articles}
    system: list[ClusterScores] = []
    baseline: list[ClusterScores] = []
    elapsed = 0.0
    streams = [list(articles)] if stored_order else stream_orders(articles, orders, seed)
    orders = len(streams)
    for order in streams:
        start = time.perf_counter()
        predicted = cluster_stream(order, config, use_dates=use_dates)  # timing includes featurizing
        elapsed += time.perf_counter() - start
        system.append(cluster_scores(gold, predicted))
        baseline.append(cluster_scores(gold, baseline_clusters(order, baseline_threshold)))
    return StoryReport(
        dataset=dataset.name,
        split=split,
        inputs=inputs,
        use_dates=use_dates,
        stored_order=stored_order,
        articles=len(articles),
        gold_clusters=len(set(gold.values())),
        orders=orders,
        system=mean_scores(system),
        baseline=mean_scores(baseline),
        articles_per_second=len(articles) * orders / elapsed if elapsed else 0.0,
    )


def table_row(name: str, s: DataclassInstance) -> str:
    """A table row of scores: each rate to three decimals, the last field (a count of clusters) to one."""
    *rates, count = astuple(s)
    return "| " + " | ".join([name, *(f"{r:.3f}" for r in rates), f"{count:.1f}"]) + " |"


def format_report(report: StoryReport | Sequence[StoryReport], duplicates: DuplicateReport | None = None) -> str:
    """Markdown table of one or more story reports (and the near-duplicate report)."""
    reports = [report] if isinstance(report, StoryReport) else list(report)
    lines = [
        "| split / system | B³ P | B³ R | B³ F1 | pair P | pair R | pair F1 | clusters |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        label = f"{r.split} ({r.articles} art., {r.gold_clusters} events)"
        lines.append(table_row(f"{label}: storywire", r.system))
        lines.append(table_row(f"{label}: TF-IDF baseline", r.baseline))
    speeds = ", ".join(f"{r.split} {r.articles_per_second:.0f}" for r in reports)
    lines.append("")
    inputs = _INPUTS_READ[reports[0].inputs]
    dates = "with" if reports[0].use_dates else "without"
    streamed = (
        "In the set's stored order" if reports[0].stored_order else f"Averaged over {reports[0].orders} stream orders"
    )
    lines.append(
        f"{streamed}; articles {inputs}, {dates} publication dates. "
        f"Articles/s (storywire, incl. featurizing): {speeds}."
    )
    if duplicates is not None:
        lines += ["", format_duplicates(duplicates)]
    return "\n".join(lines)


def format_duplicates(d: DuplicateReport) -> str:
    """Markdown table of the near-duplicate report."""
    return "\n".join(
        [
            "| near-duplicates (synthetic, pooled over seeds) | copies | TP | FP | FN | P | R | articles/s |",
            "|---|---|---|---|---|---|---|---|",
            f"| MinHash LSH + containment | {d.copies} | {d.true_positives} | {d.false_positives} | "
            f"{d.false_negatives} | {d.precision:.4f} | {d.recall:.4f} | {d.articles_per_second:.0f} |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: print the markdown report for tune, holdout and all."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dataset", type=Path, required=True)
    parser.add_argument("--orders", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--split", choices=("tune", "holdout", "all", "each"), default="each")
    parser.add_argument("--no-duplicates", action="store_true", help="skip the synthetic near-duplicate set")
    parser.add_argument(
        "--inputs",
        choices=get_args(Inputs),
        default="pipeline",
        help="pipeline: clean each row's text as a plain-text article first (as `storywire dedup` does); "
        "publisher: the same with the row's title, date and outlet on the article; "
        "fields: use the row's title, text and date",
    )
    parser.add_argument("--no-dates", action="store_true", help="withhold publication times")
    furniture_options.add_arguments(
        parser,
        "wrap each text in the menus, footers and teasers of one of its English sites' pages before "
        "cleaning, one item a line",
    )
    parser.add_argument(
        "--site-urls", action="store_true", help="with --furniture: give each article a URL on its site"
    )
    parser.add_argument(
        "--stored-order", action="store_true", help="stream the set once in its own order instead of random orders"
    )
    parser.add_argument(
        "--cross-source",
        type=Path,
        metavar="WIKINEWS",
        help="with the multi-outlet set at this path: choose settings on each set (and on a half of each) "
        "and score them on the other, beside the TF-IDF baseline chosen the same way",
    )
    parser.add_argument(
        "--window-days", type=float, help="with --cross-source: the publication window instead of the default"
    )
    args = parser.parse_args(argv)
    if args.cross_source is not None:
        # The cross-source harness imports this module's scores and baseline: imported here, not above.
        from evaluation.cross_source import cross_source_report  # noqa: PLC0415 - see the line above

        report = cross_source_report(
            args.dataset, args.cross_source, orders=args.orders, seed=args.seed, window_days=args.window_days
        )
        sys.stdout.write(report + "\n")
        if not args.no_duplicates:
            sys.stdout.write("\n" + format_duplicates(evaluate_near_duplicates(args.dataset, seed=args.seed)) + "\n")
        return 0
    splits: list[str] = ["tune", "holdout", "all"] if args.split == "each" else [args.split]
    furniture = furniture_options.from_arguments(args)
    loaded = load_articles(
        args.dataset,
        "all",
        inputs=args.inputs,
        furniture=furniture,
        site_urls=args.site_urls,
        seed=args.seed,
    )
    reports = [
        evaluate_stories(
            args.dataset,
            orders=args.orders,
            split=s,
            seed=args.seed,
            inputs=args.inputs,
            use_dates=not args.no_dates,
            loaded=loaded,
            stored_order=args.stored_order,
        )
        for s in splits
    ]
    duplicates = None if args.no_duplicates else evaluate_near_duplicates(args.dataset, seed=args.seed)
    sys.stdout.write(format_report(reports, duplicates) + "\n")
    if furniture is not None:
        sys.stdout.write(
            f"\nEach text wrapped in the furniture of one of {min(FURNISHED_SITES, len(furniture))} sites "
            f"(of {len(furniture)}, half {args.furniture_half or 'A and B'}), one item a line, "
            f"{'with a URL on its site' if args.site_urls else 'without a URL'}.\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
