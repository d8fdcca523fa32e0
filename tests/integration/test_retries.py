"""Retryable failures are retried with backoff, then reclaimed, then dead-lettered with their error."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from storywire.contracts import CleanArticle, DeadLetter, RawArticle
from storywire.services.runtime.app import ServiceDefinition, Worker, WorkerContext
from storywire.services.runtime.outcomes import Emit, Outcome, Stage
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, publish, read_all, wait_for_entries

pytestmark = pytest.mark.integration


def _flaky_service(failures: Counter[str], fail_times: int) -> ServiceDefinition:
    """A stage that fails `fail_times` times per article with a connection error, then succeeds."""

    async def build(context: WorkerContext) -> Stage[RawArticle]:
        async def handle(raw: RawArticle) -> Outcome:
            failures[raw.article_id] += 1
            if failures[raw.article_id] <= fail_times:
                raise RedisConnectionError("connection reset by peer")
            clean = CleanArticle(
                article_id=raw.article_id, text=raw.content, word_count=1, content_hash="h", source_hash="h"
            )
            return Emit(((context.names.clean, clean),), idempotency_key=raw.article_id)

        return Stage("cleaner", context.names.raw, RawArticle, handle)

    return ServiceDefinition("cleaner", lambda names: names.raw, build, input_contract=RawArticle)


def _run(redis_url: str, names: StreamNames, service: ServiceDefinition, **overrides: object) -> Worker:
    return Worker(fast_settings(redis_url, names, **overrides), [service])


def test_a_transient_failure_is_retried_in_place_and_published_once(redis_url: str, names: StreamNames) -> None:
    failures: Counter[str] = Counter()

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        worker = _run(redis_url, names, _flaky_service(failures, 2), retry_backoff_ms=10)
        async with worker.app:
            await publish(redis, names.raw, RawArticle(article_id="flaky", content="x"))
            assert await wait_for_entries(redis, names.clean, 1) == 1
            assert worker.runners["cleaner"].counters.retried == 2
        assert failures["flaky"] == 3
        assert await redis.xlen(names.dead_letters("cleaner")) == 0
        await redis.aclose()

    asyncio.run(scenario())


def test_a_failure_that_outlasts_every_retry_is_dead_lettered_with_its_error(
    redis_url: str, names: StreamNames
) -> None:
    failures: Counter[str] = Counter()

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        worker = _run(
            redis_url,
            names,
            _flaky_service(failures, 10_000),
            retry_backoff_ms=5,
            retries_in_place=1,
            reclaim_idle_ms=200,
            max_deliveries=3,
        )
        async with worker.app:
            await publish(redis, names.raw, RawArticle(article_id="doomed", content="x"))
            await wait_for_entries(redis, names.dead_letters("cleaner"), 1, timeout_s=20)
        (letter,) = await read_all(redis, names.dead_letters("cleaner"), DeadLetter)
        assert letter.error_type == "ConnectionError"
        assert "connection reset" in letter.error_message
        assert letter.attempts == 3
        assert failures["doomed"] == 3 * 2  # three deliveries, one retry in place each
        assert await redis.xlen(names.clean) == 0
        assert (await redis.xpending(names.raw, "cleaner"))["pending"] == 0
        await redis.aclose()

    asyncio.run(scenario())
