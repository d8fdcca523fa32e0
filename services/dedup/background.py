"""A prior for the stream's document frequencies, from general English word frequencies.

The story index learns document frequencies from the stream itself, which at the start of a
stream (or of a new deployment, or on a small evaluation set) has seen few articles: every term
looks rare, and "officials" weighs as much as a place name. The prior adds ``documents`` imagined
background articles in which a word occurs with probability ``1 - exp(-f * L)``, where ``f`` is
its frequency in general English (the ``wordfreq`` package, which ships its data: nothing is
downloaded) and ``L`` a typical article length. As the stream grows its own counts dominate.

Only word terms (``w:``) get a prior; entity keys, numbers and non-English words have none and
keep the stream's counts alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import wordfreq

from storywire.services.dedup.features import STOPWORDS, stem

__all__ = ["BackgroundPrior", "english_prior"]

#: Words per article in the prior's imagined background articles.
ARTICLE_WORDS = 300
#: Rarer words add under 0.01 imagined articles to a term's count at the default 300: no effect.
MIN_FREQUENCY = 1e-7


@dataclass(frozen=True, slots=True)
class BackgroundPrior:
    """Imagined background articles and the share of them that contain each term."""

    documents: float
    shares: Mapping[str, float]

    def share(self, term: str) -> float:
        """Share of background articles containing ``term`` (0 for terms it does not know)."""
        return self.shares.get(term, 0.0)


@cache
def english_prior(documents: float) -> BackgroundPrior:
    """The prior from wordfreq's English list, worth ``documents`` articles; loaded once per process."""
    frequencies: dict[str, float] = {}
    for word, frequency in wordfreq.get_frequency_dict("en").items():
        if frequency < MIN_FREQUENCY:
            break  # the list is ordered by frequency
        if word.isalpha() and len(word) >= 2 and word not in STOPWORDS:
            # Uncached: 70k one-off words would evict the stems the stream keeps asking for.
            key = "w:" + stem.__wrapped__(word)
            frequencies[key] = frequencies.get(key, 0.0) + frequency
    shares = {key: 1.0 - math.exp(-f * ARTICLE_WORDS) for key, f in frequencies.items()}
    return BackgroundPrior(documents=documents, shares=shares)
