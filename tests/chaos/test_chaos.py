"""The chaos run in the suite: 600 articles, killed workers, a killed Redis; nothing lost or doubled.

Small enough to pass on a loaded 2-core machine with room to spare (the 2,000-article run took 283 s
there); ``make chaos`` runs the large one."""

from __future__ import annotations

import pytest

from tests.chaos.run import run_chaos

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.chaos]


@pytest.mark.timeout(1200)
def test_under_kills_and_a_redis_restart_every_article_has_exactly_one_summary() -> None:
    report = run_chaos(600, seed=11, timeout_s=1000, kill_every_s=(1.0, 3.0))
    print("\n" + report.table())
    assert report.kills > 0 and report.redis_restarts >= 1
    assert report.lost == 0, report.table()
    assert report.doubled == 0, report.table()
    assert report.dead_lettered == report.poison and report.unexpected_dead_letters == 0, report.table()
    assert report.pending_left == 0, report.table()
