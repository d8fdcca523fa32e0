"""A one-article story folded into a grown story, and an article moved to its own event's story,
on a real Redis: index, stories and summaries agree."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from storywire.contracts import StoryAssignment, StorySummary, StoryUpdate
from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG
from storywire.services.dedup.redis_index import RedisStoryIndex
from storywire.services.runtime.streams import StreamNames, ensure_group
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries
from tests.unit.test_clustering import (
    FOLD_ORDER,
    assert_the_early_mistake_is_mended,
    assign_with_an_early_mistake,
    quake_report,
)

pytestmark = pytest.mark.integration


def test_an_article_that_started_its_own_story_is_folded_in_everywhere(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await publish(redis, names.clean, *(quake_report(k) for k in FOLD_ORDER))
        # The test reads articles.stories back after the summarizer's group has acknowledged it, so it
        # holds a group there like any downstream reader: maintenance (whose first round runs at
        # start-up) trims only what every group has acknowledged.
        await ensure_group(redis, names.assigned, "test-reader")
        settings = fast_settings(redis_url, names, batch_size=1, maintenance_interval_ms=3_600_000)
        async with running(settings, ["dedup", "summarizer"]):
            assert await wait_for_entries(redis, names.story_summaries, 3, timeout_s=60) == 3
        first, second, third = await read_all(redis, names.assigned, StoryAssignment)
        assert second.is_new_story and second.story_id != first.story_id
        assert third.story_id == first.story_id
        assert third.absorbed_story_ids == (second.story_id,)

        update = (await read_all(redis, names.stories, StoryUpdate))[-1]
        assert update.story_id == first.story_id
        assert [a.article_id for a in update.articles] == [f"quake-{k}" for k in FOLD_ORDER]
        assert update.absorbed_story_ids == (second.story_id,)

        summary = (await read_all(redis, names.story_summaries, StorySummary))[-1]
        assert summary.story_id == first.story_id
        assert summary.article_ids == tuple(f"quake-{k}" for k in FOLD_ORDER)
        assert set(summary.outlets) == {f"outlet-{k}.example" for k in FOLD_ORDER}
        assert summary.absorbed_story_ids == (second.story_id,)

        # The folded story is gone from the index and the digest store; its article moved.
        assert not await redis.exists(names.key("dedup", "story", second.story_id))
        assert not await redis.exists(names.key("summarizer", "story", second.story_id, "digests"))
        record = await redis.get(names.key("dedup", "article", f"quake-{FOLD_ORDER[1]}"))
        assert record is not None and first.story_id.encode() in record
        postings = await redis.keys(names.key("dedup", "post", "*"))
        assert postings and [k for k in postings if await redis.zscore(k, second.story_id) is not None] == []
        await redis.aclose()

    asyncio.run(scenario())


def test_an_article_moved_to_its_own_events_story_moves_in_the_redis_index(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        try:
            index = RedisStoryIndex(redis, names, DEFAULT_CLUSTER_CONFIG)
            assignments = await assign_with_an_early_mistake(index, "moved")
            source, peru = await assert_the_early_mistake_is_mended(index, "moved", assignments)
            assert await redis.hget(names.key("dedup", "story-meta", source), "count") == b"3"
            assert await redis.hget(names.key("dedup", "story-meta", peru), "count") == b"2"
            (state,) = await index.load_stories([source])
            assert state.size == 3 and "moved-peru-0" not in [m.article_id for m in state.members]
            assert await redis.ttl(names.key("dedup", "story", source)) > 0  # rewritten, still expiring
        finally:
            await redis.aclose()

    asyncio.run(scenario())
