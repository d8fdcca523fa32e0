"""Topics above stories: the decision, and the topic carried by the index, the messages and the summaries."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from storywire.contracts import CleanArticle
from storywire.services.dedup import topics
from storywire.services.dedup.assigning import assign, features_of
from storywire.services.dedup.clustering import CorpusStats, StoryState, new_story, updated_story
from storywire.services.dedup.features import ArticleFeatures, featurize
from storywire.services.dedup.memory_index import InMemoryStoryIndex
from storywire.services.dedup.topics import TOPIC_THRESHOLD, nearest_topic, topic_for
from storywire.services.pipeline import OfflinePipeline
from storywire.services.summarizer.digest_store import MemoryDigestStore
from storywire.services.summarizer.digests import ArticleDigest
from tests.unit.test_clustering import QUAKE_A, QUAKE_B, UNRELATED, quake_b_report, quake_report

STATS = CorpusStats(10, {})


def _story(story_id: str, title: str, text: str, topic_id: str = "") -> StoryState:
    return replace(new_story(story_id, f"{story_id}-0", featurize(title, text, None), STATS, 0.0), topic_id=topic_id)


def _started(story_id: str, features: ArticleFeatures) -> StoryState:
    return new_story(story_id, f"{story_id}-0", features, STATS, 0.0)


def _grown(story: StoryState, title: str, text: str) -> StoryState:
    return updated_story(story, f"{story.story_id}-{story.size}", featurize(title, text, None), STATS, 1.0)


def _unrelated(k: int) -> CleanArticle:
    title, text = UNRELATED[k]
    return CleanArticle(
        article_id=f"other-{k}",
        title=title,
        text=text,
        word_count=len(text.split()),
        content_hash=f"h{k}",
        source_hash="s",
    )


def test_a_new_story_takes_the_topic_of_its_nearest_candidate_when_it_is_similar_enough() -> None:
    iran = _story("iran", *QUAKE_A[0], topic_id="quakes")
    bank = _story("bank", *UNRELATED[0], topic_id="banks")
    peru = featurize(*QUAKE_B[0], None)
    nearest = nearest_topic(peru.terms, [bank, iran], STATS.idf)
    assert nearest is not None and nearest[0] == "quakes" and nearest[1] >= TOPIC_THRESHOLD
    assert topic_for(_started("peru", peru), None, peru.terms, [bank, iran], STATS.idf) == "quakes"


def test_a_new_story_unlike_every_candidate_starts_a_topic_named_after_itself() -> None:
    bank = _story("bank", *UNRELATED[0], topic_id="banks")
    phone = featurize(*UNRELATED[2], None)
    assert topic_for(_started("phone", phone), None, phone.terms, [bank], STATS.idf) == "phone"
    assert topic_for(_started("phone", phone), None, phone.terms, [], STATS.idf) == "phone"


def test_a_story_keeps_its_topic_whatever_the_joining_article_resembles() -> None:
    iran = _story("iran", *QUAKE_A[0], topic_id="quakes")
    bank = _story("bank", *UNRELATED[0], topic_id="banks")
    arriving = featurize(*UNRELATED[0], None)
    grown = updated_story(iran, "iran-1", arriving, STATS, 1.0)
    assert topic_for(grown, iran, arriving.terms, [bank], STATS.idf) == "quakes"


def test_a_story_stored_before_topics_existed_is_a_topic_of_its_own() -> None:
    older = _story("iran", *QUAKE_A[0])
    assert older.topic_id == ""
    assert topic_for(older, older, {}, [], STATS.idf) == "iran"
    peru = featurize(*QUAKE_B[0], None)
    assert topic_for(_started("peru", peru), None, peru.terms, [older], STATS.idf) == "iran"


def test_shared_names_and_figures_alone_make_no_topic() -> None:
    # Names and numbers tell sibling events apart; a topic is what their words share.
    candidate = replace(_story("s", "x", "x"), centroid={"e:kermanshah": 1.0, "n:12": 1.0}, topic_id="t")
    started = replace(_story("new", "x", "x"), centroid={"e:kermanshah": 1.0, "n:12": 1.0})
    assert topic_for(started, None, started.centroid, [candidate], STATS.idf) == "new"


def test_sibling_earthquakes_share_a_topic_and_keep_their_own_stories() -> None:
    async def scenario() -> None:
        index = InMemoryStoryIndex()
        arrivals = [quake_report(0), quake_b_report(0), quake_report(1), quake_b_report(1), _unrelated(1)]
        results = [await assign(a, features_of(a), index, now=1000.0 + i) for i, a in enumerate(arrivals)]
        iran, peru, iran_again, peru_again, cup = (r.assignment for r in results)
        assert iran.story_id != peru.story_id
        assert (iran_again.story_id, peru_again.story_id) == (iran.story_id, peru.story_id)
        assert iran.topic_id == iran.story_id  # the first story of its topic names it
        assert {a.topic_id for a in (peru, iran_again, peru_again)} == {iran.topic_id}
        assert cup.topic_id == cup.story_id != iran.topic_id
        updates = [r.story for r in results]
        assert [u.topic_id if u else None for u in updates] == [a.topic_id for a in (iran, peru, iran, peru, cup)]
        (state,) = await index.load_stories([peru.story_id])
        assert state.topic_id == iran.topic_id

    asyncio.run(scenario())


def test_the_pipeline_carries_a_storys_topic_to_its_story_summary() -> None:
    with OfflinePipeline() as pipeline:
        for i, article in enumerate([quake_report(0), quake_report(1), quake_b_report(0), quake_b_report(1)]):
            pipeline.summarize(pipeline.assign(article, now=1000.0 + i).assignment)
        summaries = pipeline.story_summaries()
    assert len(summaries) == 2
    assert len({s.story_id for s in summaries}) == 2
    assert {s.topic_id for s in summaries} == {summaries[0].story_id}


def test_a_digest_forwarded_to_another_story_does_not_give_it_its_topic() -> None:
    async def scenario() -> None:
        store = MemoryDigestStore()

        def digest(article_id: str) -> ArticleDigest:
            return ArticleDigest(article_id, "outlet", "headline", (), (), 1.0)

        await store.add("grown", digest("a"), topic_id="quakes")
        await store.add("grown", digest("b"), absorbed=("single",), topic_id="quakes")
        # A late assignment to the folded story lands in the story that folded it, which keeps its topic.
        late = await store.add("single", digest("c"), topic_id="single")
        assert (late.story_id, late.topic_id) == ("grown", "quakes")
        # An assignment to the story itself names its current topic (a young story may revisit it).
        assert (await store.add("grown", digest("d"), topic_id="other")).topic_id == "other"

    asyncio.run(scenario())


def test_a_young_story_of_its_own_topic_takes_the_topic_of_a_story_it_comes_close_to_as_it_grows() -> None:
    # Peru's first report was too far from Iran's story to join its topic; grown by two more
    # reports its centroid (words only) comes close enough.
    iran = _grown(_grown(_story("iran", *QUAKE_A[0], topic_id="quakes"), *QUAKE_A[1]), *QUAKE_A[2])
    bank = _story("bank", *UNRELATED[0], topic_id="banks")
    peru = _grown(_story("peru", *QUAKE_B[0], topic_id="peru"), *QUAKE_B[1])
    grown = _grown(peru, *QUAKE_B[2])
    nearest = nearest_topic(grown.centroid, [bank, iran], STATS.idf)
    assert nearest is not None and nearest[0] == "quakes" and nearest[1] >= topics.REVISIT_THRESHOLD
    arriving = featurize(*QUAKE_B[2], None).terms
    assert peru.size <= topics.YOUNG_STORY
    assert topic_for(grown, peru, arriving, [bank, iran, grown], STATS.idf) == "quakes"
    # Past its youth, or in a topic it took from another story, a story keeps its topic.
    old = replace(peru, size=topics.YOUNG_STORY + 1)
    assert topic_for(replace(grown, size=old.size + 1), old, arriving, [bank, iran], STATS.idf) == "peru"
    taken = replace(peru, topic_id="rescues")
    assert topic_for(grown, taken, arriving, [bank, iran], STATS.idf) == "rescues"


def test_a_young_story_that_comes_close_to_nothing_stays_a_topic_of_its_own() -> None:
    bank = _story("bank", *UNRELATED[0], topic_id="banks")
    peru = _story("peru", *QUAKE_B[0], topic_id="peru")
    assert topic_for(_grown(peru, *QUAKE_B[1]), peru, {}, [bank], STATS.idf) == "peru"


def test_a_revisited_topic_is_emitted_in_the_next_story_update_assignment_and_summary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No new story joins a topic when it starts, so Peru's story starts a topic of its own and
    # takes Iran's as it grows: consumers see its topic change once.
    monkeypatch.setattr(topics, "TOPIC_THRESHOLD", 1.01)
    arrivals = [quake_report(0), quake_report(1), quake_b_report(0), quake_b_report(1), quake_b_report(2)]
    with OfflinePipeline() as pipeline:
        results = []
        for i, article in enumerate(arrivals):
            results.append(pipeline.assign(article, now=1000.0 + i))
            pipeline.summarize(results[-1].assignment)
        summaries = {s.story_id: s for s in pipeline.story_summaries()}
    iran, peru = results[0].assignment, results[2].assignment
    assert iran.story_id != peru.story_id and peru.topic_id == peru.story_id
    last = results[-1]
    assert last.assignment.story_id == peru.story_id
    assert last.assignment.topic_id == iran.topic_id == iran.story_id
    assert last.story is not None and last.story.topic_id == iran.topic_id
    assert summaries[peru.story_id].topic_id == iran.topic_id
