"""Composition root of dedup: ``articles.clean`` -> ``articles.stories`` and ``stories``."""

from __future__ import annotations

from faststream import FastStream
from redis.exceptions import LockError

from storywire.contracts import CleanArticle, Contract, StoryAssignment, StoryUpdate
from storywire.services.dedup.assigning import assign, features_of
from storywire.services.dedup.clustering import CorpusStats, configured, with_background
from storywire.services.dedup.features import featurize
from storywire.services.dedup.redis_index import RedisStoryIndex
from storywire.services.runtime.app import ServiceDefinition, Worker, WorkerContext
from storywire.services.runtime.outcomes import WARM_UP_TEXT, Emit, Outcome, Stage
from storywire.services.runtime.settings import Settings


async def build_stage(context: WorkerContext) -> Stage[CleanArticle]:
    """The dedup stage: assign each article to a story in the shared Redis index."""
    names = context.names
    settings = context.settings
    config = configured(settings.story_window_days, settings.story_horizon_days)
    index = RedisStoryIndex(context.redis, names, config)

    async def handle(article: CleanArticle) -> Outcome:
        # CPU work off the event loop, and outside the index lock.
        features = await context.compute(settings.stage_time_budget_s, features_of, article)
        async with index.lock():
            result = await assign(article, features, index, config=config)
        messages: list[tuple[str, Contract]] = [(names.assigned, result.assignment)]
        if result.story is not None:
            messages.append((names.stories, result.story))
        # The stories that articles left for this one, without them.
        messages += [(names.stories, source) for source in result.sources]
        return Emit(tuple(messages), idempotency_key=f"{article.article_id}:{article.content_hash}")

    # A lock not won within its wait is contention, not a bad message.
    def warm_up() -> None:
        featurize("Council approves budget", WARM_UP_TEXT, None)
        with_background(CorpusStats(0, {}), config)  # reads the general-English word list (about 1 s)

    return Stage("dedup", names.clean, CleanArticle, handle, retryable=(LockError,), warm_up=warm_up)


SERVICE = ServiceDefinition(
    "dedup",
    lambda names: names.clean,
    build_stage,
    input_contract=CleanArticle,
    outputs=(
        (lambda names: names.assigned, StoryAssignment),
        (lambda names: names.stories, StoryUpdate),
    ),
    http_port=8002,
)


def create_app(settings: Settings | None = None) -> FastStream:
    """Dedup as a FastStream app (``faststream run storywire.services.dedup.app:create_app --factory``)."""
    return Worker(settings or Settings(), [SERVICE]).app
