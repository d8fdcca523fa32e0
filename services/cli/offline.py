"""The offline verbs: the pipeline in-process (:class:`OfflinePipeline`), no Redis, JSON lines out."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from typing import Literal, TextIO

import orjson

from storywire.contracts import ArticleSummary, RawArticle, StoryAssignment
from storywire.services.cleaner.cleaning import Rejection
from storywire.services.cli.inputs import read_articles
from storywire.services.pipeline import OfflinePipeline
from storywire.services.runtime.settings import Settings
from storywire.services.summarizer.summarizing import reported_in

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


def run_offline(paths: Sequence[str], output: TextIO, *, stage: Stage, story_summaries: bool = False) -> None:
    """Write one JSON line per input article (then story summaries if asked), in input order.

    Each line names the story its article ended in: a one-article story folded into a later
    one (see ``ClusterConfig.absorb_threshold``) is written as part of it.
    """
    # Lines are spooled so that an article whose story was later folded into another (or that
    # moved to another) is written with the story it ended in.
    placed: dict[str, str] = {}
    with OfflinePipeline.from_settings(Settings()) as pipeline, tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for raw in read_articles(paths):
            cleaned = pipeline.clean(raw)
            if isinstance(cleaned, Rejection):
                spool.write(_rejection_line(raw, cleaned) + "\n")
                continue
            if stage == "clean":
                spool.write(cleaned.model_dump_json() + "\n")
                continue
            assignment = pipeline.assign(cleaned).assignment
            placed[cleaned.article_id] = assignment.story_id
            if stage == "dedup":
                spool.write(assignment.model_dump_json() + "\n")
                continue
            summary = pipeline.summarize(assignment, record=story_summaries)
            spool.write(summary.model_dump_json() + "\n")
        moved = {}
        for article_id, story_id in placed.items():
            now = pipeline.story_of(article_id)
            if now is not None and now != story_id:
                moved[article_id] = now
        spool.seek(0)
        for line in spool:
            output.write(_moved_line(line, moved, stage) if moved else line)
        for story in pipeline.story_summaries() if story_summaries else ():
            output.write(story.model_dump_json() + "\n")


def _moved_line(line: str, moved: Mapping[str, str], stage: Stage) -> str:
    """The line with the story its article ended in (and no longer the start of a story)."""
    doc = orjson.loads(line)
    story_id = moved.get(doc.get("article_id"))
    if story_id is None or "story_id" not in doc:  # not moved, or a rejection
        return line
    if stage == "dedup":
        return reported_in(StoryAssignment.model_validate_json(line), story_id).model_dump_json() + "\n"
    return reported_in(ArticleSummary.model_validate_json(line), story_id).model_dump_json() + "\n"
