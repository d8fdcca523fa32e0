"""The pipeline in one process: cleaner -> dedup -> summarizer, no Redis.

Each stage runs its service's own domain code, on the in-memory twin of the state its worker keeps
in Redis: the outlet memory (:class:`MemoryBoilerplate`), the story index
(:class:`InMemoryStoryIndex`) and the story digests (:class:`MemoryDigestStore`). The offline verbs
(``storywire clean|dedup|summarize``) and the quality harnesses (the checkout's ``evaluation/``)
run the pipeline through this class, one article at a time in input order.
"""

from __future__ import annotations

import asyncio
import time
from types import TracebackType
from typing import Self

from storywire.contracts import (
    ArticleSummary,
    CleanArticle,
    RawArticle,
    StoryAssignment,
    StorySummary,
    StoryUpdate,
)
from storywire.services.cleaner.cleaning import Rejection, clean_with_memory
from storywire.services.cleaner.outlet_boilerplate import MemoryBoilerplate
from storywire.services.dedup.assigning import AssignmentResult, assign, features_of
from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG, ClusterConfig, configured
from storywire.services.dedup.features import ArticleFeatures
from storywire.services.dedup.memory_index import InMemoryStoryIndex
from storywire.services.runtime.settings import Settings
from storywire.services.summarizer.digest_store import MemoryDigestStore, Recorded, record_summary
from storywire.services.summarizer.digests import StoryDigests
from storywire.services.summarizer.summarizing import summarize_article, summarize_story


class OfflinePipeline:
    """The three stages in this process, on fresh in-memory state; close it (or use it as a context manager).

    Synchronous: it runs the stages' async code on an event loop of its own, so it is called from
    plain code, never from inside a running loop.
    """

    def __init__(self, config: ClusterConfig = DEFAULT_CLUSTER_CONFIG) -> None:
        self.config = config
        self.boilerplate = MemoryBoilerplate()
        self.index = InMemoryStoryIndex(config)
        self.digests = MemoryDigestStore()
        # Each story's digests as of its latest change, in order of first appearance.
        self._stories: dict[str, StoryDigests] = {}
        # The in-memory twins share the workers' async interfaces; one loop runs them all.
        self._runner = asyncio.Runner()

    @classmethod
    def from_settings(cls, settings: Settings) -> OfflinePipeline:
        """With the operator's story window and horizon, as the dedup worker has them."""
        return cls(configured(settings.story_window_days, settings.story_horizon_days))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the event loop the stages ran on."""
        self._runner.close()

    def clean(self, raw: RawArticle) -> CleanArticle | Rejection:
        """The cleaner: the page cleaned, then the lines its outlet repeats removed (and learned from)."""
        return self._runner.run(clean_with_memory(raw, self.boilerplate))

    def assign(
        self, article: CleanArticle, *, features: ArticleFeatures | None = None, now: float | None = None
    ) -> AssignmentResult:
        """Dedup: the article placed in a story of the index.

        ``features`` are the article's own when not given; ``now`` is the ingest clock (default: the
        wall clock), which expires stories past the horizon.
        """
        found = features_of(article) if features is None else features
        return self._runner.run(assign(article, found, self.index, config=self.config, now=now))

    def summarize(self, assignment: StoryAssignment, *, record: bool = True) -> ArticleSummary:
        """The summarizer: the article's summary, its digest recorded in its story (unless ``record`` is
        false), and the summary reported in the story the digest landed in, as the worker does."""
        summary = summarize_article(assignment)
        if not record:
            return summary
        recorded = self._runner.run(record_summary(self.digests, assignment, summary, time.time()))
        self._keep(assignment, recorded)
        return recorded.summary

    def _keep(self, assignment: StoryAssignment, recorded: Recorded) -> None:
        for gone in assignment.absorbed_story_ids:
            self._stories.pop(gone, None)
        for source_id, source in recorded.left.items():
            if source is None:
                self._stories.pop(source_id, None)
            else:
                self._stories[source_id] = source
        self._stories[recorded.story.story_id] = recorded.story

    def story_of(self, article_id: str) -> str | None:
        """The story an article is in now: a one-article story may have been folded into another since,
        or the article moved to another story."""
        record = self._runner.run(self.index.article(article_id))
        return None if record is None else record.story_id

    def story(self, story_id: str) -> StoryUpdate | None:
        """The current state of a story, as dedup publishes it (None once folded into another or expired)."""
        return self._runner.run(self.index.story_update(story_id))

    def story_summaries(self, *, min_articles: int = 2) -> list[StorySummary]:
        """A summary of every story of ``min_articles`` or more whose articles were summarised and
        recorded, as it stands, in order of first appearance."""
        return [summarize_story(story) for story in self._stories.values() if len(story.article_ids) >= min_articles]
