"""Topics above stories on a real Redis: sibling events keep their stories and share a topic,
in the index, on ``articles.stories``, ``stories`` and ``story_summaries``; a young story's
revisited topic reaches all three."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from redis.asyncio import Redis

from storywire.contracts import CleanArticle, StoryAssignment, StorySummary, StoryUpdate
from storywire.services.dedup import topics
from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG
from storywire.services.dedup.redis_index import RedisStoryIndex
from storywire.services.runtime.streams import StreamNames, ensure_group
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries
from tests.unit.test_clustering import quake_b_report, quake_report

pytestmark = pytest.mark.integration

#: Two reports of the Iran earthquake, then two of its sibling in Peru.
SIBLINGS = (quake_report(0), quake_report(1), quake_b_report(0), quake_b_report(1))


async def through_the_workers(
    redis: Redis, redis_url: str, names: StreamNames, arrivals: Sequence[CleanArticle]
) -> None:
    """Publish clean articles and run the dedup and summarizer workers until each has a story summary."""
    await publish(redis, names.clean, *arrivals)
    await ensure_group(redis, names.assigned, "test-reader")
    settings = fast_settings(redis_url, names, batch_size=1, maintenance_interval_ms=3_600_000)
    async with running(settings, ["dedup", "summarizer"]):
        assert await wait_for_entries(redis, names.story_summaries, len(arrivals), timeout_s=60) >= len(arrivals)


def test_sibling_stories_share_a_topic_and_keep_their_story_ids_through_the_workers(
    redis_url: str, names: StreamNames
) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        try:
            await through_the_workers(redis, redis_url, names, SIBLINGS)
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


def test_a_young_storys_revisited_topic_reaches_the_index_and_every_stream(
    redis_url: str, names: StreamNames, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No new story joins a topic when it starts: Peru's story starts its own and takes Iran's as it grows.
    monkeypatch.setattr(topics, "TOPIC_THRESHOLD", 1.01)
    arrivals = (*SIBLINGS, quake_b_report(2))

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        try:
            await through_the_workers(redis, redis_url, names, arrivals)
            iran, _, peru, _, last = await read_all(redis, names.assigned, StoryAssignment)
            assert peru.topic_id == peru.story_id != iran.topic_id
            assert (last.story_id, last.topic_id) == (peru.story_id, iran.topic_id)
            updates = await read_all(redis, names.stories, StoryUpdate)
            assert updates[-1].story_id == peru.story_id and updates[-1].topic_id == iran.topic_id
            summaries = await read_all(redis, names.story_summaries, StorySummary)
            assert summaries[-1].story_id == peru.story_id and summaries[-1].topic_id == iran.topic_id
            meta = await redis.hget(names.key("dedup", "story-meta", peru.story_id), "topic")
            assert meta == str(iran.topic_id).encode()
        finally:
            await redis.aclose()

    asyncio.run(scenario())
