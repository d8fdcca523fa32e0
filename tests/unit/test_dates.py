"""Publication dates from ISO strings and English datelines."""

from __future__ import annotations

from datetime import UTC, datetime

from storywire.services.cleaner.dates import parse_date


def test_an_iso_date_is_read_in_utc() -> None:
    assert parse_date("2022-02-27") == datetime(2022, 2, 27, tzinfo=UTC)


def test_a_dateline_with_weekday_time_and_zone_is_read_in_utc() -> None:
    assert parse_date("Sunday 27 February 2022 03:58 EST") == datetime(2022, 2, 27, 8, 58, tzinfo=UTC)


def test_a_dateline_without_a_zone_is_taken_as_utc() -> None:
    assert parse_date("27 Feb 2022, 4:05 pm") == datetime(2022, 2, 27, 16, 5, tzinfo=UTC)


def test_a_us_style_date_is_read() -> None:
    assert parse_date("Updated: March 3, 2021") == datetime(2021, 3, 3, tzinfo=UTC)


def test_text_without_a_date_gives_none() -> None:
    assert parse_date("Arpan Rai") is None
    assert parse_date(None) is None


def test_an_ordinal_day_and_a_clock_printed_with_a_space_are_read() -> None:
    assert parse_date("September 18th, 2013, 05: 31 GMT") == datetime(2013, 9, 18, 5, 31, tzinfo=UTC)


def test_a_numeric_date_with_slashes_is_read_month_first() -> None:
    assert parse_date("Posted 12/19/2005 3:36 PM") == datetime(2005, 12, 19, 15, 36, tzinfo=UTC)
    assert parse_date("11/09/2010") == datetime(2010, 11, 9, tzinfo=UTC)


def test_a_numeric_date_with_slashes_is_read_day_first_when_the_first_number_is_no_month() -> None:
    assert parse_date("27/11/2005") == datetime(2005, 11, 27, tzinfo=UTC)


def test_a_numeric_date_with_dots_is_read_day_first() -> None:
    assert parse_date("Article posted on 08.07.2012") == datetime(2012, 7, 8, tzinfo=UTC)


def test_a_numeric_date_tokenised_with_spaces_is_read() -> None:
    # Tokenised corpora (ECB+) print "11 / 27 / 2005 7: 21 AM".
    assert parse_date("Posted 11 / 27 / 2005 7: 21 AM") == datetime(2005, 11, 27, 7, 21, tzinfo=UTC)
    assert parse_date("8 / 2 / 13 at 1: 30 PM") == datetime(2013, 8, 2, 13, 30, tzinfo=UTC)


def test_a_year_first_date_with_spaces_around_the_dashes_is_read() -> None:
    assert parse_date("2013 - 09 - 26") == datetime(2013, 9, 26, tzinfo=UTC)
