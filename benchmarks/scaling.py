"""Benchmark ``scaling``: cleaner throughput with 1, 2 and 4 worker processes.

The cleaner-only pipeline (``python -m storywire.services.cli run cleaner`` × n on one Redis), a
burst of the usual mix published at once, rounds interleaved (1, 2, 4, 1, 2, 4). The
cleaner is CPU-bound Python (trafilatura, lxml, regexes), one core per process at most,
so on this 2-core machine throughput should flatten from 2 processes on; machine-wide CPU
use (/proc/stat, sampled while the burst is processed) shows whether the cores are the limit.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import redis

from benchmarks.common import (
    Context,
    CpuSampler,
    Result,
    WorkerProcesses,
    encoded,
    generated_articles,
    median,
    mix_label,
    mixed_articles,
    outputs_of,
    publish,
    redis_server,
    rnd,
    table,
    wait_total_sync,
)
from storywire.services.runtime.streams import StreamNames

NAME = "scaling"
PROCESSES = (1, 2, 4)
HTML_SHARE = 0.25
WARMUP = 4


def one_run(url: str, prefix: str, processes: int, entries: list[dict[bytes, bytes]], log_dir: Path) -> dict[str, Any]:
    """Articles/s of ``processes`` cleaners on a burst, with the machine's CPU use meanwhile."""
    names = StreamNames(prefix)
    outputs = outputs_of(names, "cleaner")
    workers = WorkerProcesses(url, prefix, ["cleaner"], processes, log_dir)
    workers.start()
    try:
        with redis.Redis.from_url(url) as client:
            # Warm every process (lazy imports, compiled patterns) with a few articles each.
            publish(url, names.raw, encoded(generated_articles(WARMUP * processes, seed=98)))
            wait_total_sync(client, outputs, WARMUP * processes, 120)
            with CpuSampler() as cpu:
                started = time.perf_counter()
                publish(url, names.raw, entries)
                done = wait_total_sync(client, outputs, WARMUP * processes + len(entries), 900)
    finally:
        workers.stop()
    return {
        "articles_per_s": len(entries) / (done - started),
        "cpu_utilisation": cpu.utilisation,
        "cpu_samples": [round(x, 3) for x in cpu.samples],
    }


def run(ctx: Context) -> Result:
    """Interleave 1, 2 and 4 processes; report medians, speed-up and CPU use."""
    count, rounds = (24, 1) if ctx.quick else (300, 2)
    cores = os.cpu_count() or 1
    articles = mixed_articles(ctx, count, HTML_SHARE, seed=8)
    entries = encoded(articles)
    log_dir = Path(tempfile.gettempdir()) / f"storywire-bench-{os.getpid()}"
    runs: dict[int, list[dict[str, Any]]] = {p: [] for p in PROCESSES}
    with redis_server() as url:
        for r in range(rounds):
            for p in PROCESSES:
                runs[p].append(one_run(url, f"scale-{r}-{p}:", p, entries, log_dir))
    rate = {p: median([x["articles_per_s"] for x in v]) for p, v in runs.items()}
    cpu = {p: median([x["cpu_utilisation"] for x in v]) for p, v in runs.items()}
    rows = [
        (
            p,
            rnd(rate[p]),
            " / ".join(f"{x['articles_per_s']:.1f}" for x in runs[p]),
            f"{rate[p] / rate[1]:.2f}",
            f"{rate[p] / rate[1] / p:.2f}",
            f"{cpu[p]:.0%}",
        )
        for p in PROCESSES
    ]
    flat = rate[4] / rate[2]
    markdown = (
        f"Inputs: {mix_label(articles)}, published as one burst; cleaner stage only; {rounds} interleaved rounds;"
        f" {cores} cores (Redis and the publisher share them).\n\n"
        + table(
            ("processes", "articles/s (median)", "per round", "speed-up", "per-process efficiency", "machine CPU busy"),
            rows,
        )
        + f"\n\n4 processes vs 2: {flat:.2f}×. One cleaner is a single-threaded Python process, so it keeps at"
        f" most one core busy (machine CPU busy ≈ {cpu[1]:.0%} with one, i.e. about one of {cores} cores, Redis"
        " included). Two processes fill both cores; beyond that the processes only time-share the same"
        " cores, so throughput flattens (and context switches and the Redis server's share of the CPU cost"
        " a little). Scaling out further needs more cores or machines, not more processes per machine.\n"
    )
    summary = [
        f"cleaner processes 1/2/4: {rate[1]:.1f}/{rate[2]:.1f}/{rate[4]:.1f} articles/s"
        f" (speed-up {rate[2] / rate[1]:.2f}× at 2, {rate[4] / rate[1]:.2f}× at 4);"
        f" machine CPU busy {cpu[1]:.0%}/{cpu[2]:.0%}/{cpu[4]:.0%}; 4 vs 2 processes {flat:.2f}× ({cores} cores)",
    ]
    data = {
        "inputs": mix_label(articles),
        "articles": count,
        "rounds": rounds,
        "cores": cores,
        "runs": {str(k): v for k, v in runs.items()},
        "median_articles_per_s": {str(k): v for k, v in rate.items()},
        "median_cpu_utilisation": {str(k): v for k, v in cpu.items()},
        "ratio_4_vs_2": flat,
    }
    return Result(NAME, "Scaling: cleaner processes on a 2-core machine", summary, markdown, data)
