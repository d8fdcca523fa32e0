"""Publication dates from the strings pages and datelines carry."""

from __future__ import annotations

import re
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
#: Date patterns in the order they are tried, each with the order of its fields.
_DATE_PATTERNS = (
    (_DAY_MONTH_YEAR, "dmy"),
    (_MONTH_DAY_YEAR, "mdy"),
    (_YEAR_MONTH_DAY, "ymd"),
    (_NUMERIC_DATE, "numeric"),
)
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


def _numeric_date(match: re.Match[str]) -> tuple[int, int, int]:
    """(day, month, year) of a :data:`_NUMERIC_DATE` match."""
    first, separator, second, year_text = match.groups()
    a, b, year = int(first), int(second), int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 50 else 1900
    day_first = (separator == "." or a > 12) and b <= 12
    return (a, b, year) if day_first else (b, a, year)


def _day_month_year(match: re.Match[str], order: str) -> tuple[int, int, int] | None:
    """(day, month, year) of a date pattern's match, ``None`` when the month is no month."""
    if order == "numeric":
        return _numeric_date(match)
    if order == "ymd":
        year_text, month_text, day_text = match.groups()
        return int(day_text), int(month_text), int(year_text)
    if order == "dmy":
        day, month_name, year = match.groups()
    else:
        month_name, day, year = match.groups()
    month = _MONTHS.get(month_name.lower())
    return None if month is None else (int(day), month, int(year))


def _parse_dateline(text: str) -> datetime | None:
    for pattern, order in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        found = _day_month_year(match, order)
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
