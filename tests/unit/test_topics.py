"""Topics above stories: the decision, and the topic carried by the index, the messages and the summaries."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from storywire.contracts import CleanArticle
from storywire.services.dedup.assigning import assign, features_of
from storywire.services.dedup.clustering import CorpusStats, StoryState, new_story
from storywire.services.dedup.features import featurize
from storywire.services.dedup.memory_index import InMemoryStoryIndex
from storywire.services.dedup.topics import TOPIC_THRESHOLD, nearest_topic, topic_for
from storywire.services.pipeline import OfflinePipeline
from storywire.services.summarizer.digest_store import MemoryDigestStore
from storywire.services.summarizer.digests import ArticleDigest
from tests.unit.test_clustering import QUAKE_A, QUAKE_B, UNRELATED, quake_b_report, quake_report

STATS = CorpusStats(10, {})


def _story(story_id: str, title: str, text: str, topic_id: str = "") -> StoryState:
    return replace(new_story(story_id, f"{story_id}-0", featurize(title, text, None), STATS, 0.0), topic_id=topic_id)


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
    assert topic_for("peru", None, peru.terms, [bank, iran], STATS.idf) == "quakes"


def test_a_new_story_unlike_every_candidate_starts_a_topic_named_after_itself() -> None:
    bank = _story("bank", *UNRELATED[0], topic_id="banks")
    phone = featurize(*UNRELATED[2], None)
    assert topic_for("phone", None, phone.terms, [bank], STATS.idf) == "phone"
    assert topic_for("phone", None, phone.terms, [], STATS.idf) == "phone"


def test_a_story_keeps_its_topic_whatever_the_joining_article_resembles() -> None:
    iran = _story("iran", *QUAKE_A[0], topic_id="quakes")
    bank = _story("bank", *UNRELATED[0], topic_id="banks")
    arriving = featurize(*UNRELATED[0], None)
    assert topic_for("iran", iran, arriving.terms, [bank], STATS.idf) == "quakes"


def test_a_story_stored_before_topics_existed_is_a_topic_of_its_own() -> None:
    older = _story("iran", *QUAKE_A[0])
    assert older.topic_id == ""
    assert topic_for("iran", older, {}, [], STATS.idf) == "iran"
    peru = featurize(*QUAKE_B[0], None)
    assert topic_for("peru", None, peru.terms, [older], STATS.idf) == "iran"


def test_shared_names_and_figures_alone_make_no_topic() -> None:
    # Names and numbers tell sibling events apart; a topic is what their words share.
    candidate = replace(_story("s", "x", "x"), centroid={"e:kermanshah": 1.0, "n:12": 1.0}, topic_id="t")
    assert topic_for("new", None, {"e:kermanshah": 1.0, "n:12": 1.0}, [candidate], STATS.idf) == "new"


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
        assert (await store.add("grown", digest("d"), topic_id="other")).topic_id == "quakes"

    asyncio.run(scenario())
