"""Benchmark ``profile``: where each stage's time goes, in process and through Redis (cProfile).

For each stage, two profiles over the same articles (the usual mix):

* the in-process loop of its domain code (``clean_article``; ``features_of`` + ``assign``
  on the in-memory index; ``summarize_article``);
* the stage as a service (Worker in this process, on a private Redis), from start until
  its output streams hold every input, fed with the previous stage's real output.

Written to ``profile.md``: the top functions by own time (% of the profile's total), and
for the Redis path what the runtime adds, as cumulative shares: JSON decode + pydantic
validation of the input (``wire.decode_entry``), encoding the outputs (``wire.encode_entry``),
the commit script pipeline (``StageRunner._commit_all``), logging, the redis client, FastStream
and the event loop.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
from collections.abc import Callable, Sequence
from typing import Any

from redis.asyncio import Redis

from benchmarks.common import (
    Context,
    Result,
    encoded,
    mix_label,
    mixed_articles,
    outputs_of,
    publish,
    redis_server,
    table,
    wait_total,
)
from storywire.contracts import CleanArticle, RawArticle, StoryAssignment
from storywire.services.cleaner.cleaning import Rejection, clean_article
from storywire.services.cli.live import service_definitions
from storywire.services.dedup.assigning import assign, features_of
from storywire.services.dedup.memory_index import InMemoryStoryIndex
from storywire.services.runtime.app import Worker
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames
from storywire.services.summarizer.summarizing import summarize_article

NAME = "profile"
TOP = 12
HTML_SHARE = 0.25

#: Cumulative-time probes: (label, file suffix, function name).
_PROBES = (
    ("stage handler (domain code + its own Redis calls)", "/services/runtime/delivery.py", "_handle_with_retries"),
    ("JSON decode + pydantic validation (wire.decode_entry)", "/services/runtime/wire.py", "decode_entry"),
    ("JSON encode of outputs (wire.encode_entry)", "/services/runtime/wire.py", "encode_entry"),
    ("commit: Lua script per entry, one pipeline (_commit_all)", "/services/runtime/delivery.py", "_commit_all"),
    ("tracing/log context per entry", "/services/runtime/logs.py", "message_context"),
)
#: Own-time sums by package folder.
_PACKAGES = (
    ("logging (stdlib)", "/logging/"),
    ("redis client (redis-py)", "/site-packages/redis/"),
    ("FastStream", "/site-packages/faststream/"),
    ("asyncio event loop + selector", "/asyncio/"),
    ("pydantic (validation, serialisation)", "/site-packages/pydantic"),
)

Stats = dict[tuple[str, int, str], tuple[int, int, float, float, Any]]


def _stats(profiler: cProfile.Profile) -> tuple[Stats, float]:
    raw: Stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    return raw, sum(v[2] for v in raw.values())


def _where(key: tuple[str, int, str]) -> str:
    path, line, name = key
    if path == "~":
        return name  # a builtin, e.g. <method 'sub' of 're.Pattern' objects>
    for marker in ("/site-packages/", "/work/main/", "/lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{name} ({path}:{line})"


def _top(stats: Stats, total: float) -> list[tuple[str, float]]:
    ranked = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:TOP]
    return [(_where(k), v[2] / total * 100) for k, v in ranked]


def _breakdown(stats: Stats, total: float) -> list[tuple[str, float]]:
    rows = []
    for label, suffix, name in _PROBES:
        cumulative = max((v[3] for k, v in stats.items() if k[0].endswith(suffix) and k[2] == name), default=0.0)
        rows.append((label, cumulative / total * 100))
    for label, folder in _PACKAGES:
        rows.append((label + " (own time)", sum(v[2] for k, v in stats.items() if folder in k[0]) / total * 100))
    return rows


def _profile(fn: Callable[[], object]) -> tuple[Stats, float]:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    return _stats(profiler)


async def _service(url: str, prefix: str, stage: str) -> None:
    names = StreamNames(prefix)
    inputs = {"cleaner": names.raw, "dedup": names.clean, "summarizer": names.assigned}[stage]
    client = Redis.from_url(url)
    expected = int(await client.xlen(inputs))
    # Outputs of this stage: its main stream plus its own dead letters (earlier ones already counted out).
    main = outputs_of(names, stage)[0]
    worker = Worker(
        Settings(redis_url=url, stream_prefix=prefix, http_port=None, block_ms=50), service_definitions([stage])
    )
    try:
        async with worker.app:
            await wait_total(client, [main, names.dead_letters(stage)], expected, timeout_s=600)
    finally:
        await client.aclose()


def _in_process(raws: Sequence[RawArticle]) -> dict[str, tuple[Stats, float]]:
    cleans: list[CleanArticle] = []
    assignments: list[StoryAssignment] = []

    def cleaning() -> None:
        for raw in raws:
            result = clean_article(raw)
            if not isinstance(result, Rejection):
                cleans.append(result)

    def dedup() -> None:
        async def loop() -> None:
            index = InMemoryStoryIndex()
            for article in cleans:
                assignments.append((await assign(article, features_of(article), index)).assignment)

        asyncio.run(loop())

    def summarizing() -> None:
        for assignment in assignments:
            summarize_article(assignment)

    return {"cleaner": _profile(cleaning), "dedup": _profile(dedup), "summarizer": _profile(summarizing)}


def run(ctx: Context) -> Result:
    """Profile each stage in process and as a service; write the hotspots."""
    count = 12 if ctx.quick else 60
    raws = mixed_articles(ctx, count, HTML_SHARE, seed=31)
    _in_process(raws[:6])  # warm-up: lazy model loads (language ids, gazetteers) are not what we profile
    local = _in_process(raws)
    remote: dict[str, tuple[Stats, float]] = {}
    with redis_server() as url:
        prefix = "bench-profile:"
        publish(url, StreamNames(prefix).raw, encoded(raws))
        for stage in ("cleaner", "dedup", "summarizer"):
            remote[stage] = _profile(lambda stage=stage: asyncio.run(_service(url, prefix, stage)))  # type: ignore[misc]
    sections = [
        f"Inputs: {mix_label(raws)}; cProfile (deterministic: adds overhead per call, so small"
        " functions called very often look costlier than they are; use the shares to rank, not as timings).\n"
    ]
    data: dict[str, Any] = {"inputs": mix_label(raws), "articles": count, "stages": {}}
    summary: list[str] = []
    for stage in ("cleaner", "dedup", "summarizer"):
        (ls, ltotal), (rs, rtotal) = local[stage], remote[stage]
        top_local, top_remote, parts = _top(ls, ltotal), _top(rs, rtotal), _breakdown(rs, rtotal)
        sections.append(f"## {stage}\n")
        sections.append(f"In-process loop: {ltotal:.2f} s profiled ({ltotal / count * 1000:.1f} ms/article).\n")
        sections.append(table(("function (own time)", "% of total"), [(f, f"{p:.1f}") for f, p in top_local]) + "\n")
        sections.append(
            f"Through Redis (the service): {rtotal:.2f} s profiled ({rtotal / count * 1000:.1f} ms/article).\n"
        )
        sections.append(table(("function (own time)", "% of total"), [(f, f"{p:.1f}") for f, p in top_remote]) + "\n")
        sections.append("What the runtime adds around the handler (cumulative share of the service profile):\n")
        sections.append(table(("part", "% of total"), [(f, f"{p:.1f}") for f, p in parts]) + "\n")
        data["stages"][stage] = {
            "in_process_s": ltotal,
            "service_s": rtotal,
            "in_process_top": top_local,
            "service_top": top_remote,
            "service_breakdown": parts,
        }
        handler = parts[0][1]
        summary.append(
            f"{stage}: top in-process hotspot {top_local[0][0]} ({top_local[0][1]:.0f}%); as a service the handler"
            f" is {handler:.0f}% of the time, commit {parts[3][1]:.0f}%, decode {parts[1][1]:.0f}%"
        )
    return Result(NAME, "Profile: hotspots per stage, in process and through Redis", summary, "\n".join(sections), data)
