"""Topics above stories on a real Redis: sibling events keep their stories and share a topic,
in the index, on ``articles.stories``, ``stories`` and ``story_summaries``."""

from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from storywire.contracts import StoryAssignment, StorySummary, StoryUpdate
from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG
from storywire.services.dedup.redis_index import RedisStoryIndex
from storywire.services.runtime.streams import StreamNames, ensure_group
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries
from tests.unit.test_clustering import quake_b_report, quake_report

pytestmark = pytest.mark.integration

#: Two reports of the Iran earthquake, then two of its sibling in Peru.
SIBLINGS = (quake_report(0), quake_report(1), quake_b_report(0), quake_b_report(1))


def test_sibling_stories_share_a_topic_and_keep_their_story_ids_through_the_workers(
    redis_url: str, names: StreamNames
) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        try:
            await publish(redis, names.clean, *SIBLINGS)
            await ensure_group(redis, names.assigned, "test-reader")
            settings = fast_settings(redis_url, names, batch_size=1, maintenance_interval_ms=3_600_000)
            async with running(settings, ["dedup", "summarizer"]):
                assert await wait_for_entries(redis, names.story_summaries, len(SIBLINGS), timeout_s=60) >= 4
            iran, iran_again, peru, peru_again = await read_all(redis, names.assigned, StoryAssignment)
            assert iran.story_id == iran_again.story_id != peru.story_id == peru_again.story_id
            topic = iran.topic_id
            assert topic == iran.story_id
            assert {a.topic_id for a in (iran_again, peru, peru_again)} == {topic}

            updates = await read_all(redis, names.stories, StoryUpdate)
            assert {u.story_id for u in updates} == {iran.story_id, peru.story_id}
            assert {u.topic_id for u in updates} == {topic}
            summaries = await read_all(redis, names.story_summaries, StorySummary)
            assert {s.story_id for s in summaries} == {iran.story_id, peru.story_id}
            assert {s.topic_id for s in summaries} == {topic}

            # The index keeps it in the story's state and beside its headline, for later updates.
            index = RedisStoryIndex(redis, names, DEFAULT_CLUSTER_CONFIG)
            states = await index.load_stories([iran.story_id, peru.story_id])
            assert [s.topic_id for s in states] == [topic, topic]
            assert await redis.hget(names.key("dedup", "story-meta", peru.story_id), "topic") == topic.encode()
        finally:
            await redis.aclose()

    asyncio.run(scenario())
