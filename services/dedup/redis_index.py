"""The story index in Redis, shared by every dedup replica.

Keys (all under the stream prefix, ``sw:dedup:``):

``n:<generation>`` / ``df:<generation>`` / ``df-once:<bucket>``
    Documents and the document frequency of each term per generation of one story horizon
    (a hash), and the terms seen in one article only per day (a hash): read over the current
    and the previous generation and day, and expiring after them
    (:mod:`storywire.services.dedup.term_counts`).
``post:<term>``
    Sorted set of story ids scored by their last update: the inverted index.
``story:<id>``
    A story's state (JSON); ``story-articles:<id>`` lists its articles and
    ``story-meta:<id>`` holds headline, first and last seen. A one-article story folded
    into another is deleted by the write that folds it, with its entries in the posting lists
    of its terms; an article moved to another story leaves its old story's state and list in
    the write that moves it.
``bucket:<band>`` / ``sig:<article>``
    MinHash LSH buckets (sorted sets of their newest article ids) and signatures of the
    near-duplicate tier.
``article:<id>``
    The recorded assignment of each article version.
``open-stories``
    Sorted set of the stories updated within the horizon, by last update.

All writes of one assignment are one Lua script (atomic, one round trip however many
terms and bands). Everything expires: the document frequencies after two horizons (and
one-off terms after two days), the rest after the story horizon without activity, so
memory is bounded by the articles of the last two horizons. Writers hold
``lock`` (see :meth:`RedisStoryIndex.lock`) so that two replicas never start
two stories for one event.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import asdict, fields

import orjson
from redis.asyncio import Redis
from redis.asyncio.lock import Lock

from storywire.contracts import StoryArticle, StoryUpdate
from storywire.services.dedup.assigning import (
    BUCKET_CAPACITY,
    MAX_LISTED_ARTICLES,
    ArticleRecord,
    IndexWrite,
    rank_bucket_hits,
    story_update,
)
from storywire.services.dedup.clustering import ClusterConfig, CorpusStats, MemberVector, StoryState
from storywire.services.dedup.near_duplicates import Signature
from storywire.services.dedup.term_counts import TermWindow, term_window
from storywire.services.runtime.redis_values import as_bytes, as_text
from storywire.services.runtime.streams import StreamNames

#: A holder that dies mid-assignment frees the lock after this long.
LOCK_TIMEOUT_S = 10.0


# KEYS: story, open-stories, n and df of this generation, sig, article, story-articles,
# story-meta, df of the previous generation, singletons of this and of the previous bucket,
# then P posting keys, B bucket keys, per absorbed story its story, story-articles,
# story-meta and its article's record key, per moved article the same four of the story it
# leaves, then the posting keys of the absorbed stories' terms. ARGV: ttl, oldest, now, story
# id, story json, last updated, signature, record json, listed json, headline, max listed,
# bucket capacity, article id, P, B, A, M, generation ttl, bucket ttl, topic ('' for none), then per
# absorbed story its id and its article's moved record json ('' when expired), per moved article the id and
# new state json of the story it leaves, its id and its moved record json, then terms...
_COMMIT_LUA = """
local ttl, oldest, now = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local sid, article = ARGV[4], ARGV[13]
local postings, bands, absorbed, moved = tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[16]), tonumber(ARGV[17])
redis.call('SET', KEYS[1], ARGV[5], 'EX', ttl)
redis.call('ZADD', KEYS[2], now, sid)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. oldest)
redis.call('INCR', KEYS[3])
-- Document frequencies (services/dedup/term_counts.py): a term already counted in this or the
-- previous generation counts once more; one seen once in this or the previous singleton bucket
-- is counted from now on with both sightings; a new one waits in this singleton bucket.
local first_term = 21 + 2 * absorbed + 4 * moved
if first_term <= #ARGV then
  local terms = {unpack(ARGV, first_term, #ARGV)}
  local now_counted = redis.call('HMGET', KEYS[4], unpack(terms))
  local before_counted = redis.call('HMGET', KEYS[9], unpack(terms))
  local once_now = redis.call('HMGET', KEYS[10], unpack(terms))
  local once_before = redis.call('HMGET', KEYS[11], unpack(terms))
  for i, term in ipairs(terms) do
    if now_counted[i] or before_counted[i] then
      redis.call('HINCRBY', KEYS[4], term, 1)
    elseif once_now[i] or once_before[i] then
      redis.call('HINCRBY', KEYS[4], term, 2)
      if once_now[i] then redis.call('HDEL', KEYS[10], term) end
      if once_before[i] then redis.call('HDEL', KEYS[11], term) end
    else
      redis.call('HSET', KEYS[10], term, 1)
    end
  end
  redis.call('EXPIRE', KEYS[4], ARGV[18])
  redis.call('EXPIRE', KEYS[10], ARGV[19])
end
redis.call('EXPIRE', KEYS[3], ARGV[18])
if bands > 0 then redis.call('SET', KEYS[5], ARGV[7], 'EX', ttl) end
redis.call('SET', KEYS[6], ARGV[8], 'EX', ttl)
for j = 0, absorbed - 1 do
  -- The absorbed story's articles arrived before this one: they are listed before it.
  local k = 12 + postings + bands + 4 * j
  for _, entry in ipairs(redis.call('LRANGE', KEYS[k + 1], 0, -1)) do redis.call('RPUSH', KEYS[7], entry) end
  local first, own = redis.call('HGET', KEYS[k + 2], 'first_seen'), redis.call('HGET', KEYS[8], 'first_seen')
  if first and (not own or tonumber(first) < tonumber(own)) then redis.call('HSET', KEYS[8], 'first_seen', first) end
  local count = redis.call('HGET', KEYS[k + 2], 'count')
  if count then redis.call('HINCRBY', KEYS[8], 'count', count) end
  if ARGV[22 + 2 * j] ~= '' then redis.call('SET', KEYS[k + 3], ARGV[22 + 2 * j], 'EX', ttl) end
  redis.call('DEL', KEYS[k], KEYS[k + 1], KEYS[k + 2])
  redis.call('ZREM', KEYS[2], ARGV[21 + 2 * j])
end
for j = 0, moved - 1 do
  -- A moved article arrived before this one too: its entry leaves its old story's list for this one's.
  local k, a = 12 + postings + bands + 4 * absorbed + 4 * j, 21 + 2 * absorbed + 4 * j
  redis.call('SET', KEYS[k], ARGV[a + 1], 'KEEPTTL')
  for _, entry in ipairs(redis.call('LRANGE', KEYS[k + 1], 0, -1)) do
    local doc = cjson.decode(entry)
    if doc['article_id'] == ARGV[a + 2] then
      redis.call('LREM', KEYS[k + 1], 1, entry)
      redis.call('RPUSH', KEYS[7], entry)
      if doc['title'] == redis.call('HGET', KEYS[k + 2], 'headline') then
        -- The old story was headed by the leaving article: the earliest remaining title heads it.
        redis.call('HDEL', KEYS[k + 2], 'headline')
        for _, rest in ipairs(redis.call('LRANGE', KEYS[k + 1], 0, -1)) do
          local title = cjson.decode(rest)['title']
          if type(title) == 'string' and title ~= '' then
            redis.call('HSET', KEYS[k + 2], 'headline', title)
            break
          end
        end
      end
    end
  end
  if redis.call('HINCRBY', KEYS[k + 2], 'count', -1) < 0 then redis.call('HSET', KEYS[k + 2], 'count', 0) end
  redis.call('HINCRBY', KEYS[8], 'count', 1)
  if ARGV[a + 3] ~= '' then redis.call('SET', KEYS[k + 3], ARGV[a + 3], 'EX', ttl) end
end
-- The absorbed stories' terms' posting lists drop them (ZREM of an absent member is a no-op).
for k = 12 + postings + bands + 4 * absorbed + 4 * moved, #KEYS do
  for j = 0, absorbed - 1 do redis.call('ZREM', KEYS[k], ARGV[21 + 2 * j]) end
end
redis.call('RPUSH', KEYS[7], ARGV[9])
redis.call('LTRIM', KEYS[7], -tonumber(ARGV[11]), -1)
redis.call('EXPIRE', KEYS[7], ttl)
redis.call('HSETNX', KEYS[8], 'first_seen', now)
if ARGV[10] ~= '' then redis.call('HSETNX', KEYS[8], 'headline', ARGV[10]) end
-- The story's topic as its state holds it (a young story may revisit it: dedup/topics.py).
if ARGV[20] ~= '' then redis.call('HSET', KEYS[8], 'topic', ARGV[20]) end
redis.call('HSET', KEYS[8], 'last_seen', now)
redis.call('HINCRBY', KEYS[8], 'count', 1)
redis.call('EXPIRE', KEYS[8], ttl)
for k = 12, 11 + postings do
  redis.call('ZADD', KEYS[k], ARGV[6], sid)
  redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', '(' .. oldest)
  redis.call('EXPIRE', KEYS[k], ttl)
end
local capacity = tonumber(ARGV[12])
for k = 12 + postings, 11 + postings + bands do
  redis.call('ZADD', KEYS[k], now, article)
  redis.call('ZREMRANGEBYRANK', KEYS[k], 0, -(capacity + 1))
  redis.call('EXPIRE', KEYS[k], ttl)
end
return 1
"""


# KEYS: n of this and of the previous generation, df of this and of the previous generation,
# singletons of this and of the previous bucket. ARGV: terms. Returns N, then each term's df
# (summed here, so the reply is one integer per term however many hashes hold the counts;
# the commit script never leaves a term both counted and held as a singleton).
_CORPUS_STATS_LUA = """
local out = {(tonumber(redis.call('GET', KEYS[1])) or 0) + (tonumber(redis.call('GET', KEYS[2])) or 0)}
-- unpack() is bounded by Lua's C stack: terms go in chunks.
for start = 1, #ARGV, 4000 do
  local stop = math.min(start + 3999, #ARGV)
  local now = redis.call('HMGET', KEYS[3], unpack(ARGV, start, stop))
  local before = redis.call('HMGET', KEYS[4], unpack(ARGV, start, stop))
  local uncounted, at = {}, {}
  for j = 1, stop - start + 1 do
    local value = (tonumber(now[j]) or 0) + (tonumber(before[j]) or 0)
    out[start + j] = value
    if value == 0 then
      uncounted[#uncounted + 1] = ARGV[start + j - 1]
      at[#at + 1] = start + j
    end
  end
  -- A singleton is counted in no generation: only the uncounted terms are looked up there.
  if #uncounted > 0 then
    for k = 5, 6 do
      for j, value in ipairs(redis.call('HMGET', KEYS[k], unpack(uncounted))) do
        if value then out[at[j]] = out[at[j]] + tonumber(value) end
      end
    end
  end
end
return out
"""


def story_json(story: StoryState) -> bytes:
    """A story's state as stored under ``story:<id>``."""
    return orjson.dumps(asdict(story))


def story_from_json(data: bytes) -> StoryState:
    """A story's state read back (states written before members kept dates and names read too;
    fields of earlier versions' states, such as their join counts, are ignored)."""
    doc = orjson.loads(data)
    doc["members"] = tuple(
        MemberVector(
            m["article_id"],
            m["terms"],
            tuple(m.get("lead_entities", ())),
            tuple(m.get("years", ())),
            m.get("published_at"),
        )
        for m in doc["members"]
    )
    return StoryState(**{f.name: doc[f.name] for f in fields(StoryState) if f.name in doc})


def _record_json(record: ArticleRecord | None) -> bytes | str:
    return orjson.dumps(asdict(record)) if record else ""


def _signature_bytes(sig: Signature) -> bytes:
    return sig.size.to_bytes(4, "little") + sig.values


def _signature_from_bytes(data: bytes) -> Signature:
    return Signature(values=data[4:], size=int.from_bytes(data[:4], "little"))


class RedisStoryIndex:
    """:class:`~storywire.services.dedup.assigning.AsyncStoryIndex` on Redis."""

    def __init__(self, redis: Redis, names: StreamNames, config: ClusterConfig) -> None:
        self.redis = redis
        self.config = config
        self.names = names
        self._commit = redis.register_script(_COMMIT_LUA)
        self._corpus_stats = redis.register_script(_CORPUS_STATS_LUA)
        self._ttl = max(1, math.ceil(config.horizon))

    def _k(self, *parts: str) -> str:
        """A key of the index under the stream prefix."""
        return self.names.key("dedup", *parts)

    def lock(self) -> Lock:
        """The index-wide writer lock (redis-py's token lock, released by a Lua check-and-delete)."""
        return self.redis.lock(self._k("lock"), timeout=LOCK_TIMEOUT_S, sleep=0.002, blocking_timeout=60)

    def _term_keys(self, now: float) -> tuple[TermWindow, list[str], list[str]]:
        """The window of ``now``, the n and df keys of its generation and the previous one, and its singleton keys."""
        w = term_window(now, self.config.horizon)
        generations = [str(w.generation), str(w.generation - 1)]
        counts = [self._k("n", g) for g in generations] + [self._k("df", g) for g in generations]
        return w, counts, [self._k("df-once", str(w.bucket)), self._k("df-once", str(w.bucket - 1))]

    async def corpus_stats(self, terms: Collection[str], now: float) -> CorpusStats:
        """N and the df of ``terms`` over this and the previous generation and singleton bucket, in one round trip."""
        ordered = list(terms)
        _window, counts, once = self._term_keys(now)
        reply = await self._corpus_stats(keys=[*counts, *once], args=ordered)
        df = {term: int(value) for term, value in zip(ordered, reply[1:], strict=True) if value}
        return CorpusStats(int(reply[0]), df)

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
        return [story_from_json(as_bytes(data)) for data in raw if data]

    async def bucket_members(self, keys: Sequence[str]) -> list[str]:
        """The newest members of each bucket, pipelined; ranked by buckets shared."""
        if not keys:
            return []
        pipe = self.redis.pipeline(transaction=False)
        for key in keys:
            pipe.zrevrange(self._k("bucket", key), 0, BUCKET_CAPACITY - 1)
        replies = await pipe.execute()
        return rank_bucket_hits([[as_text(m) for m in members] for members in replies])

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
        if not data:
            return None
        doc = orjson.loads(data)
        doc["absorbed_story_ids"] = tuple(doc.get("absorbed_story_ids", ()))
        doc["moved_articles"] = tuple(tuple(pair) for pair in doc.get("moved_articles", ()))
        return ArticleRecord(**doc)

    async def new_story_id(self) -> str:
        """``story-<n>`` from a counter shared by all replicas."""
        return f"story-{await self.redis.incr(self._k('story-seq'))}"

    async def commit(self, write: IndexWrite) -> None:
        """All writes of one assignment in one Lua script: atomic, and one round trip."""
        story = write.story
        window, (n_now, _n_before, df_now, df_before), (once_now, once_before) = self._term_keys(write.now)
        keys = [
            self._k("story", story.story_id),
            self._k("open-stories"),
            n_now,
            df_now,
            self._k("sig", write.article_id),
            self._k("article", write.article_id),
            self._k("story-articles", story.story_id),
            self._k("story-meta", story.story_id),
            df_before,
            once_now,
            once_before,
            *(self._k("post", key) for key in write.posting_keys),
            *(self._k("bucket", band) for band in write.band_keys),
        ]
        absorbed: list[str | bytes] = []
        for folded in write.absorbed:
            keys += [
                self._k("story", folded.story_id),
                self._k("story-articles", folded.story_id),
                self._k("story-meta", folded.story_id),
                self._k("article", folded.article_id),
            ]
            absorbed += [folded.story_id, _record_json(folded.record)]
        moved: list[str | bytes] = []
        for move in write.moved:
            source = move.source.story_id
            keys += [
                self._k("story", source),
                self._k("story-articles", source),
                self._k("story-meta", source),
                self._k("article", move.article_id),
            ]
            moved += [source, story_json(move.source), move.article_id, _record_json(move.record)]
        keys += dict.fromkeys(self._k("post", term) for folded in write.absorbed for term in folded.terms)
        args: list[str | bytes | int | float] = [
            self._ttl,
            write.now - self.config.horizon,
            write.now,
            story.story_id,
            story_json(story),
            story.last_updated,
            _signature_bytes(write.features.signature),
            orjson.dumps(asdict(write.record)),
            write.listed.model_dump_json(),
            write.headline or "",
            MAX_LISTED_ARTICLES,
            BUCKET_CAPACITY,
            write.article_id,
            len(write.posting_keys),
            len(write.band_keys),
            len(write.absorbed),
            len(write.moved),
            window.generation_ttl,
            window.bucket_ttl,
            story.topic_id,
            *absorbed,
            *moved,
            *write.features.terms,
        ]
        await self._commit(keys=keys, args=args)

    async def story_update(self, story_id: str) -> StoryUpdate | None:
        """The story's most recent articles, their outlets, its article count and first/last seen."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.lrange(self._k("story-articles", story_id), 0, -1)
        pipe.hgetall(self._k("story-meta", story_id))
        listed, meta = await pipe.execute()
        if not listed or not meta:
            return None
        headline, topic = meta.get(b"headline"), meta.get(b"topic")
        return story_update(
            story_id,
            headline.decode() if headline else None,
            [StoryArticle.model_validate_json(a) for a in listed],
            int(meta.get(b"count") or len(listed)),
            float(meta[b"first_seen"]),
            float(meta[b"last_seen"]),
            topic_id=topic.decode() if topic else None,
        )
