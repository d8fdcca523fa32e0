"""With tracing on, one article's three stages form one trace, tagged with its correlation id."""

from __future__ import annotations

import asyncio

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from redis.asyncio import Redis

from storywire.services.cli.inputs import read_articles
from storywire.services.runtime.streams import StreamNames
from tests.conftest import SEEDS
from tests.integration.harness import fast_settings, publish, running, wait_for_entries

pytestmark = pytest.mark.integration


@pytest.fixture()
def exporter() -> InMemorySpanExporter:
    """The spans finished from now on. OpenTelemetry takes one tracer provider per process, and the
    suite runs once per server: the first run sets it, later runs add their exporter to it."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


def test_the_three_stages_of_one_article_share_a_trace(
    redis_url: str, names: StreamNames, exporter: InMemorySpanExporter
) -> None:

    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        (article,) = read_articles([str(SEEDS / "003_a8e70011b0fb06a6.txt")])
        async with running(fast_settings(redis_url, names, tracing=True), ["cleaner", "dedup", "summarizer"]):
            await redis.xadd(names.raw, {"data": article.model_dump_json(), "correlation_id": "corr-42"})
            await wait_for_entries(redis, names.summaries, 1)
        ((_, fields),) = await redis.xrange(names.summaries)
        assert fields[b"correlation_id"] == b"corr-42"
        assert fields[b"traceparent"].startswith(b"00-")
        await redis.aclose()

    asyncio.run(scenario())
    spans = [s for s in exporter.get_finished_spans() if s.name.endswith(" process")]
    assert sorted(s.name for s in spans) == ["cleaner process", "dedup process", "summarizer process"]
    assert len({s.context.trace_id for s in spans}) == 1
    assert {s.attributes["messaging.message.conversation_id"] for s in spans} == {"corr-42"}
    assert {s.attributes["storywire.article_id"] for s in spans} == {"003_a8e70011b0fb06a6"}


def test_tracing_is_off_by_default(redis_url: str, names: StreamNames) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        (article,) = read_articles([str(SEEDS / "003_a8e70011b0fb06a6.txt")])
        async with running(fast_settings(redis_url, names), ["cleaner"]):
            await publish(redis, names.raw, article)
            await wait_for_entries(redis, names.clean, 1)
        ((_, fields),) = await redis.xrange(names.clean)
        assert b"traceparent" not in fields
        assert fields[b"correlation_id"]  # named after the raw entry when the publisher gave none
        await redis.aclose()

    asyncio.run(scenario())
