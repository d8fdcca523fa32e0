"""The story board in a real headless Chromium, against a real Redis and the running pipeline.

Set STORYWIRE_SCREENSHOT=1 to save docs/board.png (1280x900) from the pipeline test.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect
from redis.asyncio import Redis

from storywire.contracts import StorySummary
from storywire.contracts.summaries import Entity, StoryPoint
from storywire.services.board.feed import FeedLimits
from storywire.services.cli.inputs import read_articles
from storywire.services.runtime.streams import StreamNames
from tests.conftest import PROJECT, SEEDS
from tests.e2e.harness import board_server
from tests.integration.harness import fast_settings, publish, running, wait_for_entries

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 60_000
SCREENSHOT = PROJECT / "docs" / "board.png"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.integration,
    pytest.mark.timeout(240),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"),
]
# The board re-reads Redis every second when idle, so a test never waits on a long XREAD.
LIMITS = FeedLimits(block_ms=1_000)


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Debian's Chromium driven by Playwright (no browser download: executable_path)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=WAIT_MS
        )
        try:
            yield browser
        finally:
            await browser.close()


async def open_board(browser: Browser, url: str, errors: list[str]) -> Page:
    """A 1280x900 tab on the board, collecting script errors, once its event stream is live."""
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(WAIT_MS)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    await page.goto(url, wait_until="domcontentloaded", timeout=WAIT_MS)
    await expect(page.locator("#status")).to_have_attribute("data-state", "live", timeout=WAIT_MS)
    # Survives only if the page is never reloaded or navigated away.
    await page.evaluate("window.__sameDocument = true")
    return page


async def still_same_document(page: Page) -> bool:
    return bool(await page.evaluate("window.__sameDocument === true"))


def test_a_story_appears_live_as_the_pipeline_summarises_the_seeds(redis_url: str, names: StreamNames) -> None:
    # No worker health endpoints: a fixed port would clash with anything else on the machine.
    settings = fast_settings(redis_url, names, http_port=None)
    errors: list[str] = []

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        try:
            with board_server(settings, limits=LIMITS) as base:
                async with running(settings, ["cleaner", "dedup", "summarizer"]), chromium() as browser:
                    page = await open_board(browser, base, errors)
                    await expect(page.locator("#empty")).to_be_visible()
                    await expect(page.locator("article.story")).to_have_count(0)

                    # Published only now: whatever shows up came over the event stream.
                    await publish(redis, names.raw, *read_articles([str(SEEDS)]))

                    cards = page.locator("article.story")
                    card = cards.first
                    outlets = card.locator(".story-outlets .outlet")
                    await expect(outlets).to_have_count(2, timeout=WAIT_MS)
                    assert sorted(await outlets.all_inner_texts()) == ["The Independent", "The Kashmir Monitor"]
                    # Both seeds' summaries are in the stream: still one card, replaced in place.
                    assert await wait_for_entries(redis, names.story_summaries, 2, timeout_s=30) == 2
                    await expect(cards).to_have_count(1)
                    await expect(card.locator(".story-articles")).to_have_text("2 articles")

                    assert (await card.locator(".story-headline").inner_text()).strip()
                    points = card.locator(".key-points li")
                    assert await points.count() >= 1
                    assert await points.first.locator(".point-outlet").count() >= 1
                    zelensky = card.locator(".entity", has_text="Zelensky")
                    await expect(zelensky.first).to_be_visible()
                    await expect(zelensky.first).to_have_attribute("data-type", "person")
                    assert int(await zelensky.first.locator(".entity-count").inner_text()) >= 1
                    await expect(page.locator("#empty")).to_be_hidden()
                    await expect(page.locator("#count")).to_have_text("1 story")
                    assert await still_same_document(page)

                    if os.environ.get("STORYWIRE_SCREENSHOT") == "1":
                        await page.wait_for_timeout(2_000)  # let the arrival highlight fade
                        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                        await page.screenshot(path=str(SCREENSHOT))
                    await page.close()
        finally:
            await redis.aclose()

    asyncio.run(scenario())
    assert errors == []


HOSTILE = '<img src=x onerror="window.__xss=1">Headline & <b>bold</b>'


def hostile_story(story_id: str, articles: tuple[str, ...], headline: str) -> StorySummary:
    when = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    return StorySummary(
        story_id=story_id,
        headline=headline,
        outlets=tuple(f"<script>window.__xss=2</script>{a}" for a in articles),
        article_ids=articles,
        first_seen=when,
        last_seen=when,
        key_points=(StoryPoint(text="<i onmouseover=x>point</i>", outlets=("<u>o</u>",), article_ids=articles),),
        entities=(Entity(name="<svg onload=window.__xss=3>", type="person", mentions=2),),
    )


def test_snapshot_order_live_updates_and_escaping(redis_url: str, names: StreamNames) -> None:
    settings = fast_settings(redis_url, names, http_port=None)
    errors: list[str] = []

    async def add(*stories: StorySummary) -> None:
        await publish(redis, names.story_summaries, *stories)

    async def headlines(page: Page) -> list[str]:
        return await page.locator("article.story .story-headline").all_text_contents()

    redis = Redis.from_url(redis_url)

    async def scenario() -> None:
        try:
            # Before the page opens: these come in the snapshot, newest first.
            await add(hostile_story("a", ("a1",), HOSTILE), hostile_story("b", ("b1",), "Story B"))
            with board_server(settings, limits=LIMITS) as base:
                async with chromium() as browser:
                    page = await open_board(browser, base, errors)
                    await expect(page.locator("article.story")).to_have_count(2)
                    assert await headlines(page) == ["Story B", HOSTILE]

                    # An update of the older story replaces its card and moves it to the top.
                    await add(hostile_story("a", ("a1", "a2"), HOSTILE))
                    await expect(page.locator("article.story").first).to_have_attribute("data-story-id", "a")
                    await expect(page.locator("article.story")).to_have_count(2)
                    assert await headlines(page) == [HOSTILE, "Story B"]
                    top = page.locator("article.story").first
                    await expect(top.locator(".story-articles")).to_have_text("2 articles")
                    await expect(top.locator(".story-flag")).to_be_visible()

                    # Text from the web stays text: no element it spelled out exists, no script ran.
                    assert await page.locator("article.story img, article.story script, article.story svg").count() == 0
                    assert await page.locator("article.story b, article.story i, article.story u").count() == 0
                    assert await page.evaluate("window.__xss === undefined")
                    assert await still_same_document(page)
                    await page.close()
        finally:
            await redis.aclose()

    asyncio.run(scenario())
    assert errors == []


def topical_story(story_id: str, headline: str, topic_id: str | None) -> StorySummary:
    when = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    return StorySummary(
        story_id=story_id,
        headline=headline,
        outlets=("o",),
        article_ids=(f"{story_id}1",),
        first_seen=when,
        last_seen=when,
        topic_id=topic_id,
    )


def test_stories_of_one_topic_are_labelled_with_it(redis_url: str, names: StreamNames) -> None:
    settings = fast_settings(redis_url, names, http_port=None)
    errors: list[str] = []
    redis = Redis.from_url(redis_url)

    async def scenario() -> None:
        try:
            iran, bank = topical_story("s1", "Quake in Iran", "s1"), topical_story("s2", "Rates held", "s2")
            await publish(redis, names.story_summaries, iran, bank)
            with board_server(settings, limits=LIMITS) as base:
                async with chromium() as browser:
                    page = await open_board(browser, base, errors)
                    await expect(page.locator("article.story")).to_have_count(2)
                    await expect(page.locator(".story-topic:visible")).to_have_count(0)  # alone in their topics

                    # A sibling event's story joins the Iran story's topic: both are labelled with it.
                    await publish(redis, names.story_summaries, topical_story("s3", "Quake in Peru", "s1"))
                    labels = page.locator("article.story .story-topic:visible")
                    await expect(labels).to_have_count(2)
                    assert set(await labels.all_inner_texts()) == {"Topic: Quake in Iran · 2 stories"}
                    bank_card = page.locator('article.story[data-story-id="s2"]')
                    await expect(bank_card.locator(".story-topic")).to_be_hidden()

                    # An update that does not name the topic (an older producer) keeps it.
                    await publish(redis, names.story_summaries, topical_story("s3", "Quake in Peru", None))
                    peru_card = page.locator('article.story[data-story-id="s3"]')
                    await expect(peru_card).to_have_attribute("data-topic-id", "s1")
                    await expect(peru_card.locator(".story-topic")).to_have_text("Topic: Quake in Iran · 2 stories")
                    await page.close()
        finally:
            await redis.aclose()

    asyncio.run(scenario())
    assert errors == []
