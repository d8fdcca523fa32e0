"""The text layer: word lists from data files, stopwords, stemmers, tokenizers and calendar names."""

from __future__ import annotations

import re

import pytest

from storywire.services.text import tokens
from storywire.services.text.calendar_words import MONTHS, WEEKDAYS, month_numbers, month_words, weekday_words
from storywire.services.text.dates import DATELINE_LANGUAGES, PARSED_LANGUAGES, is_dateline, parse_date
from storywire.services.text.lexicons import PAGE_LABEL_WORDS, read_rows, read_words
from storywire.services.text.stemming import stem_first_suffix, stem_inflections
from storywire.services.text.stopwords import (
    ENGLISH_STOPWORDS,
    KEYWORD_STOPWORDS,
    MATCHING_STOPWORDS,
    stopwords_for,
)


def test_a_word_list_is_read_from_its_data_file_without_its_comment_lines() -> None:
    assert read_words("relative-days.txt") == {"today", "yesterday", "tomorrow"}
    assert "advertisement" in PAGE_LABEL_WORDS
    assert not [row for row in read_rows("months.txt") if row[0].startswith("#")]


def test_both_stopword_lists_hold_the_base_list_and_differ_by_their_own_additions() -> None:
    assert ENGLISH_STOPWORDS <= MATCHING_STOPWORDS
    assert ENGLISH_STOPWORDS <= KEYWORD_STOPWORDS
    # The story index keeps contractions whole; keyword ranking sees their fragments.
    assert "don't" in MATCHING_STOPWORDS
    assert "don't" not in KEYWORD_STOPWORDS
    assert {"don", "t"} <= KEYWORD_STOPWORDS
    assert not {"don", "t"} & MATCHING_STOPWORDS


def test_weekday_names_and_the_days_around_today_never_make_a_keyword() -> None:
    assert {"monday", "sunday", "yesterday", "tomorrow"} <= KEYWORD_STOPWORDS
    assert "monday" not in MATCHING_STOPWORDS


def test_another_language_adds_its_function_words_to_the_stopwords_and_english_adds_none() -> None:
    assert stopwords_for(MATCHING_STOPWORDS, "en") == MATCHING_STOPWORDS
    assert {"der", "die", "und"} <= stopwords_for(MATCHING_STOPWORDS, "de")
    assert stopwords_for(KEYWORD_STOPWORDS, "xx") == KEYWORD_STOPWORDS


def test_the_inflection_stemmer_merges_plurals_possessives_and_verb_endings() -> None:
    assert stem_inflections("earthquakes") == stem_inflections("earthquake")
    assert stem_inflections("Lohan's") == stem_inflections("Lohan’s") == "lohan"
    assert stem_inflections("injuries") == stem_inflections("injury")
    assert stem_inflections("meetings") == "meet"
    assert stem_inflections("agreed") == "agreed"


def test_the_first_suffix_stemmer_strips_one_suffix_that_leaves_three_letters() -> None:
    assert stem_first_suffix("meetings") == "meeting"
    assert stem_first_suffix("agreed") == "agre"
    assert stem_first_suffix("cities") == "city"
    assert stem_first_suffix("Lohan's") == "lohan"
    assert stem_first_suffix("used") == "used"
    assert stem_first_suffix("virus") == "virus"


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (tokens.WORD_CHARS, ["U", "S", "don", "t", "covid", "19", "Modrić", "snake_case"]),
        (tokens.ALPHANUMERIC_RUNS, ["U", "S", "don", "t", "covid", "19", "Modrić", "snake", "case"]),
        (tokens.ALPHANUMERIC_WORDS, ["U.S", "don't", "covid-19", "Modrić", "snake", "case"]),
        (tokens.LETTER_WORDS, ["U", "S", "don't", "covid", "Modrić", "snake", "case"]),
        (tokens.LETTER_WORDS_LOOSE, ["U", "S", "don't", "covid-", "Modrić", "snake", "case"]),
    ],
)
def test_each_tokenizer_keeps_its_own_kind_of_word(pattern: re.Pattern[str], words: list[str]) -> None:
    assert pattern.findall("U.S. don't covid-19 Modrić snake_case") == words


def test_the_calendar_table_gives_each_language_its_month_names_and_their_numbers() -> None:
    assert month_numbers("en")["sept"] == 9
    assert month_numbers("en")["may"] == 5
    assert "oktober" in month_words("de")
    assert "oktober" not in month_words("en")
    assert month_words() == month_words("en") | month_words("de")
    assert {entry.number for entry in MONTHS} == set(range(1, 13))


def test_the_calendar_table_gives_weekday_names_with_or_without_abbreviations() -> None:
    assert weekday_words("en", abbreviations=False) == {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    }  # fmt: skip
    assert {"tue", "tues", "thurs"} <= weekday_words("en")
    assert "montag" in weekday_words("de")
    assert {entry.number for entry in WEEKDAYS} == set(range(1, 8))


def test_the_dateline_check_knows_more_month_names_than_the_date_reader_reads() -> None:
    assert set(PARSED_LANGUAGES) <= set(DATELINE_LANGUAGES)
    assert is_dateline("3. Oktober 2020")
    assert is_dateline("3 October 2020")
    assert parse_date("3 October 2020") is not None
    # The reader is English: a German dateline is recognised as one but gives no date.
    assert parse_date("3 Oktober 2020") is None
