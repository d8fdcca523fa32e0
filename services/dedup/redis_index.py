"""The story index in Redis, shared by every dedup replica.

Keys (all under the stream prefix, ``sw:dedup:``):

``n`` / ``df``
    Documents seen and the document frequency of each term (a hash).
``post:<term>``
    Sorted set of story ids scored by their last update: the inverted index.
``story:<id>``
    A story's state (JSON); ``story-articles:<id>`` lists its articles and
    ``story-meta:<id>`` holds headline, first and last seen.
``bucket:<band>`` / ``sig:<article>``
    MinHash LSH buckets and signatures of the near-duplicate tier.
``article:<id>``
    The recorded assignment of each article version.
``open-stories``
    Sorted set of the stories updated within the horizon, by last update.

Everything but ``n``/``df`` expires after the story horizon without activity,
so memory is bounded by the articles of the last horizon. Writers hold
``lock`` (see :meth:`RedisStoryIndex.lock`) so that two replicas never start
two stories for one event.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import asdict
from datetime import UTC, datetime

import orjson
from redis.asyncio import Redis
from redis.asyncio.lock import Lock

from contracts import StoryArticle, StoryUpdate
from services.dedup.assigning import MAX_LISTED_ARTICLES, ArticleRecord, IndexWrite
from services.dedup.clustering import ClusterConfig, CorpusStats, MemberVector, StoryState
from services.dedup.near_duplicates import Signature
from services.runtime.redis_values import as_bytes, as_text
from services.runtime.streams import StreamNames

#: A holder that dies mid-assignment frees the lock after this long.
LOCK_TIMEOUT_S = 10.0


def _story_json(story: StoryState) -> bytes:
    return orjson.dumps(asdict(story))


def _story_from_json(data: bytes) -> StoryState:
    doc = orjson.loads(data)
    doc["members"] = tuple(MemberVector(m["article_id"], m["terms"]) for m in doc["members"])
    return StoryState(**doc)


def _signature_bytes(sig: Signature) -> bytes:
    return sig.size.to_bytes(4, "little") + sig.values


def _signature_from_bytes(data: bytes) -> Signature:
    return Signature(values=data[4:], size=int.from_bytes(data[:4], "little"))


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


class RedisStoryIndex:
    """:class:`~services.dedup.assigning.AsyncStoryIndex` on Redis."""

    def __init__(self, redis: Redis, names: StreamNames, config: ClusterConfig) -> None:
        self.redis = redis
        self.config = config
        self.names = names
        self._ttl = max(1, math.ceil(config.horizon))

    def _k(self, *parts: str) -> str:
        return self.names.key("dedup", *parts)

    def lock(self) -> Lock:
        """The index-wide writer lock (redis-py's token lock, released by a Lua check-and-delete)."""
        return self.redis.lock(self._k("lock"), timeout=LOCK_TIMEOUT_S, sleep=0.002, blocking_timeout=60)

    async def corpus_stats(self, terms: Collection[str]) -> CorpusStats:
        """N and the df of ``terms``, in one round trip."""
        ordered = list(terms)
        pipe = self.redis.pipeline(transaction=False)
        pipe.get(self._k("n"))
        if ordered:
            pipe.hmget(self._k("df"), ordered)
        replies = await pipe.execute()
        documents = int(replies[0] or 0)
        df = {t: int(v) for t, v in zip(ordered, replies[1], strict=True) if v} if ordered else {}
        return CorpusStats(documents, df)

    async def postings(self, keys: Sequence[str], not_before: float | None, limit: int) -> dict[str, list[str]]:
        """Newest story ids per term, pipelined."""
        pipe = self.redis.pipeline(transaction=False)
        low = "-inf" if not_before is None else not_before
        for key in keys:
            pipe.zrevrangebyscore(self._k("post", key), "+inf", low, start=0, num=limit)
        replies = await pipe.execute()
        return {key: [sid.decode() for sid in ids] for key, ids in zip(keys, replies, strict=True) if ids}

    async def load_stories(self, story_ids: Sequence[str]) -> list[StoryState]:
        """States of the stories that still exist, in the order asked."""
        if not story_ids:
            return []
        raw = await self.redis.mget([self._k("story", sid) for sid in story_ids])
        return [_story_from_json(as_bytes(data)) for data in raw if data]

    async def bucket_members(self, keys: Sequence[str]) -> set[str]:
        """Article ids sharing any LSH bucket."""
        if not keys:
            return set()
        members = await self.redis.sunion([self._k("bucket", key) for key in keys])
        return {as_text(m) for m in members}

    async def signatures(self, article_ids: Collection[str]) -> dict[str, Signature]:
        """Stored signatures of the articles that still have one."""
        ordered = list(article_ids)
        if not ordered:
            return {}
        raw = await self.redis.mget([self._k("sig", a) for a in ordered])
        return {a: _signature_from_bytes(as_bytes(data)) for a, data in zip(ordered, raw, strict=True) if data}

    async def article(self, article_id: str) -> ArticleRecord | None:
        """The recorded assignment of an article."""
        data = await self.redis.get(self._k("article", article_id))
        return ArticleRecord(**orjson.loads(data)) if data else None

    async def new_story_id(self) -> str:
        """``story-<n>`` from a counter shared by all replicas."""
        return f"story-{await self.redis.incr(self._k('story-seq'))}"

    async def commit(self, write: IndexWrite) -> None:
        """All writes of one assignment in one MULTI/EXEC transaction."""
        ttl = self._ttl
        oldest = write.now - self.config.horizon
        sid = write.story.story_id
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(self._k("story", sid), _story_json(write.story), ex=ttl)
        pipe.zadd(self._k("open-stories"), {sid: write.now})
        pipe.zremrangebyscore(self._k("open-stories"), "-inf", f"({oldest}")
        for key in write.posting_keys:
            posting = self._k("post", key)
            pipe.zadd(posting, {sid: write.story.last_updated})
            pipe.zremrangebyscore(posting, "-inf", f"({oldest}")
            pipe.expire(posting, ttl)
        pipe.incr(self._k("n"))
        for term in write.features.terms:
            pipe.hincrby(self._k("df"), term, 1)
        for band in write.band_keys:
            bucket = self._k("bucket", band)
            pipe.sadd(bucket, write.article_id)
            pipe.expire(bucket, ttl)
        if write.band_keys:
            pipe.set(self._k("sig", write.article_id), _signature_bytes(write.features.signature), ex=ttl)
        pipe.set(self._k("article", write.article_id), orjson.dumps(asdict(write.record)), ex=ttl)
        articles = self._k("story-articles", sid)
        pipe.rpush(articles, write.listed.model_dump_json())
        pipe.ltrim(articles, -MAX_LISTED_ARTICLES, -1)
        pipe.expire(articles, ttl)
        meta = self._k("story-meta", sid)
        pipe.hsetnx(meta, "first_seen", write.now)
        if write.headline:
            pipe.hsetnx(meta, "headline", write.headline)
        pipe.hset(meta, "last_seen", write.now)
        pipe.hincrby(meta, "count", 1)
        pipe.expire(meta, ttl)
        await pipe.execute()

    async def story_update(self, story_id: str) -> StoryUpdate | None:
        """The story's articles, outlets and first/last seen."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.lrange(self._k("story-articles", story_id), 0, -1)
        pipe.hgetall(self._k("story-meta", story_id))
        listed, meta = await pipe.execute()
        if not listed or not meta:
            return None
        articles = tuple(StoryArticle.model_validate_json(a) for a in listed)
        headline = meta.get(b"headline")
        return StoryUpdate(
            story_id=story_id,
            headline=headline.decode() if headline else None,
            articles=articles,
            outlets=tuple(dict.fromkeys(a.outlet for a in articles if a.outlet)),
            first_seen=_utc(float(meta[b"first_seen"])),
            last_seen=_utc(float(meta[b"last_seen"])),
        )
