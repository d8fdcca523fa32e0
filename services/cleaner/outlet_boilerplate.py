"""Boilerplate learned per outlet: lines that recur across many of its articles.

Site furniture the extractors do not know (a footer, a newsletter appeal, a
standing correction notice) repeats verbatim across an outlet's articles, while
an article's own paragraphs do not. So each outlet keeps a count, per line
fingerprint, of how many of its articles contained it; a line seen in at
least ``min_articles`` earlier articles, and in at least ``min_share`` of the
outlet's recent articles, is boilerplate. The share guard keeps a background
paragraph that an outlet reuses in a handful of related stories. Lines, not
blank-line paragraphs: scraped plain text often has no blank lines, and then a
whole page was one paragraph that never recurred (a clean HTML text has one
paragraph a line, so there the two are the same).

The counts live behind :class:`BoilerplateMemory`: Redis in the service (shared
by every cleaner replica), a dict offline.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from storywire.services.runtime.streams import StreamNames

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class LearningConfig:
    """When a recurring line counts as the outlet's boilerplate."""

    min_articles: int = 4
    min_share: float = 0.3
    #: Line fingerprints kept per outlet; the rarest go first when it is exceeded.
    max_fingerprints: int = 5_000
    #: An outlet silent for this long forgets what it learned.
    ttl_s: int = 30 * 24 * 3600


DEFAULT_LEARNING = LearningConfig()


def fingerprint(line: str) -> str:
    """A short hash of a line that ignores case, spacing and numbers (dates, counters)."""
    text = unicodedata.normalize("NFKC", line).casefold()
    text = _DIGITS.sub("0", _SPACE.sub(" ", text).strip())
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def split_lines(text: str) -> list[str]:
    """The non-empty lines of a clean text, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass(frozen=True, slots=True)
class OutletHistory:
    """What the memory knows of an outlet: articles counted, and counts of the asked fingerprints."""

    articles: int
    counts: dict[str, int]


def recurring(history: OutletHistory, config: LearningConfig = DEFAULT_LEARNING) -> set[str]:
    """The fingerprints that are boilerplate for this outlet."""
    needed = max(config.min_articles, math.ceil(config.min_share * history.articles))
    return {fp for fp, count in history.counts.items() if count >= needed}


def remove_learned(text: str, boilerplate: set[str]) -> tuple[str, tuple[str, ...]]:
    """The text without the learned boilerplate lines (its blank-line paragraphs kept), and what was removed."""
    blocks: list[str] = []
    removed: list[str] = []
    for block in text.split("\n\n"):
        kept: list[str] = []
        for line in split_lines(block):
            if fingerprint(line) in boilerplate:
                removed.append("outlet-boilerplate: " + line[:160])
            else:
                kept.append(line)
        if kept:
            blocks.append("\n".join(kept))
    return "\n\n".join(blocks), tuple(removed)


class BoilerplateMemory(Protocol):
    """Per-outlet line counts, shared by every cleaner."""

    async def observe(self, outlet: str, article_id: str, fingerprints: Sequence[str]) -> OutletHistory:
        """The outlet's history before this article, then count this article (once per id)."""
        ...


class MemoryBoilerplate:
    """Counts in dicts: for the offline verbs (learns across the files of one run)."""

    def __init__(self, config: LearningConfig = DEFAULT_LEARNING) -> None:
        self.config = config
        self._counts: dict[str, dict[str, int]] = {}
        self._seen: dict[str, set[str]] = {}

    async def observe(self, outlet: str, article_id: str, fingerprints: Sequence[str]) -> OutletHistory:
        """History before this article; then the article is counted once."""
        counts = self._counts.setdefault(outlet, {})
        seen = self._seen.setdefault(outlet, set())
        history = OutletHistory(len(seen), {fp: counts.get(fp, 0) for fp in fingerprints})
        if article_id not in seen:
            seen.add(article_id)
            for fp in set(fingerprints):
                counts[fp] = counts.get(fp, 0) + 1
            if len(counts) > self.config.max_fingerprints:
                excess = len(counts) - self.config.max_fingerprints
                for fp, _ in sorted(counts.items(), key=lambda kv: kv[1])[:excess]:
                    del counts[fp]
        return history


# Reads the outlet's article count and the counts of the fingerprints, then counts the
# article once (SET NX on its marker): bumps its fingerprints and the article count, and
# drops the rarest fingerprints past the cap. Returns {articles, count1, count2, ...}.
# KEYS: counts zset, articles counter, article marker. ARGV: ttl, cap, fingerprints...
_OBSERVE_LUA = """
local before = {tonumber(redis.call('GET', KEYS[2]) or '0')}
for i = 3, #ARGV do before[#before + 1] = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[i]) or '0') end
if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', tonumber(ARGV[1])) then return before end
for i = 3, #ARGV do redis.call('ZINCRBY', KEYS[1], 1, ARGV[i]) end
redis.call('INCR', KEYS[2])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if excess > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1) end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[1]))
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[1]))
return before
"""


class RedisBoilerplate:
    """Counts in Redis: a sorted set of fingerprints and an article counter per outlet."""

    def __init__(self, redis: Redis, names: StreamNames, config: LearningConfig = DEFAULT_LEARNING) -> None:
        self.redis = redis
        self.names = names
        self.config = config
        self._observe = redis.register_script(_OBSERVE_LUA)

    def _keys(self, outlet: str) -> tuple[str, str]:
        return (
            # named when it counted blank-line paragraphs; renaming it would drop what replicas learned
            self.names.key("cleaner", "outlet", outlet, "paragraphs"),
            self.names.key("cleaner", "outlet", outlet, "articles"),
        )

    async def observe(self, outlet: str, article_id: str, fingerprints: Sequence[str]) -> OutletHistory:
        """History before this article and the counting of it, in one script call."""
        counts_key, articles_key = self._keys(outlet)
        marker = self.names.key("cleaner", "outlet", outlet, "seen", article_id)
        distinct = sorted(set(fingerprints))
        reply = await self._observe(
            keys=[counts_key, articles_key, marker],
            args=[self.config.ttl_s, self.config.max_fingerprints, *distinct],
        )
        return OutletHistory(int(reply[0]), {fp: int(c) for fp, c in zip(distinct, reply[1:], strict=True)})
