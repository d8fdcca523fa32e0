"""The offline verbs write one line per article with the story it ended in."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from storywire.services.cli import main
from tests.unit.test_clustering import FOLD_ORDER, quake_b_report, quake_report
from tests.unit.test_extraction import PARAGRAPHS


def _quake_reports(tmp_path: Path) -> Path:
    reports = [quake_report(k, prefix="q") for k in FOLD_ORDER]
    rows = [
        {"article_id": r.article_id, "content_type": "text/plain", "content": f"{r.title}\n\n{r.text}"} for r in reports
    ]
    path = tmp_path / "quake.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_dedup_writes_a_folded_article_with_the_story_it_ended_in(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["dedup", str(_quake_reports(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["article_id"] for line in lines] == [f"q-{k}" for k in FOLD_ORDER]
    assert {line["story_id"] for line in lines} == {"story-1"}
    assert [line["is_new_story"] for line in lines] == [True, False, False]
    assert lines[2]["absorbed_story_ids"] == ["story-2"]


def test_summarize_writes_one_story_summary_with_every_folded_article(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["summarize", "--stories", str(_quake_reports(tmp_path))])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    summaries, stories = lines[:3], lines[3:]
    assert {line["story_id"] for line in summaries} == {"story-1"}
    assert len(stories) == 1
    assert stories[0]["story_id"] == "story-1"
    assert sorted(stories[0]["article_ids"]) == sorted(f"q-{k}" for k in FOLD_ORDER)


def test_summarize_prints_each_storys_topic_shared_by_sibling_events(tmp_path: Path) -> None:
    reports = [quake_report(0, "q"), quake_report(1, "q"), quake_b_report(0, "q"), quake_b_report(1, "q")]
    path = tmp_path / "siblings.jsonl"
    path.write_text(
        "".join(json.dumps({"article_id": r.article_id, "content": f"{r.title}\n\n{r.text}"}) + "\n" for r in reports),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["summarize", "--stories", str(path)])
    assert result.exit_code == 0, result.output
    stories = [json.loads(line) for line in result.output.splitlines()][4:]
    assert [s["story_id"] for s in stories] == ["story-1", "story-2"]
    assert [s["topic_id"] for s in stories] == ["story-1", "story-1"]


def _tram_page(path: Path, *, url: str) -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    path.write_text(
        '<html lang="en"><head><meta name="author" content="Jane Doe">'
        f'<link rel="canonical" href="{url}"><title>Council approves tram plan</title></head>'
        f"<body><article><h1>Council approves tram plan</h1>{body}</article></body></html>",
        encoding="utf-8",
    )


def test_summarize_carries_the_canonical_url_and_authors_the_cleaner_found(tmp_path: Path) -> None:
    _tram_page(tmp_path / "example.com.tram-plan.html", url="https://example.com/news/tram-plan")
    (tmp_path / "example.com.tram-plan.meta.json").write_text('{"url": "https://example.com/news/tram-plan?utm=feed"}')
    result = CliRunner().invoke(main, ["summarize", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (summary,) = [json.loads(line) for line in result.output.splitlines()]
    assert summary["article_id"] == "example.com.tram-plan"
    assert summary["url"] == "https://example.com/news/tram-plan?utm=feed"
    assert summary["canonical_url"] == "https://example.com/news/tram-plan"
    assert summary["authors"] == ["Jane Doe"]


def test_two_files_with_one_article_id_stop_an_offline_run_before_any_line(tmp_path: Path) -> None:
    for outlet in ("a", "b"):
        (tmp_path / outlet).mkdir()
        _tram_page(tmp_path / outlet / "tram.html", url=f"https://{outlet}.example/tram")
    result = CliRunner().invoke(main, ["clean", str(tmp_path / "a"), str(tmp_path / "b")])
    assert result.exit_code != 0
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: ") and "article_id 'tram'" in line
    assert "a/tram.html" in line and "b/tram.html" in line
