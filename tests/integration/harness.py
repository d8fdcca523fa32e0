"""Helpers for integration tests: running workers and waiting on streams of a real Redis."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from redis.asyncio import Redis

from storywire.contracts import Contract
from storywire.services.cli.live import service_definitions
from storywire.services.runtime.app import Worker
from storywire.services.runtime.settings import Settings
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.wire import DATA_FIELD, encode_entry

C = TypeVar("C", bound=Contract)


def fast_settings(redis_url: str, names: StreamNames, **overrides: Any) -> Settings:
    """Settings with short timings, so tests wait milliseconds rather than seconds."""
    values: dict[str, Any] = {
        "redis_url": redis_url,
        "stream_prefix": names.prefix,
        "block_ms": 50,
        "reclaim_interval_ms": 100,
        "maintenance_interval_ms": 200,
        "graceful_timeout_s": 5.0,
        "http_port": None,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running(settings: Settings, services: Sequence[str]) -> AsyncIterator[Worker]:
    """The named services running in this process until the block ends."""
    worker = Worker(settings, service_definitions(services))
    async with worker.app:
        yield worker


async def publish(redis: Redis, stream: str, *messages: Contract) -> list[bytes]:
    """XADD each message in storywire's wire format; return the entry ids."""
    return [await redis.xadd(stream, encode_entry(m)) for m in messages]  # type: ignore[arg-type]


async def wait_for_entries(redis: Redis, stream: str, count: int, timeout_s: float = 30.0) -> int:
    """Wait until ``stream`` holds at least ``count`` entries; return how many it holds."""
    deadline = time.monotonic() + timeout_s
    length = 0
    while time.monotonic() < deadline:
        length = await redis.xlen(stream)
        if length >= count:
            return int(length)
        await asyncio.sleep(0.05)
    return int(length)


async def read_all(redis: Redis, stream: str, contract: type[C]) -> list[C]:
    """Every entry of ``stream`` validated as ``contract``, oldest first."""
    return [contract.model_validate_json(f[DATA_FIELD.encode()]) for _, f in await redis.xrange(stream)]


async def settle(redis: Redis, names: Sequence[str], group: str, timeout_s: float = 30.0) -> None:
    """Wait until ``group`` has nothing pending and nothing unread on each stream."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        busy = False
        for stream in names:
            for info in await redis.xinfo_groups(stream):
                if info["name"].decode() != group:
                    continue
                if int(info["pending"]) or (info.get("lag") or 0):
                    busy = True
        if not busy:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"group {group} did not settle on {names}")
