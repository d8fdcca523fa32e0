"""A story's headline: the title its articles agree on.

Headlines written by editors name an event better than a sentence picked out of a text, so a
story is headed by one of its articles' titles: the one most similar to the other titles (summed
cosine of their content words). Outlets that report one event write titles that share its names
and its verb; an article about a side of it (a reaction, a profile, a live blog) shares fewer. On
a tie (two articles, or no shared word) the earliest title wins, as before.

The rule was chosen on half of the Wikinews events (``evaluation/story_headlines.py``) among a few
of the same kind (titles against titles and key points, key points against key points, support
counts); it has no weight to set.

An outlet's name after the headline (``... - Xinhua``, ``... « VOA Breaking News``) is not part of
the event and goes. A story whose articles have no title keeps what it had: the earliest
article's headline, its first key point.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Final

from storywire.services.summarizer.digests import ArticleDigest
from storywire.services.summarizer.key_points import similarity
from storywire.services.summarizer.keywords import terms
from storywire.services.text.tokens import WORD_CHARS

__all__ = ["story_headline", "without_outlet"]

# The last " - ", " | ", " « " (and dashes) of a title, and what follows it. A colon is not one: it
# sits inside headlines ("Kudankulam: fuel loading has not begun"), unless spaced on both sides.
_LAST_PART: Final = re.compile(r"\s+(?:[-–—|«»]+|:)\s+(?P<tail>[^-–—|«»:]+)$")
# Domain labels that name no outlet.
_DOMAIN_LABELS: Final = frozenset({"www", "com", "org", "net", "co", "uk", "blogs", "news", "edu", "gov", "int"})
# A tail longer than this is a part of the headline, not a site name.
_OUTLET_WORDS: Final = 6


def _outlet_labels(outlet: str | None) -> list[str]:
    """The labels of the outlet's domain that may name it (``tribune`` of ``tribune.com.pk``)."""
    labels = re.split(r"[.\-]", (outlet or "").casefold())
    return [label for label in labels if len(label) > 2 and label not in _DOMAIN_LABELS]


def without_outlet(title: str, outlet: str | None) -> str:
    """``title`` without a last part that names its outlet (``... – The Express Tribune``).

    The last part goes when it is short and at least half of its words (of three letters or more)
    are within the outlet's domain name: ``VOA Breaking News`` of ``blogs.voanews.com``, not
    ``TV`` of ``uk.reuters.com``.
    """
    found = _LAST_PART.search(title)
    labels = _outlet_labels(outlet)
    if found is None or not labels:
        return title
    words = [w for w in WORD_CHARS.findall(found.group("tail").casefold()) if len(w) > 2 and w != "the"]
    if not words or len(words) > _OUTLET_WORDS:
        return title
    named = sum(any(w in label for label in labels) for w in words)
    head = title[: found.start()].strip()
    return head if head and 2 * named >= len(words) else title


def _is_title(digest: ArticleDigest) -> bool:
    """The article's headline is its own title, not its first key point standing in for one."""
    return bool(digest.headline) and (not digest.key_points or digest.headline != digest.key_points[0])


def story_headline(digests: Sequence[ArticleDigest]) -> str | None:
    """The headline of a story whose ``digests`` are in arrival order (see the module notes)."""
    titles = [(without_outlet(d.headline, d.outlet), d.language) for d in digests if d.headline and _is_title(d)]
    if not titles:
        return next((d.headline for d in digests if d.headline), None)
    vectors = [Counter(terms(title, language)) for title, language in titles]

    def agreement(i: int) -> tuple[float, int]:
        shared = sum(similarity(vectors[i], vectors[j]) for j in range(len(vectors)) if j != i)
        # Rounded so that float noise never outranks the earlier title on a tie.
        return round(shared, 6), -i

    return titles[max(range(len(titles)), key=agreement)][0]
