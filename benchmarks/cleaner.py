"""Benchmark ``cleaner``: the real cleaner service through Redis versus a bare trafilatura loop.

Three variants over the same real HTML pages, interleaved round by round:

* ``redis``: the ``cleaner`` service (Worker, batched reads, commit script) in this
  process; the pages are published to ``articles.raw`` first, and the clock runs from
  the worker's start until ``articles.clean`` plus the dead letters hold every page;
* ``trafilatura``: ``trafilatura.extract(html, include_comments=False, include_tables=True)``
  in a loop, the baseline the goal is stated against;
* ``clean_article``: our in-process domain function alone (pre-filter, trafilatura's fast
  mode with a full-cascade fallback, metadata, post-filter), so that the Redis overhead
  (``redis`` / ``clean_article``) shows apart from the extraction differences.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import trafilatura
from redis.asyncio import Redis

from benchmarks.common import (
    Context,
    Result,
    encoded,
    goal,
    load_pages,
    median,
    mix_label,
    outputs_of,
    publish,
    redis_server,
    rnd,
    table,
    wait_total,
)
from storywire.contracts import RawArticle
from storywire.services.cleaner.cleaning import clean_article
from storywire.services.cli.live import service_definitions
from storywire.services.runtime.app import Worker
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames

NAME = "cleaner"
GOAL_RATIO = 0.9


async def through_redis(url: str, prefix: str, pages: Sequence[RawArticle]) -> float:
    """Articles/s of the real cleaner service over ``pages`` (published before the clock starts)."""
    names = StreamNames(prefix)
    publish(url, names.raw, encoded(pages))
    # The service's defaults (batch of 32) except a short block, so the end is seen promptly.
    settings = Settings(redis_url=url, stream_prefix=prefix, http_port=None, block_ms=50)
    worker = Worker(settings, service_definitions(["cleaner"]))
    client = Redis.from_url(url)
    try:
        started = time.perf_counter()
        async with worker.app:
            done = await wait_total(client, outputs_of(names, "cleaner"), len(pages), timeout_s=600)
    finally:
        await client.aclose()
    return len(pages) / (done - started)


def bare_trafilatura(pages: Sequence[RawArticle]) -> float:
    """Articles/s of trafilatura's own extract over the same decoded pages."""
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page.content, include_comments=False, include_tables=True)
    return len(pages) / (time.perf_counter() - started)


def in_process(pages: Sequence[RawArticle]) -> float:
    """Articles/s of our clean_article alone (no Redis, no outlet-boilerplate memory)."""
    started = time.perf_counter()
    for page in pages:
        clean_article(page)
    return len(pages) / (time.perf_counter() - started)


def run(ctx: Context) -> Result:
    """Interleave the three variants for a few rounds; compare medians."""
    count, rounds = (12, 2) if ctx.quick else (100, 3)
    pages = load_pages(ctx, count)
    # Warm-up: first calls import and compile lazily (trafilatura, lxml, language models).
    bare_trafilatura(pages[:3])
    in_process(pages[:3])
    rates: dict[str, list[float]] = {"redis": [], "trafilatura": [], "clean_article": []}
    with redis_server() as url:
        for r in range(rounds):
            rates["redis"].append(asyncio.run(through_redis(url, f"bench-cleaner-{r}:", pages)))
            rates["trafilatura"].append(bare_trafilatura(pages))
            rates["clean_article"].append(in_process(pages))
    med = {k: median(v) for k, v in rates.items()}
    ratio = med["redis"] / med["trafilatura"]
    overhead = med["redis"] / med["clean_article"]
    extraction = med["clean_article"] / med["trafilatura"]
    mix = mix_label(pages)
    rows = [
        (
            "cleaner service through Redis (Worker, batch 32)",
            rnd(med["redis"]),
            " / ".join(f"{x:.1f}" for x in rates["redis"]),
        ),
        (
            "bare `trafilatura.extract` loop",
            rnd(med["trafilatura"]),
            " / ".join(f"{x:.1f}" for x in rates["trafilatura"]),
        ),
        (
            "in-process `clean_article` loop",
            rnd(med["clean_article"]),
            " / ".join(f"{x:.1f}" for x in rates["clean_article"]),
        ),
    ]
    ratios = [
        ("service / trafilatura (goal ≥ 0.9)", f"{ratio:.2f}", goal(ratio >= GOAL_RATIO)),
        ("service / clean_article (Redis + runtime overhead)", f"{overhead:.2f}", ""),
        ("clean_article / trafilatura (our extraction vs bare)", f"{extraction:.2f}", ""),
    ]
    markdown = (
        f"Inputs: {mix}, {rounds} interleaved rounds (service, trafilatura, clean_article per round);"
        " one process, one core used.\n\n"
        + table(("variant", "articles/s (median)", "per round"), rows)
        + "\n\n"
        + table(("ratio", "value", "goal"), ratios)
        + "\n\nThe service's time runs from the worker's start (connect, group check) until"
        " `articles.clean` + `deadletter.cleaner` hold every page; it adds, per page, the JSON decode"
        " and validation of the RawArticle, the outlet-boilerplate memory (two Redis round trips),"
        " the CleanArticle encode and the commit script.\n"
    )
    summary = [
        f"cleaner service {med['redis']:.1f} articles/s vs bare trafilatura {med['trafilatura']:.1f}/s:"
        f" ratio {ratio:.2f} (goal ≥ {GOAL_RATIO}: {goal(ratio >= GOAL_RATIO)})",
        f"in-process clean_article {med['clean_article']:.1f}/s; Redis path keeps {overhead:.0%} of it",
    ]
    data = {
        "inputs": mix,
        "pages": len(pages),
        "rounds": rounds,
        "articles_per_s": rates,
        "median_articles_per_s": med,
        "ratio_service_vs_trafilatura": ratio,
        "ratio_service_vs_clean_article": overhead,
        "ratio_clean_article_vs_trafilatura": extraction,
        "goal_ratio": GOAL_RATIO,
        "goal_met": ratio >= GOAL_RATIO,
    }
    return Result(NAME, "Cleaner: service through Redis vs bare trafilatura", summary, markdown, data)
