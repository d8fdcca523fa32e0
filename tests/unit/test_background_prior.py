"""The general-English prior on the story index's document frequencies."""

from __future__ import annotations

from dataclasses import replace

from storywire.services.dedup.background import english_prior
from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG, ClusterConfig, CorpusStats, with_background
from storywire.services.dedup.features import featurize
from storywire.services.pipeline import OfflinePipeline
from storywire.services.text.stemming import stem_inflections
from tests.unit.story_stream import arrive
from tests.unit.test_clustering import QUAKE_A

PRIOR = english_prior(DEFAULT_CLUSTER_CONFIG.background_documents)


def test_in_a_young_stream_common_words_weigh_less_than_rare_names() -> None:
    young = CorpusStats(documents=2, df={})
    assert young.idf("w:people") == young.idf("w:kermanshah")
    primed = with_background(young, DEFAULT_CLUSTER_CONFIG)
    assert primed.idf("w:people") < primed.idf("w:kermanshah") - 1.0
    assert primed.idf("w:kermanshah") == primed.idf("e:krmnshh")  # unknown to the prior: the maximum


def test_the_prior_knows_stemmed_words_and_not_entity_keys_or_stopwords() -> None:
    assert PRIOR.share("w:earthquake") > 0.0 and PRIOR.share("w:people") > PRIOR.share("w:earthquake")
    assert PRIOR.share("w:the") == 0.0 and PRIOR.share("e:pl") == 0.0 and PRIOR.share("n:2013") == 0.0


def test_a_grown_stream_outweighs_the_prior() -> None:
    # "people" in 40 % of a large stream's articles, whatever general English says.
    stream = CorpusStats(documents=100_000, df={"w:people": 40_000})
    primed = with_background(stream, DEFAULT_CLUSTER_CONFIG)
    assert abs(primed.idf("w:people") - stream.idf("w:people")) < 0.01


def test_a_disabled_prior_leaves_the_stream_counts_alone() -> None:
    stats = CorpusStats(documents=2, df={})
    assert with_background(stats, replace(DEFAULT_CLUSTER_CONFIG, background_documents=0.0)) is stats


def test_two_reports_of_one_event_meet_in_a_young_stream_only_with_the_prior() -> None:
    def second_is_new(config: ClusterConfig) -> bool:
        with OfflinePipeline(config) as pipeline:
            arrive(pipeline, "a", featurize(*QUAKE_A[2], None), 0.0, copies=False)
            return arrive(pipeline, "b", featurize(*QUAKE_A[1], None), 1.0, copies=False).is_new_story

    assert not second_is_new(DEFAULT_CLUSTER_CONFIG)
    # Without it every term of a two-article stream is equally rare and the pair falls short.
    assert second_is_new(replace(DEFAULT_CLUSTER_CONFIG, background_documents=0.0))


def test_loading_the_prior_leaves_the_stem_cache_to_the_stream() -> None:
    stem_inflections.cache_clear()
    stem_inflections("officials")
    english_prior.__wrapped__(DEFAULT_CLUSTER_CONFIG.background_documents)
    assert stem_inflections.cache_info().currsize == 1
