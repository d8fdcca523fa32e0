"""Merge several outlets' key points about one story.

Sentences from all articles are clustered by content-word cosine similarity
(single link above a threshold, never joining two points of the same
article) so that no two merged points say the same thing; each cluster keeps
one representative and the outlets that reported it.  Points are ranked by
support (number of outlets), then by importance (best rank the point had in
its own article's key points).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storywire.services.summarizer.entities import place_id
from storywire.services.summarizer.key_points import similarity
from storywire.services.summarizer.keywords import terms

__all__ = ["MergedPoint", "merge_key_points"]

_THRESHOLD = 0.3
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")


def _vector(text: str, language: str | None) -> Counter[str]:
    """Content terms, with place names replaced by their gazetteer id."""
    vector = Counter(terms(text, language))
    for word in _CAPITALISED.findall(text):
        gid = place_id(word)
        if gid is not None:
            # Gomel and Homel must count as the same word across outlets.
            vector.pop(terms(word)[0] if terms(word) else "", None)
            vector[f"place:{gid}"] += 1
    return vector


@dataclass(frozen=True, slots=True)
class MergedPoint:
    """A key point with the outlets and articles that support it."""

    text: str
    outlets: tuple[str, ...]
    article_ids: tuple[str, ...]


@dataclass(slots=True)
class _Item:
    article: str
    outlet: str
    rank: int
    text: str
    vector: Counter[str]


def merge_key_points(
    articles: Sequence[tuple[str, str, Sequence[str]]], languages: Mapping[str, str | None] | None = None
) -> list[MergedPoint]:
    """Merge ``(article_id, outlet, key_points)`` triples into distinct points.

    ``languages`` (article id -> ISO 639-1) keeps each article's function words out of the comparison.
    """
    languages = languages or {}
    items = [
        _Item(article, outlet, rank, text, _vector(text, languages.get(article)))
        for article, outlet, points in articles
        for rank, text in enumerate(points)
    ]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = sorted(
        (
            (similarity(items[i].vector, items[j].vector), i, j)
            for i in range(len(items))
            for j in range(i + 1, len(items))
        ),
        reverse=True,
    )
    members: dict[int, set[str]] = {i: {item.article} for i, item in enumerate(items)}
    for sim, i, j in pairs:
        if sim < _THRESHOLD:
            break
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        same_article = members[ri] & members[rj]
        # Two points of one article are distinct by construction, unless a
        # near-duplicate slipped through; only then may they join.
        if same_article and sim < 0.8:
            continue
        parent[rj] = ri
        members[ri] |= members.pop(rj)

    groups: dict[int, list[_Item]] = {}
    for i, item in enumerate(items):
        groups.setdefault(root(i), []).append(item)
    merged: list[tuple[int, int, int, MergedPoint]] = []
    for order, group in enumerate(groups.values()):
        outlets = tuple(sorted({g.outlet for g in group}))
        article_ids = tuple(sorted({g.article for g in group}))
        centroid: Counter[str] = Counter()
        for g in group:
            centroid.update(g.vector)
        # The representative is the most central, then highest-ranked, member.
        best = max(group, key=lambda g: (round(similarity(g.vector, centroid), 6), -g.rank))
        merged.append((len(outlets), min(g.rank for g in group), order, MergedPoint(best.text, outlets, article_ids)))
    merged.sort(key=lambda m: (-m[0], m[1], m[2]))
    return [m[3] for m in merged]
