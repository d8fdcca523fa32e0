"""The chaos run in the suite: 2,000 articles, killed workers, a killed Redis; nothing lost or doubled."""

from __future__ import annotations

import pytest

from tests.chaos.run import run_chaos

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.chaos]


@pytest.mark.timeout(900)
def test_under_kills_and_a_redis_restart_every_article_has_exactly_one_summary() -> None:
    report = run_chaos(2000, seed=11, timeout_s=780)
    print("\n" + report.table())
    assert report.kills > 0 and report.redis_restarts >= 1
    assert report.lost == 0, report.table()
    assert report.doubled == 0, report.table()
    assert report.dead_lettered == report.poison and report.unexpected_dead_letters == 0, report.table()
    assert report.pending_left == 0, report.table()
