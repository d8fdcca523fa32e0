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
    text = 'Jane Smith visited Leeds.\n\nJane Smith said: "We will keep working on this until it is finished."'
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


def test_straight_single_quotes_survive_apostrophes_and_a_leading_space() -> None:
    text = "' We didn't expect the players' reaction to be this strong at all,' said Coach Tom Hardy."
    quotes = extract_quotes(text)
    assert [q.text for q in quotes] == ["We didn't expect the players' reaction to be this strong at all"]
    assert quotes[0].speaker == "Tom Hardy"


def test_a_long_subject_before_added_is_the_speaker() -> None:
    text = (
        "Jane Smith, the council's head of planning, who opposed the scheme for years, added: "
        '"We will not let this happen again in our town."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Jane Smith"]


def test_he_said_resolves_to_the_subject_not_the_object_of_the_last_sentence() -> None:
    text = (
        "Promoter Bob Arum said the deal was off.\n\n"
        "But Leonard Ellerbe disagreed with Bob Arum. He said: 'The bottom line is that he will not live "
        "with the agreement.'"
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Leonard Ellerbe"]


def test_she_said_skips_a_man_named_more_recently() -> None:
    text = (
        "Mary Jones said she was angry about the delay. Mr Peter Brown arrived later, and his car was "
        'blocked.\n\n"I was waiting for a very long time and nobody came," she said.'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Mary Jones"]


def test_a_quote_right_after_an_attributed_one_continues_it() -> None:
    text = (
        '"We know where to look and we know how to look," NASA scientist Ellen Stofan said. '
        '"We are talking about little microbes, not little green men."'
    )
    assert [q.speaker for q in extract_quotes(text)] == ["Ellen Stofan", "Ellen Stofan"]


def test_an_unnamed_spokesman_is_not_resolved_to_someone_else() -> None:
    text = (
        "Tony Adams manages a club abroad. A Sandown spokesman said: 'Tony wanted to do it but his side "
        "are playing on Friday night.'"
    )
    assert [q.speaker for q in extract_quotes(text)] == [None]
