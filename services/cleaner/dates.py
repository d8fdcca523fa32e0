"""Publication dates from the strings pages and datelines carry."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip

_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
# Numeric dates: dots are day-first ("08.07.2012"), slashes month-first ("11/27/2005") unless the
# first number cannot be a month; spaces around the separators as tokenised corpora print them.
_NUMERIC_DATE = re.compile(r"\b(\d{1,2}) ?([./]) ?(\d{1,2}) ?\2 ?(\d{4}|\d{2})\b")
# Year first, as ISO prints it, with spaces around the dashes as tokenised corpora print them.
_YEAR_MONTH_DAY = re.compile(r"\b(\d{4}) ?- ?(\d{1,2}) ?- ?(\d{1,2})\b")
_TIME = re.compile(r"\b(\d{1,2}): ?(\d{2})\s*(am|pm|a\.m\.|p\.m\.)?\s*([A-Z]{2,4})?\b", re.IGNORECASE)
#: Offsets (hours) of the zone abbreviations news datelines use most.
_ZONES = {
    "UTC": 0, "GMT": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "IST": 5.5,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}  # fmt: skip


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 strings, English datelines ("Sunday 27 February 2022 03:58 EST") and numeric dates ("11/27/2005")."""
    if not value:
        return None
    text = value.strip()
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = _parse_dateline(text)
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


#: (day, month, year) of a date pattern's match, or None when its month is no month.
_DayMonthYear = tuple[int, int, int] | None


def _named(day: str, month_name: str, year: str) -> _DayMonthYear:
    month = _MONTHS.get(month_name.lower())
    return None if month is None else (int(day), month, int(year))


def _named_day_first(match: re.Match[str]) -> _DayMonthYear:
    day, month_name, year = match.groups()
    return _named(day, month_name, year)


def _named_month_first(match: re.Match[str]) -> _DayMonthYear:
    month_name, day, year = match.groups()
    return _named(day, month_name, year)


def _year_first(match: re.Match[str]) -> _DayMonthYear:
    year, month, day = match.groups()
    return int(day), int(month), int(year)


def _numeric(match: re.Match[str]) -> _DayMonthYear:
    first, separator, second, year_text = match.groups()
    a, b, year = int(first), int(second), int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 50 else 1900
    day_first = (separator == "." or a > 12) and b <= 12
    return (a, b, year) if day_first else (b, a, year)


#: Date patterns in the order they are tried, each with the reader of its fields.
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], _DayMonthYear]], ...] = (
    (_DAY_MONTH_YEAR, _named_day_first),
    (_MONTH_DAY_YEAR, _named_month_first),
    (_YEAR_MONTH_DAY, _year_first),
    (_NUMERIC_DATE, _numeric),
)


def _parse_dateline(text: str) -> datetime | None:
    for pattern, read in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        found = read(match)
        if found is None:
            continue
        day, month, year = found
        hour = minute = 0
        zone: timezone | None = None
        clock = _TIME.search(text, match.end())
        if clock is not None:
            hour, minute = int(clock.group(1)), int(clock.group(2))
            meridiem = (clock.group(3) or "").lower().replace(".", "")
            if meridiem == "pm" and hour < 12:
                hour += 12
            elif meridiem == "am" and hour == 12:
                hour = 0
            offset = _ZONES.get((clock.group(4) or "").upper())
            if offset is not None:
                zone = timezone(timedelta(hours=offset))
        try:
            stamp = datetime(year, month, day, hour % 24, minute % 60, tzinfo=zone or UTC)
        except ValueError:
            return None
        return stamp.astimezone(UTC)
    return None
