"""Composition root of the summarizer: ``articles.stories`` -> ``summaries`` and ``story_summaries``."""

from __future__ import annotations

import time

from faststream import FastStream

from storywire.contracts import ArticleSummary, Contract, StoryAssignment, StorySummary
from storywire.services.runtime.app import ServiceDefinition, Worker, WorkerContext
from storywire.services.runtime.outcomes import WARM_UP_TEXT, Emit, Outcome, Stage
from storywire.services.runtime.settings import Settings
from storywire.services.summarizer.digest_store import RedisDigestStore, record_assignment
from storywire.services.summarizer.entities import extract_entities
from storywire.services.summarizer.key_points import key_points
from storywire.services.summarizer.quotes import extract_quotes
from storywire.services.summarizer.summarizing import digest_of, summarize_article, summarize_story


async def build_stage(context: WorkerContext) -> Stage[StoryAssignment]:
    """The summarizer's stage: summarise each article and the story it joined."""
    names = context.names
    store = RedisDigestStore(context.redis, names)

    async def handle(assignment: StoryAssignment) -> Outcome:
        summary = await context.compute(context.settings.stage_time_budget_s, summarize_article, assignment)
        digests, left = await record_assignment(store, assignment, digest_of(summary, time.time()))
        if digests.story_id != summary.story_id:
            # The story was folded before this assignment got here (another replica, a retry):
            # report the article where it is now, as dedup's record of it does.
            summary = summary.model_copy(update={"story_id": digests.story_id, "is_new_story": False})
        story = summarize_story(digests, assignment.absorbed_story_ids)
        messages: list[tuple[str, Contract]] = [(names.summaries, summary), (names.story_summaries, story)]
        # The stories that articles left for this one, summarised without them.
        messages += [(names.story_summaries, summarize_story(source)) for source in left.values() if source]
        return Emit(tuple(messages), idempotency_key=f"{summary.article_id}:{summary.content_hash}")

    def warm_up() -> None:
        mentions = extract_entities(WARM_UP_TEXT)
        extract_quotes(WARM_UP_TEXT, mentions)
        key_points(WARM_UP_TEXT)

    return Stage("summarizer", names.assigned, StoryAssignment, handle, warm_up=warm_up)


SERVICE = ServiceDefinition(
    "summarizer",
    lambda names: names.assigned,
    build_stage,
    input_contract=StoryAssignment,
    outputs=(
        (lambda names: names.summaries, ArticleSummary),
        (lambda names: names.story_summaries, StorySummary),
    ),
    http_port=8003,
)


def create_app(settings: Settings | None = None) -> FastStream:
    """The summarizer as a FastStream app.

    ``faststream run storywire.services.summarizer.app:create_app --factory`` runs it alone.
    """
    return Worker(settings or Settings(), [SERVICE]).app
