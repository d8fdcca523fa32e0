"""Function words of the languages articles arrive in, shared by the workers' term statistics.

The story index and the summarizer weigh words by how rare they are. Their hand-written
stopword lists are English; in a stream that also carries German, French or Polish articles,
that language's articles, pronouns and prepositions ("der", "les", "się") are rare across the
stream and weigh like names, so two unrelated articles of a minority language looked alike
and "für die" came out as a keyword. The most frequent words of a language are its function
words: wordfreq (whose lists ship in its wheel) gives them for 40-odd languages.
"""

from __future__ import annotations

from functools import lru_cache

import wordfreq

__all__ = ["FUNCTION_WORD_COUNT", "function_words"]

FUNCTION_WORD_COUNT = 100
"""How many of a language's most frequent words count as function words.

Past about 100 the lists reach content words ("jahr", "gobierno", "polski", "italia")."""

# py3langid's codes where wordfreq files the language under another one.
_ALIASES = {"no": "nb", "hr": "sh", "sr": "sh", "bs": "sh", "tl": "fil"}


@lru_cache(maxsize=128)  # bounded: a publisher may send any language hint
def function_words(language: str | None) -> frozenset[str]:
    """The function words of ``language`` (ISO 639-1), lowercased; empty for English and the unknown.

    English is left to each worker's own list, which its weights were tuned with. A language
    wordfreq has no list for gets none rather than its nearest neighbour's (wordfreq would answer
    Latin with Italian).
    """
    if not language:
        return frozenset()
    code = _ALIASES.get(language.lower(), language.lower())
    if code == "en" or code not in wordfreq.available_languages("best"):
        return frozenset()
    return frozenset(w for w in wordfreq.top_n_list(code, FUNCTION_WORD_COUNT) if w.isalpha())
