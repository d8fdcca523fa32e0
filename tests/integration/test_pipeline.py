"""The whole pipeline on a real Redis: the seeds, interoperable entries, dead letters."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
import redis as sync_redis
from redis.asyncio import Redis

from storywire.contracts import ArticleSummary, DeadLetter, StoryAssignment, StorySummary, StoryUpdate
from storywire.services.cli.inputs import read_articles
from storywire.services.runtime.streams import StreamNames
from tests.conftest import SEEDS
from tests.integration.harness import fast_settings, publish, read_all, running, wait_for_entries

pytestmark = pytest.mark.integration

ALL = ["cleaner", "dedup", "summarizer"]


def _run_seeds(redis_url: str, names: StreamNames) -> tuple[list[ArticleSummary], list[StorySummary]]:
    async def scenario() -> tuple[list[ArticleSummary], list[StorySummary]]:
        redis = Redis.from_url(redis_url)
        await publish(redis, names.raw, *read_articles([str(SEEDS)]))
        async with running(fast_settings(redis_url, names), ALL):
            assert await wait_for_entries(redis, names.summaries, 2, timeout_s=60) == 2
            await wait_for_entries(redis, names.story_summaries, 2, timeout_s=10)
        summaries = await read_all(redis, names.summaries, ArticleSummary)
        stories = await read_all(redis, names.story_summaries, StorySummary)
        updates = await read_all(redis, names.stories, StoryUpdate)
        assert len(updates) == 2 and len(updates[-1].articles) == 2
        await redis.aclose()
        return summaries, stories

    return asyncio.run(scenario())


@pytest.fixture(scope="module")
def seed_run(redis_server: object) -> tuple[list[ArticleSummary], list[StorySummary]]:
    from tests.conftest import RedisUnderTest

    assert isinstance(redis_server, RedisUnderTest)
    return _run_seeds(redis_server.url, StreamNames("seeds-run:"))


def test_the_two_seeds_are_summarised_under_one_story(
    seed_run: tuple[list[ArticleSummary], list[StorySummary]],
) -> None:
    summaries, _ = seed_run
    assert len({s.story_id for s in summaries}) == 1
    assert sorted(s.outlet or "" for s in summaries) == ["The Independent", "The Kashmir Monitor"]


def test_the_seed_summaries_carry_the_people_and_places_of_the_event(
    seed_run: tuple[list[ArticleSummary], list[StorySummary]],
) -> None:
    summaries, _ = seed_run
    names = {e.name for s in summaries for e in s.entities}
    variants = {v for s in summaries for e in s.entities for v in (e.name, *e.variants)}
    for person in ("Zelensky", "Lukashenko", "Peskov"):
        assert any(person in n for n in names), person
    assert "Gomel" in variants or "Homel" in variants
    for summary in summaries:
        assert summary.key_points and summary.word_count > 100 and summary.reading_time_s > 0


def test_the_seed_boilerplate_never_reaches_the_summaries(
    seed_run: tuple[list[ArticleSummary], list[StorySummary]],
) -> None:
    summaries, _ = seed_run
    text = json.dumps([s.model_dump(mode="json") for s in summaries])
    for junk in ("ADVERTISEMENT", "Your support helps", "notifications", "commenting forum"):
        assert junk not in text


def test_the_story_summary_lists_both_outlets(
    seed_run: tuple[list[ArticleSummary], list[StorySummary]],
) -> None:
    _, stories = seed_run
    latest = stories[-1]
    assert set(latest.outlets) == {"The Independent", "The Kashmir Monitor"}
    assert len(latest.article_ids) == 2


def test_a_plain_redis_client_can_publish_json_and_read_json_summaries(redis_url: str, names: StreamNames) -> None:
    plain = sync_redis.Redis.from_url(redis_url)
    text = (SEEDS / "003_a8e70011b0fb06a6.txt").read_text()
    doc = {"article_id": "interop-1", "url": "https://example.org/talks", "content": text}
    plain.xadd(names.raw, {"data": json.dumps(doc)})

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        async with running(fast_settings(redis_url, names), ALL):
            assert await wait_for_entries(redis, names.summaries, 1, timeout_s=60) == 1
        await redis.aclose()

    asyncio.run(scenario())
    ((_, fields),) = plain.xrange(names.summaries)
    summary = json.loads(fields[b"data"])
    assert summary["article_id"] == "interop-1"
    assert summary["outlet"] == "example.org"
    assert fields[b"schema"] == b"ArticleSummary/1"
    assert summary["key_points"]
    plain.close()


def test_malformed_input_lands_in_the_dead_letter_stream_with_its_reason(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await redis.xadd(names.raw, {"data": b'{"article_id": "bad", "content_type": "text/html"}'})
        await redis.xadd(
            names.raw,
            {
                "data": b'{"article_id": "nav", "content_type": "text/html", '
                b'"content": "<html><body><nav>Home</nav></body></html>"}'
            },
        )
        async with running(fast_settings(redis_url, names), ALL):
            await wait_for_entries(redis, names.dead_letters("cleaner"), 2)
        letters = await read_all(redis, names.dead_letters("cleaner"), DeadLetter)
        assert [(d.error_type, d.article_id) for d in letters] == [
            ("SchemaViolation", None),
            ("NoArticleText", "nav"),
        ]
        assert "content" in letters[0].error_message
        assert json.loads(letters[0].payload)["article_id"] == "bad"
        assert await redis.xlen(names.summaries) == 0
        await redis.aclose()

    asyncio.run(scenario())


def test_a_near_verbatim_copy_gets_duplicate_of_the_original(redis_url: str, names: StreamNames) -> None:
    original = (SEEDS / "003_a8e70011b0fb06a6.txt").read_text()
    copy = "Breaking news from our wire partners.\n\n" + original[: int(len(original) * 0.8)]

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        async with running(fast_settings(redis_url, names), ["cleaner", "dedup"]):
            await publish(redis, names.raw, *read_articles([str(SEEDS / "003_a8e70011b0fb06a6.txt")]))
            await wait_for_entries(redis, names.assigned, 1)
            from storywire.contracts import RawArticle

            await publish(redis, names.raw, RawArticle(article_id="wire-copy", content=copy))
            await wait_for_entries(redis, names.assigned, 2)
        first, second = await read_all(redis, names.assigned, StoryAssignment)
        assert second.duplicate_of == first.article_id
        assert second.story_id == first.story_id and not second.is_new_story
        await redis.aclose()

    asyncio.run(scenario())


def test_workers_that_stop_say_nothing_below_a_warning_through_the_framework(
    redis_server: object, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.conftest import RedisUnderTest

    assert isinstance(redis_server, RedisUnderTest)
    names = StreamNames("quiet-stop:")

    async def scenario() -> None:
        async with running(fast_settings(redis_server.url, names), ALL):
            await asyncio.sleep(0.2)

    # FastStream's own loggers do not propagate: listen to them as well as to the root.
    framework = [logging.getLogger(name) for name in ("faststream", "faststream.access.redis")]
    for logger in framework:
        logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO):
            asyncio.run(scenario())
    finally:
        for logger in framework:
            logger.removeHandler(caplog.handler)
    chatter = [r.getMessage() for r in caplog.records if "is being executed" in r.getMessage()]
    assert chatter == []
