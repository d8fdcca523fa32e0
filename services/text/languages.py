"""Function words of the languages articles arrive in.

The story index and the summarizer weigh words by how rare they are. Their stopword lists
(:mod:`storywire.services.text.stopwords`) are English; in a stream that also carries German, French or Polish articles,
that language's articles, pronouns and prepositions ("der", "les", "się") are rare across the
stream and weigh like names, so two unrelated articles of a minority language looked alike
and "für die" came out as a keyword. The most frequent words of a language are its function
words: wordfreq (whose lists ship in its wheel) gives them for 40-odd languages. The cleaner uses
their share too, English included, to tell running text from menus in scraped plain text.
"""

from __future__ import annotations

from functools import lru_cache

import wordfreq

__all__ = ["FUNCTION_WORD_COUNT", "frequent_words", "function_words"]

FUNCTION_WORD_COUNT = 100
"""How many of a language's most frequent words count as function words.

Past about 100 the lists reach content words ("jahr", "gobierno", "polski", "italia")."""

# py3langid's codes where wordfreq files the language under another one.
_ALIASES = {"no": "nb", "hr": "sh", "sr": "sh", "bs": "sh", "tl": "fil"}


@lru_cache(maxsize=128)  # bounded: a publisher may send any language hint
def frequent_words(language: str | None) -> frozenset[str]:
    """The ``FUNCTION_WORD_COUNT`` most frequent words of ``language`` (ISO 639-1), English included.

    Empty for a language wordfreq has no list for, rather than its nearest neighbour's (wordfreq
    would answer Latin with Italian).
    """
    if not language:
        return frozenset()
    code = _ALIASES.get(language.lower(), language.lower())
    if code not in wordfreq.available_languages("best"):
        return frozenset()
    return frozenset(w for w in wordfreq.top_n_list(code, FUNCTION_WORD_COUNT) if w.isalpha())


def function_words(language: str | None) -> frozenset[str]:
    """The function words to add to a worker's English stopwords: :func:`frequent_words`, none for English.

    English is left to each worker's own list, which its weights were tuned with.
    """
    if language and language.lower() == "en":
        return frozenset()
    return frequent_words(language)
