"""Names of months and weekdays, and the words for the days around today: one table for every rule.

The dateline check and the date reader (:mod:`storywire.services.text.dates`), the plain-text
cleaner's date lines and the story index's words that are capitalised without naming anything
all read the month and weekday names from here (``data/months.txt``, ``data/weekdays.txt``),
each taking the languages and forms it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from storywire.services.text.lexicons import read_rows, read_words

__all__ = ["MONTHS", "RELATIVE_DAYS", "WEEKDAYS", "CalendarName", "month_numbers", "month_words", "weekday_words"]


@dataclass(frozen=True, slots=True)
class CalendarName:
    """One language's name of a month or a weekday, with its abbreviations."""

    number: int
    """1-12 for a month; 1-7 for a weekday, Monday first (ISO 8601)."""
    language: str
    """ISO 639-1."""
    name: str
    abbreviations: tuple[str, ...]

    @property
    def spellings(self) -> tuple[str, ...]:
        """The name and its abbreviations, lower case."""
        return (self.name, *self.abbreviations)


def _table(name: str) -> tuple[CalendarName, ...]:
    return tuple(
        CalendarName(number=int(number), language=language, name=word, abbreviations=tuple(abbreviations))
        for number, language, word, *abbreviations in read_rows(name)
    )


MONTHS = _table("months.txt")
WEEKDAYS = _table("weekdays.txt")
RELATIVE_DAYS = read_words("relative-days.txt")
"""English words for a day named by its distance from today ("yesterday")."""


def _words(table: tuple[CalendarName, ...], languages: tuple[str, ...], abbreviations: bool) -> frozenset[str]:
    return frozenset(
        word
        for entry in table
        if not languages or entry.language in languages
        for word in (entry.spellings if abbreviations else (entry.name,))
    )


def month_words(*languages: str, abbreviations: bool = True) -> frozenset[str]:
    """Month names (lower case) of ``languages`` (all languages when none is given), with their abbreviations."""
    return _words(MONTHS, languages, abbreviations)


def weekday_words(*languages: str, abbreviations: bool = True) -> frozenset[str]:
    """Weekday names (lower case) of ``languages`` (all languages when none is given), with their abbreviations."""
    return _words(WEEKDAYS, languages, abbreviations)


def month_numbers(*languages: str) -> dict[str, int]:
    """Month name or abbreviation (lower case) -> month number, in ``languages`` (all when none is given)."""
    return {
        word: entry.number
        for entry in MONTHS
        if not languages or entry.language in languages
        for word in entry.spellings
    }
