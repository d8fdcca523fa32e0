"""Benchmark ``index_memory``: Redis memory of the story index per article, on varied text over simulated days.

The dedup scale benchmark fills the index with short articles from a small vocabulary; the
document frequencies (``sw:dedup:df...``) barely grow there. Here the articles are full
length (10-16 sentences) and varied the way news is: words drawn from general English by
their frequency (wordfreq's 30,000 most common), each event with invented names of people,
places and organisations and a few topic words of its own, figures, and a typo in about one
word in a hundred. ``ARTICLES_PER_DAY`` articles are ingested per simulated day (about six
per event), through the fill of :mod:`benchmarks.dedup_scale` (``RedisStoryIndex.commit``'s
own commands, stories from the generated events).

Reported at checkpoints: Redis ``used_memory`` growth per article, and the memory of the
document-frequency keys alone (``MEMORY USAGE`` of every ``dedup:df*`` key) per article and
per field. Simulated days do not pass for Redis, so no key expires by itself: before each
checkpoint the benchmark deletes the document-frequency keys of generations and singleton
buckets that no window of the simulated time reads (``services/dedup/term_counts.py``; in a
live stream their TTL does this), so their figure is the one a live stream would see. The
other keys that expire after the story horizon (story states, postings, signatures) are all
still there: ``used_memory`` is what the articles cost when all of them are within the horizon.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from typing import Any

import wordfreq
from redis.asyncio import Redis

from benchmarks.common import Context, Result, redis_server, rnd, table
from benchmarks.dedup_scale import Filler
from storywire.contracts import CleanArticle
from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG
from storywire.services.dedup.term_counts import term_window
from storywire.services.runtime.streams import StreamNames

NAME = "index_memory"
ARTICLES_PER_DAY = 5000
ARTICLES_PER_EVENT = 6
VOCABULARY = 30_000
TYPO_RATE = 0.01
_SYLLABLES = (
    "ka", "lo", "mi", "ren", "tu", "vas", "do", "bel", "shi", "nor", "ga", "pe", "zan", "ri", "mo", "tal",
    "bru", "chen", "dar", "el", "fin", "gor", "hal", "is", "jor", "kel", "lun", "mar", "nes", "ost", "pra", "quin",
)  # fmt: skip
_ORG_KINDS = ("Group", "Council", "Institute", "Bank", "Party", "Union", "Agency", "Holdings")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class VariedText:
    """Generated news-like articles: general English by frequency, names and topic words per event, typos."""

    def __init__(self, seed: int = 17) -> None:
        words = [w for w in wordfreq.top_n_list("en", VOCABULARY) if w.isalpha()]
        self.words = words
        self.cumulative = list(itertools.accumulate(wordfreq.word_frequency(w, "en") for w in words))
        self.rng = random.Random(seed)

    def _name(self, rng: random.Random, syllables: int) -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()

    def event(self, number: int) -> dict[str, list[str]]:
        """The names and topic words of one event (the same on every call)."""
        rng = random.Random(number)
        people = [f"{self._name(rng, 2)} {self._name(rng, 3)}" for _ in range(3)]
        places = [self._name(rng, 3) for _ in range(2)]
        orgs = [f"{self._name(rng, 2)} {rng.choice(_ORG_KINDS)}"]
        topic = rng.sample(self.words[1000:20_000], 8)
        return {"names": people + places + orgs, "topic": topic}

    def _word(self, word: str) -> str:
        if len(word) > 3 and self.rng.random() < TYPO_RATE:
            at = self.rng.randrange(len(word))
            return word[:at] + self.rng.choice(_LETTERS) + word[at + 1 :]
        return word

    def _sentence(self, event: dict[str, list[str]]) -> str:
        rng = self.rng
        words = rng.choices(self.words, cum_weights=self.cumulative, k=rng.randint(12, 22))
        words += rng.sample(event["topic"], rng.randint(1, 3))
        if rng.random() < 0.6:
            words.append(rng.choice(event["names"]))
        if rng.random() < 0.3:
            words.append(str(rng.randint(2, 99_999)))
        rng.shuffle(words)
        text = " ".join(self._word(w) for w in words)
        return text[0].upper() + text[1:] + "."

    def article(self, i: int) -> tuple[CleanArticle, int]:
        """The ``i``-th article and its event."""
        event_no = i // ARTICLES_PER_EVENT
        event = self.event(event_no)
        title = " ".join([*self.rng.sample(event["names"], 2), *self.rng.sample(event["topic"], 3)])
        text = " ".join(self._sentence(event) for _ in range(self.rng.randint(10, 16)))
        article = CleanArticle(
            article_id=f"varied-{i}",
            outlet=f"outlet{i % 200}.example",
            title=title,
            text=text,
            language="en",
            word_count=len(text.split()),
            content_hash=f"h{i}",
            source_hash=f"s{i}",
        )
        return article, event_no


async def _expire_passed_windows(redis: Redis, names: StreamNames, now: float) -> int:
    """Delete the generation and singleton keys that no window of simulated ``now`` reads: what their
    TTL does in a live stream, where days pass for Redis too. Returns the keys deleted."""
    window = term_window(now, DEFAULT_CLUSTER_CONFIG.horizon)
    passed = []
    for kind, current in (("df", window.generation), ("n", window.generation), ("df-once", window.bucket)):
        prefix = names.key("dedup", kind) + ":"
        async for key in redis.scan_iter(match=prefix + "*", count=1000):
            suffix = key.decode()[len(prefix) :]
            if suffix.lstrip("-").isdigit() and int(suffix) < current - 1:
                passed.append(key)
    if passed:
        await redis.delete(*passed)
    return len(passed)


async def _df_memory(redis: Redis, names: StreamNames) -> tuple[int, int, int]:
    """Bytes, fields and keys of the document-frequency keys."""
    used = fields = keys = 0
    async for key in redis.scan_iter(match=names.key("dedup", "df") + "*", count=1000):
        used += int(await redis.memory_usage(key, samples=0) or 0)
        if await redis.type(key) == b"hash":
            fields += int(await redis.hlen(key))
        keys += 1
    return used, fields, keys


async def _measure(url: str, total: int, checkpoints: int) -> dict[str, Any]:
    names = StreamNames("bench-mem:")
    redis = Redis.from_url(url)
    text = VariedText()
    start = time.time() - total / ARTICLES_PER_DAY * 86400
    filler = Filler(url, redis, names, start, articles=text.article, seconds_per_article=86400 / ARTICLES_PER_DAY)
    base = int((await redis.info("memory"))["used_memory"])
    levels = []
    try:
        for step in range(1, checkpoints + 1):
            size = total * step // checkpoints
            started = time.perf_counter()
            await filler.fill_to(size)
            fill_s = time.perf_counter() - started
            expired = await _expire_passed_windows(redis, names, start + size * filler.seconds_per_article)
            used = int((await redis.info("memory"))["used_memory"])
            df_bytes, df_fields, df_keys = await _df_memory(redis, names)
            levels.append(
                {
                    "articles": size,
                    "days": size / ARTICLES_PER_DAY,
                    "terms_seen": len(filler.df),
                    "df_fields": df_fields,
                    "df_keys": df_keys,
                    "df_keys_expired": expired,
                    "df_bytes": df_bytes,
                    "df_bytes_per_article": df_bytes / size,
                    "df_bytes_per_field": df_bytes / max(1, df_fields),
                    "used_memory_bytes": used,
                    "bytes_per_article": (used - base) / size,
                    "fill_s": fill_s,
                }
            )
    finally:
        await redis.aclose()
    return {"levels": levels, "base_used_memory": base}


def run(ctx: Context) -> Result:
    """Fill with varied articles over simulated days; report memory per article at checkpoints."""
    total, checkpoints = (5000, 2) if ctx.quick else (100_000, 5)
    with redis_server() as url:
        measured = asyncio.run(_measure(url, total, checkpoints))
    levels = measured["levels"]
    last = levels[-1]
    rows = [
        (
            f"{lv['articles']:,}",
            rnd(lv["days"], 1),
            f"{lv['terms_seen']:,}",
            f"{lv['df_fields']:,}",
            f"{lv['df_bytes'] / 2**20:,.1f}",
            f"{lv['df_bytes_per_article']:,.0f}",
            f"{lv['df_bytes_per_field']:,.0f}",
            f"{lv['bytes_per_article']:,.0f}",
            f"{lv['used_memory_bytes'] / 2**20:,.1f}",
            rnd(lv["fill_s"], 1),
        )
        for lv in levels
    ]
    markdown = (
        f"Inputs: generated full-length articles (10-16 sentences of 13-27 words), {ARTICLES_PER_DAY:,} per simulated"
        f" day, about {ARTICLES_PER_EVENT} per event: words of general English drawn by frequency (wordfreq's"
        f" {VOCABULARY:,} most common), per event six invented names and eight topic words, figures, and a typo in"
        f" {TYPO_RATE:.0%} of words. Filled through `RedisStoryIndex.commit`'s own commands (see"
        " `benchmarks/dedup_scale.py`).\n\n"
        + table(
            (
                "articles",
                "simulated days",
                "distinct terms seen",
                "df fields kept",
                "df MiB",
                "df bytes/article",
                "df bytes/field",
                "used_memory bytes/article",
                "used_memory MiB",
                "fill s",
            ),
            rows,
        )
        + "\n\nSimulated days do not pass for Redis: before each checkpoint the df keys of generations and"
        " singleton buckets that the simulated time no longer reads are deleted (their TTL does that in a live"
        " stream), so the df figures are a live stream's; the other keys that expire after the story horizon are"
        " all still there, so `used_memory` is the cost of articles within the horizon.\n"
    )
    summary = [
        f"after {last['articles']:,} varied articles ({last['days']:.0f} simulated days):"
        f" document frequencies {last['df_bytes_per_article']:,.0f} bytes per article"
        f" ({last['df_fields']:,} fields of {last['terms_seen']:,} distinct terms seen),"
        f" whole index {last['bytes_per_article']:,.0f} bytes per article",
    ]
    data = {"articles_per_day": ARTICLES_PER_DAY, "articles_per_event": ARTICLES_PER_EVENT, **measured}
    return Result(NAME, "Story index: Redis memory per article on varied text", summary, markdown, data)
