"""Garbage in bulk and one very long article: each becomes data (a dead letter, a summary), never a stall."""

from __future__ import annotations

import random
import string
import time

import pytest
from redis import Redis

from storywire.contracts import DeadLetter, RawArticle
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.wire import encode_entry
from tests.hostile.conftest import length, wait_until, workers

pytestmark = [pytest.mark.integration, pytest.mark.hostile]

GOOD = "The council approved the {n} budget on Tuesday after a debate that lasted {n} hours in the hall."


def _garbage(rng: random.Random, n: int) -> dict[str, bytes]:
    kinds = [
        {"data": b"{not json"},
        {"data": bytes(rng.randrange(256) for _ in range(64))},
        {"other": b"no data field"},
        {"data": b'{"content": ""}'},
        {"data": b'{"content": "x", "content_type": "application/pdf"}'},
        {"data": (b'{"article_id": "a\\ud800", "content": "lone surrogate"}')},
    ]
    return kinds[n % len(kinds)]


def test_ten_thousand_garbage_entries_are_dead_lettered_and_good_traffic_flows_right_after(
    redis_url: str, names: StreamNames
) -> None:
    client = Redis.from_url(redis_url)
    rng = random.Random(5)
    pipe = client.pipeline(transaction=False)
    for n in range(10_000):
        pipe.xadd(names.raw, _garbage(rng, n))  # type: ignore[arg-type]
    pipe.execute()
    good = [
        RawArticle(article_id=f"good{n}", content="\n\n".join(GOOD.format(n=n + k) for k in range(3)))
        for n in range(20)
    ]
    for article in good:
        client.xadd(names.raw, encode_entry(article))  # type: ignore[arg-type]
    with workers(redis_url, names, ["cleaner"], batch_size="256"):
        took = wait_until(lambda: length(client, names.clean) >= 20, 300, "the good articles after the burst")
        wait_until(lambda: length(client, names.dead_letters("cleaner")) >= 10_000, 60, "every garbage entry")
    assert length(client, names.dead_letters("cleaner")) == 10_000
    assert client.xpending(names.raw, "cleaner")["pending"] == 0
    print(f"\n10,000 garbage entries and 20 good ones through one cleaner in {took:.1f} s")
    client.close()


def test_a_half_megabyte_article_with_two_summarizer_replicas_is_summarised_once(
    redis_url: str, names: StreamNames
) -> None:
    client = Redis.from_url(redis_url)
    words = [w for w in string.ascii_lowercase]
    rng = random.Random(7)
    sentences = []
    while sum(len(s) for s in sentences) < 500_000:
        body = " ".join(rng.choice(words) * rng.randint(2, 9) for _ in range(rng.randint(12, 28)))
        sentences.append(f"Officials in Lisbon said on Tuesday that {body}.")
    text = "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))
    client.xadd(names.raw, encode_entry(RawArticle(article_id="huge", content=text)))  # type: ignore[arg-type]
    started = time.monotonic()
    with workers(redis_url, names, ["cleaner", "dedup", "summarizer", "summarizer"], reclaim_idle_ms="30000"):
        wait_until(
            lambda: length(client, names.summaries) + length(client, names.dead_letters("summarizer")) >= 1,
            600,
            "the long article's summary",
        )
        time.sleep(2)
        pending = client.xpending(names.assigned, "summarizer")["pending"]
    took = time.monotonic() - started
    assert length(client, names.summaries) == 1, "summarised once, not dead-lettered"
    assert pending == 0
    print(f"\na 500 KB article through the pipeline with two summarizer replicas in {took:.1f} s")
    client.close()


def test_a_95_megabyte_entry_becomes_one_small_dead_letter_and_the_stream_flows_on(
    redis_url: str, names: StreamNames
) -> None:
    client = Redis.from_url(redis_url)
    size = 95 * 1024 * 1024
    client.xadd(names.raw, {"data": b"\x01" * size})
    good = RawArticle(article_id="after-the-giant", content="\n\n".join(GOOD.format(n=k) for k in range(3)))
    client.xadd(names.raw, encode_entry(good))  # type: ignore[arg-type]
    with workers(redis_url, names, ["cleaner"]):
        took = wait_until(lambda: length(client, names.clean) >= 1, 300, "the article after the giant entry")
    ((_, fields),) = client.xrange(names.dead_letters("cleaner"))
    letter = DeadLetter.model_validate_json(fields[b"data"])
    assert len(fields[b"data"]) <= 64 * 1024
    assert letter.payload_bytes == size and letter.payload_truncated
    assert client.xpending(names.raw, "cleaner")["pending"] == 0
    print(f"\na 95 MB entry dead-lettered and the next article cleaned in {took:.1f} s")
    client.close()
