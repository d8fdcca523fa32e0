"""The summarizer's digest store on a real Redis (and its in-memory twin): folds and moves, and
assignments that reach the summarizer after their story was folded or their article moved."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from redis.asyncio import Redis

from storywire.contracts import ArticleSummary, StorySummary
from storywire.services.dedup.memory_index import InMemoryStoryIndex
from storywire.services.runtime.streams import StreamNames
from storywire.services.summarizer.digest_store import DigestStore, MemoryDigestStore, RedisDigestStore
from storywire.services.summarizer.summarizing import ArticleDigest
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries
from tests.unit.test_clustering import assign_quake_reports, assign_with_an_early_mistake

pytestmark = pytest.mark.integration


def _digest(article_id: str, seen_at: float) -> ArticleDigest:
    return ArticleDigest(article_id, f"{article_id}.example", None, (), (), seen_at)


Scenario = Callable[[DigestStore], Awaitable[None]]
RunWithStore = Callable[[Scenario], None]


@pytest.fixture(params=["memory", "redis"])
def run_with_store(request: pytest.FixtureRequest, redis_url: str, names: StreamNames) -> RunWithStore:
    """Runs an async scenario against a fresh store of either kind."""

    def run(scenario: Scenario) -> None:
        async def main() -> None:
            redis = Redis.from_url(redis_url)
            try:
                store: DigestStore = RedisDigestStore(redis, names) if request.param == "redis" else MemoryDigestStore()
                await scenario(store)
            finally:
                await redis.aclose()

        asyncio.run(main())

    return run


def test_a_fold_moves_the_folded_storys_articles_with_their_first_arrival(run_with_store: RunWithStore) -> None:
    async def scenario(store: DigestStore) -> None:
        await store.add("story-a", _digest("a1", 10.0))
        await store.add("story-b", _digest("b1", 11.0))
        story = await store.add("story-a", _digest("a2", 12.0), absorbed=["story-b"])
        assert story.story_id == "story-a"
        assert story.article_ids == ("a1", "b1", "a2")
        assert story.outlets == ("a1.example", "b1.example", "a2.example")
        assert (story.first_seen, story.last_seen) == (10.0, 12.0)

    run_with_store(scenario)


def test_an_assignment_to_a_story_folded_before_it_arrived_is_recorded_in_the_story_it_joined(
    run_with_store: RunWithStore,
) -> None:
    async def scenario(store: DigestStore) -> None:
        await store.add("story-a", _digest("a1", 10.0))
        # The absorbing assignment overtook the folded story's own (another replica, a retry).
        await store.add("story-a", _digest("a2", 12.0), absorbed=["story-b"])
        late = await store.add("story-b", _digest("b1", 11.0))
        assert late.story_id == "story-a"
        assert late.article_ids == ("a1", "b1", "a2")
        # A redelivery of the same assignment changes nothing.
        again = await store.add("story-b", _digest("b1", 13.0))
        assert again.article_ids == late.article_ids and again.last_seen == 12.0

    run_with_store(scenario)


def test_a_fold_leaves_no_keys_of_the_folded_story_but_its_forwarding_mark(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        store = RedisDigestStore(redis, names, ttl_s=60)
        await store.add("story-b", _digest("b1", 11.0))
        await store.add("story-a", _digest("a1", 12.0), absorbed=["story-b"])
        left = sorted(k.decode() for k in await redis.keys(names.key("summarizer", "story", "story-b", "*")))
        assert left == [names.key("summarizer", "story", "story-b", "into")]
        assert 0 < await redis.ttl(left[0]) <= 60
        await redis.aclose()

    asyncio.run(scenario())


def test_the_summarizer_reports_an_article_whose_story_was_folded_before_it_arrived_in_the_story_it_joined(
    redis_url: str, names: StreamNames
) -> None:
    async def scenario() -> None:
        first, folded, absorbing = await assign_quake_reports(InMemoryStoryIndex(), prefix="late")
        assert absorbing.absorbed_story_ids == (folded.story_id,)
        redis = Redis.from_url(redis_url)
        # The folded story's own assignment comes last, as when another replica or a retry delays it.
        await publish(redis, names.assigned, first, absorbing, folded)
        settings = fast_settings(redis_url, names, batch_size=1, maintenance_interval_ms=3_600_000)
        async with running(settings, ["summarizer"]):
            assert await wait_for_entries(redis, names.story_summaries, 3, timeout_s=60) == 3
        late = (await read_all(redis, names.summaries, ArticleSummary))[-1]
        assert late.article_id == folded.article_id
        assert late.story_id == first.story_id and not late.is_new_story
        story = (await read_all(redis, names.story_summaries, StorySummary))[-1]
        assert story.story_id == first.story_id
        assert set(story.article_ids) == {first.article_id, folded.article_id, absorbing.article_id}
        assert not await redis.exists(names.key("summarizer", "story", folded.story_id, "digests"))
        await redis.aclose()

    asyncio.run(scenario())


def test_a_moved_article_takes_its_digest_and_first_arrival_to_its_new_story(run_with_store: RunWithStore) -> None:
    async def scenario(store: DigestStore) -> None:
        await store.add("story-a", _digest("a1", 10.0))
        await store.add("story-a", _digest("b1", 11.0))
        story = await store.add("story-b", _digest("b2", 12.0), moved=[("b1", "story-a")])
        assert story.article_ids == ("b1", "b2")
        assert story.outlets == ("b1.example", "b2.example")
        assert (story.first_seen, story.last_seen) == (11.0, 12.0)
        left = await store.read("story-a")
        assert left is not None and left.article_ids == ("a1",) and left.outlets == ("a1.example",)
        assert await store.read("story-c") is None

    run_with_store(scenario)


def test_a_moved_articles_assignment_that_arrives_after_the_move_is_recorded_in_its_new_story(
    run_with_store: RunWithStore,
) -> None:
    async def scenario(store: DigestStore) -> None:
        await store.add("story-a", _digest("a1", 10.0))
        await store.add("story-b", _digest("b2", 12.0), moved=[("b1", "story-a")])
        late = await store.add("story-a", _digest("b1", 13.0))
        assert late.story_id == "story-b" and late.article_ids == ("b2", "b1")
        left = await store.read("story-a")
        assert left is not None and left.article_ids == ("a1",)

    run_with_store(scenario)


def test_the_summarizer_summarises_both_stories_when_an_article_moves(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        assignments = await assign_with_an_early_mistake(InMemoryStoryIndex(), prefix="move")
        first, *iran, peru = assignments
        assert peru.moved_articles
        redis = Redis.from_url(redis_url)
        await publish(redis, names.assigned, *assignments)
        settings = fast_settings(redis_url, names, batch_size=1, maintenance_interval_ms=3_600_000)
        async with running(settings, ["summarizer"]):
            # One story summary per assignment, and one more for the story the moved article left.
            assert await wait_for_entries(redis, names.story_summaries, 6, timeout_s=60) == 6
        *_, grown, left = await read_all(redis, names.story_summaries, StorySummary)
        assert grown.story_id == peru.story_id
        assert grown.article_ids == (first.article_id, peru.article_id)
        assert left.story_id == first.story_id
        assert left.article_ids == tuple(a.article_id for a in iran)
        assert left.headline == iran[0].article.title
        await redis.aclose()

    asyncio.run(scenario())
