"""Evaluation of story detection and near-duplicate detection.

Story detection is scored on a labelled JSONL set (fields ``id``, ``title``,
``text``, ``date``, ``cluster``, ``topic``), each row's text first cleaned as a
plain-text article as ``storywire dedup`` receives it, processed as a stream in several
random orders: BCubed and pairwise precision/recall/F1, averaged over orders,
next to a single-pass TF-IDF centroid baseline. Topics are split
deterministically into a *tune* part (odd topic numbers, used for choosing
thresholds) and a *holdout* part (even topic numbers).

Near-duplicate detection is scored on a synthetic set built from the same
articles (:func:`make_copy`): each source article gets a copy wrapped in
random boilerplate, with a few words dropped or altered and truncated to
60-100 %; negatives are all other articles, including same-topic siblings.

Run from the project root::

    python -m storywire.services.dedup.evaluation --dataset ../shared/data/stories/ecbplus-train-dev.jsonl --orders 3
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

import orjson

from storywire.contracts import RawArticle
from storywire.services.cleaner import furniture as furniture_options
from storywire.services.cleaner.cleaning import Rejection, clean_with_memory
from storywire.services.cleaner.dates import parse_date
from storywire.services.cleaner.furniture import FURNISHED_SITES, Furnisher
from storywire.services.cleaner.outlet_boilerplate import MemoryBoilerplate
from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG, ClusterConfig
from storywire.services.dedup.features import ArticleFeatures, featurize
from storywire.services.dedup.memory_index import StreamingClusterer
from storywire.services.dedup.near_duplicates import (
    DUPLICATE_THRESHOLD,
    Signature,
    band_keys,
    best_match,
    shingles,
    signature,
)

__all__ = [
    "Article",
    "ClusterScores",
    "DuplicateReport",
    "Inputs",
    "StoryReport",
    "baseline_clusters",
    "bcubed",
    "evaluate_near_duplicates",
    "evaluate_stories",
    "format_report",
    "load_articles",
    "main",
    "make_copy",
    "pairwise",
    "split_of",
]

Inputs = Literal["pipeline", "publisher", "fields"]
"""How a row reaches the clusterer (see :func:`load_articles`)."""
_INPUTS_READ: dict[Inputs, str] = {
    "pipeline": "cleaned as plain-text articles",
    "publisher": "cleaned as plain-text articles that carry the set's titles, dates and outlets",
    "fields": "taken from the set's fields",
}

_BOILERPLATE = (
    "Stay up to date with notifications from {outlet}",
    "Notifications can be managed in browser preferences.",
    "ADVERTISEMENT",
    "Sign up for our free daily newsletter",
    "Your support helps us to tell the story",
    "Join our commenting forum",
    "Please refresh the page or navigate to another page on the site to be automatically logged in",
    "Share this article on Facebook Twitter WhatsApp Email",
    "Read more: the biggest stories of the day from {outlet}",
    "© 2024 {outlet}. All rights reserved.",
    "Click here to subscribe to {outlet} alerts",
    "This story has been corrected.",
    "Follow {outlet} on social media for the latest updates",
    "Related coverage",
)
_OUTLETS = ("The Daily Planet", "Metro Wire", "Northern Courier", "Global Post", "City Herald")


@dataclass(frozen=True, slots=True)
class Article:
    """One labelled article of an evaluation set."""

    id: str
    title: str | None
    text: str
    published_at: datetime | None
    cluster: str
    topic: str
    language: str | None = None
    """As the cleaner detects it (``None`` when the rows' own fields are used)."""


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


@dataclass(frozen=True, slots=True)
class DuplicateReport:
    """Near-duplicate detection on the synthetic copy set."""

    sources: int
    copies: int
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float
    recall: float
    articles_per_second: float


def split_of(topic: str) -> str:
    """``tune`` for odd topic numbers, ``holdout`` for even ones (hash for non-numeric topics)."""
    digits = re.sub(r"\D", "", topic)
    number = int(digits) if digits else sum(topic.encode())
    return "tune" if number % 2 else "holdout"


def _row_date(row: Mapping[str, object]) -> datetime | None:
    """The row's ``date`` as the cleaner reads a date."""
    value = row.get("date")
    return parse_date(value) if isinstance(value, str) else None


def _as_cleaned(
    raw: RawArticle, memory: MemoryBoilerplate, runner: asyncio.Runner
) -> tuple[str | None, str, datetime | None, str | None]:
    """Title, text, publication time and language as the pipeline sees them."""
    cleaned = runner.run(clean_with_memory(raw, memory))
    if isinstance(cleaned, Rejection):
        # The pipeline rejects it (no article text); score it on its raw text so every article counts.
        return None, raw.content, None, None
    return cleaned.title, cleaned.text, cleaned.published_at, cleaned.language


def load_articles(
    dataset: Path,
    split: str = "all",
    *,
    inputs: Inputs = "fields",
    furniture: Mapping[str, Sequence[str]] | None = None,
    site_urls: bool = False,
    seed: int = 0,
) -> list[Article]:
    """Read a labelled JSONL set, keeping the ``tune``, ``holdout`` or ``all`` topics.

    With ``inputs`` "pipeline" each row's ``text`` goes through the cleaner as a plain-text
    :class:`RawArticle` (as ``storywire dedup`` receives it, with the row's URL), and the title,
    text and publication time are the cleaner's; "publisher" gives the cleaner the row's title,
    date and outlet on the :class:`RawArticle` too, as a publisher that sends its metadata would;
    "fields" takes the row's fields as they are. With ``furniture``
    (site -> lines, :func:`storywire.services.cleaner.furniture.site_furniture`) each text is first wrapped in
    the furniture of one of its sites (:class:`storywire.services.cleaner.furniture.Furnisher`), one item a
    line, and given a URL on that site when ``site_urls`` (so the cleaner can learn each site's
    recurring lines) or none.
    """
    if furniture is not None and inputs == "fields":
        raise ValueError("furniture is only meaningful through the cleaner")
    articles = []
    memory = MemoryBoilerplate()
    furnisher = Furnisher(furniture, seed) if furniture else None
    with dataset.open("rb") as fh, asyncio.Runner() as runner:
        for line in fh:
            if not line.strip():
                continue
            row = orjson.loads(line)
            topic = str(row.get("topic") or row["cluster"])
            if split != "all" and split_of(topic) != split:
                continue
            article_id = str(row["id"])
            if inputs != "fields":
                url, content = row.get("url"), str(row["text"])
                if furnisher is not None:
                    site, content = furnisher(content)
                    url = f"https://{site}/news/{article_id}" if site_urls else None
                given = inputs == "publisher"
                raw = RawArticle(
                    article_id=article_id,
                    url=str(url) if url else None,
                    content=content,
                    content_type="text/plain",
                    title=(row.get("title") or None) if given else None,
                    outlet=(row.get("outlet") or None) if given else None,
                    published_at=_row_date(row) if given else None,
                )
                title, text, published_at, language = _as_cleaned(raw, memory, runner)
            else:
                title, text, published_at, language = row.get("title"), row["text"], _row_date(row), None
            articles.append(Article(article_id, title, text, published_at, str(row["cluster"]), topic, language))
    return articles


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


def _scores(gold: Mapping[str, str], predicted: Mapping[str, str]) -> ClusterScores:
    bp, br, bf = bcubed(gold, predicted)
    pp, pr, pf = pairwise(gold, predicted)
    return ClusterScores(bp, br, bf, pp, pr, pf, float(len(set(predicted.values()))))


def _mean(scores: Sequence[ClusterScores]) -> ClusterScores:
    n = len(scores)
    return ClusterScores(*(sum(getattr(s, f.name) for s in scores) / n for f in fields(ClusterScores)))


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
    """Run the streaming clusterer over articles in the given order; article id -> story id."""
    clusterer = StreamingClusterer(config)
    out = {}
    for i, article in enumerate(articles):
        if features is not None:
            feats = features[article.id]
        else:
            published = article.published_at if use_dates else None
            feats = featurize(article.title, article.text, published, article.language)
        # Logical ingest clock: one second per article, so nothing expires within a test set.
        out[article.id] = clusterer.add(article.id, feats, now=float(i)).story_id
    # Scored where each article ended up: a singleton may have been folded into a story since.
    return {article_id: clusterer.story_of(article_id) or story_id for article_id, story_id in out.items()}


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
    rng = random.Random(seed)
    system: list[ClusterScores] = []
    baseline: list[ClusterScores] = []
    elapsed = 0.0
    orders = 1 if stored_order else orders
    for _ in range(orders):
        order = list(articles)
        if not stored_order:
            rng.shuffle(order)
        start = time.perf_counter()
        predicted = cluster_stream(order, config, use_dates=use_dates)  # timing includes featurizing
        elapsed += time.perf_counter() - start
        system.append(_scores(gold, predicted))
        baseline.append(_scores(gold, baseline_clusters(order, baseline_threshold)))
    return StoryReport(
        dataset=dataset.name,
        split=split,
        inputs=inputs,
        use_dates=use_dates,
        stored_order=stored_order,
        articles=len(articles),
        gold_clusters=len(set(gold.values())),
        orders=orders,
        system=_mean(system),
        baseline=_mean(baseline),
        articles_per_second=len(articles) * orders / elapsed if elapsed else 0.0,
    )


def make_copy(text: str, rng: random.Random, title: str | None = None) -> str:
    """A syndicated-style copy: truncated to 60-100 %, a few words dropped or altered, boilerplate around."""
    words_per_line = [line.split() for line in text.splitlines() if line.strip()]
    total = sum(len(w) for w in words_per_line)
    keep = max(1, int(total * rng.uniform(0.6, 1.0)))
    lines: list[list[str]] = []
    count = 0
    for words in words_per_line:
        if count >= keep:
            break
        lines.append(words[: keep - count])
        count += len(lines[-1])
    edits = rng.randint(1, 5)
    for _ in range(edits):
        line = rng.choice(lines)
        if not line:
            continue
        pos = rng.randrange(len(line))
        if rng.random() < 0.5:
            del line[pos]
        else:
            line[pos] = line[pos].upper() if rng.random() < 0.5 else line[pos][::-1]
    outlet = rng.choice(_OUTLETS)

    def boilerplate(n: int) -> list[str]:
        return [rng.choice(_BOILERPLATE).format(outlet=outlet) for _ in range(n)]

    body = [" ".join(w) for w in lines if w]
    parts = [*boilerplate(rng.randint(1, 4)), *([title] if title and rng.random() < 0.5 else []), *body]
    parts += boilerplate(rng.randint(1, 4))
    return "\n".join(parts)


def _exact_containment(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def _near_duplicate_round(
    articles: Sequence[Article],
    exact: Mapping[str, set[tuple[str, ...]]],
    rng: random.Random,
    copy_share: float,
    min_words: int,
    threshold: float,
    natural_overlap: float,
) -> tuple[int, int, int, int, int]:
    """One synthetic stream; returns (items, copies, tp, fp, fn)."""
    sources = [a for a in articles if len(a.text.split()) >= min_words and rng.random() < copy_share]
    items: list[tuple[str, str, str]] = [(a.id, a.text, a.id) for a in articles]
    copies = [(f"{a.id}#copy", make_copy(a.text, rng, a.title), a.id) for a in sources]
    rng.shuffle(items)
    for copy in copies:  # insert each copy somewhere after its source
        pos = next(i for i, it in enumerate(items) if it[0] == copy[2])
        items.insert(rng.randint(pos + 1, len(items)), copy)

    def related(x: str, y: str) -> bool:
        return x == y or _exact_containment(exact[x], exact[y]) >= natural_overlap

    buckets: dict[str, list[str]] = defaultdict(list)
    sigs: dict[str, Signature] = {}
    origin: dict[str, str] = {}
    tp = fp = fn = 0
    for item_id, text, source in items:
        sig = signature(text)
        keys = band_keys(sig)
        members = {m for k in keys for m in buckets.get(k, ())}
        match = best_match(sig, ((m, sigs[m]) for m in members), threshold)
        is_copy = item_id != source
        if match is not None and related(origin[match[0]], source):
            tp += int(is_copy)  # natural duplicates among the originals are neither TP nor FP
        elif match is not None:
            fp += 1
            fn += int(is_copy)
        elif is_copy:
            fn += 1
        sigs[item_id] = sig
        origin[item_id] = source
        for k in keys:
            buckets[k].append(item_id)
    return len(items), len(copies), tp, fp, fn


def evaluate_near_duplicates(
    dataset: Path,
    *,
    split: str = "all",
    seed: int = 0,
    rounds: int = 5,
    copy_share: float = 0.5,
    min_words: int = 50,
    threshold: float = DUPLICATE_THRESHOLD,
    natural_overlap: float = 0.4,
) -> DuplicateReport:
    """Stream all articles plus synthetic copies (each after its source) through LSH + verification.

    Copies are made of a random ``copy_share`` of the articles with at least
    ``min_words`` words (shorter texts are mostly a headline plus one line, where
    five edits and truncation leave too little to call anything a copy).
    A copy is a true positive when matched to its source, to another copy of it,
    or to an article sharing >= ``natural_overlap`` of the source's shingles
    (exactly counted): the ECB+ data itself holds wire copies and rewrites of
    them, which are real duplicates, not errors. Any other match is a false
    positive (and a miss, for a copy). Counts are pooled over ``rounds`` seeds.
    """
    articles = load_articles(dataset, split)
    exact = {a.id: set(shingles(a.text)) for a in articles}
    totals = [0, 0, 0, 0, 0]
    start = time.perf_counter()
    for r in range(rounds):
        counts = _near_duplicate_round(
            articles, exact, random.Random(seed + r), copy_share, min_words, threshold, natural_overlap
        )
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
    elapsed = time.perf_counter() - start
    items, copies, tp, fp, fn = totals
    return DuplicateReport(
        sources=len(articles),
        copies=copies,
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        articles_per_second=items / elapsed if elapsed else 0.0,
    )


def _row(name: str, s: ClusterScores) -> str:
    return (
        f"| {name} | {s.bcubed_p:.3f} | {s.bcubed_r:.3f} | {s.bcubed_f1:.3f} | "
        f"{s.pair_p:.3f} | {s.pair_r:.3f} | {s.pair_f1:.3f} | {s.clusters:.1f} |"
    )


def format_report(report: StoryReport | Sequence[StoryReport], duplicates: DuplicateReport | None = None) -> str:
    """Markdown table of one or more story reports (and the near-duplicate report)."""
    reports = [report] if isinstance(report, StoryReport) else list(report)
    lines = [
        "| split / system | B³ P | B³ R | B³ F1 | pair P | pair R | pair F1 | clusters |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        label = f"{r.split} ({r.articles} art., {r.gold_clusters} events)"
        lines.append(_row(f"{label}: storywire", r.system))
        lines.append(_row(f"{label}: TF-IDF baseline", r.baseline))
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
        d = duplicates
        lines += [
            "",
            "| near-duplicates (synthetic, pooled over seeds) | copies | TP | FP | FN | P | R | articles/s |",
            "|---|---|---|---|---|---|---|---|",
            f"| MinHash LSH + containment | {d.copies} | {d.true_positives} | {d.false_positives} | "
            f"{d.false_negatives} | {d.precision:.4f} | {d.recall:.4f} | {d.articles_per_second:.0f} |",
        ]
    return "\n".join(lines)


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
    args = parser.parse_args(argv)
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
