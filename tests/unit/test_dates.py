"""Publication dates from ISO strings and English datelines."""

from __future__ import annotations

from datetime import UTC, datetime

from services.cleaner.dates import parse_date


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
