"""Keeps streams bounded without losing anything, and groups free of dead consumers.

A stage's input stream is trimmed only below the oldest entry some group has
not acknowledged (its oldest pending entry, or the first entry after its
last-delivered id). The output streams (``summaries``, ``stories``,
``story_summaries``, dead letters) are the product: consumers read them with
groups of their own, join late or replay history, so they are trimmed by age
and length only, whatever groups read them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from storywire.services.runtime.settings import Settings
from storywire.services.runtime.stages import STAGES
from storywire.services.runtime.streams import StreamNames, sleep_unless_stopped

log = logging.getLogger(__name__)


def _parse_id(entry_id: bytes | str) -> tuple[int, int]:
    text = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
    millis, _, seq = text.partition("-")
    return int(millis), int(seq or 0)


def _format_id(millis: int, seq: int) -> str:
    return f"{millis}-{seq}"


async def safe_trim_id(redis: Redis, stream: str) -> str | None:
    """The lowest id every group of ``stream`` still needs, or None when it has no group."""
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError:
        return None  # no such stream yet
    if not groups:
        return None
    frontier: tuple[int, int] | None = None
    for group in groups:
        summary = await redis.xpending(stream, group["name"]) if int(group["pending"]) > 0 else None
        if summary is not None and summary.get("min"):
            needed = _parse_id(summary["min"])
        else:
            # Nothing pending (or acknowledged since XINFO ran): all up to the last delivery is done.
            millis, seq = _parse_id(group["last-delivered-id"])
            needed = (millis, seq + 1)
        frontier = needed if frontier is None else min(frontier, needed)
    assert frontier is not None
    return _format_id(*frontier)


class Maintenance:
    """Periodic trimming and removal of dead consumers."""

    def __init__(self, redis: Redis, settings: Settings, names: StreamNames) -> None:
        self.redis = redis
        self.settings = settings
        self.names = names

    def terminal_streams(self) -> tuple[str, ...]:
        """The output streams: trimmed by age and length, never by what consumer groups acknowledged."""
        names = self.names
        return (
            names.summaries,
            names.stories,
            names.story_summaries,
            *(names.dead_letters(s) for s in STAGES),
        )

    async def trim(self, stream: str) -> int:
        """Trim an input stream below what all its groups acknowledged, an output stream by age and
        length; return entries removed."""
        if stream in self.terminal_streams():
            cutoff_ms = int((time.time() - self.settings.terminal_retention_s) * 1000)
            removed = int(await self.redis.xtrim(stream, minid=_format_id(cutoff_ms, 0), approximate=False))
            removed += int(await self.redis.xtrim(stream, maxlen=self.settings.terminal_max_entries, approximate=True))
        else:
            minid = await safe_trim_id(self.redis, stream)
            if minid is None:
                return 0
            removed = int(await self.redis.xtrim(stream, minid=minid, approximate=False))
        if removed:
            log.debug("trimmed %s entries of %s", removed, stream)
        return removed

    async def remove_dead_consumers(self, stream: str, group: str) -> list[str]:
        """Delete consumers idle past the limit that hold no pending entries."""
        try:
            consumers = await self.redis.xinfo_consumers(stream, group)
        except ResponseError:
            return []
        removed: list[str] = []
        for consumer in consumers:
            name = consumer["name"]
            name = name.decode() if isinstance(name, bytes) else str(name)
            if int(consumer["pending"]) == 0 and int(consumer["idle"]) > self.settings.dead_consumer_idle_ms:
                await self.redis.xgroup_delconsumer(stream, group, name)
                removed.append(name)
        if removed:
            log.info("removed idle consumers %s from %s/%s", removed, stream, group)
        return removed

    async def run_once(self, groups: Mapping[str, str]) -> None:
        """One round over the streams this process reads and the terminal ones."""
        for stream, group in groups.items():
            await self.remove_dead_consumers(stream, group)
            await self.trim(stream)
        for stream in self.terminal_streams():
            await self.trim(stream)

    async def run_forever(self, stop: asyncio.Event, groups: Mapping[str, str]) -> None:
        """Run rounds until ``stop`` is set; a failed round is logged and retried."""
        interval = self.settings.maintenance_interval_ms / 1000
        while not stop.is_set():
            try:
                await self.run_once(groups)
            except Exception as exc:  # noqa: BLE001 (must survive Redis restarts)
                log.warning("maintenance round failed: %r", exc)
            await sleep_unless_stopped(stop, interval)
