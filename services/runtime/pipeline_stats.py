"""The state of the pipeline as Redis sees it: for ``storywire stats`` and the metrics gauges.

A snapshot reads summaries only, never entries: ``XLEN`` and ``XINFO GROUPS`` per stream,
``XLEN`` per dead-letter stream and one ``ZCARD``, pipelined in one round trip. Its cost and
reply size depend on the number of streams and groups, not on the backlog or the size of the
articles in it (reading entries to count them took seconds and hundreds of MB of worker memory
on a large backlog).

What the summaries give depends on the server:

* Redis 7+ reports each group's ``lag`` (entries not yet delivered) and ``entries-read``; their
  sum is the stream's entries-added counter, from which :class:`PipelineMonitor` derives the
  entries added per minute between its snapshots.
* Redis before 7 reports neither: the lag is then unknown, and ``length - pending`` is given as
  an upper bound (the stream holds every pending entry, and maintenance trims what all groups
  acknowledged, so the bound is tight right after a trim); entries per minute are unknown.

:class:`PipelineMonitor` caches a snapshot for a few seconds and runs one at a time, so any
number of concurrent scrapes costs one snapshot; a snapshot that fails or times out is
counted, not hidden.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from storywire.services.runtime.redis_values import as_text
from storywire.services.runtime.stages import STAGES
from storywire.services.runtime.streams import StreamNames

log = logging.getLogger(__name__)

#: A snapshot is reused by scrapes for this long (Prometheus scrapes every 15 s or more).
SNAPSHOT_MAX_AGE_S = 5.0
#: A snapshot that takes longer than this fails (and is counted) instead of holding the scrape.
SNAPSHOT_TIMEOUT_S = 5.0
#: Entries per minute are averaged over the snapshots of at most this long.
RATE_WINDOW_S = 120.0


@dataclass(frozen=True, slots=True)
class GroupStats:
    """One consumer group on one stream."""

    name: str
    consumers: int
    pending: int
    lag: int | None
    """Entries not yet delivered to the group, as Redis 7+ reports it; None when the server cannot tell."""
    lag_at_most: int
    """An upper bound on ``lag`` from counts alone: the stream's length less the group's pending entries."""
    entries_read: int | None = None
    """The group's read counter (Redis 7+): entries delivered to it since the stream began."""


@dataclass(frozen=True, slots=True)
class StreamStats:
    """One stream: length, entries added, and its groups."""

    name: str
    length: int
    groups: tuple[GroupStats, ...] = ()
    entries_added: int | None = None
    """Entries ever added to the stream (Redis 7+, from a group's read counter and lag); None when unknown."""
    per_minute: float | None = None
    """Entries added per minute between this snapshot and an earlier one (None without both)."""


@dataclass(frozen=True, slots=True)
class PipelineStats:
    """Every stream of the pipeline, the dead letters and the open stories."""

    streams: tuple[StreamStats, ...]
    dead_letters: dict[str, int] = field(default_factory=dict)
    stories_open: int | None = None
    failed: tuple[str, ...] = ()
    """What could not be read (a stream, a dead-letter stream, the open stories): left out, not zero."""


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _group(raw: Mapping[str, Any], length: int) -> GroupStats:
    pending = int(raw["pending"])
    return GroupStats(
        name=as_text(raw["name"]),
        consumers=int(raw["consumers"]),
        pending=pending,
        lag=_count(raw.get("lag")),
        lag_at_most=max(0, length - pending),
        entries_read=_count(raw.get("entries-read")),
    )


def _stream(name: str, length: int, raw_groups: list[Mapping[str, Any]]) -> StreamStats:
    groups = tuple(_group(g, length) for g in raw_groups)
    # Every group of a stream counts from its start: read + lag is the stream's added counter.
    added = [g.entries_read + g.lag for g in groups if g.entries_read is not None and g.lag is not None]
    return StreamStats(name, length, groups, max(added) if added else None)


def _missing_stream(error: object) -> bool:
    return isinstance(error, ResponseError) and "no such key" in str(error).lower()


async def collect(redis: Redis, names: StreamNames) -> PipelineStats:
    """Figures for every stream of the pipeline: one pipelined round trip of summaries, no entries."""
    streams = (names.raw, names.clean, names.assigned, names.summaries, names.stories, names.story_summaries)
    pipe = redis.pipeline(transaction=False)
    for stream in streams:
        pipe.xlen(stream)
        pipe.xinfo_groups(stream)
    for stage in STAGES:
        pipe.xlen(names.dead_letters(stage))
    pipe.zcard(names.key("dedup", "open-stories"))
    replies = await pipe.execute(raise_on_error=False)
    failed: list[str] = []

    def ok(what: str, reply: object) -> bool:
        if isinstance(reply, Exception):
            log.warning("pipeline figures: cannot read %s: %s", what, reply)
            failed.append(what)
            return False
        return True

    stats = []
    for i, stream in enumerate(streams):
        length, groups = replies[2 * i], replies[2 * i + 1]
        if _missing_stream(groups):
            groups = []  # XINFO GROUPS of a stream not created yet (XLEN says 0)
        if ok(stream, length) and ok(stream, groups):
            stats.append(_stream(stream, int(length), groups))
    dead = {}
    for j, stage in enumerate(STAGES):
        reply = replies[2 * len(streams) + j]
        if ok(names.dead_letters(stage), reply):
            dead[stage] = int(reply)
    open_stories = replies[-1]
    stories_open = int(open_stories) if ok("open stories", open_stories) else None
    return PipelineStats(tuple(stats), dead, stories_open, tuple(dict.fromkeys(failed)))


@dataclass(frozen=True, slots=True)
class SnapshotState:
    """The latest snapshot (None when it failed entirely) and how snapshots have gone."""

    stats: PipelineStats | None
    ok: bool
    """The latest snapshot read everything."""
    errors: int
    """Snapshots that failed in whole or in part since the process started."""
    seconds: float
    """How long the latest snapshot took."""
    error: str | None = None
    """Why the latest snapshot failed entirely (None when it did not)."""


class PipelineMonitor:
    """Snapshots of the pipeline, cached for ``max_age_s`` and taken one at a time.

    Concurrent callers of :meth:`state` while a snapshot runs wait for that snapshot; callers
    within ``max_age_s`` of the last one get it again. A snapshot that raises or exceeds
    ``timeout_s`` counts as an error and leaves ``stats`` None until the next one.
    """

    def __init__(
        self,
        redis: Redis,
        names: StreamNames,
        *,
        max_age_s: float = SNAPSHOT_MAX_AGE_S,
        timeout_s: float = SNAPSHOT_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = redis
        self.names = names
        self.max_age_s = max_age_s
        self.timeout_s = timeout_s
        self._clock = clock
        self._state = SnapshotState(None, ok=False, errors=0, seconds=0.0)
        self._taken_at: float | None = None
        self._running: asyncio.Task[SnapshotState] | None = None
        self._added: deque[tuple[float, dict[str, int]]] = deque()

    async def state(self) -> SnapshotState:
        """The cached snapshot if fresh, else the result of the one snapshot in flight (started if none)."""
        if self._taken_at is not None and self._clock() - self._taken_at < self.max_age_s:
            return self._state
        if self._running is None or self._running.done():  # done: cancelled with its event loop
            self._running = asyncio.create_task(self._take())
        # A caller that gives up (its scrape timed out) must not cancel the others' snapshot.
        return await asyncio.shield(self._running)

    async def _take(self) -> SnapshotState:
        started = self._clock()
        error = None
        try:
            async with asyncio.timeout(self.timeout_s):
                stats: PipelineStats | None = await collect(self.redis, self.names)
        except TimeoutError:
            error = f"no answer within {self.timeout_s:g} s"
            stats = None
        except Exception as exc:  # noqa: BLE001 (a scrape must answer even when Redis does not)
            error = f"{type(exc).__name__}: {exc}"
            stats = None
        if error is not None:
            log.warning("pipeline snapshot failed: %s", error)
        finished = self._clock()
        if stats is not None:
            stats = self._with_rates(stats, finished)
        complete = stats is not None and not stats.failed
        self._state = SnapshotState(
            stats, ok=complete, errors=self._state.errors + (not complete), seconds=finished - started, error=error
        )
        self._taken_at = finished
        self._running = None
        return self._state

    def _with_rates(self, stats: PipelineStats, now: float) -> PipelineStats:
        """Entries per minute of each stream since the oldest kept snapshot that knew its counter."""
        added = {s.name: s.entries_added for s in stats.streams if s.entries_added is not None}
        while self._added and now - self._added[0][0] > RATE_WINDOW_S:
            self._added.popleft()
        streams = []
        for stream in stats.streams:
            earlier = next(((t, seen[stream.name]) for t, seen in self._added if stream.name in seen), None)
            rate = None
            if stream.entries_added is not None and earlier is not None and now > earlier[0]:
                rate = max(0, stream.entries_added - earlier[1]) * 60.0 / (now - earlier[0])
            streams.append(replace(stream, per_minute=rate))
        self._added.append((now, added))
        return replace(stats, streams=tuple(streams))


def _lag_text(group: GroupStats) -> str:
    return f"{group.lag} lag" if group.lag is not None else f"lag <= {group.lag_at_most}"


def format_table(stats: PipelineStats) -> str:
    """A plain-text table for the terminal."""
    lines = [f"{'stream':<28}{'length':>9}{'/min':>8}  groups (pending, lag, consumers)"]
    for stream in stats.streams:
        groups = ", ".join(
            f"{g.name}: {g.pending} pending, {_lag_text(g)}, {g.consumers} consumers" for g in stream.groups
        )
        rate = "-" if stream.per_minute is None else f"{stream.per_minute:.0f}"
        lines.append(f"{stream.name:<28}{stream.length:>9}{rate:>8}  {groups or '-'}")
    letters = ", ".join(f"{stage} {count}" for stage, count in stats.dead_letters.items())
    lines.append(f"dead letters: {letters}")
    lines.append(f"stories open: {'?' if stats.stories_open is None else stats.stories_open}")
    if stats.failed:
        lines.append(f"could not read: {', '.join(stats.failed)}")
    return "\n".join(lines)
