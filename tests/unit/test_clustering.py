"""Tests for streaming story clustering, its pure decision functions and the evaluation metrics."""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from evaluation.stories import bcubed, pairwise
from evaluation.story_set import split_of
from storywire.contracts import CleanArticle, StoryAssignment
from storywire.services.dedup.assigning import AsyncStoryIndex, assign, features_of
from storywire.services.dedup.clustering import (
    DEFAULT_CLUSTER_CONFIG,
    ClusterConfig,
    CorpusStats,
    StoryState,
    configured,
    decide,
    new_story,
    updated_story,
)
from storywire.services.dedup.features import ArticleFeatures, featurize
from storywire.services.dedup.memory_index import InMemoryStoryIndex
from storywire.services.dedup.moves import absorb, take_members, without_member
from storywire.services.dedup.near_duplicates import EMPTY_SIGNATURE
from storywire.services.pipeline import OfflinePipeline
from tests.unit.story_stream import arrive

SEEDS = Path(__file__).parents[2] / "seeds"

QUAKE_A = [
    (
        "Strong earthquake kills 12 in western Iran",
        "A magnitude 6.1 earthquake struck near Kermanshah in western Iran on Monday, killing at least "
        "12 people and injuring 300, the Iranian Red Crescent said.\nThe quake hit villages around "
        "Sarpol-e Zahab, where mud-brick homes collapsed. Rescue teams from Tehran were sent to Kermanshah.",
    ),
    (
        "Iran quake death toll rises to 12",
        "Rescuers in Kermanshah province searched collapsed homes after Monday's magnitude 6.1 earthquake "
        "near Sarpol-e Zahab killed 12 people.\nIran's Red Crescent said 300 people were hurt and tents "
        "were sent from Tehran. Kermanshah officials said aftershocks continued.",
    ),
    (
        "Earthquake in Kermanshah leaves 12 dead",
        "Twelve people died when a 6.1 magnitude quake shook Kermanshah, Iran, on Monday.\nThe Red "
        "Crescent counted 300 injured around Sarpol-e Zahab and asked Tehran for more rescue teams.",
    ),
]
# A follow-up that shares too little with any one report of QUAKE_A to make a pair with it,
# yet fits their story once it has two members.
QUAKE_A_FOLLOW_UP = (
    "Aftershocks rattle western Iran",
    "Aftershocks shook Kermanshah province on Tuesday as families slept outside in tents. "
    "Officials said schools stayed closed.",
)
QUAKE_B = [
    (
        "Powerful earthquake rocks southern Peru",
        "A magnitude 7.0 earthquake struck off the coast of Arequipa in southern Peru on Thursday, "
        "damaging churches and killing two people, Peru's geophysics institute said.\nPresident Castillo "
        "flew to Arequipa. Landslides blocked roads near Chala and Acari.",
    ),
    (
        "Peru quake damages Arequipa churches",
        "Thursday's magnitude 7.0 quake off Arequipa killed two people and cracked colonial churches, "
        "Peru's government said.\nLandslides cut the highway near Chala, and Castillo promised aid to "
        "Acari and other towns in the south of Peru.",
    ),
    (
        "Two dead as 7.0 earthquake hits Peru coast",
        "Two people were killed when a 7.0 magnitude earthquake hit the Arequipa coast of Peru on Thursday."
        "\nRoads to Chala and Acari were blocked by landslides, and Castillo visited Arequipa.",
    ),
]


#: Reports of :func:`quake_report` in an order where the second starts a story of its own and the
#: third folds it in.
FOLD_ORDER = (2, 3, 1)


def _report(article_id: str, outlet: str, title: str, text: str) -> CleanArticle:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return CleanArticle(
        article_id=article_id,
        outlet=outlet,
        title=title,
        text=text,
        word_count=len(text.split()),
        content_hash=digest,
        source_hash=digest,
    )


def quake_report(k: int, prefix: str = "quake") -> CleanArticle:
    """The ``k``-th report of QUAKE_A (3: the follow-up) as a clean article from its own outlet.

    See :data:`FOLD_ORDER`.
    """
    return _report(f"{prefix}-{k}", f"outlet-{k}.example", *[*QUAKE_A, QUAKE_A_FOLLOW_UP][k])


async def assign_quake_reports(index: AsyncStoryIndex, prefix: str) -> list[StoryAssignment]:
    """Assign :func:`quake_report` in :data:`FOLD_ORDER`: the third folds the second's story in."""
    out = []
    for i, k in enumerate(FOLD_ORDER):
        article = quake_report(k, prefix)
        out.append((await assign(article, features_of(article), index, now=1000.0 + i)).assignment)
    return out


def quake_b_report(k: int, prefix: str = "quake") -> CleanArticle:
    """The ``k``-th report of QUAKE_B as a clean article from its own outlet."""
    return _report(f"{prefix}-peru-{k}", f"peru-{k}.example", *QUAKE_B[k])


async def assign_with_an_early_mistake(index: AsyncStoryIndex, prefix: str) -> list[StoryAssignment]:
    """A Peru report, then the Iran reports forced into its story (a mistake made early, on little
    evidence), then a second Peru report that starts the Peru story: it takes the first one over,
    and the story it left goes on with the Iran reports and the first of their headlines."""
    forced = replace(DEFAULT_CLUSTER_CONFIG, join_threshold=-10.0, nearest_member=0.0)
    apart = replace(DEFAULT_CLUSTER_CONFIG, join_threshold=0.5)
    arrivals = [
        (quake_b_report(0, prefix), DEFAULT_CLUSTER_CONFIG),
        *((quake_report(k, prefix), forced) for k in range(3)),
        (quake_b_report(1, prefix), apart),
    ]
    out = []
    for i, (article, config) in enumerate(arrivals):
        out.append((await assign(article, features_of(article), index, config=config, now=1000.0 + i)).assignment)
    return out


async def assert_the_early_mistake_is_mended(
    index: AsyncStoryIndex, prefix: str, assignments: list[StoryAssignment]
) -> tuple[str, str]:
    """Check what :func:`assign_with_an_early_mistake` leaves in ``index``: the first Peru report moved
    to the Peru story, the story it left headed by the first Iran report. Returns (left, Peru) story ids."""
    first, *iran, peru = assignments
    source = first.story_id
    assert {a.story_id for a in iran} == {source} and peru.is_new_story
    assert [(m.article_id, m.from_story_id) for m in peru.moved_articles] == [(f"{prefix}-peru-0", source)]
    record = await index.article(f"{prefix}-peru-0")
    assert record is not None and record.story_id == peru.story_id
    left, grown = await index.story_update(source), await index.story_update(peru.story_id)
    assert left is not None and [a.article_id for a in left.articles] == [f"{prefix}-{k}" for k in range(3)]
    assert left.headline == iran[0].article.title
    assert grown is not None and [a.article_id for a in grown.articles] == [f"{prefix}-peru-0", f"{prefix}-peru-1"]
    return source, peru.story_id


UNRELATED = [
    ("Central bank holds rates", "The European Central Bank kept interest rates unchanged on Thursday."),
    ("Local team wins cup final", "United beat City 2-1 in the cup final at Wembley on Saturday."),
    ("New phone unveiled", "Apple unveiled a new iPhone with a faster chip in Cupertino on Tuesday."),
]


def _cluster(
    articles: list[tuple[str, str]],
    dates: list[datetime | None] | None = None,
    config: ClusterConfig | None = None,
) -> list[str]:
    dates = dates or [None] * len(articles)
    with OfflinePipeline(config or ClusterConfig()) as pipeline:
        return [
            arrive(pipeline, str(i), featurize(title, text, date), now=float(i)).story_id
            for i, ((title, text), date) in enumerate(zip(articles, dates, strict=True))
        ]


def _clean_seed(raw: str) -> str:
    """Drop the boilerplate the cleaner removes upstream: short lines, ads, donation and login prompts."""
    noise = re.compile(r"Independent|support|donation|ADVERTISEMENT|Notifications|refresh|forum", re.I)
    lines = [line for line in raw.splitlines() if len(line.split()) >= 8 and not noise.search(line)]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def seeds() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 2
    return [p.read_text(encoding="utf-8") for p in paths]


@pytest.mark.parametrize("clean", [False, True], ids=["raw", "cleaned"])
def test_seed_articles_from_two_outlets_end_up_in_one_story(seeds: list[str], clean: bool) -> None:
    texts = [_clean_seed(t) if clean else t for t in seeds]
    stories = _cluster([*UNRELATED, *QUAKE_A, *[(None, t) for t in texts]])  # type: ignore[list-item]
    assert stories[-1] == stories[-2]
    assert stories[-1] not in stories[:-2]


def test_seed_articles_share_a_story_on_an_empty_index(seeds: list[str]) -> None:
    assert len(set(_cluster([(None, t) for t in seeds]))) == 1  # type: ignore[misc]


def test_independent_reports_of_one_event_share_a_story() -> None:
    stories = _cluster(QUAKE_A)
    assert len(set(stories)) == 1


def test_sibling_earthquakes_stay_in_separate_stories() -> None:
    interleaved = [QUAKE_A[0], QUAKE_B[0], QUAKE_A[1], QUAKE_B[1], QUAKE_A[2], QUAKE_B[2]]
    stories = _cluster(interleaved)
    assert len({stories[0], stories[2], stories[4]}) == 1
    assert len({stories[1], stories[3], stories[5]}) == 1
    assert stories[0] != stories[1]


def test_unrelated_articles_start_new_stories() -> None:
    stories = _cluster(UNRELATED)
    assert len(set(stories)) == len(UNRELATED)


def test_dated_article_outside_the_time_window_starts_a_new_story() -> None:
    day = datetime(2024, 3, 1, tzinfo=UTC)
    config = ClusterConfig(time_window=2 * 86400.0)
    dates: list[datetime | None] = [day, day + timedelta(hours=5), day + timedelta(days=30)]
    stories = _cluster(QUAKE_A, dates, config)
    assert stories[0] == stories[1]
    assert stories[2] != stories[0]
    # Without dates the same texts join: the window only applies when both sides are dated.
    assert len(set(_cluster(QUAKE_A, None, config))) == 1


def test_expired_stories_leave_the_candidate_index() -> None:
    config = ClusterConfig(horizon=100.0)
    with OfflinePipeline(config) as pipeline:
        first = arrive(pipeline, "a", featurize(*QUAKE_A[0], None), now=0.0)
        later = arrive(pipeline, "b", featurize(*QUAKE_A[1], None), now=1000.0)
    assert later.story_id != first.story_id
    assert later.is_new_story


def test_near_verbatim_copy_joins_the_story_of_its_original() -> None:
    with OfflinePipeline() as pipeline:
        for i, (title, text) in enumerate(UNRELATED + QUAKE_B):
            arrive(pipeline, f"x{i}", featurize(title, text, None), now=float(i))
        original = arrive(pipeline, "orig", featurize(*QUAKE_A[0], None), now=10.0)
        copy_text = "Subscribe to our newsletter\n" + QUAKE_A[0][1] + "\nShare this article"
        copy = arrive(pipeline, "copy", featurize("Iran: quake kills 12", copy_text, None), now=11.0)
    assert copy.duplicate_of == "orig"
    assert copy.story_id == original.story_id
    assert original.duplicate_of is None


def test_story_state_stays_bounded_as_members_accumulate() -> None:
    config = ClusterConfig(centroid_terms=20, member_terms=5, max_members=4)
    stats = CorpusStats(10, {})
    features = [featurize(title, text, None) for title, text in QUAKE_A * 4]
    story = new_story("s", "a0", features[0], stats, 0.0, config)
    for i, f in enumerate(features[1:], start=1):
        story = updated_story(story, f"a{i}", f, stats, float(i), config)
    assert story.size == len(features)
    assert len(story.centroid) <= 20
    assert len(story.members) == 4
    assert all(len(m.terms) <= 5 for m in story.members)
    # The founding members are kept, the rest are the latest.
    assert [m.article_id for m in story.members] == ["a0", "a1", "a10", "a11"]


def test_decide_is_pure_and_rejects_weak_candidates() -> None:
    stats = CorpusStats(5, {"w:earthquake": 2})
    story = new_story("s1", "a", featurize(*QUAKE_A[0], None), stats, 0.0)
    before = replace(story)
    same = decide(featurize(*QUAKE_A[1], None), [story], stats)
    other = decide(featurize(*UNRELATED[0], None), [story], stats)
    assert same.story_id == "s1"
    assert other.story_id is None
    assert story == before


def _terms(*words: str) -> ArticleFeatures:
    return ArticleFeatures(
        terms=dict.fromkeys(words, 1.0), entities=frozenset(), signature=EMPTY_SIGNATURE, published_at=None
    )


def test_an_article_near_a_storys_drifted_centroid_but_near_none_of_its_articles_does_not_join() -> None:
    # Eight articles, each of its own event, share nothing but one word each with the arriving article:
    # the article reaches the join threshold against their centroid (0.28), and none of them (0.10).
    stats = CorpusStats(1000, {})
    members = [_terms(f"w:topic{i}", *(f"w:event{i}x{k}" for k in range(12))) for i in range(8)]
    story = new_story("topic", "a0", members[0], stats, 0.0)
    for i, features in enumerate(members[1:], start=1):
        story = updated_story(story, f"a{i}", features, stats, float(i))
    arriving = _terms(*(f"w:topic{i}" for i in range(8)))
    gate_off = replace(DEFAULT_CLUSTER_CONFIG, nearest_member=0.0)
    assert decide(arriving, [story], stats, gate_off).story_id == "topic"
    assert decide(arriving, [story], stats).story_id is None
    # One member it resembles is enough.
    close = updated_story(story, "a8", _terms("w:topic0", "w:topic1", "w:topic2"), stats, 8.0)
    assert decide(arriving, [close], stats).story_id == "topic"


def test_bcubed_and_pairwise_scores_match_hand_computed_values() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    predicted = {"a": "1", "b": "1", "c": "1", "d": "2"}
    p, r, f = bcubed(gold, predicted)
    assert p == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert r == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert f == pytest.approx(2 * p * r / (p + r))
    pp, pr, _ = pairwise(gold, predicted)
    assert pp == pytest.approx(1 / 3)
    assert pr == pytest.approx(1 / 2)


def test_topics_split_deterministically_into_tune_and_holdout() -> None:
    assert split_of("1") == "tune"
    assert split_of("2") == "holdout"
    assert split_of("abc") == split_of("abc")


REHAB_2008 = (
    "Tara Reid checks into rehab",
    "Actress Tara Reid checked herself into the Promises Treatment Center in Malibu on Tuesday, her "
    "publicist Jack Ketsoyan told People magazine.\nKetsoyan would not say what Reid was being treated for.",
)
REHAB_2013 = (
    "Lindsay Lohan checks into rehab",
    "May 3, 2013\nActress Lindsay Lohan checked herself into the Betty Ford Center in Rancho Mirage on "
    "Thursday to begin a court-ordered stay, her lawyer Mark Heller told People magazine.\nHeller would not "
    "say how long Lohan would be treated.",
)


def test_sibling_event_with_other_participant_and_year_is_penalised() -> None:
    stats = CorpusStats(10, {})
    story = new_story("s", "a", featurize(*REHAB_2008, None), stats, 0.0)
    story = updated_story(story, "b", featurize(*REHAB_2008, None), stats, 1.0)
    decision = decide(featurize(*REHAB_2013, None), [story], stats)
    ev = decision.evidence["s"]
    assert ev.novel_entities > 0.3  # Lohan, Betty Ford, Heller are new to the story
    assert ev.year_novel == 1.0  # leads with 2013, which the story never mentions
    assert ev.score(ClusterConfig()) < ev.centroid + ClusterConfig().weight_numbers * ev.numbers
    assert decision.story_id is None


def test_conflict_penalties_do_not_apply_to_very_similar_articles() -> None:
    config = ClusterConfig()
    stats = CorpusStats(10, {})
    story = new_story("s", "a", featurize(*QUAKE_A[0], None), stats, 0.0)
    ev = decide(featurize(*QUAKE_A[0], None), [story], stats).evidence["s"]
    assert ev.centroid >= config.conflict_free_cosine
    assert ev.penalty(config) == 0.0


def test_story_state_round_trips_through_json_and_counts_lead_details() -> None:
    from storywire.services.dedup.redis_index import story_from_json, story_json

    stats = CorpusStats(10, {})
    story = new_story("s", "a", featurize(*REHAB_2013, None), stats, 0.0)
    story = updated_story(story, "b", featurize(*REHAB_2013, None), stats, 1.0)
    assert story.years == {"2013": 2}
    assert len(story.lead_entities) <= ClusterConfig().lead_entity_cap
    assert len(story.members) == 2
    assert story_from_json(story_json(story)) == story


def test_a_story_state_stored_by_an_earlier_version_reads_back_without_its_old_fields() -> None:
    # States written before the cohesion threshold was deleted kept join counts: still readable.
    import orjson

    from storywire.services.dedup.redis_index import story_from_json, story_json

    story = new_story("s", "a", featurize(*QUAKE_A[0], None), CorpusStats(10, {}), 0.0)
    stored = {**orjson.loads(story_json(story)), "joins": 3, "join_cosines": 1.2}
    assert story_from_json(orjson.dumps(stored)) == story


def test_the_operators_window_and_horizon_reach_the_decision() -> None:
    config = configured(window_days=3, horizon_days=1)
    assert config.time_window == 3 * 86400.0 and config.horizon == 86400.0
    assert replace(config, time_window=DEFAULT_CLUSTER_CONFIG.time_window, horizon=DEFAULT_CLUSTER_CONFIG.horizon) == (
        DEFAULT_CLUSTER_CONFIG
    )


def test_an_article_that_started_its_own_story_is_folded_in_once_the_story_grows() -> None:
    reports = [quake_report(k) for k in FOLD_ORDER]
    with OfflinePipeline() as pipeline:
        arrived = [arrive(pipeline, r.article_id, features_of(r), i, copies=False) for i, r in enumerate(reports)]
        assert [a.is_new_story for a in arrived] == [True, True, False]
        assert {pipeline.story_of(r.article_id) for r in reports} == {arrived[0].story_id}
        update = pipeline.story(arrived[0].story_id)
        assert update is not None
        assert [a.article_id for a in update.articles] == [r.article_id for r in reports]
        assert pipeline.story(arrived[1].story_id) is None


def test_only_one_article_stories_that_fit_the_grown_story_are_folded() -> None:
    stats = CorpusStats(10, {})
    grown = new_story("s", "a0", featurize(*QUAKE_A[0], None), stats, 0.0)
    grown = updated_story(grown, "a1", featurize(*QUAKE_A[1], None), stats, 1.0)
    fitting = new_story("t", "a2", featurize(*QUAKE_A[2], None), stats, 2.0)
    unrelated = new_story("u", "u0", featurize(*UNRELATED[0], None), stats, 3.0)
    pair = updated_story(
        new_story("v", "a3", featurize(*QUAKE_A[2], None), stats, 4.0), "a4", featurize(*QUAKE_A[2], None), stats, 5.0
    )
    story, folded = absorb(grown, [grown, fitting, unrelated, pair], stats, 6.0)
    assert [f.story_id for f in folded] == ["t"]
    assert story.size == 3 and story.founder == "a0"
    assert absorb(grown, [fitting], stats, 6.0, replace(DEFAULT_CLUSTER_CONFIG, absorb_threshold=0.0)) == (grown, [])


def _mixed_story(stats: CorpusStats) -> StoryState:
    story = new_story("iran", "a0", featurize(*QUAKE_A[0], None), stats, 0.0)
    for k in (1, 2):
        story = updated_story(story, f"a{k}", featurize(*QUAKE_A[k], None), stats, float(k))
    return updated_story(story, "b0", featurize(*QUAKE_B[0], None), stats, 3.0)


def test_an_article_in_another_events_story_moves_to_its_own_story_and_the_rest_stay() -> None:
    stats = CorpusStats(10, {})
    mixed = _mixed_story(stats)
    arriving = featurize(*QUAKE_B[1], None)
    peru = new_story("peru", "b1", arriving, stats, 4.0)
    scored = decide(arriving, [mixed], stats).evidence
    story, moved = take_members(peru, [mixed], scored, stats, 4.0)
    assert [(source.story_id, member.article_id) for source, member in moved] == [("iran", "b0")]
    assert story.size == 2 and [m.article_id for m in story.members] == ["b1", "b0"]
    left = moved[0][0]
    assert left.size == 3 and [m.article_id for m in left.members] == ["a0", "a1", "a2"]
    assert left == without_member(mixed, mixed.members[3])
    off = replace(DEFAULT_CLUSTER_CONFIG, max_members=0)
    assert take_members(peru, [mixed], scored, stats, 4.0, off) == (peru, [])


def test_taking_a_member_out_removes_its_terms_names_and_years() -> None:
    stats = CorpusStats(10, {})
    pair = new_story("s", "a0", featurize(*QUAKE_A[0], None), stats, 0.0)
    pair = updated_story(pair, "b0", featurize(*QUAKE_B[0], None), stats, 1.0)
    peru = pair.members[1]
    assert "w:arequipa" in pair.centroid and peru.lead_entities
    left = without_member(pair, peru)
    assert left.size == 1 and left.founder == "a0"
    assert "w:arequipa" not in left.centroid
    assert not set(peru.lead_entities) - set(pair.lead_entities)  # all were counted ...
    assert all(left.lead_entities.get(k, 0) == pair.lead_entities[k] - 1 for k in peru.lead_entities)  # ... once


def test_an_article_that_joined_another_events_story_moves_to_its_own_story_once_it_exists() -> None:
    async def scenario() -> None:
        index = InMemoryStoryIndex()
        assignments = await assign_with_an_early_mistake(index, "q")
        assert assignments[1].article.title == QUAKE_A[0][0]
        _source, peru = await assert_the_early_mistake_is_mended(index, "q", assignments)
        third = quake_b_report(2, "q")
        result = await assign(third, features_of(third), index, now=2000.0)
        assert result.assignment.story_id == peru

    asyncio.run(scenario())


async def _assign_into_a_mixed_story(last: CleanArticle, config: ClusterConfig) -> list[StoryAssignment]:
    """Two Iran reports, a Peru report forced into their story, then ``last`` under ``config``."""
    index = InMemoryStoryIndex()
    forced = replace(DEFAULT_CLUSTER_CONFIG, join_threshold=-10.0, nearest_member=0.0)
    arrivals = [(quake_report(0), DEFAULT_CLUSTER_CONFIG), (quake_report(1), DEFAULT_CLUSTER_CONFIG)]
    arrivals += [(quake_b_report(0), forced), (last, config)]
    return [
        (await assign(article, features_of(article), index, config=config, now=float(i))).assignment
        for i, (article, config) in enumerate(arrivals)
    ]


def test_an_article_drawn_into_a_story_by_another_events_article_starts_its_own_story_with_it() -> None:
    *_, drawn = asyncio.run(_assign_into_a_mixed_story(quake_b_report(1), DEFAULT_CLUSTER_CONFIG))
    assert drawn.is_new_story
    assert [m.article_id for m in drawn.moved_articles] == ["quake-peru-0"]
    off = replace(DEFAULT_CLUSTER_CONFIG, start_apart=False)
    *iran, joined = asyncio.run(_assign_into_a_mixed_story(quake_b_report(1), off))
    assert joined.story_id == iran[0].story_id


def test_an_article_of_the_mixed_storys_own_event_joins_it_and_its_majority_stays() -> None:
    first, *_, joined = asyncio.run(_assign_into_a_mixed_story(quake_report(2), DEFAULT_CLUSTER_CONFIG))
    assert joined.story_id == first.story_id and not joined.moved_articles
