"""The offline verbs: the pipeline's domain code in-process, no Redis, JSON lines out."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Mapping, Sequence
from typing import Literal, TextIO

import orjson

from storywire.contracts import RawArticle
from storywire.services.cleaner.cleaning import Rejection, clean_with_memory
from storywire.services.cleaner.outlet_boilerplate import MemoryBoilerplate
from storywire.services.cli.inputs import read_articles
from storywire.services.dedup.assigning import assign, features_of
from storywire.services.dedup.clustering import configured
from storywire.services.dedup.memory_index import InMemoryStoryIndex
from storywire.services.runtime.settings import Settings
from storywire.services.summarizer.digest_store import MemoryDigestStore, StoryDigests, record_assignment
from storywire.services.summarizer.summarizing import digest_of, summarize_article, summarize_story

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
    index = InMemoryStoryIndex(config)
    digests = MemoryDigestStore()
    # Each story's digests as of its latest article, in order of first appearance.
    latest_digests: dict[str, StoryDigests] = {}
    boilerplate = MemoryBoilerplate()
    # Lines are spooled so that an article whose one-article story was later folded into
    # another is written with the story it ended in.
    placed: dict[str, str] = {}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for raw in read_articles(paths):
            cleaned = await clean_with_memory(raw, boilerplate)
            if isinstance(cleaned, Rejection):
                spool.write(_rejection_line(raw, cleaned) + "\n")
                continue
            if stage == "clean":
                spool.write(cleaned.model_dump_json() + "\n")
                continue
            result = await assign(cleaned, features_of(cleaned), index, config=config)
            placed[cleaned.article_id] = result.assignment.story_id
            if stage == "dedup":
                spool.write(result.assignment.model_dump_json() + "\n")
                continue
            summary = summarize_article(result.assignment)
            spool.write(summary.model_dump_json() + "\n")
            if story_summaries:
                story, left = await record_assignment(digests, result.assignment, digest_of(summary, time.time()))
                for gone in result.assignment.absorbed_story_ids:
                    latest_digests.pop(gone, None)
                for source_id, source in left.items():
                    if source is None:
                        latest_digests.pop(source_id, None)
                    else:
                        latest_digests[source_id] = source
                latest_digests[story.story_id] = story
        moved = {}
        for article_id, story_id in placed.items():
            record = await index.article(article_id)
            if record is not None and record.story_id != story_id:
                moved[article_id] = record.story_id
        spool.seek(0)
        for line in spool:
            output.write(_moved_line(line, moved) if moved else line)
    for story in latest_digests.values():
        if len(story.article_ids) > 1:
            output.write(summarize_story(story).model_dump_json() + "\n")


def _moved_line(line: str, moved: Mapping[str, str]) -> str:
    """The line with the story its article ended in (and no longer the start of a story)."""
    doc = orjson.loads(line)
    story_id = moved.get(doc.get("article_id"))
    if story_id is None or "story_id" not in doc:
        return line
    doc["story_id"] = story_id
    doc["is_new_story"] = False
    return orjson.dumps(doc).decode() + "\n"


def run_offline(paths: Sequence[str], output: TextIO, *, stage: Stage, story_summaries: bool = False) -> None:
    """Write one JSON line per input article (then story summaries if asked), in input order.

    Each line names the story its article ended in: a one-article story folded into a later
    one (see ``ClusterConfig.absorb_threshold``) is written as part of it.
    """
    asyncio.run(_run(paths, output, stage, story_summaries))
