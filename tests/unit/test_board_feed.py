"""The board's stream reading on a real Redis: latest summary per story, newest first, bounded."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from redis.asyncio import Redis

from storywire.contracts import StorySummary
from storywire.services.board.feed import START_ID, FeedLimits, StoryEntry, follow, snapshot
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.wire import encode_entry

pytestmark = pytest.mark.integration

T = TypeVar("T")
WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def story(story_id: str, *articles: str, headline: str | None = None) -> StorySummary:
    ids = articles or ("a1",)
    return StorySummary(
        story_id=story_id,
        headline=headline or f"headline of {story_id} with {len(ids)}",
        outlets=tuple(f"outlet-{a}" for a in ids),
        article_ids=ids,
        first_seen=WHEN,
        last_seen=WHEN,
    )


def on_redis(redis_url: str, scenario: Callable[[Redis], Awaitable[T]]) -> T:
    async def run() -> T:
        redis = Redis.from_url(redis_url)
        try:
            return await scenario(redis)
        finally:
            await redis.aclose()

    return asyncio.run(run())


async def add(redis: Redis, stream: str, *stories: StorySummary) -> list[str]:
    ids = [await redis.xadd(stream, encode_entry(s)) for s in stories]  # type: ignore[arg-type]
    return [i.decode() if isinstance(i, bytes) else i for i in ids]


def test_snapshot_keeps_the_latest_summary_of_each_story_newest_first(redis_url: str, names: StreamNames) -> None:
    async def scenario(redis: Redis) -> None:
        stream = names.story_summaries
        ids = await add(redis, stream, story("s1", "a1"), story("s2", "b1"), story("s1", "a1", "a2"), story("s3", "c1"))
        snap = await snapshot(redis, stream)
        assert [e.story.story_id for e in snap.stories] == ["s3", "s1", "s2"]
        assert snap.stories[1].story.article_ids == ("a1", "a2")
        assert snap.stories[1].entry_id == ids[2]
        assert snap.last_id == ids[-1]

    on_redis(redis_url, scenario)


def test_snapshot_leaves_out_a_story_folded_into_a_later_one(redis_url: str, names: StreamNames) -> None:
    async def scenario(redis: Redis) -> None:
        stream = names.story_summaries
        folding = story("s1", "a1", "b1", "a2").model_copy(update={"absorbed_story_ids": ("s2",)})
        await add(redis, stream, story("s1", "a1"), story("s2", "b1"), story("s3", "c1"), folding)
        snap = await snapshot(redis, stream)
        assert [e.story.story_id for e in snap.stories] == ["s1", "s3"]

    on_redis(redis_url, scenario)


def test_snapshot_is_bounded_by_stories_and_by_entries_scanned(redis_url: str, names: StreamNames) -> None:
    async def scenario(redis: Redis) -> None:
        stream = names.story_summaries
        await add(redis, stream, *(story(f"s{i}") for i in range(30)))
        # Many updates of one story on top: the scan bound stops before reaching the others.
        await add(redis, stream, *(story("hot", *(f"h{j}" for j in range(i + 1))) for i in range(12)))

        few = await snapshot(redis, stream, FeedLimits(max_stories=3, page_size=4))
        assert [e.story.story_id for e in few.stories] == ["hot", "s29", "s28"]

        scan_bound = await snapshot(redis, stream, FeedLimits(max_stories=50, max_scan=14, page_size=5))
        assert [e.story.story_id for e in scan_bound.stories] == ["hot", "s29", "s28"]
        assert len(scan_bound.stories[0].story.article_ids) == 12

        everything = await snapshot(redis, stream, FeedLimits(max_stories=100, page_size=7))
        assert len(everything.stories) == 31
        assert [e.story.story_id for e in everything.stories][-2:] == ["s1", "s0"]

    on_redis(redis_url, scenario)


def test_snapshot_of_a_missing_stream_is_empty_and_follows_from_the_start(redis_url: str, names: StreamNames) -> None:
    async def scenario(redis: Redis) -> None:
        snap = await snapshot(redis, names.story_summaries)
        assert snap.stories == () and snap.last_id == START_ID

    on_redis(redis_url, scenario)


def test_snapshot_and_follow_skip_entries_that_are_not_story_summaries(redis_url: str, names: StreamNames) -> None:
    async def scenario(redis: Redis) -> None:
        stream = names.story_summaries
        await add(redis, stream, story("good"))
        await redis.xadd(stream, {"data": b'{"not": "a story"}'})
        await redis.xadd(stream, {"other": b"no data field"})
        snap = await snapshot(redis, stream)
        assert [e.story.story_id for e in snap.stories] == ["good"]

        feed = follow(redis, stream, START_ID, FeedLimits(block_ms=50))
        batch = await asyncio.wait_for(anext(feed), timeout=5)
        assert [e.story.story_id for e in batch] == ["good"]
        await feed.aclose()

    on_redis(redis_url, scenario)


def test_follow_yields_only_entries_added_after_the_snapshot(redis_url: str, names: StreamNames) -> None:
    async def scenario(redis: Redis) -> None:
        stream = names.story_summaries
        await add(redis, stream, story("old"))
        snap = await snapshot(redis, stream)
        feed = follow(redis, stream, snap.last_id, FeedLimits(block_ms=50))
        assert await asyncio.wait_for(anext(feed), timeout=5) == []  # idle: an empty batch, not a hang

        new_ids = await add(redis, stream, story("new", "n1"), story("new", "n1", "n2"))
        seen: list[StoryEntry] = []
        while len(seen) < 2:
            seen.extend(await asyncio.wait_for(anext(feed), timeout=5))
        assert [(e.entry_id, e.story.story_id, len(e.story.article_ids)) for e in seen] == [
            (new_ids[0], "new", 1),
            (new_ids[1], "new", 2),
        ]
        await feed.aclose()

    on_redis(redis_url, scenario)
