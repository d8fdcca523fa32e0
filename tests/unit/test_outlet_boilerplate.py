"""Boilerplate learned per outlet: lines seen in five articles on three days go, own lines and numbers stay."""

from __future__ import annotations

import asyncio
import random

import pytest

from storywire.contracts import CleanArticle, RawArticle
from storywire.services.cleaner.cleaning import Rejection, clean_article, without_outlet_boilerplate
from storywire.services.cleaner.outlet_boilerplate import (
    DEFAULT_LEARNING,
    LearningConfig,
    LineRecord,
    MemoryBoilerplate,
    OutletHistory,
    fingerprint,
    observed_lines,
    recurring,
)

FOOTER = (
    "The Riverside Chronicle is published by Riverside Media Group from its offices on Harbour Street, "
    "where the paper has been printed every weekday since the nineteenth century."
)
APPEAL = (
    "Readers who want the morning briefing from our county desk delivered to them before breakfast can "
    "ask for it at the front counter of any of our twelve branch offices in the valley."
)
_NOUNS = ["council", "harbour", "school", "bridge", "library", "market", "railway", "hospital", "museum"]
_VERBS = ["approved", "delayed", "reopened", "criticised", "funded", "inspected", "expanded", "closed"]

DAY = 86_400.0
#: Midnight UTC of a day, as the memory's clock reads it.
DAY_ZERO = 20_000 * DAY


class Clock:
    """The memory's clock, moved by the test."""

    def __init__(self, now: float = DAY_ZERO) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def own_paragraphs(n: int) -> list[str]:
    rng = random.Random(n)
    return [
        f"The {rng.choice(_NOUNS)} board {rng.choice(_VERBS)} plan number {n * 10 + k} on the {k + 1}th day, "
        f"and officials said the {rng.choice(_NOUNS)} work would take {rng.randint(2, 30)} weeks to finish."
        for k in range(4)
    ]


# HTML, plain text with blank lines between paragraphs, and plain text one paragraph a line (no blank lines)
FORMS = ["html", "plain-text", "plain-text-lines"]


def make_raw(n: int, form: str) -> RawArticle:
    paragraphs = [*own_paragraphs(n), APPEAL, FOOTER]
    if form == "html":
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        content = f"<html><head><title>Story {n}</title></head><body><article>{body}</article></body></html>"
        return RawArticle(article_id=f"n{n}", outlet="riverside.example", content=content, content_type="text/html")
    separator = "\n\n" if form == "plain-text" else "\n"
    return RawArticle(article_id=f"n{n}", outlet="riverside.example", content=separator.join(paragraphs))


def match_report(n: int) -> RawArticle:
    """One of an outlet's templated items: the same lines each time, with other figures."""
    lines = [
        f"Full time: Riverside {n % 5}-{n % 3} Harbour Town",
        f"Attendance at the Harbour Road ground was {11_800 + 37 * n} for match number {n} of the season.",
        f"Goals: Smith {n + 10} minutes, Jones {n + 50} minutes, Okafor {n + 70} minutes.",
        f"Riverside are now {n % 9 + 1}th in the table with {3 * n} points from {n + 4} games played.",
        f"The next home match, number {n + 1}, kicks off in {n % 6 + 6} days at the same ground.",
    ]
    return RawArticle(article_id=f"m{n}", outlet="riverside.example", content="\n".join(lines))


def cleaned(raw: RawArticle) -> CleanArticle:
    article = clean_article(raw)
    assert not isinstance(article, Rejection)
    return article


async def _through_memory(
    memory: MemoryBoilerplate, clock: Clock, raws: list[RawArticle], *, every_s: float
) -> list[CleanArticle | Rejection]:
    """Each article cleaned, then through the outlet memory, ``every_s`` seconds apart."""
    results: list[CleanArticle | Rejection] = []
    for raw in raws:
        results.append(await without_outlet_boilerplate(cleaned(raw), memory))
        clock.now += every_s
    return results


def stream(raws: list[RawArticle], *, every_s: float, start: float = DAY_ZERO) -> list[CleanArticle | Rejection]:
    clock = Clock(start)
    return asyncio.run(_through_memory(MemoryBoilerplate(clock=clock), clock, raws, every_s=every_s))


def _articles(results: list[CleanArticle | Rejection]) -> list[CleanArticle]:
    assert all(isinstance(r, CleanArticle) for r in results), results
    return [r for r in results if isinstance(r, CleanArticle)]


@pytest.mark.parametrize("form", FORMS)
def test_a_shared_footer_and_appeal_go_once_seen_in_five_articles_on_three_days(form: str) -> None:
    # four articles a day: before the 10th, nine articles were seen on three days (the 9th opened day three)
    results = _articles(stream([make_raw(n, form) for n in range(1, 21)], every_s=DAY / 4))
    for n, article in enumerate(results, start=1):
        recurring_left = FOOTER in article.text or APPEAL in article.text
        assert recurring_left == (n < 10), f"article {n}"
        assert (n >= 10) == any(r.startswith("outlet-boilerplate:") for r in article.removed), f"article {n}"


@pytest.mark.parametrize("form", FORMS)
def test_no_article_loses_a_paragraph_of_its_own(form: str) -> None:
    results = _articles(stream([make_raw(n, form) for n in range(1, 21)], every_s=DAY / 4))
    for n, article in enumerate(results, start=1):
        for paragraph in own_paragraphs(n):
            assert paragraph in article.text, f"article {n} lost: {paragraph}"


def test_a_burst_of_articles_under_one_outlet_teaches_it_nothing() -> None:
    # fifty articles in just under a day, across midnight: two calendar days, never three
    results = _articles(stream([make_raw(n, "plain-text") for n in range(1, 51)], every_s=1_700, start=DAY_ZERO - 3600))
    assert all(FOOTER in a.text and APPEAL in a.text for a in results)
    assert not any(r.startswith("outlet-boilerplate:") for a in results for r in a.removed)


def test_one_article_fewer_than_needed_teaches_nothing_even_over_as_many_days() -> None:
    few = DEFAULT_LEARNING.min_articles - 1
    raws = [make_raw(n, "plain-text") for n in range(1, few + 2)]
    last = _articles(stream(raws, every_s=DAY))[-1]
    assert FOOTER in last.text and APPEAL in last.text


def test_one_text_under_many_ids_counts_as_one_article() -> None:
    async def scenario() -> LineRecord:
        clock = Clock()
        memory = MemoryBoilerplate(clock=clock)
        for n in range(10):
            await memory.observe("o", f"copy-{n}", "same-text", [fingerprint(FOOTER)])
            clock.now += DAY
        return (await memory.observe("o", "other-id", "other-text", [fingerprint(FOOTER)])).lines[fingerprint(FOOTER)]

    assert asyncio.run(scenario()) == LineRecord(articles=1, days=1, last_day=20_000)


def test_an_article_counted_twice_is_counted_once() -> None:
    async def scenario() -> LineRecord:
        clock = Clock()
        memory = MemoryBoilerplate(clock=clock)
        for _ in range(6):
            await memory.observe("o", "same-id", "text-a", [fingerprint(FOOTER)])
            clock.now += DAY
        return (await memory.observe("o", "other-id", "text-b", [fingerprint(FOOTER)])).lines[fingerprint(FOOTER)]

    assert asyncio.run(scenario()).articles == 1


def test_twenty_templated_articles_that_differ_only_in_numbers_are_all_kept_with_their_lines() -> None:
    raws = [match_report(n) for n in range(1, 21)]
    results = _articles(stream(raws, every_s=DAY / 2))
    for raw, article in zip(raws, results, strict=True):
        assert article.text == cleaned(raw).text, raw.article_id
        assert article.removed == cleaned(raw).removed, raw.article_id


def test_templated_lines_stay_while_the_outlets_footer_goes() -> None:
    def report_with_story(n: int) -> RawArticle:
        lines = [*match_report(n).content.splitlines(), *own_paragraphs(n), FOOTER]
        return RawArticle(article_id=f"r{n}", outlet="riverside.example", content="\n".join(lines))

    raws = [report_with_story(n) for n in range(1, 21)]
    results = _articles(stream(raws, every_s=DAY / 2))
    assert FOOTER not in results[-1].text
    for raw, article in zip(raws, results, strict=True):
        for line in match_report(int(raw.article_id[1:])).content.splitlines()[1:]:
            assert line in article.text, f"{raw.article_id} lost: {line}"


def _taught(clock: Clock) -> MemoryBoilerplate:
    """A memory that has learned the footer and the appeal: twenty articles over ten days."""
    memory = MemoryBoilerplate(clock=clock)
    asyncio.run(_through_memory(memory, clock, [make_raw(n, "plain-text") for n in range(1, 21)], every_s=DAY / 2))
    return memory


def test_an_article_whose_every_line_is_known_keeps_its_text() -> None:
    clock = Clock()
    memory = _taught(clock)
    only_known = cleaned(RawArticle(article_id="x", outlet="riverside.example", content=f"{APPEAL}\n\n{FOOTER}"))
    result = asyncio.run(without_outlet_boilerplate(only_known, memory))
    assert result == only_known


def test_an_article_that_would_lose_most_of_its_words_keeps_them() -> None:
    clock = Clock()
    memory = _taught(clock)
    content = f"The harbour bridge reopened on Monday after three weeks of repairs.\n\n{APPEAL}\n\n{FOOTER}"
    short = cleaned(RawArticle(article_id="y", outlet="riverside.example", content=content))
    result = asyncio.run(without_outlet_boilerplate(short, memory))
    assert result == short


def test_the_memory_of_an_outlet_stays_within_its_caps_and_keeps_its_furniture() -> None:
    config = LearningConfig(max_lines=50, max_recent_articles=20)

    async def scenario() -> tuple[list[tuple[int, int]], set[str]]:
        clock = Clock()
        memory = MemoryBoilerplate(config, clock=clock)
        sizes = []
        for n in range(300):
            one_off = [fingerprint(f"line {k} of article {n}") for k in range(10)]
            await memory.observe("o", f"a{n}", f"t{n}", [*one_off, fingerprint(FOOTER)])
            sizes.append(memory.sizes("o"))
            clock.now += DAY / 10
        history = await memory.observe("o", "last", "last-text", [fingerprint(FOOTER)])
        return sizes, recurring(history, config)

    sizes, learned = asyncio.run(scenario())
    assert max(lines for lines, _ in sizes) == 50
    assert max(markers for _, markers in sizes) == 2 * 20
    assert learned == {fingerprint(FOOTER)}


def test_a_huge_article_is_looked_at_by_its_head_and_tail() -> None:
    config = LearningConfig(max_lines_per_article=4)
    assert observed_lines(["a", "b", "a", "c", "d", "e", "f"], config) == ["a", "b", "e", "f"]
    assert observed_lines(["a", "b", "a"], config) == ["a", "b"]


def test_a_line_needs_articles_days_and_share_to_be_boilerplate() -> None:
    lines = {
        "burst": LineRecord(articles=40, days=2, last_day=5),
        "few": LineRecord(articles=4, days=4, last_day=5),
        "rare": LineRecord(articles=5, days=3, last_day=5),
        "furniture": LineRecord(articles=16, days=3, last_day=5),
    }
    assert recurring(OutletHistory(articles=50, lines=lines)) == {"furniture"}
    assert recurring(OutletHistory(articles=10, lines=lines)) == {"rare", "furniture"}


@pytest.mark.parametrize(
    "record", [LineRecord(), LineRecord(1, 1, 20_000), LineRecord(99_999, 89_999, 999_999), LineRecord(7, 3, 19_876)]
)
def test_a_line_record_survives_packing(record: LineRecord) -> None:
    assert LineRecord.unpack(record.pack()) == record
    assert record.pack() < 2**53


def test_packed_records_sort_by_days_then_articles_then_last_day() -> None:
    records = [
        LineRecord(9, 1, 30),
        LineRecord(2, 2, 10),
        LineRecord(3, 2, 5),
        LineRecord(3, 2, 6),
        LineRecord(1, 1, 40),
    ]
    assert sorted(records, key=LineRecord.pack) == sorted(records, key=lambda r: (r.days, r.articles, r.last_day))


def test_a_day_is_counted_once_and_never_backwards() -> None:
    record = LineRecord().seen(10).seen(10).seen(9)
    assert record == LineRecord(articles=3, days=1, last_day=10)
    assert record.seen(11) == LineRecord(articles=4, days=2, last_day=11)


def test_fingerprints_ignore_case_and_spacing_but_keep_numbers() -> None:
    assert fingerprint("Match report: Team A 2-1 Team B") == fingerprint("match report:  team a 2-1 TEAM B ")
    assert fingerprint("Match report: Team A 2-1 Team B") != fingerprint("Match report: Team A 3-1 Team B")
    assert fingerprint("A paragraph") != fingerprint("Another paragraph")
