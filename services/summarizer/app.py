"""Composition root of the summarizer: ``articles.stories`` -> ``summaries`` and ``story_summaries``."""

from __future__ import annotations

import time

from faststream import FastStream

from storywire.contracts import ArticleSummary, Contract, StoryAssignment, StorySummary
from storywire.services.runtime.app import Worker
from storywire.services.runtime.outcomes import WARM_UP_TEXT, Emit, Handler, Outcome
from storywire.services.runtime.service import ServiceDefinition, WorkerContext
from storywire.services.runtime.settings import Settings
from storywire.services.summarizer.digest_store import RedisDigestStore, record_summary
from storywire.services.summarizer.entities import extract_entities
from storywire.services.summarizer.key_points import key_points
from storywire.services.summarizer.quotes import extract_quotes
from storywire.services.summarizer.summarizing import summarize_article, summarize_story


async def build_handler(context: WorkerContext) -> Handler[StoryAssignment]:
    """Summarise each article and the story it joined."""
    names = context.names
    store = RedisDigestStore(context.redis, names)

    async def handle(assignment: StoryAssignment) -> Outcome:
        summary = await context.compute(context.settings.stage_time_budget_s, summarize_article, assignment)
        recorded = await record_summary(store, assignment, summary, time.time())
        story = summarize_story(recorded.story, assignment.absorbed_story_ids)
        messages: list[tuple[str, Contract]] = [
            (names.summaries, recorded.summary),
            (names.story_summaries, story),
        ]
        # The stories that articles left for this one, summarised without them.
        messages += [(names.story_summaries, summarize_story(source)) for source in recorded.left.values() if source]
        return Emit(tuple(messages), idempotency_key=f"{summary.article_id}:{summary.content_hash}")

    return handle


def warm_up(_settings: Settings) -> None:
    """Load the entity tables and the sentence splitter on a tiny article."""
    mentions = extract_entities(WARM_UP_TEXT)
    extract_quotes(WARM_UP_TEXT, mentions)
    key_points(WARM_UP_TEXT)


SERVICE = ServiceDefinition(
    name="summarizer",
    input_stream=lambda names: names.assigned,
    input_contract=StoryAssignment,
    build_handler=build_handler,
    outputs=(
        (lambda names: names.summaries, ArticleSummary),
        (lambda names: names.story_summaries, StorySummary),
    ),
    warm_up=warm_up,
    http_port=8003,
)


def create_app(settings: Settings | None = None) -> FastStream:
    """The summarizer as a FastStream app.

    ``faststream run storywire.services.summarizer.app:create_app --factory`` runs it alone.
    """
    return Worker(settings or Settings(), [SERVICE]).app
