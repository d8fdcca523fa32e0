"""Where the summarizer keeps the digests of each story's articles.

A story summary is built from a bounded sample of its articles (the first few,
which set the story, and the latest, which move it on), so its cost stays flat
however large the story grows; the full list of article ids and outlets is kept
beside the sample.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from services.runtime.redis_values import as_bytes, as_text
from services.runtime.streams import StreamNames
from services.summarizer.summarizing import ArticleDigest

#: Digests of a story without news for this long are dropped (matches the story horizon).
DIGEST_TTL_S = 7 * 24 * 3600
#: How many of the first and of the latest articles a story summary is built from.
FIRST_ARTICLES = 3
LATEST_ARTICLES = 9


@dataclass(frozen=True, slots=True)
class StoryDigests:
    """A story as the summarizer sees it: a sample of digests and every id and outlet."""

    sample: tuple[ArticleDigest, ...]
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    first_seen: float
    last_seen: float


def sample_ids(ordered: Sequence[str]) -> list[str]:
    """The first and latest article ids of a story in arrival order (all, when few)."""
    if len(ordered) <= FIRST_ARTICLES + LATEST_ARTICLES:
        return list(ordered)
    return [*ordered[:FIRST_ARTICLES], *ordered[-LATEST_ARTICLES:]]


class DigestStore(Protocol):
    """Adds an article's digest to its story and returns the story's digests."""

    async def add(self, story_id: str, digest: ArticleDigest, absorbed: Sequence[str] = ()) -> StoryDigests:
        """Fold the ``absorbed`` stories into the story, record ``digest`` (replacing an earlier one
        of the same article) and read the story."""
        ...


class MemoryDigestStore:
    """Digests in dicts: for the offline verbs."""

    def __init__(self) -> None:
        self._stories: dict[str, dict[str, ArticleDigest]] = {}
        self._first_seen: dict[str, dict[str, float]] = {}

    async def add(self, story_id: str, digest: ArticleDigest, absorbed: Sequence[str] = ()) -> StoryDigests:
        """Fold, record and read back."""
        story = self._stories.setdefault(story_id, {})
        seen = self._first_seen.setdefault(story_id, {})
        for folded in absorbed:
            story.update(self._stories.pop(folded, {}))
            for article_id, at in self._first_seen.pop(folded, {}).items():
                seen.setdefault(article_id, at)
        story[digest.article_id] = digest
        seen.setdefault(digest.article_id, digest.seen_at)
        ordered = sorted(seen, key=lambda a: (seen[a], a))
        return StoryDigests(
            sample=tuple(story[a] for a in sample_ids(ordered)),
            article_ids=tuple(ordered),
            outlets=tuple(dict.fromkeys(outlet for a in ordered if (outlet := story[a].outlet))),
            first_seen=seen[ordered[0]],
            last_seen=max(seen.values()),
        )


# KEYS: the story's digests, order and outlets, then the same three of each absorbed story.
_FOLD_LUA = """
for i = 4, #KEYS, 3 do
  local digests = redis.call('HGETALL', KEYS[i])
  if #digests > 0 then redis.call('HSET', KEYS[1], unpack(digests)) end
  local order = redis.call('ZRANGE', KEYS[i + 1], 0, -1, 'WITHSCORES')
  for j = 1, #order, 2 do redis.call('ZADD', KEYS[2], 'NX', order[j + 1], order[j]) end
  local outlets = redis.call('HGETALL', KEYS[i + 2])
  if #outlets > 0 then redis.call('HSET', KEYS[3], unpack(outlets)) end
  redis.call('DEL', KEYS[i], KEYS[i + 1], KEYS[i + 2])
end
return 1
"""


class RedisDigestStore:
    """Per story: a hash of digests, a sorted set of arrival times and a hash of outlets."""

    def __init__(self, redis: Redis, names: StreamNames, ttl_s: float = DIGEST_TTL_S) -> None:
        self.redis = redis
        self.names = names
        self.ttl_s = max(1, math.ceil(ttl_s))
        self._fold = redis.register_script(_FOLD_LUA)

    def _keys(self, story_id: str) -> tuple[str, str, str]:
        """A story's digests hash, arrival-order sorted set and outlets hash."""

        def key(part: str) -> str:
            return self.names.key("summarizer", "story", story_id, part)

        return key("digests"), key("order"), key("outlets")

    async def add(self, story_id: str, digest: ArticleDigest, absorbed: Sequence[str] = ()) -> StoryDigests:
        """Fold the absorbed stories in (one script), write in one MULTI/EXEC that also reads the
        order back, then fetch the sample."""
        digests, order, outlets = self._keys(story_id)
        if absorbed:
            await self._fold(keys=[digests, order, outlets, *(k for s in absorbed for k in self._keys(s))])
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(digests, digest.article_id, digest.to_json())
        # NX keeps the first arrival time when an article is redelivered or updated.
        pipe.zadd(order, {digest.article_id: digest.seen_at}, nx=True)
        pipe.hset(outlets, digest.article_id, digest.outlet or "")
        for key in (digests, order, outlets):
            pipe.expire(key, self.ttl_s)
        pipe.zrange(order, 0, -1, withscores=True)
        pipe.hgetall(outlets)
        *_, ranked, outlet_map = await pipe.execute()
        ordered = [as_text(member) for member, _score in ranked]
        chosen = sample_ids(ordered)
        raw = await self.redis.hmget(digests, chosen)
        by_id = {as_text(k): as_text(v) for k, v in outlet_map.items()}
        return StoryDigests(
            sample=tuple(ArticleDigest.from_json(as_bytes(data)) for data in raw if data),
            article_ids=tuple(ordered),
            outlets=tuple(dict.fromkeys(by_id[a] for a in ordered if by_id.get(a))),
            first_seen=float(ranked[0][1]),
            last_seen=max(float(score) for _member, score in ranked),
        )
