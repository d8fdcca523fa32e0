"""Near-duplicate detection on a synthetic set built from the story set's articles.

Each source article gets a copy (:func:`make_copy`) wrapped in random boilerplate, with a few
words dropped or altered and truncated to 60-100 %; negatives are all other articles,
including same-topic siblings.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluation.story_set import Article, load_articles
from storywire.services.dedup.near_duplicates import (
    DUPLICATE_THRESHOLD,
    Signature,
    band_keys,
    best_match,
    shingles,
    signature,
)

__all__ = ["DuplicateReport", "evaluate_near_duplicates", "make_copy"]

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
