"""Where the summarizer keeps the digests of each story's articles."""

from __future__ import annotations

import math
from typing import Protocol

from redis.asyncio import Redis

from services.runtime.streams import StreamNames
from services.summarizer.summarizing import ArticleDigest

#: Digests of a story without news for this long are dropped (matches the story horizon).
DIGEST_TTL_S = 7 * 24 * 3600


class DigestStore(Protocol):
    """Adds an article's digest to its story and returns all of the story's digests."""

    async def add(self, story_id: str, digest: ArticleDigest) -> list[ArticleDigest]:
        """Record ``digest`` (replacing an earlier one of the same article) and read the story."""
        ...


class MemoryDigestStore:
    """Digests in a dict: for the offline verbs."""

    def __init__(self) -> None:
        self._stories: dict[str, dict[str, ArticleDigest]] = {}

    async def add(self, story_id: str, digest: ArticleDigest) -> list[ArticleDigest]:
        """Record and read back."""
        story = self._stories.setdefault(story_id, {})
        story[digest.article_id] = digest
        return list(story.values())


class RedisDigestStore:
    """Digests in one Redis hash per story, written and read in one transaction."""

    def __init__(self, redis: Redis, names: StreamNames, ttl_s: float = DIGEST_TTL_S) -> None:
        self.redis = redis
        self.names = names
        self.ttl_s = max(1, math.ceil(ttl_s))

    async def add(self, story_id: str, digest: ArticleDigest) -> list[ArticleDigest]:
        """HSET, EXPIRE and HGETALL in one MULTI/EXEC, so the read includes this write."""
        key = self.names.key("summarizer", "story", story_id)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(key, digest.article_id, digest.to_json())
        pipe.expire(key, self.ttl_s)
        pipe.hgetall(key)
        *_, stored = await pipe.execute()
        return [ArticleDigest.from_json(data) for data in stored.values()]
