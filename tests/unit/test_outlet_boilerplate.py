"""Boilerplate learned per outlet: recurring lines go from the fifth article on, own ones stay."""

from __future__ import annotations

import asyncio
import random

import pytest

from storywire.contracts import CleanArticle, RawArticle
from storywire.services.cleaner.cleaning import Rejection, clean_article, without_outlet_boilerplate
from storywire.services.cleaner.outlet_boilerplate import BoilerplateMemory, MemoryBoilerplate, fingerprint

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


async def _clean_all(memory: BoilerplateMemory, form: str) -> list[CleanArticle]:
    cleaned = []
    for n in range(1, 21):
        article = clean_article(make_raw(n, form))
        assert not isinstance(article, Rejection)
        result = await without_outlet_boilerplate(article, memory)
        assert isinstance(result, CleanArticle)
        cleaned.append(result)
    return cleaned


@pytest.mark.parametrize("form", FORMS)
def test_a_shared_footer_and_appeal_are_lost_from_the_fifth_article_on(form: str) -> None:
    cleaned = asyncio.run(_clean_all(MemoryBoilerplate(), form))
    for n, article in enumerate(cleaned, start=1):
        recurring_left = FOOTER in article.text or APPEAL in article.text
        assert recurring_left == (n < 5), f"article {n}"


@pytest.mark.parametrize("form", FORMS)
def test_no_article_loses_a_paragraph_of_its_own(form: str) -> None:
    cleaned = asyncio.run(_clean_all(MemoryBoilerplate(), form))
    for n, article in enumerate(cleaned, start=1):
        for paragraph in own_paragraphs(n):
            assert paragraph in article.text, f"article {n} lost: {paragraph}"


def test_an_article_counted_twice_is_counted_once() -> None:
    async def scenario() -> int:
        memory = MemoryBoilerplate()
        for _ in range(6):
            await memory.observe("o", "same-id", [fingerprint(FOOTER)])
        return (await memory.observe("o", "other-id", [fingerprint(FOOTER)])).counts[fingerprint(FOOTER)]

    assert asyncio.run(scenario()) == 1


def test_fingerprints_ignore_case_spacing_and_numbers() -> None:
    assert fingerprint("Updated 12 May 2024  at 10:31") == fingerprint("updated 3 May 2025 at 9:02")
    assert fingerprint("A paragraph") != fingerprint("Another paragraph")
