"""A consumer group lost with Redis's memory (restart without persistence, failover, flush) is recreated."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from storywire.contracts import ArticleSummary, RawArticle
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries

pytestmark = pytest.mark.integration

TEXT = "The council approved the budget on Tuesday after a long and heated debate in the city hall."


def test_a_worker_whose_consumer_group_vanishes_recreates_it_and_goes_on(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        async with running(fast_settings(redis_url, names), ["cleaner", "dedup", "summarizer"]) as worker:
            await publish(redis, names.raw, RawArticle(article_id="before", content=f"{TEXT}\n\n{TEXT}"))
            assert await wait_for_entries(redis, names.summaries, 1) == 1
            # What a Redis restart without persistence leaves: the input streams and their groups are gone.
            for stream in (names.raw, names.clean, names.assigned):
                await redis.delete(stream)
            await asyncio.sleep(1.0)  # the subscribers hit NOGROUP and stop
            await publish(redis, names.raw, RawArticle(article_id="after", content=f"After. {TEXT}\n\n{TEXT}"))
            assert await wait_for_entries(redis, names.summaries, 2, timeout_s=30) == 2
            assert [s.article_id for s in await read_all(redis, names.summaries, ArticleSummary)] == [
                "before",
                "after",
            ]
            assert (await worker.readiness())[0]
            assert not worker.app._should_exit
        await redis.aclose()

    asyncio.run(scenario())
