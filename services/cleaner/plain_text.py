"""Boilerplate removal for scraped plain text (no markup left to lean on).

Text scraped from news pages keeps the site furniture around the article: prompts
(notifications, cookies, newsletters, logins, comments), donation appeals, ad
markers, share/follow lines, photo credits and stray headlines of other stories.
This module removes them line by line, using the same multilingual line rules as
the HTML extractor plus two things only plain text needs:

* appeal blocks: a multi-paragraph "support our journalism" pitch whose middle
  paragraphs carry no call-to-action phrase of their own, recognised by the
  publisher speaking about itself ("we", "our reporting", "paywalls") and
  filled in between two appeal paragraphs;
* the header zone (lines before the first body paragraph): the first
  headline-like line is the title, a date-like line the dateline, a name-like
  line next to it (or "By ...") the byline, and headline-like lines after the
  byline/dateline are stray links to other stories.

Paragraph grouping is preserved: lines that were in one block stay together
(joined by "\\n"), blocks are separated by a blank line.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass
from typing import Final

from services.cleaner.extraction import classify_boilerplate_line, is_dateline

LOGGER: Final = logging.getLogger(__name__)

#: Input beyond this many characters is ignored: articles are far shorter, and the
#: cap bounds the work on junk input.
MAX_TEXT_CHARS: Final = 500_000
MAX_REMOVED_ITEMS: Final = 50
MAX_REMOVED_CHARS: Final = 200
#: A line this long that ends like a sentence starts the article body.
BODY_PARAGRAPH_MIN_CHARS: Final = 100
#: Appeal blocks are filled across at most this many unflagged paragraphs.
APPEAL_GAP_MAX: Final = 3
#: Appeal paragraphs are short pitches; longer lines are articles (some scrapes put a
#: whole article on one line).
APPEAL_MAX_CHARS: Final = 600
#: Datelines are looked for in the header zone or at least this many first lines.
HEADER_SCAN_LINES: Final = 8
_BYLINE_MAX_CHARS: Final = 80

_BY_RE: Final = re.compile(r"^(?:by|von|par|por|di|door|autor(?:in)?:?)\s+(?=\S)", re.IGNORECASE)
_NAME_RE: Final = re.compile(r"^(?:[A-ZÀ-Ý][\w'’.-]+)(?:\s+(?:[A-ZÀ-Ý][\w'’.-]+|van|von|de|der|da|di|le|la|bin)){1,4}$")
_SENTENCE_END_RE: Final = re.compile(r"[.!?…:;,\"“”»)]\s*$")
_HEADLINE_BAD_END_RE: Final = re.compile(r"[.:;,\"“”»]\s*$")

# The publisher talking about itself and its journalism: the middle of an appeal.
_SELF_REFERENCE_RE: Final = re.compile(r"\b(?:we|us|our|ours)\b", re.IGNORECASE)
_APPEAL_VOCABULARY_RE: Final = re.compile(
    r"\b(?:journalis(?:m|ts?)|reporters?|reporting|paywalls?|subscri\w+|donat\w+|contribut\w+|newsroom|readers"
    r"|afford|free to read|independent journalism|quality journalism|advertis\w+)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PlainTextCleaning:
    """Article text without boilerplate, with header fields found on the way."""

    text: str
    title: str | None
    byline: str | None
    dateline: str | None
    removed: tuple[str, ...]


@dataclass(slots=True)
class _Line:
    text: str
    block: int
    drop: str | None = None


def _is_appeal(text: str) -> bool:
    return (
        len(text) <= APPEAL_MAX_CHARS
        and len(_SELF_REFERENCE_RE.findall(text)) >= 2
        and len(_APPEAL_VOCABULARY_RE.findall(text)) >= 2
    )


def _is_headline(text: str) -> bool:
    words = text.split()
    return 3 <= len(words) <= 25 and len(text) <= 200 and not _HEADLINE_BAD_END_RE.search(text)


def _is_body_paragraph(text: str) -> bool:
    return len(text) >= BODY_PARAGRAPH_MIN_CHARS and _SENTENCE_END_RE.search(text) is not None


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    for raw in text.splitlines():
        stripped = " ".join(raw.split())
        if not stripped:
            block += 1
            continue
        lines.append(_Line(stripped, block))
    return lines


def _mark_boilerplate(lines: list[_Line]) -> None:
    for line in lines:
        line.drop = classify_boilerplate_line(line.text)
    # appeal blocks: flag self-referential pitches, then fill short gaps between flags
    flagged = [i for i, line in enumerate(lines) if line.drop == "call-to-action" or _is_appeal(line.text)]
    for i in flagged:
        if lines[i].drop is None:
            lines[i].drop = "appeal"
    for start, end in itertools.pairwise(flagged):
        if 1 < end - start <= APPEAL_GAP_MAX + 1:
            for line in lines[start + 1 : end]:
                # only the publisher's own voice is filled in, never plain news between prompts
                if (
                    line.drop is None
                    and len(line.text) <= APPEAL_MAX_CHARS
                    and len(_SELF_REFERENCE_RE.findall(line.text)) >= 2
                ):
                    line.drop = "appeal"


def _read_header(lines: list[_Line]) -> tuple[str | None, str | None, str | None]:
    """Title, byline and dateline from the lines before the first body paragraph."""
    body_start = next(
        (i for i, line in enumerate(lines) if line.drop is None and _is_body_paragraph(line.text)), len(lines)
    )
    # datelines often follow the standfirst, hence the few lines past the header zone;
    # "Published: ..." lines were already taken for page metadata, but are datelines here
    dateline_at = next(
        (
            i
            for i, line in enumerate(lines[: max(body_start, HEADER_SCAN_LINES)])
            if line.drop in {None, "date-line", "page-metadata", "posting-line"} and is_dateline(line.text)
        ),
        None,
    )
    dateline = lines[dateline_at].text if dateline_at is not None else None
    if dateline_at is not None:
        lines[dateline_at].drop = "dateline"
    header = [i for i in range(body_start) if lines[i].drop is None]
    byline_at = next(
        (
            i
            for i in header
            if (_BY_RE.match(lines[i].text) and len(lines[i].text) <= _BYLINE_MAX_CHARS)
            or (dateline_at is not None and abs(i - dateline_at) == 1 and _NAME_RE.match(lines[i].text))
        ),
        None,
    )
    # the name alone ("By Jane Doe" -> "Jane Doe"): callers use it as the author
    byline = _BY_RE.sub("", lines[byline_at].text).strip() if byline_at is not None else None
    if byline_at is not None:
        lines[byline_at].drop = "byline"
    title = None
    for i in header:
        if lines[i].drop is None and _is_headline(lines[i].text):
            title = lines[i].text
            lines[i].drop = "title"
            break
    marks = [i for i in (dateline_at, byline_at) if i is not None and i < body_start]
    if marks:
        # headlines after the byline/dateline, before the body, link to other stories;
        # a next line in lower case means a sentence broken across lines instead
        kept = [i for i in header if i > max(marks) and lines[i].drop is None]
        for i, following in zip(kept, [*kept[1:], body_start], strict=False):
            next_text = lines[following].text if following < len(lines) else ""
            if _is_headline(lines[i].text) and not next_text[:1].islower():
                lines[i].drop = "stray-headline"
    return title, byline, dateline


def clean_plain_text(text: str) -> PlainTextCleaning:
    """Remove site boilerplate from scraped article text; find title, byline and dateline."""
    if len(text) > MAX_TEXT_CHARS:
        LOGGER.info("plain text truncated from %s to %s characters", len(text), MAX_TEXT_CHARS)
    lines = _split_lines(text[:MAX_TEXT_CHARS])
    _mark_boilerplate(lines)
    title, byline, dateline = _read_header(lines)
    blocks: list[list[str]] = []
    last_block = -1
    removed: list[str] = []
    for line in lines:
        if line.drop is None:
            if line.block != last_block:
                blocks.append([])
                last_block = line.block
            blocks[-1].append(line.text)
        elif line.drop not in {"title", "byline", "dateline"} and len(removed) < MAX_REMOVED_ITEMS:
            removed.append(f"{line.drop}: {line.text}"[:MAX_REMOVED_CHARS])
    return PlainTextCleaning(
        text="\n\n".join("\n".join(block) for block in blocks),
        title=title,
        byline=byline,
        dateline=dateline,
        removed=tuple(removed),
    )
