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

from storywire.services.languages import stopwords_for
from storywire.services.summarizer.sentences import split_sentences

__all__ = [
    "STOPWORDS",
    "keywords",
    "stem",
    "terms",
]

STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "almost",
        "also",
        "although",
        "always",
        "am",
        "among",
        "an",
        "and",
        "another",
        "any",
        "anyone",
        "anything",
        "are",
        "around",
        "as",
        "at",
        "away",
        "back",
        "be",
        "became",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "came",
        "can",
        "cannot",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "even",
        "ever",
        "every",
        "few",
        "first",
        "for",
        "from",
        "further",
        "get",
        "gets",
        "getting",
        "go",
        "goes",
        "going",
        "gone",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "last",
        "later",
        "least",
        "less",
        "let",
        "like",
        "made",
        "make",
        "many",
        "may",
        "me",
        "might",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "near",
        "need",
        "never",
        "new",
        "next",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "often",
        "on",
        "once",
        "one",
        "only",
        "onto",
        "or",
        "other",
        "others",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "per",
        "perhaps",
        "put",
        "rather",
        "re",
        "really",
        "said",
        "same",
        "say",
        "says",
        "see",
        "seen",
        "several",
        "shall",
        "she",
        "should",
        "since",
        "so",
        "some",
        "still",
        "such",
        "take",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "thus",
        "to",
        "too",
        "took",
        "toward",
        "towards",
        "two",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "use",
        "used",
        "very",
        "via",
        "was",
        "way",
        "we",
        "well",
        "went",
        "were",
        "what",
        "whatever",
        "when",
        "where",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "year",
        "years",
        "day",
        "days",
        "time",
        "told",
        "tell",
        "according",
        "including",
        "week",
        "weeks",
        "month",
        "months",
        "today",
        "yesterday",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mr",
        "mrs",
        "ms",
        "dr",
        "s",
        "t",
        "don",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "weren",
        "won",
        "wouldn",
        "couldn",
        "shouldn",
        "ve",
        "ll",
        "d",
        "m",
        "o",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "dont",
        "im",
        "thats",
        "added",
        "asked",
        "told",
        "says",
        "saying",
        "want",
        "wanted",
        "go",
        "come",
        "came",
        "among",
    ]
)

# Any script's letters: "Modrić", "Łódź" and "Київ" are one word each.
_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-])*")


def stem(word: str) -> str:
    """Light English suffix stripping, enough to conflate simple inflections."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            return w[: -len(suffix)] + keep
    return w


def terms(text: str, language: str | None = None) -> list[str]:
    """Stemmed content words of ``text`` (stopwords, and ``language``'s function words, and numbers dropped)."""
    stopwords = stopwords_for(STOPWORDS, language)
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        word = match.group(0).strip("'’-").lower()
        if len(word) < 2 or word in stopwords:
            continue
        out.append(stem(word))
    return out


def _candidates(sentence: str, stopwords: frozenset[str]) -> Iterable[tuple[str, tuple[str, ...]]]:
    """Yield (surface, stem-key) for words and for stopword-free bigrams."""
    words = [m.group(0).strip("'’-") for m in _TOKEN.finditer(sentence)]
    previous: str | None = None
    for word in words:
        low = word.lower()
        if len(low) < 3 or low in stopwords:
            previous = None
            continue
        yield low, (stem(low),)
        if previous is not None:
            yield f"{previous.lower()} {low}", (stem(previous), stem(low))
        previous = word


def keywords(text: str, *, title: str | None = None, limit: int = 10, language: str | None = None) -> list[str]:
    """Top ``limit`` keywords/phrases of ``text``, most salient first; ``language``'s function words are none."""
    stopwords = stopwords_for(STOPWORDS, language)
    sentences = split_sentences(text)
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
