"""How a sentence or a clause ends: its stop, then closing quotes and brackets.

Several rules ask whether a line or a text ends like a sentence: the cleaner (is this line prose
or a menu item, a headline or a sentence?), near-duplicate shingling (is this short line a
sentence or a title?) and the story features (is this lead line a sentence?). They differ in
which marks count as an end (a headline may end in "?" but not in "."; a line before a quote may
end in ":"), not in what may follow the mark. So the marks are named here, and
:func:`ends_in` builds the one pattern: a mark, then any closing quotes or brackets, spaced or
not (the typewriter ``''`` as well), then the end.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

__all__ = [
    "CLAUSE_STOPS",
    "CLOSING_MARKS",
    "CLOSING_QUOTES",
    "OTHER_SCRIPT_QUESTION_MARKS",
    "OTHER_SCRIPT_STOPS",
    "SENTENCE_STOPS",
    "ends_in",
]

SENTENCE_STOPS: Final = ".!?…"
"""Marks that end a sentence."""

OTHER_SCRIPT_STOPS: Final = "。！？।؟۔"
"""The full stops, exclamation and question marks of Chinese and Japanese, Hindi, Arabic and Urdu:
kept apart so that a rule for European text (the cleaner's) does not change by them."""

OTHER_SCRIPT_QUESTION_MARKS: Final = "？؟"
"""The question marks among :data:`OTHER_SCRIPT_STOPS`."""

CLAUSE_STOPS: Final = ":;"
"""Marks that end a clause: the colon before a quote or a list, the semicolon."""

CLOSING_QUOTES: Final = '"“”»'
"""Closing double quotes: a line of prose may end in one without a stop before it (the single ’
is left out: it is also an apostrophe)."""

CLOSING_MARKS: Final = "\"'”’»)]"
"""Closing quotes and brackets that may follow a sentence's stop."""

_CLOSERS: Final = r"(?:\s*(?:[" + re.escape(CLOSING_MARKS) + r"]|''))*\s*$"


@cache
def ends_in(marks: str) -> re.Pattern[str]:
    """A pattern that finds text whose last mark, before closing quotes, brackets and spaces, is one of ``marks``."""
    return re.compile("[" + re.escape(marks) + "]" + _CLOSERS)
