"""Benchmark ``article_length``: each stage's cost per KB of text, from a short article to a very long one.

One article of 5, 50, 200 and 500 KB of text (1 KB = 1,000 characters; ``--quick``: 2, 10 and 40 KB),
made by joining real articles' texts (the CNN/DailyMail, ECB+ and Wikinews development sets in a fixed
shuffled order, a blank line between two), goes through each stage's domain code alone, no Redis:

* the cleaner, on the text as plain text and as an HTML page (the paragraphs in ``<p>``, a title, a
  menu and a footer), with its time budget off so that its cost shows rather than its cut-off;
* dedup's features (``featurize``: weighted terms, entity keys, the MinHash signature);
* the summarizer: ``summarize_article``, and its parts apart (entities, quotes, key points,
  keywords; each splits the text into sentences itself).

The goal: a flat cost per KB, the ms/KB at the largest size at most :data:`GOAL_RATIO` times the ms/KB
at the smallest. A stage that compares every sentence with every other one scores about 100 here.
Sizes are interleaved within a round, and small sizes are repeated until a measurement takes
:data:`MIN_SECONDS`; the tables give medians over the rounds.
"""

from __future__ import annotations

import html
import itertools
import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import Context, Result, goal, median, table
from evaluation.jsonl import read_jsonl
from storywire.contracts import CleanArticle, RawArticle, StoryAssignment
from storywire.contracts.articles import content_digest
from storywire.services.cleaner.cleaning import clean_article, count_words
from storywire.services.dedup.features import featurize
from storywire.services.summarizer.entities import extract_entities
from storywire.services.summarizer.key_points import key_points
from storywire.services.summarizer.keywords import keywords
from storywire.services.summarizer.quotes import extract_quotes
from storywire.services.summarizer.summarizing import KEY_POINTS, summarize_article

NAME = "article_length"
SIZES_KB = (5, 50, 200, 500)
QUICK_SIZES_KB = (2, 10, 40)
ROUNDS, QUICK_ROUNDS = 3, 2
#: A small size is timed over repeated calls until they take this long (one call at 5 KB is a few ms).
MIN_SECONDS = 0.5
GOAL_RATIO = 2.0
TITLE = "A long read"
LANGUAGE = "en"
_SOURCES = ("summaries/cnndm-dev.jsonl", "stories/ecbplus-train-dev.jsonl", "stories/wikinews-dev.jsonl")


def source_texts(shared: Path, seed: int = 7) -> list[str]:
    """The development sets' article texts, in a fixed shuffled order (so every run joins the same)."""
    texts: list[str] = []
    for name in _SOURCES:
        path = shared / name
        if not path.is_file():
            raise SystemExit(f"no {path}: pass --shared <path to shared/data>")
        texts += [text for row in read_jsonl(path) if (text := row["text"].strip())]
    if not texts:
        raise SystemExit(f"no article texts under {shared}")
    random.Random(seed).shuffle(texts)
    return texts


def long_text(texts: Sequence[str], kb: int) -> str:
    """``kb`` thousand characters (at most) of the texts joined by blank lines, cut at a word boundary."""
    limit = kb * 1000
    parts: list[str] = []
    size = 0
    for text in itertools.cycle(texts):
        if size > limit:
            break
        parts.append(text)
        size += len(text) + 2
    return "\n\n".join(parts)[:limit].rsplit(None, 1)[0]


def page(text: str) -> str:
    """The text as a simple news page: a menu, the title, the paragraphs, a footer."""
    menu = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in ("World", "Politics", "Sport", "Culture"))
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n\n"))
    return (
        f"<html><head><title>{TITLE}</title></head><body><nav><ul>{menu}</ul></nav>"
        f"<article><h1>{TITLE}</h1>\n{body}</article><footer><p>© Example News</p></footer></body></html>"
    )


def assignment(text: str) -> StoryAssignment:
    """The text as the summarizer receives it (already clean, in a new story)."""
    digest = content_digest(text)
    article = CleanArticle(
        article_id="long",
        title=TITLE,
        language=LANGUAGE,
        text=text,
        word_count=count_words(text),
        content_hash=digest,
        source_hash=digest,
    )
    return StoryAssignment(
        article_id="long", content_hash=digest, story_id="s-long", is_new_story=True, article=article
    )


def stages(text: str) -> dict[str, Callable[[], object]]:
    """Each measured stage as a call on this text (inputs built outside the timed calls)."""
    plain = RawArticle(article_id="long", content=text, language=LANGUAGE)
    markup = RawArticle(article_id="long", content=page(text), content_type="text/html")
    assigned = assignment(text)
    mentions = extract_entities(text, title=TITLE)
    published = datetime(2026, 12, 1, tzinfo=UTC)
    return {
        "cleaner, plain text": lambda: clean_article(plain, time_budget_s=None),
        "cleaner, HTML page": lambda: clean_article(markup, time_budget_s=None),
        "dedup features": lambda: featurize(TITLE, text, published, LANGUAGE),
        "summarize_article (all)": lambda: summarize_article(assigned),
        "  entities": lambda: extract_entities(text, title=TITLE),
        "  quotes": lambda: extract_quotes(text, mentions),
        "  key points": lambda: key_points(text, title=TITLE, limit=KEY_POINTS, language=LANGUAGE),
        "  keywords": lambda: keywords(text, title=TITLE, language=LANGUAGE),
    }


def seconds_per_call(call: Callable[[], object], min_seconds: float = MIN_SECONDS) -> float:
    """Mean seconds of one call, repeated until the calls took ``min_seconds``."""
    calls = 0
    started = time.perf_counter()
    while True:
        call()
        calls += 1
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return elapsed / calls


def measure(sizes_kb: Sequence[int], texts: Sequence[str], rounds: int) -> dict[str, dict[int, list[float]]]:
    """Milliseconds per KB, by stage and size, one value per round (sizes interleaved in each round)."""
    inputs = {kb: long_text(texts, kb) for kb in sizes_kb}
    # Warm-up: the first calls load the gazetteers, the language model and trafilatura.
    for call in stages(long_text(texts, 2)).values():
        call()
    found: dict[str, dict[int, list[float]]] = {}
    for _ in range(rounds):
        for kb in sizes_kb:
            for stage, call in stages(inputs[kb]).items():
                found.setdefault(stage, {}).setdefault(kb, []).append(seconds_per_call(call) * 1000 / kb)
    return found


def ratios(per_kb: dict[str, dict[int, list[float]]]) -> dict[str, float]:
    """Each stage's median ms/KB at the largest size over the one at the smallest."""
    out = {}
    for stage, by_size in per_kb.items():
        smallest, largest = min(by_size), max(by_size)
        out[stage] = median(by_size[largest]) / max(1e-9, median(by_size[smallest]))
    return out


def run(ctx: Context) -> Result:
    """Measure every stage at every size; the ratio of the largest size's ms/KB to the smallest's."""
    sizes, rounds = (QUICK_SIZES_KB, QUICK_ROUNDS) if ctx.quick else (SIZES_KB, ROUNDS)
    per_kb = measure(sizes, source_texts(ctx.shared), rounds)
    ratio = ratios(per_kb)
    largest = max(sizes)
    rows = [
        (
            stage.strip() if not stage.startswith(" ") else f"… {stage.strip()}",
            *(f"{median(by_size[kb]):.2f}" for kb in sizes),
            f"{median(by_size[largest]) * largest / 1000:.2f}",
            f"{ratio[stage]:.2f}",
            goal(ratio[stage] <= GOAL_RATIO),
        )
        for stage, by_size in per_kb.items()
    ]
    header = ("stage", *(f"ms/KB at {kb} KB" for kb in sizes), f"s at {largest} KB", "ratio", "goal")
    markdown = (
        f"Inputs: one article of {', '.join(f'{kb}' for kb in sizes)} KB (1 KB = 1,000 characters) of real"
        " articles' texts joined (CNN/DailyMail, ECB+ and Wikinews development sets); median of"
        f" {rounds} rounds, sizes interleaved. Ratio: ms/KB at {largest} KB over ms/KB at {min(sizes)} KB"
        f" (goal ≤ {GOAL_RATIO}). The summarizer's parts (…) are included in `summarize_article`.\n\n"
        + table(header, rows)
        + "\n"
    )
    worst = max((s for s in ratio if not s.startswith(" ")), key=lambda s: ratio[s])
    summarize_s = median(per_kb["summarize_article (all)"][largest]) * largest / 1000
    summary = [
        f"cost per KB from {min(sizes)} to {largest} KB: worst ratio {ratio[worst]:.2f} ({worst}),"
        f" goal ≤ {GOAL_RATIO}: {goal(all(r <= GOAL_RATIO for r in ratio.values()))}",
        f"summarize_article at {largest} KB: {summarize_s:.1f} s",
    ]
    data: dict[str, Any] = {
        "sizes_kb": list(sizes),
        "rounds": rounds,
        "ms_per_kb": {stage: {str(kb): v for kb, v in by_size.items()} for stage, by_size in per_kb.items()},
        "ratio_largest_vs_smallest": ratio,
        "goal_ratio": GOAL_RATIO,
        "goal_met": all(r <= GOAL_RATIO for r in ratio.values()),
    }
    return Result(NAME, "Cost per KB of text, from a short article to a very long one", summary, markdown, data)
