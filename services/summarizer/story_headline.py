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
the event and goes, and so does a desk's label (``UPDATE:``, ``(LEAD)``, ``[UPDATE]``). A site's
own page (``Welcome to the Police Scotland website``, a title that is only the site's name) is
never a story's headline. A story with no report's title keeps what it had: its earliest first
key point.

Measured against these few of the same kind on half A (title-to-title cosine with general-English
word rarity weights, titles against key points, titles plus key points against each other, key
points against key points, word overlap, Dice), none was ahead by more than about half a ROUGE-1
point on its 43 events, so the simplest stays.
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

__all__ = ["is_site_page", "story_headline", "without_labels", "without_outlet"]

# The last " - ", " | ", " « " (and dashes) of a title, and what follows it. A colon is not one: it
# sits inside headlines ("Kudankulam: fuel loading has not begun"), unless spaced on both sides.
_LAST_PART: Final = re.compile(r"\s+(?:[-–—|«»]+|:)\s+(?P<tail>[^-–—|«»:]+)$")
# Domain labels that name no outlet.
_DOMAIN_LABELS: Final = frozenset({"www", "com", "org", "net", "co", "uk", "blogs", "news", "edu", "gov", "int"})
# A tail longer than this is a part of the headline, not a site name.
_OUTLET_WORDS: Final = 6
# A desk's label before a headline ("UPDATE:", "(LEAD)", "REFILE-UPDATE 8-", "Video:") or after it
# ("[UPDATE]", "(VIDEO)") says what kind of item it is, not what happened. Followed by a hyphen it
# is a label only in capitals: "Live-fire drills" is a headline.
_LABEL: Final = (
    r"(?:update[ds]?|refile|lead|live|breaking|exclusive|analysis|video|watch|photos?|interview|opinion|correction)"
)
_LEADING_LABEL: Final = re.compile(
    rf"^\s*(?:(?i:\(\s*{_LABEL}\s*\)|{_LABEL}(?:\s+\d+)?\s*:)\s+|{_LABEL.upper()}(?:\s*\d+)?\s*-\s*)"
)
_TRAILING_LABEL: Final = re.compile(rf"\s*[\[(]\s*{_LABEL}\s*[\])]\s*$", re.IGNORECASE)
# A page whose title greets its visitor or reports an error is a site's page, not a report of an
# event. Narrow on purpose: "Hackers take down NASA website" and "Girl Scout cookies" are headlines.
_SITE_PAGE: Final = re.compile(
    r"^welcome to\b.*\b(?:web ?site|site|home ?page|portal)\W*$|\bpage not found\b|\b404\b.*\bnot found\b"
    r"|^(?:sign|log) in\b|^subscribe\b",
    re.IGNORECASE,
)


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


def without_labels(title: str) -> str:
    """``title`` without a desk's labels before or after it (``UPDATE:``, ``(LEAD)``, ``[UPDATE]``)."""
    while True:
        bare = _TRAILING_LABEL.sub("", _LEADING_LABEL.sub("", title, count=1)).strip()
        if bare == title or not bare:
            return title
        title = bare


def is_site_page(title: str, outlet: str | None) -> bool:
    """The title is a site's own page, not a report: it greets or reports an error (``Welcome to the
    Police Scotland website``, ``Page not found``), or every word of it is within the outlet's domain
    name (``ABC Medianet`` of ``abcmedianet.com``)."""
    if _SITE_PAGE.search(title.strip()):
        return True
    labels = _outlet_labels(outlet)
    words = [w for w in WORD_CHARS.findall(title.casefold()) if len(w) > 2 and w != "the"]
    return bool(labels) and bool(words) and all(any(w in label for label in labels) for w in words)


def _is_title(digest: ArticleDigest) -> bool:
    """The article's headline is its own title, not its first key point standing in for one."""
    return bool(digest.headline) and (not digest.key_points or digest.headline != digest.key_points[0])


def story_headline(digests: Sequence[ArticleDigest]) -> str | None:
    """The headline of a story whose ``digests`` are in arrival order (see the module notes)."""
    titles = [
        (without_outlet(d.headline, d.outlet), d.language)
        for d in digests
        if d.headline and _is_title(d) and not is_site_page(d.headline, d.outlet)
    ]
    if not titles:
        return next((d.key_points[0] for d in digests if d.key_points), None)
    vectors = [Counter(terms(title, language)) for title, language in titles]

    def agreement(i: int) -> tuple[float, int]:
        shared = sum(similarity(vectors[i], vectors[j]) for j in range(len(vectors)) if j != i)
        # Rounded so that float noise never outranks the earlier title on a tie.
        return round(shared, 6), -i

    # The choice is made on the titles as sent (a label is a word or two of one title) and was
    # measured so; only the headline shown loses its label.
    return without_labels(titles[max(range(len(titles)), key=agreement)][0])
