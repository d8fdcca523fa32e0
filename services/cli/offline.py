"""The offline verbs: the pipeline's domain code in-process, no Redis, JSON lines out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Literal, TextIO

import orjson

from contracts import RawArticle
from services.cleaner.cleaning import Rejection, clean_with_memory
from services.cleaner.outlet_boilerplate import MemoryBoilerplate
from services.cli.inputs import read_articles
from services.dedup.assigning import assign, features_of
from services.dedup.clustering import configured
from services.dedup.memory_index import InMemoryStoryIndex
from services.runtime.settings import Settings
from services.summarizer.digest_store import MemoryDigestStore, StoryDigests
from services.summarizer.summarizing import digest_of, summarize_article, summarize_story

Stage = Literal["clean", "dedup", "summarize"]


def _rejection_line(raw: RawArticle, rejection: Rejection) -> str:
    # Same keys as a DeadLetter where they overlap, plus an empty text so a
    # reader expecting CleanArticle-like lines finds one per input.
    return orjson.dumps(
        {
            "article_id": raw.article_id,
            "rejected": True,
            "error_type": rejection.kind,
            "error_message": rejection.reason,
            "text": "",
        }
    ).decode()


async def _run(paths: Sequence[str], output: TextIO, stage: Stage, story_summaries: bool) -> None:
    settings = Settings()
    config = configured(settings.story_window_days, settings.story_horizon_days)
    index = InMemoryStoryIndex()
    digests = MemoryDigestStore()
    stories: dict[str, list[str]] = {}
    latest_digests: dict[str, StoryDigests] = {}
    boilerplate = MemoryBoilerplate()
    for raw in read_articles(paths):
        cleaned = await clean_with_memory(raw, boilerplate)
        if isinstance(cleaned, Rejection):
            output.write(_rejection_line(raw, cleaned) + "\n")
            continue
        if stage == "clean":
            output.write(cleaned.model_dump_json() + "\n")
            continue
        result = await assign(cleaned, features_of(cleaned), index, config=config)
        if stage == "dedup":
            output.write(result.assignment.model_dump_json() + "\n")
            continue
        summary = summarize_article(result.assignment)
        output.write(summary.model_dump_json() + "\n")
        if story_summaries:
            latest_digests[summary.story_id] = await digests.add(summary.story_id, digest_of(summary, time.time()))
            stories.setdefault(summary.story_id, []).append(summary.article_id)
    for story_id, members in stories.items():
        if len(members) > 1:
            output.write(summarize_story(story_id, latest_digests[story_id]).model_dump_json() + "\n")


def run_offline(paths: Sequence[str], output: TextIO, *, stage: Stage, story_summaries: bool = False) -> None:
    """Write one JSON line per input article (then story summaries if asked), in input order."""
    asyncio.run(_run(paths, output, stage, story_summaries))
