"""Document frequencies forget one-off terms within two days and everything after two story horizons."""

from __future__ import annotations

import random
from collections import Counter

from storywire.services.dedup.term_counts import SINGLETON_S, TermCounts, term_window

DAY = 86400.0
HORIZON = 14 * DAY


def _random_words(rng: random.Random, count: int) -> set[str]:
    return {"w:" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=10)) for _ in range(count)}


def test_within_a_day_the_counts_are_exact() -> None:
    rng = random.Random(1)
    vocabulary = [f"w:{n}" for n in range(400)]
    counts, exact = TermCounts(HORIZON), Counter[str]()
    for i in range(300):
        terms = set(rng.sample(vocabulary, 40))
        counts.add(terms, now=1000.0 + i)
        exact.update(terms)
    assert counts.df(vocabulary, now=1300.0) == dict(exact)
    assert counts.documents(now=1300.0) == 300


def test_a_hundred_articles_of_random_words_are_forgotten_within_two_days() -> None:
    rng = random.Random(2)
    counts = TermCounts(HORIZON)
    published = [_random_words(rng, 300) for _ in range(100)]
    for terms in published:
        counts.add(terms, now=0.0)
    assert counts.fields() == 30_000
    words = set().union(*published)
    assert set(counts.df(words, now=DAY).values()) == {1}  # still known the next day
    counts.add({"w:news"}, now=2 * DAY)
    assert counts.df(words, now=2 * DAY) == {}
    assert counts.fields() == 1


def test_a_term_seen_twice_within_a_day_is_counted_for_two_horizons() -> None:
    counts = TermCounts(HORIZON)
    counts.add({"w:quake", "w:once"}, now=0.0)
    counts.add({"w:quake"}, now=3600.0)
    assert counts.df({"w:quake", "w:once"}, now=7200.0) == {"w:quake": 2, "w:once": 1}
    counts.add({"w:other"}, now=HORIZON + DAY)
    assert counts.df({"w:quake", "w:once"}, now=HORIZON + DAY) == {"w:quake": 2}
    assert counts.documents(now=HORIZON + DAY) == 3
    counts.add({"w:other"}, now=2 * HORIZON)
    assert counts.df({"w:quake"}, now=2 * HORIZON) == {}
    assert counts.documents(now=2 * HORIZON) == 2  # the first generation is no longer counted


def test_a_counted_term_keeps_counting_across_a_generation_change() -> None:
    counts = TermCounts(HORIZON)
    for hour in range(3):
        counts.add({"w:election"}, now=HORIZON - DAY + hour * 3600)
    counts.add({"w:election"}, now=HORIZON + 3600)
    assert counts.df({"w:election"}, now=HORIZON + 7200) == {"w:election": 4}


def test_keys_expire_when_no_later_window_reads_them() -> None:
    window = term_window(HORIZON + 100.0, HORIZON)
    assert (window.generation, window.generation_ttl) == (1, int(2 * HORIZON) - 100)
    assert (window.bucket, window.bucket_ttl) == (14, int(2 * SINGLETON_S) - 100)
