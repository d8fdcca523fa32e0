"""Articles through the dedup stage one at a time, from features a test builds (no cleaner, no Redis)."""

from __future__ import annotations

from dataclasses import replace

from storywire.contracts import CleanArticle, StoryAssignment
from storywire.services.dedup.features import ArticleFeatures
from storywire.services.dedup.near_duplicates import EMPTY_SIGNATURE
from storywire.services.pipeline import OfflinePipeline


def arrive(
    pipeline: OfflinePipeline, article_id: str, features: ArticleFeatures, now: float, *, copies: bool = True
) -> StoryAssignment:
    """Place one article by its features; without ``copies`` it is not looked up as a near-verbatim copy
    (its MinHash signature is left out), so that only the story decision places it."""
    if not copies:
        features = replace(features, signature=EMPTY_SIGNATURE)
    article = CleanArticle(
        article_id=article_id, text=article_id, word_count=1, content_hash=article_id, source_hash=article_id
    )
    return pipeline.assign(article, features=features, now=now).assignment
