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

from storywire.contracts import ArticleSummary, StoryAssignment
from storywire.services.runtime.redis_values import as_bytes, as_text
from storywire.services.runtime.streams import StreamNames
from storywire.services.summarizer.digests import ArticleDigest, StoryDigests, digest_of
from storywire.services.summarizer.summarizing import reported_in

#: Digests of a story without news for this long are dropped (matches the story horizon).
DIGEST_TTL_S = 7 * 24 * 3600
#: How many of the first and of the latest articles a story summary is built from.
FIRST_ARTICLES = 3
LATEST_ARTICLES = 9


def sample_ids(ordered: Sequence[str]) -> list[str]:
    """The first and latest article ids of a story in arrival order (all, when few)."""
    if len(ordered) <= FIRST_ARTICLES + LATEST_ARTICLES:
        return list(ordered)
    return [*ordered[:FIRST_ARTICLES], *ordered[-LATEST_ARTICLES:]]


class DigestStore(Protocol):
    """Adds an article's digest to its story and returns the story's digests."""

    async def add(
        self,
        story_id: str,
        digest: ArticleDigest,
        absorbed: Sequence[str] = (),
        moved: Sequence[tuple[str, str]] = (),
        topic_id: str | None = None,
    ) -> StoryDigests:
        """Fold the ``absorbed`` stories into the story, move the ``moved`` (article id, story it
        left) articles' digests into it, record ``digest`` (replacing an earlier one of the same
        article), keep the story's ``topic_id`` (the latest it is given: a young story may revisit
        its topic) and read the story.

        A folded story and a moved article leave a forwarding mark: an assignment to the folded
        story, or of the moved article to its old story, that arrives later (another replica, a
        retry) is recorded where the story or article is now.
        """
        ...

    async def read(self, story_id: str) -> StoryDigests | None:
        """The story's digests, or None when it has none (all its articles moved or expired)."""
        ...


async def record_assignment(
    store: DigestStore, assignment: StoryAssignment, digest: ArticleDigest
) -> tuple[StoryDigests, dict[str, StoryDigests | None]]:
    """Record an article's digest as its assignment says (the stories it folded, the articles it
    moved) and read its story and each story an article left (None when nothing is left of it)."""
    moved = [(m.article_id, m.from_story_id) for m in assignment.moved_articles]
    story = await store.add(assignment.story_id, digest, assignment.absorbed_story_ids, moved, assignment.topic_id)
    left = {source: await store.read(source) for source in dict.fromkeys(source for _article, source in moved)}
    return story, left


@dataclass(frozen=True, slots=True)
class Recorded:
    """A summarised article recorded in its story's digests."""

    #: The article's summary, in the story its digest landed in.
    summary: ArticleSummary
    #: That story's digests, with the article's.
    story: StoryDigests
    #: Each story an article left for this one (None when nothing is left of it).
    left: dict[str, StoryDigests | None]


async def record_summary(
    store: DigestStore, assignment: StoryAssignment, summary: ArticleSummary, seen_at: float
) -> Recorded:
    """Record a summarised article in its story's digests, as the worker and the offline pipeline do.

    The story may have been folded (or the article moved) before the assignment got here: another
    replica, a retry. The digest store forwards the digest to where the story is now, and the
    summary is reported there, as dedup's record of the article is.
    """
    story, left = await record_assignment(store, assignment, digest_of(summary, seen_at))
    return Recorded(reported_in(summary, story.story_id), story, left)


class MemoryDigestStore:
    """Digests in dicts: for the offline verbs."""

    def __init__(self) -> None:
        self._stories: dict[str, dict[str, ArticleDigest]] = {}
        self._first_seen: dict[str, dict[str, float]] = {}
        self._folded_into: dict[str, str] = {}
        self._moved_to: dict[str, str] = {}
        self._topics: dict[str, str] = {}

    async def add(
        self,
        story_id: str,
        digest: ArticleDigest,
        absorbed: Sequence[str] = (),
        moved: Sequence[tuple[str, str]] = (),
        topic_id: str | None = None,
    ) -> StoryDigests:
        """Forward, fold, move, record and read back."""
        assigned = story_id
        story_id = self._moved_to.get(digest.article_id, story_id)
        story_id = self._folded_into.get(story_id, story_id)
        if topic_id and story_id == assigned:
            # The topic is the assigned story's: a forwarded digest lands in a story that has its own.
            self._topics[story_id] = topic_id  # the latest: a young story may revisit its topic
        story = self._stories.setdefault(story_id, {})
        seen = self._first_seen.setdefault(story_id, {})
        for folded in absorbed:
            story.update(self._stories.pop(folded, {}))
            for article_id, at in self._first_seen.pop(folded, {}).items():
                seen.setdefault(article_id, at)
            self._folded_into[folded] = story_id
            self._topics.pop(folded, None)
        for article_id, source in moved:
            if (left := self._stories.get(source, {}).pop(article_id, None)) is not None:
                story[article_id] = left
            if article_id in (left_seen := self._first_seen.get(source, {})):
                seen.setdefault(article_id, left_seen.pop(article_id))
            self._moved_to[article_id] = story_id
        story[digest.article_id] = digest
        seen.setdefault(digest.article_id, digest.seen_at)
        return self._digests(story_id)

    async def read(self, story_id: str) -> StoryDigests | None:
        """The story's digests as they are."""
        return self._digests(story_id) if self._first_seen.get(story_id) else None

    def _digests(self, story_id: str) -> StoryDigests:
        story, seen = self._stories[story_id], self._first_seen[story_id]
        ordered = sorted(seen, key=lambda a: (seen[a], a))
        return StoryDigests(
            story_id=story_id,
            sample=tuple(story[a] for a in sample_ids(ordered)),
            article_ids=tuple(ordered),
            outlets=tuple(dict.fromkeys(outlet for a in ordered if (outlet := story[a].outlet))),
            first_seen=seen[ordered[0]],
            last_seen=max(seen.values()),
            topic_id=self._topics.get(story_id),
        )


# KEYS: the story's forwarding mark, digests, order and outlets, the recorded article's
# forwarding mark, then the same four of each absorbed story as of the story, then per moved
# article the digests, order and outlets of the story it left and its forwarding mark. ARGV:
# story id, article id, digest, arrival time, outlet, ttl, number absorbed, moved article ids.
# Returns {0, story} when the story was folded into another or the article moved to another
# (the caller retries there), else {1, order with scores, outlets}. One script, so a fold or a
# move and a late assignment to the old story cannot interleave: the digest lands before (and
# is moved) or after (forwarded).
_ADD_LUA = """
local into = redis.call('GET', KEYS[1]) or redis.call('GET', KEYS[5])
if into and into ~= ARGV[1] then return {0, into} end
local ttl, absorbed = tonumber(ARGV[6]), tonumber(ARGV[7])
for i = 6, 5 + 4 * absorbed, 4 do
  local digests = redis.call('HGETALL', KEYS[i + 1])
  if #digests > 0 then redis.call('HSET', KEYS[2], unpack(digests)) end
  local order = redis.call('ZRANGE', KEYS[i + 2], 0, -1, 'WITHSCORES')
  for j = 1, #order, 2 do redis.call('ZADD', KEYS[3], 'NX', order[j + 1], order[j]) end
  local outlets = redis.call('HGETALL', KEYS[i + 3])
  if #outlets > 0 then redis.call('HSET', KEYS[4], unpack(outlets)) end
  redis.call('DEL', KEYS[i + 1], KEYS[i + 2], KEYS[i + 3])
  redis.call('SET', KEYS[i], ARGV[1], 'EX', ttl)
end
for j = 8, #ARGV do
  local k, id = 6 + 4 * absorbed + 4 * (j - 8), ARGV[j]
  local digest = redis.call('HGET', KEYS[k], id)
  if digest then redis.call('HSET', KEYS[2], id, digest) end
  local at = redis.call('ZSCORE', KEYS[k + 1], id)
  if at then redis.call('ZADD', KEYS[3], 'NX', at, id) end
  local outlet = redis.call('HGET', KEYS[k + 2], id)
  if outlet then redis.call('HSET', KEYS[4], id, outlet) end
  redis.call('HDEL', KEYS[k], id)
  redis.call('ZREM', KEYS[k + 1], id)
  redis.call('HDEL', KEYS[k + 2], id)
  redis.call('SET', KEYS[k + 3], ARGV[1], 'EX', ttl)
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
-- NX keeps the first arrival time when an article is redelivered or updated.
redis.call('ZADD', KEYS[3], 'NX', ARGV[4], ARGV[2])
redis.call('HSET', KEYS[4], ARGV[2], ARGV[5])
for k = 2, 4 do redis.call('EXPIRE', KEYS[k], ttl) end
return {1, redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES'), redis.call('HGETALL', KEYS[4])}
"""

#: Forwarding marks followed before giving up (folds only go into stories of two or more
#: articles; such a story is folded itself only after articles moved out of it, so a moved
#: article's mark and its new story's mark are the most one assignment meets).
_MAX_FORWARDS = 3


class RedisDigestStore:
    """Per story: a hash of digests, a sorted set of arrival times, a hash of outlets, its topic and,
    once folded, a forwarding mark; per moved article, a forwarding mark."""

    def __init__(self, redis: Redis, names: StreamNames, ttl_s: float = DIGEST_TTL_S) -> None:
        self.redis = redis
        self.names = names
        self.ttl_s = max(1, math.ceil(ttl_s))
        self._add = redis.register_script(_ADD_LUA)

    def _keys(self, story_id: str) -> tuple[str, str, str, str]:
        """A story's forwarding mark, digests hash, arrival-order sorted set and outlets hash."""

        def key(part: str) -> str:
            return self.names.key("summarizer", "story", story_id, part)

        return key("into"), key("digests"), key("order"), key("outlets")

    def _topic_key(self, story_id: str) -> str:
        return self.names.key("summarizer", "story", story_id, "topic")

    def _article_mark(self, article_id: str) -> str:
        return self.names.key("summarizer", "article", article_id, "into")

    async def add(
        self,
        story_id: str,
        digest: ArticleDigest,
        absorbed: Sequence[str] = (),
        moved: Sequence[tuple[str, str]] = (),
        topic_id: str | None = None,
    ) -> StoryDigests:
        """Forward, fold, move and write in one script that also reads the order back, then fetch the
        sample (and keep the topic the assignment names: the latest wins, and a late stale write is
        mended by the story's next assignment, so it needs no place in the script)."""
        assigned = story_id
        folded_keys = [k for s in absorbed for k in self._keys(s)]
        moved_keys = [k for article, source in moved for k in (*self._keys(source)[1:], self._article_mark(article))]
        seen_at = repr(digest.seen_at)
        record: list[str | bytes | int] = [
            digest.article_id,
            digest.to_json(),
            seen_at,
            digest.outlet or "",
            self.ttl_s,
            len(absorbed),
            *(article for article, _source in moved),
        ]
        article_mark = self._article_mark(digest.article_id)
        for _ in range(_MAX_FORWARDS):
            keys = [*self._keys(story_id), article_mark, *folded_keys, *moved_keys]
            reply = await self._add(keys=keys, args=[story_id, *record])
            if int(reply[0]) == 1:
                break
            story_id = as_text(reply[1])
        else:
            raise RuntimeError(f"story {story_id} forwards more than {_MAX_FORWARDS} times")
        # The topic is the assigned story's: a forwarded digest lands in a story that has its own.
        return await self._digests(story_id, reply[1], reply[2], topic_id if story_id == assigned else None)

    async def read(self, story_id: str) -> StoryDigests | None:
        """The story's digests as they are (two reads, then the sample)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.zrange(self._keys(story_id)[2], 0, -1, withscores=True)
        pipe.hgetall(self._keys(story_id)[3])
        order, outlets = await pipe.execute()
        if not order:
            return None
        flat_order = [value for member, at in order for value in (member, repr(at))]
        flat_outlets = [value for pair in outlets.items() for value in pair]
        return await self._digests(story_id, flat_order, flat_outlets)

    async def _digests(
        self,
        story_id: str,
        flat_order: Sequence[bytes | str],
        flat_outlets: Sequence[bytes | str],
        topic_id: str | None = None,
    ) -> StoryDigests:
        """The story from its order (member, score, ...) and outlets (article, outlet, ...), its sample
        and its topic (``topic_id`` kept for it, when given)."""
        ranked = [(as_text(flat_order[i]), float(flat_order[i + 1])) for i in range(0, len(flat_order), 2)]
        outlet_of = {as_text(flat_outlets[i]): as_text(flat_outlets[i + 1]) for i in range(0, len(flat_outlets), 2)}
        ordered = [article_id for article_id, _at in ranked]
        pipe = self.redis.pipeline(transaction=False)
        pipe.hmget(self._keys(story_id)[1], sample_ids(ordered))
        topic_key = self._topic_key(story_id)
        if topic_id:
            pipe.set(topic_key, topic_id, ex=self.ttl_s)
        pipe.get(topic_key)
        replies = await pipe.execute()
        raw, kept = replies[0], replies[-1]
        return StoryDigests(
            story_id=story_id,
            sample=tuple(ArticleDigest.from_json(as_bytes(data)) for data in raw if data),
            article_ids=tuple(ordered),
            outlets=tuple(dict.fromkeys(outlet_of[a] for a in ordered if outlet_of.get(a))),
            first_seen=ranked[0][1],
            last_seen=max(at for _article, at in ranked),
            topic_id=as_text(kept) if kept else None,
        )
