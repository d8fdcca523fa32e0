"""The state of the pipeline as Redis sees it: for ``storywire stats`` and the metrics gauges."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from storywire.services.runtime.redis_values import as_text
from storywire.services.runtime.streams import StreamNames

#: Which group of ours reads which stream.
GROUPS = {"raw": "cleaner", "clean": "dedup", "assigned": "summarizer"}
STAGES = ("cleaner", "dedup", "summarizer")
#: Entries counted at most when a server too old to report lag (before 7.0) needs counting.
_LAG_COUNT_CAP = 100_000


@dataclass(frozen=True, slots=True)
class GroupStats:
    """One consumer group on one stream."""

    name: str
    consumers: int
    pending: int
    lag: int


@dataclass(frozen=True, slots=True)
class StreamStats:
    """One stream: length, entries added in the last minute, and its groups."""

    name: str
    length: int
    last_minute: int
    groups: tuple[GroupStats, ...] = ()


@dataclass(frozen=True, slots=True)
class PipelineStats:
    """Every stream of the pipeline, the dead letters and the open stories."""

    streams: tuple[StreamStats, ...]
    dead_letters: dict[str, int] = field(default_factory=dict)
    stories_open: int = 0


async def _lag(redis: Redis, stream: str, group: dict[str, object]) -> int:
    lag = group.get("lag")
    if isinstance(lag, int):
        return lag
    last = group["last-delivered-id"]
    last_id = as_text(last) if isinstance(last, bytes | str) else str(last)
    newer = await redis.xrange(stream, min=f"({last_id}", max="+", count=_LAG_COUNT_CAP)
    return len(newer or [])


async def stream_stats(redis: Redis, stream: str, *, now_ms: int | None = None) -> StreamStats:
    """Length, entries of the last minute and group figures of one stream."""
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    length = int(await redis.xlen(stream))
    recent = await redis.xrange(stream, min=str(now_ms - 60_000), max="+", count=_LAG_COUNT_CAP)
    try:
        raw_groups = await redis.xinfo_groups(stream)
    except ResponseError:
        raw_groups = []
    groups = []
    for group in raw_groups:
        groups.append(
            GroupStats(
                name=as_text(group["name"]),
                consumers=int(group["consumers"]),
                pending=int(group["pending"]),
                lag=await _lag(redis, stream, group),
            )
        )
    return StreamStats(stream, length, len(recent or []), tuple(groups))


async def collect(redis: Redis, names: StreamNames) -> PipelineStats:
    """Figures for every stream of the pipeline."""
    streams = (names.raw, names.clean, names.assigned, names.summaries, names.stories, names.story_summaries)
    stats = tuple([await stream_stats(redis, s) for s in streams])
    dead = {stage: int(await redis.xlen(names.dead_letters(stage))) for stage in STAGES}
    open_stories = int(await redis.zcard(names.key("dedup", "open-stories")))
    return PipelineStats(stats, dead, open_stories)


def format_table(stats: PipelineStats) -> str:
    """A plain-text table for the terminal."""
    lines = [f"{'stream':<28}{'length':>9}{'/min':>8}  groups (pending, lag, consumers)"]
    for stream in stats.streams:
        groups = ", ".join(
            f"{g.name}: {g.pending} pending, {g.lag} lag, {g.consumers} consumers" for g in stream.groups
        )
        lines.append(f"{stream.name:<28}{stream.length:>9}{stream.last_minute:>8}  {groups or '-'}")
    letters = ", ".join(f"{stage} {count}" for stage, count in stats.dead_letters.items())
    lines.append(f"dead letters: {letters}")
    lines.append(f"stories open: {stats.stories_open}")
    return "\n".join(lines)
