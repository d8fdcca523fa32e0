"""Stream and key names, and consumer-group set-up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import ResponseError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StreamNames:
    """Every stream the pipeline uses, under one configurable prefix."""

    prefix: str = ""

    @property
    def raw(self) -> str:
        """Raw articles from publishers."""
        return f"{self.prefix}articles.raw"

    @property
    def clean(self) -> str:
        """Cleaned articles."""
        return f"{self.prefix}articles.clean"

    @property
    def assigned(self) -> str:
        """Articles with their story assignments."""
        return f"{self.prefix}articles.stories"

    @property
    def summaries(self) -> str:
        """Article summaries, for downstream consumers."""
        return f"{self.prefix}summaries"

    @property
    def stories(self) -> str:
        """Story state updates."""
        return f"{self.prefix}stories"

    @property
    def story_summaries(self) -> str:
        """Whole-story summaries."""
        return f"{self.prefix}story_summaries"

    def dead_letters(self, stage: str) -> str:
        """The dead-letter stream of one stage."""
        return f"{self.prefix}deadletter.{stage}"

    def key(self, *parts: str) -> str:
        """A non-stream key under the prefix, e.g. ``key("idem", "cleaner", id)``."""
        return self.prefix + ":".join(("sw", *parts))


def unique_consumer_name(service: str) -> str:
    """A consumer name no other process uses: service, host, pid and a random tail."""
    return f"{service}-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


async def ensure_group(redis: Redis, stream: str, group: str) -> None:
    """Create ``group`` on ``stream`` from its first entry, so nothing published earlier is missed."""
    try:
        await redis.xgroup_create(name=stream, groupname=group, id="0", mkstream=True)
        log.info("created group %s on %s from the start", group, stream)
    except ResponseError as exc:
        if "BUSYGROUP" not in str(exc):
            raise


async def sleep_unless_stopped(stop: asyncio.Event, seconds: float) -> None:
    """Wait ``seconds``, or less if ``stop`` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
