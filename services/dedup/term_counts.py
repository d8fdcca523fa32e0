"""Document frequencies that forget: the rule both story indexes (Redis and memory) count terms by.

Counting every term of every article forever let the counts grow without bound: up to 300
new fields per article of new words, typos, figures and names, which nobody reads again
(100 articles of random words added 30,000 permanent fields). Two rules bound them:

* **Generations.** Counts are kept per generation of ``generation_s`` (the story horizon) and
  read over the current and the previous one, so idf is computed over the last one to two
  horizons of articles, and a generation is dropped once nothing reads it. The number of
  documents N is counted the same way, so idf stays consistent as generations turn over.
* **Singletons.** A term seen in one article only is held apart, in buckets of
  ``singleton_s`` (a day), read over the current and previous bucket: seen again within
  that time it enters the generation's counts with both sightings; otherwise it is
  forgotten and counts as unseen the next time. Most distinct terms of a news stream are
  such one-offs, and a publisher of random words fills only these short-lived buckets.

Within one bucket and one generation (any evaluation run: its articles arrive within
minutes) the counts are exact. Forgetting a term seen once days ago reads its df as 0
instead of 1, which moves its idf by at most ``log 2``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass

__all__ = ["SINGLETON_S", "TermCounts", "TermWindow", "term_window"]

#: How long a term seen in only one article is remembered (one to two of these).
SINGLETON_S = 86400.0


@dataclass(frozen=True, slots=True)
class TermWindow:
    """The generation and singleton bucket of an instant, and how long their keys are read."""

    generation: int
    bucket: int
    generation_ttl: int
    """Seconds until the current generation is no longer read (the end of the next one)."""
    bucket_ttl: int
    """Seconds until the current singleton bucket is no longer read."""


def term_window(now: float, generation_s: float, singleton_s: float = SINGLETON_S) -> TermWindow:
    """Which generation and bucket ``now`` writes (and, with the previous ones, reads)."""
    generation = math.floor(now / generation_s)
    bucket = math.floor(now / singleton_s)
    return TermWindow(
        generation=generation,
        bucket=bucket,
        generation_ttl=max(1, math.ceil((generation + 2) * generation_s - now)),
        bucket_ttl=max(1, math.ceil((bucket + 2) * singleton_s - now)),
    )


class TermCounts:
    """The rule in memory (for :class:`~storywire.services.dedup.memory_index.InMemoryStoryIndex`).

    :class:`~storywire.services.dedup.redis_index.RedisStoryIndex` keeps the same counts in Redis
    hashes that expire; here the generations and buckets no longer read are dropped as
    articles are added.
    """

    def __init__(self, generation_s: float, singleton_s: float = SINGLETON_S) -> None:
        self.generation_s = generation_s
        self.singleton_s = singleton_s
        self._documents: dict[int, int] = {}
        self._counts: dict[int, dict[str, int]] = {}
        self._once: dict[int, set[str]] = {}

    def _window(self, now: float) -> TermWindow:
        return term_window(now, self.generation_s, self.singleton_s)

    def documents(self, now: float) -> int:
        """N: articles counted in the current and previous generation."""
        g = self._window(now).generation
        return self._documents.get(g, 0) + self._documents.get(g - 1, 0)

    def df(self, terms: Iterable[str], now: float) -> dict[str, int]:
        """The document frequency of each of ``terms`` that has one."""
        w = self._window(now)
        counts = [self._counts.get(w.generation, {}), self._counts.get(w.generation - 1, {})]
        once = [self._once.get(w.bucket, set()), self._once.get(w.bucket - 1, set())]
        out = {}
        for term in terms:
            value = sum(c.get(term, 0) for c in counts) + sum(term in o for o in once)
            if value:
                out[term] = value
        return out

    def add(self, terms: Collection[str], now: float) -> None:
        """Count one article's (distinct) terms."""
        w = self._window(now)
        for old in [g for g in self._counts if g < w.generation - 1]:
            del self._counts[old]
        for old in [g for g in self._documents if g < w.generation - 1]:
            del self._documents[old]
        for old in [b for b in self._once if b < w.bucket - 1]:
            del self._once[old]
        self._documents[w.generation] = self._documents.get(w.generation, 0) + 1
        current = self._counts.setdefault(w.generation, {})
        previous = self._counts.get(w.generation - 1, {})
        once_now = self._once.setdefault(w.bucket, set())
        once_before = self._once.get(w.bucket - 1, set())
        for term in terms:
            if term in current or term in previous:
                current[term] = current.get(term, 0) + 1
            elif term in once_now or term in once_before:
                # Its second article: it is counted from now on, with both sightings.
                current[term] = 2
                once_now.discard(term)
                once_before.discard(term)
            else:
                once_now.add(term)

    def fields(self) -> int:
        """Terms held (counted and singletons), for tests and benchmarks."""
        return sum(len(c) for c in self._counts.values()) + sum(len(o) for o in self._once.values())
