"""The pipeline in one process: the offline verbs' and the harnesses' one composition of the stages."""

from __future__ import annotations

from storywire.contracts import RawArticle
from storywire.services.cleaner.cleaning import Rejection
from storywire.services.pipeline import OfflinePipeline
from tests.unit.test_clustering import FOLD_ORDER, quake_report


def test_the_pipeline_tells_the_story_a_folded_article_ended_in() -> None:
    with OfflinePipeline() as pipeline:
        first, folded, absorbing = (pipeline.assign(quake_report(k), now=1000.0 + i) for i, k in enumerate(FOLD_ORDER))
        assert absorbing.assignment.absorbed_story_ids == (folded.assignment.story_id,)
        assert pipeline.story_of(folded.assignment.article_id) == first.assignment.story_id
        assert pipeline.story_of("never-seen") is None


def test_a_summary_that_arrives_after_its_story_was_folded_is_reported_in_the_story_it_joined() -> None:
    # The same domain function as the summarizer worker's (record_summary): the digest store
    # forwards the late digest, and the summary says where it landed.
    with OfflinePipeline() as pipeline:
        first, folded, absorbing = (
            pipeline.assign(quake_report(k), now=1000.0 + i).assignment for i, k in enumerate(FOLD_ORDER)
        )
        pipeline.summarize(first)
        pipeline.summarize(absorbing)
        late = pipeline.summarize(folded)
        assert folded.is_new_story and folded.story_id != first.story_id
        assert (late.story_id, late.is_new_story) == (first.story_id, False)
        (story,) = pipeline.story_summaries()
        assert story.story_id == first.story_id
        assert set(story.article_ids) == {first.article_id, folded.article_id, absorbing.article_id}


def test_a_summary_not_recorded_leaves_no_story_behind() -> None:
    with OfflinePipeline() as pipeline:
        assignments = [pipeline.assign(quake_report(k)).assignment for k in FOLD_ORDER]
        summaries = [pipeline.summarize(a, record=False) for a in assignments]
        assert [s.story_id for s in summaries] == [a.story_id for a in assignments]
        assert pipeline.story_summaries() == []


def test_the_pipeline_cleans_with_the_cleaners_rejections() -> None:
    with OfflinePipeline() as pipeline:
        rejected = pipeline.clean(
            RawArticle(article_id="empty", content="<html><body></body></html>", content_type="text/html")
        )
        assert isinstance(rejected, Rejection) and rejected.kind == "NoArticleText"
