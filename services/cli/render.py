"""Human-readable views of stream entries and stories for the terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import orjson

from storywire.contracts import ArticleSummary, StorySummary

_WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    hanging = " " * len(indent)
    return textwrap.fill(text, width=_WIDTH, initial_indent=indent, subsequent_indent=hanging)


def render_summary(summary: ArticleSummary) -> str:
    """One article summary: headline, outlet, key points, entities, quotes."""
    lines = [
        _wrap(f"{summary.headline or '(no headline)'}", "  • "),
        f"      {summary.outlet or 'unknown outlet'} · {summary.article_id} · "
        f"{summary.word_count} words · {summary.language or '?'}"
        + (f" · copy of {summary.duplicate_of}" if summary.duplicate_of else ""),
    ]
    for point in summary.key_points[:3]:
        lines.append(_wrap(point, "      - "))
    if summary.entities:
        chips = ", ".join(f"{e.name} ({e.type}, {e.mentions})" for e in summary.entities[:10])
        lines.append(_wrap("entities: " + chips, "      "))
    for quote in summary.quotes[:4]:
        lines.append(_wrap(f"“{quote.text}” — {quote.speaker or 'unattributed'}", "      "))
    return "\n".join(lines)


def render_story(story_id: str, members: Sequence[ArticleSummary], story: StorySummary | None) -> str:
    """A story with its articles and, when known, its merged key points."""
    outlets = sorted({m.outlet or "unknown" for m in members})
    topic = ""
    if story is not None and story.topic_id and story.topic_id != story_id:
        # A story that started its own topic is named by itself; only another story's topic tells something.
        topic = f" (topic {story.topic_id})"
    header = f"Story {story_id}{topic}: {len(members)} article(s) from {', '.join(outlets)}"
    parts = [header, "=" * min(len(header), _WIDTH)]
    parts.extend(render_summary(m) for m in members)
    if story is not None and story.key_points:
        parts.append("  Story key points (supporting outlets):")
        for point in story.key_points[:5]:
            parts.append(_wrap(f"{point.text} [{', '.join(point.outlets)}]", "    * "))
    return "\n".join(parts) + "\n"


def render_entry(entry_id: bytes, data: bytes) -> str:
    """A one-line view of any storywire entry, by the fields it has."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError:
        return f"{entry_id.decode()} (not JSON) {data[:120]!r}"
    if not isinstance(doc, dict):
        return f"{entry_id.decode()} {str(doc)[:120]}"
    if "key_points" in doc and "article_id" in doc:
        head = doc.get("headline") or ""
        return f"{entry_id.decode()} story={doc.get('story_id')} {doc.get('outlet')}: {head[:80]}"
    if "error_type" in doc:
        return f"{entry_id.decode()} DEAD {doc.get('stage')}: {doc.get('error_type')}: {doc.get('error_message')}"
    if "story_id" in doc and "outlets" in doc:
        topic = f" topic={doc['topic_id']}" if doc.get("topic_id") else ""
        return f"{entry_id.decode()} story={doc['story_id']}{topic} outlets={','.join(doc['outlets'])}"
    if "story_id" in doc:
        new = doc.get("is_new_story")
        return f"{entry_id.decode()} article={doc.get('article_id')} story={doc['story_id']} new={new}"
    title = doc.get("title") or ""
    return f"{entry_id.decode()} article={doc.get('article_id')} {title[:80]}"
