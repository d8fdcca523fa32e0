"""Keywords, language, word count and reading time.

Keywords are ranked by a TF-IDF-like score where the "documents" are the
article's own sentences, so the function needs no corpus statistics; words
in the title, capitalised names and multi-word phrases are boosted.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from storywire.services.summarizer.document import Document, document_of
from storywire.services.text.stemming import stem_first_suffix
from storywire.services.text.stopwords import KEYWORD_STOPWORDS, stopwords_for
from storywire.services.text.tokens import LETTER_WORDS_LOOSE

__all__ = [
    "keywords",
    "terms",
]


def terms(text: str, language: str | None = None) -> list[str]:
    """Stemmed content words of ``text`` (stopwords, and ``language``'s function words, and numbers dropped)."""
    stopwords = stopwords_for(KEYWORD_STOPWORDS, language)
    out: list[str] = []
    for match in LETTER_WORDS_LOOSE.finditer(text):
        word = match.group(0).strip("'’-").lower()
        if len(word) < 2 or word in stopwords:
            continue
        out.append(stem_first_suffix(word))
    return out


def _name_runs(matches: list[re.Match[str]], sentence: str) -> list[int]:
    """For each word, the length of the capitalised run it is in ("New York City": 3 each).

    Words of a run follow one another with nothing but spaces between them. In a headline-case
    sentence (every longer word capitalised) capitals mark no names, so every run is 1.
    """
    capital = [m.group(0)[:1].isupper() for m in matches]
    longer = [c for m, c in zip(matches, capital, strict=True) if len(m.group(0)) > 3]
    if longer and all(longer):
        return [1] * len(matches)
    lengths = [1] * len(matches)
    start = 0
    for k in range(1, len(matches) + 1):
        joined = (
            k < len(matches)
            and capital[k]
            and capital[k - 1]
            and not sentence[matches[k - 1].end() : matches[k].start()].strip()
        )
        if not joined:
            lengths[start:k] = [k - start] * (k - start)
            start = k
    return lengths


def _candidates(sentence: str, stopwords: frozenset[str]) -> Iterable[tuple[str, tuple[str, ...]]]:
    """Yield (surface, stem-key) for words and for stopword-free bigrams.

    A candidate never breaks a name: a word of a longer capitalised run ("York" of "New York") is
    no keyword on its own, and a phrase is either a whole two-word name ("Hart Island") or holds
    no part of one ("york ramps", "york city" are fragments).
    """
    matches = list(LETTER_WORDS_LOOSE.finditer(sentence))
    runs = _name_runs(matches, sentence)
    previous: tuple[str, int, int] | None = None  # word, its run's length, its index
    for k, match in enumerate(matches):
        word = match.group(0).strip("'’-")
        low = word.lower()
        if len(low) < 3 or low in stopwords:
            previous = None
            continue
        if runs[k] == 1:
            yield low, (stem_first_suffix(low),)
        if previous is not None:
            before, run, at = previous
            whole_name = run == runs[k] == 2 and at + 1 == k and matches[at].group(0)[:1].isupper()
            if whole_name or run == runs[k] == 1:
                yield f"{before.lower()} {low}", (stem_first_suffix(before), stem_first_suffix(low))
        previous = (word, runs[k], k)


def keywords(
    text: str | Document, *, title: str | None = None, limit: int = 10, language: str | None = None
) -> list[str]:
    """Top ``limit`` keywords/phrases of ``text``, most salient first; ``language``'s function words are none.

    ``text`` may come split already, as a :class:`~storywire.services.summarizer.document.Document`.
    """
    stopwords = stopwords_for(KEYWORD_STOPWORDS, language)
    sentences = list(document_of(text).sentences)
    if title:
        sentences = [title, *sentences]
    if not sentences:
        return []
    tf: Counter[tuple[str, ...]] = Counter()
    df: Counter[tuple[str, ...]] = Counter()
    surface: dict[tuple[str, ...], Counter[str]] = {}
    title_stems = set(terms(title, language)) if title else set()
    for sentence in sentences:
        seen: set[tuple[str, ...]] = set()
        for form, key in _candidates(sentence, stopwords):
            tf[key] += 1
            surface.setdefault(key, Counter())[form] += 1
            seen.add(key)
        for key in seen:
            df[key] += 1
    n = len(sentences)
    scores: dict[tuple[str, ...], float] = {}
    for key, freq in tf.items():
        if len(key) == 2 and freq < 2:
            continue  # a phrase seen once is noise, not a topic
        idf = math.log(1.0 + n / df[key])
        score = (1.0 + math.log(freq)) * idf
        if len(key) == 2:
            score *= 1.6
        if any(k in title_stems for k in key):
            score *= 1.5
        scores[key] = score
    ranked = sorted(scores, key=lambda k: (-scores[k], k))
    chosen: list[str] = []
    covered: set[str] = set()
    for key in ranked:
        # A word already shown inside a chosen phrase adds nothing new.
        if len(key) == 1 and key[0] in covered:
            continue
        if len(key) == 2 and all(k in covered for k in key):
            continue
        chosen.append(surface[key].most_common(1)[0][0])
        covered.update(key)
        if len(chosen) >= limit:
            break
    return chosen
