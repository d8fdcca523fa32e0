"""Benchmark ``dedup_scale``: per-article dedup cost and Redis memory as the story index grows.

The index (RedisStoryIndex on a private Redis) is filled to 1k, 10k and 100k articles
from many distinct events (about six articles per event), and at each size a sample of
full-length generated articles is assigned through :func:`storywire.services.dedup.assigning.assign`
on that index, each one timed: ``assign`` alone and ``features_of`` + ``assign``.

Filling 100k articles through ``assign`` would take about an hour here (tens of Redis
round trips and ~200 commands per article), so the fill takes a faster route to the same
index contents:

* stories are the generated events (ground truth) instead of ``decide``'s choice, and
  story states come from the same pure functions (``new_story`` / ``updated_story``,
  ``retrieval_keys``) with exact document frequencies kept in process;
* the writes are ``RedisStoryIndex.commit``'s own commands (captured from its pipeline,
  so the key layout cannot drift from the service), streamed to Redis over one socket
  with replies off, instead of one MULTI/EXEC round trip per article;
* fill articles are short (a title and two sentences, ~20 terms) so featurizing them is cheap.

The measured samples take the service's code path unchanged. Memory per indexed article is
``INFO memory used_memory`` growth divided by articles indexed (fill articles: short; the
full-length samples are reported apart).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import random
import socket
import time
from collections.abc import Callable, Sequence
from typing import Any, cast
from urllib.parse import urlparse

from redis.asyncio import Redis

from benchmarks.common import Context, Result, goal, median, percentile, redis_server, rnd, table
from storywire.contracts import CleanArticle, RawArticle
from storywire.services.cleaner.cleaning import Rejection, clean_article
from storywire.services.dedup.assigning import ArticleRecord, IndexWrite, assign, features_of, listed_article
from storywire.services.dedup.clustering import (
    DEFAULT_CLUSTER_CONFIG,
    CorpusStats,
    StoryState,
    new_story,
    retrieval_keys,
    updated_story,
    with_background,
)
from storywire.services.dedup.near_duplicates import band_keys
from storywire.services.dedup.redis_index import RedisStoryIndex
from storywire.services.runtime.streams import StreamNames
from tests.chaos.articles import ORGS, THINGS, Event, event_sentence, event_text, event_title

NAME = "dedup_scale"
GOAL_RATIO = 1.5
ARTICLES_PER_EVENT = 6
_SYLLABLES = ("ka", "lo", "mi", "ren", "tu", "vas", "do", "bel", "shi", "nor", "ga", "pe", "zan", "ri", "mo", "tal")


def _place(n: int) -> str:
    """A distinct pseudo place name per event (an entity term of its own, as real events have)."""
    parts = []
    for _ in range(5):
        n, digit = divmod(n, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
    return "".join(parts).capitalize()


def _event(n: int) -> Event:
    return (_place(n), THINGS[n % len(THINGS)], ORGS[(n // len(THINGS)) % len(ORGS)])


def _clean(raw: RawArticle) -> CleanArticle:
    result = clean_article(raw)
    assert not isinstance(result, Rejection), result
    return result


class _Capture:
    """A Redis stand-in for ``RedisStoryIndex.commit``: its pipelines record commands instead of sending them."""

    def __init__(self, real: Redis) -> None:
        self.real = real
        self.commands: list[tuple[Any, ...]] = []
        self.scripts: dict[str, str] = {}

    def pipeline(self, transaction: bool = True) -> Any:
        pipe = self.real.pipeline(transaction=False)

        async def execute(raise_on_error: bool = True) -> list[Any]:
            self.commands.extend(args for args, _options in pipe.command_stack)
            pipe.command_stack.clear()
            return []

        pipe.execute = execute  # type: ignore[method-assign]
        return pipe

    def register_script(self, script: str) -> Any:
        """The index's commit script: recorded as EVALSHA (the fill loads the script first)."""
        sha = hashlib.sha1(script.encode(), usedforsecurity=False).hexdigest()
        self.scripts[sha] = script

        async def call(keys: Sequence[Any] = (), args: Sequence[Any] = (), client: Any = None) -> None:
            self.commands.append(("EVALSHA", sha, len(keys), *keys, *args))

        return call


def _resp(args: Sequence[Any], out: bytearray) -> None:
    """Append one command in RESP, encoding values as redis-py does (str UTF-8, numbers by repr)."""
    out += b"*%d\r\n" % len(args)
    for arg in args:
        data = arg if isinstance(arg, bytes) else (arg.encode() if isinstance(arg, str) else repr(arg).encode())
        out += b"$%d\r\n%s\r\n" % (len(data), data)


class _Stream:
    """Commands streamed to Redis on one socket with replies off (the fill's transport)."""

    def __init__(self, url: str) -> None:
        parsed = urlparse(url)
        self.sock = socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379))
        self.buffer = bytearray()
        _resp(("CLIENT", "REPLY", "OFF"), self.buffer)

    def send(self, commands: Sequence[Sequence[Any]]) -> None:
        for command in commands:
            _resp(command, self.buffer)
        if len(self.buffer) > 1 << 20:
            self.flush()

    def flush(self) -> None:
        self.sock.sendall(self.buffer)
        self.buffer.clear()

    def close(self) -> None:
        """Turn replies back on and wait for the server to have applied everything sent."""
        _resp(("CLIENT", "REPLY", "ON"), self.buffer)
        _resp(("PING",), self.buffer)
        self.flush()
        received = b""
        while b"PONG" not in received:
            received += self.sock.recv(4096)
        self.sock.close()


#: An article source for :class:`Filler`: the ``i``-th article and the number of its event.
ArticleSource = Callable[[int], tuple[CleanArticle, int]]


class Filler:
    """Adds articles to the index as the service would have stored them: by default short ones of distinct events.

    ``articles`` replaces the default source; the ``i``-th article is ingested at
    ``start + i * seconds_per_article``.
    """

    def __init__(
        self,
        url: str,
        redis: Redis,
        names: StreamNames,
        start: float,
        *,
        articles: ArticleSource | None = None,
        seconds_per_article: float = 0.01,
    ) -> None:
        self.articles = articles or self._short_article
        self.seconds_per_article = seconds_per_article
        self.capture = _Capture(redis)
        self.index = RedisStoryIndex(cast("Redis", self.capture), names, DEFAULT_CLUSTER_CONFIG)
        self.url = url
        self.names = names
        self.rng = random.Random(3)
        self.df: dict[str, int] = {}
        self.documents = 0
        self.stories: dict[int, StoryState] = {}
        self.story_ids = itertools.count(1)
        self.start = start
        self.filled = 0

    async def fill_to(self, total: int) -> None:
        """Index fill articles until ``total`` have been indexed."""
        for script in self.capture.scripts.values():
            await self.capture.real.script_load(script)
        stream = _Stream(self.url)
        config = DEFAULT_CLUSTER_CONFIG
        while self.filled < total:
            i = self.filled
            article, event_no = self.articles(i)
            now = self.start + i * self.seconds_per_article
            features = features_of(article)
            stats = with_background(
                CorpusStats(self.documents, {t: self.df[t] for t in features.terms if t in self.df}), config
            )
            keys = retrieval_keys(features, stats, config)
            known = self.stories.get(event_no)
            if known is None:
                state = new_story(f"story-{next(self.story_ids)}", article.article_id, features, stats, now, config)
            else:
                state = updated_story(known, article.article_id, features, stats, now, config)
            self.stories[event_no] = state
            record = ArticleRecord(state.story_id, article.content_hash, known is None, None, None, None, 0)
            await self.index.commit(
                IndexWrite(
                    story=state,
                    posting_keys=keys,
                    features=features,
                    band_keys=band_keys(features.signature),
                    article_id=article.article_id,
                    record=record,
                    listed=listed_article(article, None),
                    headline=article.title,
                    now=now,
                )
            )
            self.documents += 1
            for term in features.terms:
                self.df[term] = self.df.get(term, 0) + 1
            stream.send(self.capture.commands)
            self.capture.commands.clear()
            self.filled += 1
        # The service numbers stories with INCR: continue after the fill's own.
        stream.send([("SET", self.names.key("dedup", "story-seq"), str(len(self.stories)))])
        stream.close()

    def _short_article(self, i: int) -> tuple[CleanArticle, int]:
        """A title and two sentences about event ``i // ARTICLES_PER_EVENT``."""
        event_no = i // ARTICLES_PER_EVENT
        event = _event(event_no)
        article = CleanArticle(
            article_id=f"fill-{i}",
            outlet=f"outlet{i % 40}.example",
            title=event_title(self.rng, event),
            text=" ".join(event_sentence(self.rng, event) for _ in range(2)),
            language="en",
            word_count=54,
            content_hash=f"h{i}",
            source_hash=f"s{i}",
        )
        return article, event_no


def _sample(size: int, count: int, filled_events: int) -> list[CleanArticle]:
    """Full-length articles: half about events already in the index (they join), half about new ones."""
    rng = random.Random(size)
    out = []
    for k in range(count):
        joins = k % 2 == 0 and filled_events > 0
        event_no = rng.randrange(filled_events) if joins else 500_000 + size + k
        event = _event(event_no)
        raw = RawArticle(
            article_id=f"sample-{size}-{k}",
            title=event_title(rng, event),
            content=event_text(rng, rng.randint(3, 6), event),
            outlet=f"outlet{k % 40}.example",
        )
        out.append(_clean(raw))
    return out


async def _used_memory(redis: Redis) -> int:
    info = await redis.info("memory")
    return int(info["used_memory"])


async def _measure(url: str, sizes: Sequence[int], sample_size: int) -> dict[str, Any]:
    names = StreamNames("bench-dedup:")
    redis = Redis.from_url(url)
    index = RedisStoryIndex(redis, names, DEFAULT_CLUSTER_CONFIG)
    filler = Filler(url, redis, names, start=time.time() - 7200)
    base = await _used_memory(redis)
    levels: list[dict[str, Any]] = []
    try:
        for size in sizes:
            started = time.perf_counter()
            await filler.fill_to(size - (len(levels) * sample_size))
            fill_s = time.perf_counter() - started
            before = await _used_memory(redis)
            samples = _sample(size, sample_size, filler.filled // ARTICLES_PER_EVENT)
            assign_ms: list[float] = []
            featurize_ms: list[float] = []
            joined = 0
            for article in samples:
                t0 = time.perf_counter()
                features = features_of(article)
                t1 = time.perf_counter()
                result = await assign(article, features, index)
                t2 = time.perf_counter()
                featurize_ms.append((t1 - t0) * 1000)
                assign_ms.append((t2 - t1) * 1000)
                joined += not result.assignment.is_new_story
            after = await _used_memory(redis)
            total_ms = [a + f for a, f in zip(assign_ms, featurize_ms, strict=True)]
            levels.append(
                {
                    "indexed_articles": size,
                    "fill_s": fill_s,
                    "assign_ms_median": median(assign_ms),
                    "assign_ms_p95": percentile(assign_ms, 95),
                    "featurize_ms_median": median(featurize_ms),
                    "assign_with_featurize_ms_median": median(total_ms),
                    "assign_with_featurize_ms_p95": percentile(total_ms, 95),
                    "sample_joined_existing_story": joined,
                    "used_memory_bytes": after,
                    "bytes_per_indexed_article": (before - base) / size,
                    "bytes_per_sample_article": (after - before) / sample_size,
                }
            )
    finally:
        await redis.aclose()
    return {"levels": levels, "base_used_memory": base}


def run(ctx: Context) -> Result:
    """Fill to each size, time a sample of assignments at each; compare the largest with the smallest."""
    sizes, sample_size = ((300, 1000), 30) if ctx.quick else ((1000, 10_000, 100_000), 200)
    with redis_server() as url:
        measured = asyncio.run(_measure(url, sizes, sample_size))
    levels = measured["levels"]
    first, last = levels[0], levels[-1]
    ratio = last["assign_ms_median"] / first["assign_ms_median"]
    ratio_incl = last["assign_with_featurize_ms_median"] / first["assign_with_featurize_ms_median"]
    met = ratio <= GOAL_RATIO
    rows = [
        (
            f"{lv['indexed_articles']:,}",  # before the sample (earlier samples count in)
            rnd(lv["assign_ms_median"]),
            rnd(lv["assign_ms_p95"]),
            rnd(lv["featurize_ms_median"]),
            rnd(lv["assign_with_featurize_ms_median"]),
            f"{lv['sample_joined_existing_story']}/{sample_size}",
            f"{lv['bytes_per_indexed_article']:,.0f}",
            f"{lv['bytes_per_sample_article']:,.0f}",
            f"{lv['used_memory_bytes'] / 2**20:,.1f}",
            rnd(lv["fill_s"], 1),
        )
        for lv in levels
    ]
    label = f"{last['indexed_articles']:,}/{first['indexed_articles']:,}"
    markdown = (
        f"Inputs: fill articles generated from {last['indexed_articles'] // ARTICLES_PER_EVENT:,} distinct events"
        f" (~{ARTICLES_PER_EVENT} articles each; title + two sentences of the tests/chaos generator, ~20 terms);"
        f" at each size a sample of {sample_size} full-length generated plain-text articles (3-6 paragraphs),"
        " half about events already indexed, half about new ones, assigned one by one on the RedisStoryIndex"
        " (the index lock the service takes around `assign` is not included).\n\n"
        + table(
            (
                "indexed",
                "assign ms (median)",
                "assign ms (p95)",
                "featurize ms",
                "featurize + assign ms",
                "joined a story",
                "bytes/article (fill)",
                "bytes/article (full-length sample)",
                "used_memory MiB",
                "fill s",
            ),
            rows,
        )
        + "\n\n"
        + table(
            ("ratio", "value", "goal"),
            [
                (f"assign {label} (featurize excluded)", f"{ratio:.2f}", f"≤ {GOAL_RATIO}: {goal(met)}"),
                (f"featurize + assign {label}", f"{ratio_incl:.2f}", ""),
            ],
        )
        + "\n\nHow the index was filled fast (same contents, not the same client path) is explained in"
        " `benchmarks/dedup_scale.py`: ground-truth stories, `RedisStoryIndex.commit`'s own commands"
        " streamed with replies off, short fill articles.\n"
    )
    summary = [
        f"assign {first['assign_ms_median']:.1f} ms at {first['indexed_articles']:,}"
        f" → {last['assign_ms_median']:.1f} ms at {last['indexed_articles']:,} indexed:"
        f" ratio {ratio:.2f} (goal ≤ {GOAL_RATIO}: {goal(met)});"
        f" with featurize {ratio_incl:.2f}",
        f"Redis memory ≈ {last['bytes_per_indexed_article']:,.0f} bytes per (short) indexed article,"
        f" {last['bytes_per_sample_article']:,.0f} per full-length article",
    ]
    data = {
        "sample_size": sample_size,
        "articles_per_event": ARTICLES_PER_EVENT,
        **measured,
        "ratio_assign": ratio,
        "ratio_assign_with_featurize": ratio_incl,
        "goal_ratio": GOAL_RATIO,
        "goal_met": met,
    }
    return Result(NAME, "Dedup: cost and memory per article as the story index grows", summary, markdown, data)
