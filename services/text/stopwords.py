"""English stopwords, and those of the language an article is in.

One base list (``data/stopwords-en.txt``) and the additions each use was tuned with, kept
apart so that neither use's figures move:

* :data:`MATCHING_STOPWORDS` leave out of the terms by which texts are matched against each
  other (the story index): the base list and contractions written whole ("don't"), as
  :data:`~storywire.services.text.tokens.ALPHANUMERIC_WORDS` keeps them;
* :data:`KEYWORD_STOPWORDS` never make a keyword: the base list, contraction fragments
  ("don", "t"), small numbers, reporting verbs and time words, the weekday names and the days
  around today (from :mod:`storywire.services.text.calendar_words`).

:func:`stopwords_for` adds the function words of an article's language to either.
"""

from __future__ import annotations

from functools import lru_cache

from storywire.services.text.calendar_words import RELATIVE_DAYS, weekday_words
from storywire.services.text.languages import function_words
from storywire.services.text.lexicons import read_words

__all__ = ["ENGLISH_STOPWORDS", "KEYWORD_STOPWORDS", "MATCHING_STOPWORDS", "stopwords_for"]

ENGLISH_STOPWORDS = read_words("stopwords-en.txt")
"""The base list: function words and the commonest verbs, titles and time words of news English."""

MATCHING_STOPWORDS = ENGLISH_STOPWORDS | read_words("stopwords-en-matching.txt")
"""Words that say nothing about which event a text reports."""

KEYWORD_STOPWORDS = (
    ENGLISH_STOPWORDS
    | read_words("stopwords-en-keywords.txt")
    | weekday_words("en", abbreviations=False)
    | RELATIVE_DAYS
)
"""Words that never make a keyword."""


@lru_cache(maxsize=256)  # bounded: a publisher may send any language hint
def stopwords_for(english: frozenset[str], language: str | None) -> frozenset[str]:
    """English stopwords (one of this module's lists), plus the function words of ``language`` when it is another."""
    return english | function_words(language)
