"""Tests for the quote harness: matching quotes by their words and speakers by their names."""

import json
from pathlib import Path

import pytest

from evaluation.summaries import evaluate_quotes, format_report, main

SEEDS = Path(__file__).parents[2] / "seeds"
SEED = "seed:000_6531704c8407b2c0"


def _gold(tmp_path: Path, quotes: list[dict[str, str | None]]) -> Path:
    path = tmp_path / "quotes.jsonl"
    path.write_text(json.dumps({"source": SEED, "quotes": quotes}) + "\n", encoding="utf-8")
    return path


def test_a_quote_is_found_by_most_of_its_words_and_attributed_by_the_speakers_name(tmp_path: Path) -> None:
    gold = _gold(
        tmp_path,
        [
            # Labelled a little shorter than the page's span, and by surname: still the same quote and speaker.
            {"text": "The Russian delegation is ready for talks, and we are now waiting", "speaker": "Peskov"},
            {
                "text": "The talks can be held but only in a country from which missiles aren't flying",
                "speaker": "Putin",
            },
            {"text": "A quotation the article never makes", "speaker": None},
        ],
    )
    report = evaluate_quotes(gold, seeds_dir=SEEDS)
    assert (report.documents, report.gold, report.found, report.attributed) == (1, 3, 2, 1)
    assert (report.named_found, report.named_right) == (2, 1)
    assert report.recall() == 2 / 3 and report.recall(attributed=True) == 1 / 3
    assert "| quote found |" in format_report([], quotes=[("checked against", report)])


def test_an_unknown_speaker_is_right_only_when_we_name_none(tmp_path: Path) -> None:
    gold = _gold(
        tmp_path,
        [
            {
                "text": "The Russian delegation is ready for talks, and we are now waiting for the Ukrainians",
                "speaker": None,
            }
        ],
    )
    report = evaluate_quotes(gold, seeds_dir=SEEDS)
    assert report.found == 1 and report.attributed == 0 and report.named_found == 0


def test_named_speakers_are_scored_apart_a_wrong_name_against_precision(tmp_path: Path) -> None:
    gold = _gold(
        tmp_path,
        [
            {"text": "The Russian delegation is ready for talks, and we are now waiting", "speaker": "Peskov"},
            {
                "text": "The talks can be held but only in a country from which missiles aren't flying",
                "speaker": "Putin",
            },
            {"text": "A quotation the article never makes", "speaker": "Nobody Known"},
        ],
    )
    report = evaluate_quotes(gold, seeds_dir=SEEDS)
    # Both found quotes get a named speaker, one of them the wrong person; three labelled have one.
    assert (report.named_given, report.named_right, report.gold_named) == (2, 1, 3)
    assert report.named_precision() == 1 / 2 and report.named_recall() == 1 / 3
    assert "| named speaker | 0.50 | 0.33 |" in format_report([], quotes=[("held aside", report)])


def test_eval_summaries_reports_every_held_aside_quote_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = tmp_path / "articles.jsonl"
    dataset.write_text(
        json.dumps({"id": "a", "text": "Rain fell on Leeds. It stopped at noon.", "reference": "Rain fell."}) + "\n",
        encoding="utf-8",
    )
    first = _gold(tmp_path, [{"text": "The Russian delegation is ready for talks", "speaker": "Peskov"}])
    second = tmp_path / "second.jsonl"
    second.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    argv = ["--dataset", str(dataset), "--seeds", str(SEEDS), "--quotes-aside", str(first), "--quotes-aside"]
    assert main([*argv, str(second)]) == 0
    out = capsys.readouterr().out
    assert "Quotes, held aside (quotes)" in out and "Quotes, held aside (second)" in out
