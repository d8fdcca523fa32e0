"""Boilerplate learned per outlet: lines that recur across many of its articles, over days.

Site furniture the extractors do not know (a footer, a newsletter appeal, a
standing correction notice) repeats verbatim across an outlet's articles, day
after day, while an article's own lines do not. So each outlet keeps, per line
fingerprint, in how many of its distinct articles and on how many distinct days
the line was seen; a line is the outlet's boilerplate once both are large enough
and the line is in a good share of the outlet's articles (see
:func:`recurring`). Lines, not blank-line paragraphs: scraped plain text often
has no blank lines, and then a whole page was one paragraph that never recurred.

Numbers are part of a line: an outlet's templated items ("Full time: Riverside
2-1 Harbour Town") differ only in their figures, and folding the digits made
every such item of the outlet look like the same known line.

Days are read from the memory's own clock as it is told of each article, never
from a time the publisher gives (``published_at``, ``fetched_at``): whoever
wants to teach the memory a line has to keep sending it, under that outlet's
name, for days. Offline, a run over files in one sitting learns nothing.

The records live behind :class:`BoilerplateMemory`: Redis in the service (shared
by every cleaner replica), dicts offline. Both are capped per outlet: lines
tracked, articles remembered, and a TTL on an outlet that goes silent.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from storywire.services.runtime.streams import StreamNames

_SPACE = re.compile(r"\s+")
_DAY_S = 86_400


@dataclass(frozen=True, slots=True)
class LearningConfig:
    """When a recurring line counts as the outlet's boilerplate, and how much the memory keeps."""

    #: Distinct earlier articles (new id and new text) a line must have been seen in. More than
    #: the days below: a background paragraph an outlet repeats in one follow-up a day for three
    #: days is not enough, while furniture, on every page, gets there on any ordinary day.
    min_articles: int = 5
    #: Distinct UTC days of the memory's clock the line must have been seen on. Any burst shorter
    #: than a day touches at most two calendar days, so no burst of articles, however many, can
    #: teach a line; an outlet that publishes a few articles a day has its furniture learned on its third.
    min_days: int = 3
    #: Share of the outlet's counted articles the line must be in: keeps a background paragraph
    #: that a busy outlet reuses in a handful of related stories.
    min_share: float = 0.3
    #: Learned lines may take at most this share of an article's words; past it the article keeps
    #: its text. Furniture is the thin frame around an article: when it would be most of it, the
    #: article is the outlet's own template, or the memory was taught the outlet's real text.
    max_removed_share: float = 0.5
    #: Line fingerprints tracked per outlet; the fewest days, then fewest articles, then the
    #: longest unseen go first when it is exceeded.
    max_lines: int = 5_000
    #: Distinct lines of one article looked at (half from its start, half from its end, where
    #: furniture sits): bounds the work one huge page costs.
    max_lines_per_article: int = 1_000
    #: Article ids and texts remembered per outlet to count each article once; the oldest go first.
    max_recent_articles: int = 5_000
    #: An outlet silent for this long forgets what it learned.
    ttl_s: int = 30 * 24 * 3600


DEFAULT_LEARNING = LearningConfig()


def fingerprint(line: str) -> str:
    """A short hash of a line that ignores case and spacing (numbers are kept: they tell items apart)."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", line).casefold()).strip()
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def split_lines(text: str) -> list[str]:
    """The non-empty lines of a clean text, stripped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def observed_lines(fingerprints: Sequence[str], config: LearningConfig = DEFAULT_LEARNING) -> list[str]:
    """The distinct fingerprints of one article the memory looks at, in order, capped head and tail."""
    distinct = list(dict.fromkeys(fingerprints))
    cap = config.max_lines_per_article
    if len(distinct) <= cap:
        return distinct
    return distinct[: cap - cap // 2] + distinct[len(distinct) - cap // 2 :]


# Counts stop here: they are packed into one Redis score (see pack), and past a hundred
# thousand articles or ninety thousand days a line's standing no longer changes.
_MAX_ARTICLES = 99_999
_MAX_DAYS = 89_999


@dataclass(frozen=True, slots=True)
class LineRecord:
    """What the memory knows of one line of an outlet."""

    articles: int = 0
    days: int = 0
    #: The last day it was seen on, as whole days since the epoch (UTC).
    last_day: int = 0

    def seen(self, day: int) -> LineRecord:
        """The record after one more distinct article, seen on ``day``."""
        new_day = day > self.last_day
        return LineRecord(
            min(self.articles + 1, _MAX_ARTICLES),
            min(self.days + 1, _MAX_DAYS) if new_day else self.days,
            day if new_day else self.last_day,
        )

    def pack(self) -> int:
        """One number in which records sort as they are evicted: days, then articles, then last day.

        Decimal fields (``DDDDD AAAAA LLLLLL``) so a score read in redis-cli can be read by eye;
        the largest is under 2^53, so a double holds it exactly.
        """
        return self.days * 10**11 + self.articles * 10**6 + self.last_day

    @classmethod
    def unpack(cls, score: int) -> LineRecord:
        """The record a :meth:`pack` score stands for."""
        return cls(articles=score // 10**6 % 10**5, days=score // 10**11, last_day=score % 10**6)


@dataclass(frozen=True, slots=True)
class OutletHistory:
    """What the memory knew of an outlet before an article: articles counted, and the asked lines."""

    articles: int
    lines: dict[str, LineRecord]


def recurring(history: OutletHistory, config: LearningConfig = DEFAULT_LEARNING) -> set[str]:
    """The fingerprints that are boilerplate for this outlet: enough articles, days and share."""
    # Counts saturate at _MAX_ARTICLES; an outlet past that judges shares at the saturated count.
    needed = max(config.min_articles, math.ceil(config.min_share * min(history.articles, _MAX_ARTICLES)))
    return {fp for fp, line in history.lines.items() if line.articles >= needed and line.days >= config.min_days}


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


def removes_too_much(words_before: int, words_after: int, config: LearningConfig = DEFAULT_LEARNING) -> bool:
    """Whether learned stripping would take more than its allowed share of an article's words."""
    return words_before - words_after > config.max_removed_share * words_before


class BoilerplateMemory(Protocol):
    """Per-outlet line records, shared by every cleaner."""

    config: LearningConfig

    async def observe(
        self, outlet: str, article_id: str, content_key: str, fingerprints: Sequence[str]
    ) -> OutletHistory:
        """The outlet's history before this article, then count it (once per id and once per text)."""
        ...


Clock = Callable[[], float]


class MemoryBoilerplate:
    """Records in dicts: for the offline verbs (learns across the files of one run, on its clock)."""

    def __init__(self, config: LearningConfig = DEFAULT_LEARNING, *, clock: Clock = time.time) -> None:
        self.config = config
        self.clock = clock
        self._lines: dict[str, dict[str, LineRecord]] = {}
        self._articles: dict[str, int] = {}
        # marker -> when it was first seen; dicts keep insertion order, so the oldest come first
        self._recent: dict[str, dict[str, float]] = {}

    def sizes(self, outlet: str) -> tuple[int, int]:
        """Lines tracked and article markers remembered for an outlet (to check the caps)."""
        return len(self._lines.get(outlet, {})), len(self._recent.get(outlet, {}))

    async def observe(
        self, outlet: str, article_id: str, content_key: str, fingerprints: Sequence[str]
    ) -> OutletHistory:
        """History before this article; then the article is counted if its id and its text are new."""
        now = self.clock()
        day = int(now // _DAY_S)
        lines = self._lines.setdefault(outlet, {})
        recent = self._recent.setdefault(outlet, {})
        observed = observed_lines(fingerprints, self.config)
        history = OutletHistory(self._articles.get(outlet, 0), {fp: lines[fp] for fp in observed if fp in lines})
        markers = ("id:" + article_id, "text:" + content_key)
        fresh = not any(marker in recent for marker in markers)
        for marker in markers:
            recent.setdefault(marker, now)
        if fresh:
            for fp in observed:
                lines[fp] = lines.get(fp, LineRecord()).seen(day)
            self._articles[outlet] = self._articles.get(outlet, 0) + 1
            _evict(lines, self.config.max_lines)
        while len(recent) > 2 * self.config.max_recent_articles:
            del recent[next(iter(recent))]
        return history


def _evict(lines: dict[str, LineRecord], cap: int) -> None:
    """Drop the lowest-ranked lines past the cap, in the order Redis ranks the packed scores."""
    excess = len(lines) - cap
    if excess > 0:
        for fp, _ in sorted(lines.items(), key=lambda kv: (kv[1].pack(), kv[0]))[:excess]:
            del lines[fp]


# Reads the outlet's counted articles and the packed records of the lines, then counts the
# article if neither its id nor its text is among the outlet's remembered markers: each line's
# record gains an article, and a day when the day is later than its last one (a replica whose
# clock lags cannot count a day twice). Then the caps: the lowest-ranked lines and the oldest
# markers go. Records change by ZINCRBY of the difference (the cleaner user may not ZADD), which
# stays far below the 14 digits Lua prints a number with. Returns {articles, score1, score2, ...}.
# KEYS: lines zset, counted-articles counter, recent-markers zset.
# ARGV: ttl, max lines, max markers, now (s), day, id marker, text marker, fingerprints...
_OBSERVE_LUA = """
local ttl, max_lines, max_markers = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now, day = ARGV[4], tonumber(ARGV[5])
local reply = {tonumber(redis.call('GET', KEYS[2]) or '0')}
for i = 8, #ARGV do reply[#reply + 1] = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[i]) or '0') end
local fresh = true
for i = 6, 7 do
  if redis.call('ZSCORE', KEYS[3], ARGV[i]) then fresh = false else redis.call('ZINCRBY', KEYS[3], now, ARGV[i]) end
end
if fresh then
  for i = 8, #ARGV do
    local old = reply[i - 6]
    local last, articles, days = old % 1e6, math.floor(old / 1e6) % 1e5, math.floor(old / 1e11)
    articles = math.min(articles + 1, 99999)
    if day > last then days, last = math.min(days + 1, 89999), day end
    redis.call('ZINCRBY', KEYS[1], string.format('%.0f', days * 1e11 + articles * 1e6 + last - old), ARGV[i])
  end
  redis.call('INCR', KEYS[2])
  local excess = redis.call('ZCARD', KEYS[1]) - max_lines
  if excess > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1) end
end
local stale = redis.call('ZCARD', KEYS[3]) - 2 * max_markers
if stale > 0 then redis.call('ZREMRANGEBYRANK', KEYS[3], 0, stale - 1) end
for k = 1, 3 do redis.call('EXPIRE', KEYS[k], ttl) end
return reply
"""


class RedisBoilerplate:
    """Records in Redis: per outlet a sorted set of packed line records, a counter and the recent markers."""

    def __init__(
        self,
        redis: Redis,
        names: StreamNames,
        config: LearningConfig = DEFAULT_LEARNING,
        *,
        clock: Clock = time.time,
    ) -> None:
        self.redis = redis
        self.names = names
        self.config = config
        self.clock = clock
        self._observe = redis.register_script(_OBSERVE_LUA)

    def keys(self, outlet: str) -> tuple[str, str, str]:
        """The outlet's three keys: line records, counted articles, recent article markers."""
        # New names since lines must be seen over days: what the older rule learned (digits
        # folded, one burst enough) is not carried over; its keys expire on their TTL.
        return (
            self.names.key("cleaner", "outlet", outlet, "lines"),
            self.names.key("cleaner", "outlet", outlet, "counted"),
            self.names.key("cleaner", "outlet", outlet, "recent"),
        )

    async def observe(
        self, outlet: str, article_id: str, content_key: str, fingerprints: Sequence[str]
    ) -> OutletHistory:
        """History before this article and the counting of it, in one script call."""
        now = self.clock()
        observed = observed_lines(fingerprints, self.config)
        reply = await self._observe(
            keys=list(self.keys(outlet)),
            args=[
                self.config.ttl_s,
                self.config.max_lines,
                self.config.max_recent_articles,
                int(now),
                int(now // _DAY_S),
                "id:" + article_id,
                "text:" + content_key,
                *observed,
            ],
        )
        records = {fp: LineRecord.unpack(int(score)) for fp, score in zip(observed, reply[1:], strict=True) if score}
        return OutletHistory(int(reply[0]), records)
