"""Tests for direct quote extraction and speaker attribution."""

from pathlib import Path

from services.summarizer.quotes import extract_quotes

SEEDS = Path(__file__).parents[2] / "seeds"


def test_a_scare_quote_is_not_reported_as_a_quote() -> None:
    text = "A government adviser dismissed the Russian move to hold talks as “propaganda”."
    assert extract_quotes(text) == []


def test_a_quote_followed_by_role_and_name_is_attributed_to_the_name() -> None:
    text = "“The delegation is ready for talks and we are waiting,” Kremlin spokesperson Dmitry Peskov said."
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Dmitry Peskov"]


def test_said_before_a_colon_attributes_the_following_quote() -> None:
    text = (
        'Jane Smith visited Leeds.\n\nJane Smith said: "We will keep working on this until it is finished."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Jane Smith"]


def test_a_pronoun_speaker_resolves_to_the_latest_person_subject() -> None:
    text = 'John Brown arrived in Paris on Monday.\n\n"This is a very important day for all of us," he said.'
    assert [q.speaker for q in extract_quotes(text)] == ["John Brown"]


def test_cnn_style_backtick_quotes_are_found() -> None:
    text = "``We have never seen anything like this storm before,'' said Mayor Tom Jones."
    quotes = extract_quotes(text)
    assert quotes and quotes[0].speaker == "Tom Jones"


def test_seed_quotes_are_attributed_to_peskov_zelensky_and_medinsky() -> None:
    speakers = set()
    for path in sorted(SEEDS.glob("*.txt")):
        speakers |= {q.speaker for q in extract_quotes(path.read_text(encoding="utf-8"))}
    assert {"Dmitry Peskov", "Volodymyr Zelensky", "Vladimir Medinsky"} <= speakers
