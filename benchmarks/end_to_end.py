"""Benchmark ``end_to_end``: the whole pipeline on one Redis, publish → summary.

Workers run as deployed: one ``python -m storywire.services.cli run <stage>`` process each
(``STORYWIRE_HTTP_PORT=0``), on a private Redis with persistence off.

(a) Saturation: a burst of articles is published at once; throughput is articles over
    the time until ``summaries`` plus every dead-letter stream hold them all. One and
    two processes per stage, rounds interleaved (1, 2, 1, 2).
(b) Latency at 50% and 90% of the measured one-process-per-stage rate: articles are
    published one by one at a paced rate; an article's latency runs from its scheduled
    send time to the Redis time stamp of its summary's entry id (when the summarizer's
    commit appended it; same host clock). Scheduled rather than actual send time, so a
    publisher that falls behind cannot hide queueing (no coordinated omission).
(c) The ideal: the three stages' domain code in one process on the same articles
    (``clean_article``; ``features_of`` + ``assign`` on the in-memory index;
    ``summarize_article``). With one process per stage the pipeline can go no faster than
    its slowest stage (1 / max stage cost) nor than the cores allow (cores / sum of stage
    costs, as all three stages compete for them); the ideal is the smaller of the two.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import redis

from benchmarks.common import (
    STAGES,
    Context,
    CpuSampler,
    Result,
    WorkerProcesses,
    encoded,
    generated_articles,
    goal,
    median,
    mix_label,
    mixed_articles,
    outputs_of,
    percentile,
    publish,
    redis_server,
    rnd,
    table,
    wait_total_sync,
)
from benchmarks.stage_costs import measure
from storywire.contracts import ArticleSummary, RawArticle
from storywire.services.runtime.streams import StreamNames

NAME = "end_to_end"
HTML_SHARE = 0.25
GOAL_EFFICIENCY = 0.85
GOAL_P99_MS = 250.0
WARMUP = 6


def _started(url: str, prefix: str, per_stage: int, log_dir: Path) -> WorkerProcesses:
    """Workers of every stage, joined and warmed up on a few articles (lazy imports, models)."""
    workers = WorkerProcesses(url, prefix, STAGES, per_stage, log_dir)
    workers.start()
    names = StreamNames(prefix)
    publish(url, names.raw, encoded(generated_articles(WARMUP, seed=99)))
    with redis.Redis.from_url(url) as client:
        wait_total_sync(client, outputs_of(names, "summarizer"), WARMUP, timeout_s=120)
    return workers


def saturation(
    url: str, prefix: str, per_stage: int, articles: Sequence[RawArticle], log_dir: Path
) -> dict[str, float]:
    """Articles/s of the pipeline on a burst of ``articles``, and the machine's CPU use meanwhile."""
    workers = _started(url, prefix, per_stage, log_dir)
    names = StreamNames(prefix)
    entries = encoded(articles)
    try:
        with redis.Redis.from_url(url) as client, CpuSampler() as cpu:
            started = time.perf_counter()
            publish(url, names.raw, entries)
            done = wait_total_sync(client, outputs_of(names, "summarizer"), WARMUP + len(entries), timeout_s=900)
    finally:
        workers.stop()
    return {"articles_per_s": len(entries) / (done - started), "cpu_utilisation": cpu.utilisation}


def latency(url: str, prefix: str, rate: float, articles: Sequence[RawArticle], log_dir: Path) -> dict[str, Any]:
    """Publish at ``rate``/s, one article at a time; latencies (ms) from scheduled send to summary entry."""
    workers = _started(url, prefix, 1, log_dir)
    names = StreamNames(prefix)
    entries = encoded(articles)
    scheduled: dict[str, float] = {}
    try:
        with redis.Redis.from_url(url) as client:
            t0 = time.time() + 0.2
            for i, (article, fields) in enumerate(zip(articles, entries, strict=True)):
                at = t0 + i / rate
                pause = at - time.time()
                if pause > 0:
                    time.sleep(pause)
                scheduled[article.article_id] = at
                client.xadd(names.raw, fields)
            wait_total_sync(client, outputs_of(names, "summarizer"), WARMUP + len(entries), timeout_s=900)
            latencies = []
            for entry_id, fields in client.xrange(names.summaries):
                summary = ArticleSummary.model_validate_json(fields[b"data"])
                if summary.article_id in scheduled:
                    appeared = int(entry_id.split(b"-")[0]) / 1000
                    latencies.append((appeared - scheduled[summary.article_id]) * 1000)
    finally:
        workers.stop()
    return {
        "rate_per_s": rate,
        "articles": len(articles),
        "summaries": len(latencies),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies, default=0.0),
    }


def run(ctx: Context) -> Result:
    """Saturation (1 and 2 per stage, interleaved), latency at 50% and 90%, and the ideal."""
    count, rounds, seconds = (24, 1, 4.0) if ctx.quick else (240, 2, 20.0)
    cores = os.cpu_count() or 1
    articles = mixed_articles(ctx, count, HTML_SHARE, seed=5)
    mix = mix_label(articles)
    log_dir = Path(tempfile.gettempdir()) / f"storywire-bench-{os.getpid()}"
    runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    with redis_server() as url:
        for r in range(rounds):
            for per_stage in (1, 2):
                runs[per_stage].append(saturation(url, f"e2e-{r}-{per_stage}:", per_stage, articles, log_dir))
        sat = {p: median([x["articles_per_s"] for x in v]) for p, v in runs.items()}
        loads: dict[str, dict[str, Any]] = {}
        for share, seed in ((0.5, 21), (0.9, 22)):
            rate = sat[1] * share
            paced = mixed_articles(ctx, max(10, round(rate * seconds)), HTML_SHARE, seed=seed)
            loads[f"{share:.0%}"] = latency(url, f"lat-{seed}:", rate, paced, log_dir)
    costs = measure(articles)
    per_ms = costs.per_article_ms()
    stage_ms = list(per_ms.values())[:3]
    slowest = max(stage_ms)
    total = sum(stage_ms)
    ideal = {p: min(p * 1000 / slowest, cores * 1000 / total) for p in (1, 2)}
    efficiency = {p: sat[p] / ideal[p] for p in (1, 2)}
    p99_half = loads["50%"]["p99_ms"]
    met_eff = efficiency[1] >= GOAL_EFFICIENCY
    met_p99 = p99_half < GOAL_P99_MS

    sat_rows = [
        (
            f"{p} per stage ({3 * p} processes)",
            rnd(sat[p]),
            " / ".join(f"{x['articles_per_s']:.1f}" for x in runs[p]),
            f"{median([x['cpu_utilisation'] for x in runs[p]]):.0%}",
            rnd(ideal[p]),
            f"{efficiency[p]:.2f}",
        )
        for p in (1, 2)
    ]
    lat_rows = [
        (
            k,
            rnd(v["rate_per_s"]),
            v["summaries"],
            rnd(v["p50_ms"], 0),
            rnd(v["p95_ms"], 0),
            rnd(v["p99_ms"], 0),
            rnd(v["max_ms"], 0),
        )
        for k, v in loads.items()
    ]
    cost_rows = [(k, rnd(v)) for k, v in per_ms.items()]
    bound = "slowest stage" if 1000 / slowest < cores * 1000 / total else f"{cores} cores"
    markdown = (
        f"Inputs: {mix} (saturation and ideal); latency runs use fresh articles of the same mix"
        f" ({HTML_SHARE:.0%} real HTML pages). {rounds} interleaved rounds of saturation; {cores} cores.\n\n"
        "## Saturation\n\n"
        + table(
            ("workers", "articles/s (median)", "per round", "machine CPU busy", "ideal articles/s", "efficiency"),
            sat_rows,
        )
        + f"\n\nEfficiency goal ≥ {GOAL_EFFICIENCY} with one process per stage: {goal(met_eff)}"
        f" ({efficiency[1]:.2f}).\n\n"
        "## Latency (publish → summary entry), paced at a share of the 1-per-stage saturated rate\n\n"
        + table(("load", "rate/s", "summaries", "p50 ms", "p95 ms", "p99 ms", "max ms"), lat_rows)
        + f"\n\np99 < {GOAL_P99_MS:.0f} ms at 50% load: {goal(met_p99)} ({p99_half:.0f} ms).\n\n"
        "## The ideal\n\n"
        "In-process cost per input article (one process, no Redis, same articles; rejected pages count in"
        f" the average with their cleaning cost only; {costs.rejected} rejected):\n\n"
        + table(("stage", "ms/article"), cost_rows)
        + f"\n\nIdeal with p processes per stage = min(p / slowest stage, cores / sum of stages)"
        f" = min(p × {1000 / slowest:.1f}, {cores * 1000 / total:.1f}) articles/s; with one per stage it is bound by"
        f" the {bound}. Three stages on {cores} cores: the slowest stage alone would allow"
        f" {1000 / slowest:.1f}/s, but all three together need {total:.0f} ms of CPU per article. The ideal leaves"
        " out what the service must do besides the domain code: Redis itself (on the same cores), the dedup"
        " index in Redis instead of in memory, outlet-boilerplate memory, the story digest store and"
        " `summarize_story`, JSON and validation at every hop.\n"
    )
    summary = [
        f"saturation: {sat[1]:.1f} articles/s with 1 process per stage, {sat[2]:.1f}/s with 2; ideal {ideal[1]:.1f}/s"
        f" → efficiency {efficiency[1]:.2f} (goal ≥ {GOAL_EFFICIENCY}: {goal(met_eff)})",
        f"latency at 50% load p50/p95/p99 {loads['50%']['p50_ms']:.0f}/{loads['50%']['p95_ms']:.0f}/{p99_half:.0f} ms"
        f" (goal p99 < {GOAL_P99_MS:.0f}: {goal(met_p99)}); at 90% p99 {loads['90%']['p99_ms']:.0f} ms",
        "in-process ms/article: " + ", ".join(f"{k.split(' ')[0]} {v:.1f}" for k, v in per_ms.items()),
    ]
    data: dict[str, Any] = {
        "inputs": mix,
        "articles": count,
        "rounds": rounds,
        "cores": cores,
        "saturation_runs": {str(k): v for k, v in runs.items()},
        "saturation_articles_per_s": {str(k): v for k, v in sat.items()},
        "latency": loads,
        "in_process_ms_per_article": per_ms,
        "rejected": costs.rejected,
        "ideal_articles_per_s": {str(k): v for k, v in ideal.items()},
        "efficiency": {str(k): v for k, v in efficiency.items()},
        "goal_efficiency": GOAL_EFFICIENCY,
        "goal_efficiency_met": met_eff,
        "goal_p99_ms": GOAL_P99_MS,
        "goal_p99_met": met_p99,
    }
    return Result(NAME, "End to end: saturation, latency and the ideal", summary, markdown, data)
