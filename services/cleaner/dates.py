"""Publication dates from the strings pages and datelines carry."""

from __future__ import annotations

import re
from datetime import UTC, datetime

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
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 strings and English datelines ("Sunday 27 February 2022 03:58 EST")."""
    if not value:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = _parse_dateline(text)
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _parse_dateline(text: str) -> datetime | None:
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        match = pattern.search(text)
        if match is None:
            continue
        if order == "dmy":
            day, month_name, year = match.groups()
        else:
            month_name, day, year = match.groups()
        month = _MONTHS.get(month_name.lower())
        if month is None:
            continue
        hour = minute = 0
        clock = _TIME.search(text, match.end())
        if clock is not None:
            hour, minute = int(clock.group(1)), int(clock.group(2))
        try:
            return datetime(int(year), month, int(day), hour % 24, minute % 60)  # noqa: DTZ001 (zone added by caller)
        except ValueError:
            return None
    return None
