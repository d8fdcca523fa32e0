"""``storywire stats``' table says what Redis could not tell instead of printing a made-up number."""

from __future__ import annotations

from storywire.services.runtime.pipeline_stats import GroupStats, PipelineStats, StreamStats, format_table


def test_an_unknown_lag_shows_its_upper_bound_and_an_unknown_rate_a_dash() -> None:
    old_redis = StreamStats("articles.raw", 40, (GroupStats("cleaner", 2, 10, None, 30),))
    table = format_table(PipelineStats((old_redis,), {"cleaner": 0}, 3))
    assert "articles.raw                       40       -  cleaner: 10 pending, lag <= 30, 2 consumers" in table


def test_a_known_lag_and_rate_are_shown_as_they_are() -> None:
    new_redis = StreamStats("articles.raw", 40, (GroupStats("cleaner", 2, 10, 25, 30, 975),), 1000, 12.4)
    table = format_table(PipelineStats((new_redis,), {"cleaner": 0}, 3))
    assert "articles.raw                       40      12  cleaner: 10 pending, 25 lag, 2 consumers" in table


def test_parts_that_could_not_be_read_are_named() -> None:
    table = format_table(PipelineStats((), {}, None, ("articles.clean", "open stories")))
    assert "stories open: ?" in table
    assert "could not read: articles.clean, open stories" in table
