"""Tests for the quote harness: matching quotes by their words and speakers by their names."""

import json
from pathlib import Path

from evaluation.summaries import evaluate_quotes, format_report

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
