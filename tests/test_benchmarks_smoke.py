"""Smoke test of the benchmark suite: every benchmark in quick mode writes its figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests.conftest import PROJECT, SHARED_DATA

#: Per benchmark, the JSON fields a report must carry (the ones the README summary and goals use).
EXPECTED = {
    "cleaner": ("median_articles_per_s", "ratio_service_vs_trafilatura", "ratio_service_vs_clean_article", "goal_met"),
    "messaging": ("median_messages_per_s", "best_batched_per_s", "goal_met"),
    "dedup_scale": ("levels", "ratio_assign", "ratio_assign_with_featurize", "goal_met"),
    "index_memory": ("levels", "articles_per_day"),
    "end_to_end": ("saturation_articles_per_s", "latency", "ideal_articles_per_s", "efficiency", "goal_p99_met"),
    "scaling": ("median_articles_per_s", "median_cpu_utilisation", "ratio_4_vs_2"),
    "profile": ("stages",),
}


@pytest.mark.slow
@pytest.mark.timeout(720)  # index_memory's quick mode (5,000 articles) added about a minute
@pytest.mark.skipif(not (SHARED_DATA / "extraction" / "trafilatura-eval").is_dir(), reason="needs ../shared/data")
def test_quick_suite_writes_every_report(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--shared", str(SHARED_DATA), "--out", str(tmp_path)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=700,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for name, fields in EXPECTED.items():
        doc = orjson.loads((tmp_path / f"{name}.json").read_bytes())
        assert doc["machine"]["cores"] >= 1
        assert doc["summary"], name
        for field in fields:
            assert field in doc, f"{name}: {field} missing"
        assert (tmp_path / f"{name}.md").read_text().startswith("# ")
    assert "## Machine" in (tmp_path / "README.md").read_text()
