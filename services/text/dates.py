"""Dates in text: whether a line is a dateline, and which date a string names.

Both read the month and weekday names of :mod:`storywire.services.text.calendar_words`. The
dateline check (:func:`is_dateline`) knows English and German names and recognises loosely
("3. Oktober 2020", "Dec. 24 4:33 AM EST"); the reader (:func:`parse_date`) reads English
names and the numeric forms. Their patterns are kept apart because each was tuned with its
caller's figures: the check's day may end in a dot and its ordinals ignore case, the reader
takes the first month-shaped word of a form and looks it up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

from storywire.services.text.calendar_words import month_numbers, month_words, weekday_words

__all__ = ["DATELINE_LANGUAGES", "PARSED_LANGUAGES", "is_dateline", "parse_date"]

DATELINE_LANGUAGES: Final = ("en", "de")
"""Languages whose month and weekday names the dateline check knows."""
PARSED_LANGUAGES: Final = ("en",)
"""Languages whose month names :func:`parse_date` reads."""


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first."""
    return "|".join(re.escape(word) for word in sorted(words, key=lambda word: (-len(word), word)))


_DATELINE_MONTHS: Final = _alternation(month_words(*DATELINE_LANGUAGES))
_DATELINE_WEEKDAYS: Final = _alternation(weekday_words(*DATELINE_LANGUAGES))
# Day-month-year, month-day-year (ordinal days too: "September 18th, 2013"), a month and day with a
# clock but no year ("Dec. 24 4:33 AM EST"), ISO and numeric dates; ISO and numeric ones with or
# without spaces around the separators ("11/27/2005", and "11 / 27 / 2005" as tokenised corpora
# such as ECB+ print them).
_DATE_RE: Final = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{_DATELINE_MONTHS})\.?,?\s+\d{{4}}"
    rf"|(?:{_DATELINE_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:\d{{4}}|\d{{1,2}}: ?\d{{2}})"
    r"|\d{4} ?- ?\d{2} ?- ?\d{2}|\d{1,2} ?[./] ?\d{1,2} ?[./] ?\d{2,4})\b",
    re.IGNORECASE,
)
_DATELINE_NOISE_RE: Final = re.compile(
    rf"\b(?:{_DATELINE_WEEKDAYS}|{_DATELINE_MONTHS}|updated|published|posted|article|first|last|am|um|uhr|at|on|"
    r"[ap]\.?m\.?|[A-Z]{2,4}|GMT|UTC|reuters|afp|upi|bloomberg|xinhua)\b"
    r"|\d+(?:st|nd|rd|th|[ap]\.?m\b\.?)?|[-:,./|+()@\s]",
    re.IGNORECASE,
)
# What may precede the date on a dateline: a publication label ("Release:", "Story Created:",
# "Erstellt am:"; not "Termin:", whose date is content) or a wire service's place in capitals
# ("WASHINGTON, DC, April 28, 2009").
_DATELINE_LEAD_RE: Final = re.compile(
    r"^\s*(?:(?i:(?:story |first |last )?(?:release[d]?|created|date|erstellt(?: am)?|ver\u00f6ffentlicht(?: am)?"
    r"|aktualisiert(?: am)?|publi\u00e9(?: le)?)):|[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*,)"
)
_DATELINE_MAX_CHARS: Final = 80


def is_dateline(text: str) -> bool:
    """Whether a line is a date (and time) and little else: page metadata, not prose."""
    if len(text) > _DATELINE_MAX_CHARS or _DATE_RE.search(text) is None:
        return False
    # what remains after removing date/time vocabulary must be (almost) nothing
    return len(_DATELINE_NOISE_RE.sub("", _DATELINE_LEAD_RE.sub("", text, count=1))) <= 3


# Month name -> number for the named forms below, which find a month-shaped word and look it up.
_MONTH_NUMBERS: Final = month_numbers(*PARSED_LANGUAGES)

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
    month = _MONTH_NUMBERS.get(month_name.lower())
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
