"""Composition root of the cleaner: ``articles.raw`` -> ``articles.clean``."""

from __future__ import annotations

from faststream import FastStream

from storywire.contracts import CleanArticle, RawArticle
from storywire.services.cleaner.cleaning import Rejection, clean_article, without_outlet_boilerplate
from storywire.services.cleaner.outlet_boilerplate import RedisBoilerplate
from storywire.services.runtime.app import Worker
from storywire.services.runtime.outcomes import WARM_UP_TEXT, Emit, Handler, Outcome, Reject
from storywire.services.runtime.service import ServiceDefinition, WorkerContext
from storywire.services.runtime.settings import Settings


async def build_handler(context: WorkerContext) -> Handler[RawArticle]:
    """Clean each raw article, publish it to ``articles.clean``."""
    clean_stream = context.names.clean
    budget = context.settings.clean_time_budget_s

    memory = RedisBoilerplate(context.redis, context.names)

    async def handle(raw: RawArticle) -> Outcome:
        # The page is cleaned off the event loop; its own budget turns a slow page into a rejection.
        result = await context.compute(None, clean_article, raw, time_budget_s=budget)
        if isinstance(result, Rejection):
            return Reject(result.kind, result.reason)
        article = await without_outlet_boilerplate(result, memory)
        # Same id and same raw bytes: a re-publication, published only once.
        return Emit(((clean_stream, article),), idempotency_key=f"{raw.article_id}:{article.source_hash}")

    return handle


def warm_up(_settings: Settings) -> None:
    """Clean a tiny page and a tiny text once."""
    for content_type in ("text/html", "text/plain"):
        body = f"<html><body><p>{WARM_UP_TEXT}</p></body></html>" if content_type == "text/html" else WARM_UP_TEXT
        clean_article(RawArticle(article_id="warm-up", content=body, content_type=content_type))


SERVICE = ServiceDefinition(
    name="cleaner",
    input_stream=lambda names: names.raw,
    input_contract=RawArticle,
    build_handler=build_handler,
    outputs=((lambda names: names.clean, CleanArticle),),
    warm_up=warm_up,
    http_port=8001,
)


def create_app(settings: Settings | None = None) -> FastStream:
    """The cleaner as a FastStream app (``faststream run storywire.services.cleaner.app:create_app --factory``)."""
    return Worker(settings or Settings(), [SERVICE]).app
