"""Boilerplate removal for scraped plain text (no markup left to lean on).

Text scraped from news pages keeps the site furniture around the article: prompts
(notifications, cookies, newsletters, logins, comments), donation appeals, ad
markers, share/follow lines, photo credits and stray headlines of other stories.
This module removes them line by line, using the same multilingual line rules as
the HTML extractor plus three things only plain text needs:

* appeal blocks: a multi-paragraph "support our journalism" pitch whose middle
  paragraphs carry no call-to-action phrase of their own, recognised by the
  publisher speaking about itself ("we", "our reporting", "paywalls") and
  filled in between two appeal paragraphs;
* the body span: the run of lines with the most running text in it, found as
  Finn, Kushmerick and Smyth's body text extraction does on HTML tokens (each
  line of prose counts its length, each other line its length and a cost
  against, and the maximum-sum run wins). Menus, link lists, related headlines
  and footers around it are dropped ("navigation") when five or more lines lie
  outside it (the page has furniture; fewer are the article's own); a line of
  prose reads as a sentence, has six words or more and, when the language is
  known, a share of that language's most frequent words. Short sentences and a
  date next to the span join it;
* the header zone (lines before the first body paragraph, or on a page with
  furniture before the body span): the first headline-like line is the title (on
  a page with furniture, the first that shares two content words with the
  article's opening), a date-like line the dateline (on a page with furniture,
  only next to the article), a name-like line next to it (or "By ...") the
  byline, and headline-like lines after the byline/dateline are stray links to
  other stories.

Paragraph grouping is preserved: lines that were in one block stay together
(joined by "\\n"), blocks are separated by a blank line.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass
from typing import Final

# One bound on the audit trail of removals for both cleaners (HTML and plain text).
from storywire.services.cleaner.extraction import MAX_REMOVED_CHARS, MAX_REMOVED_ITEMS, classify_boilerplate_line
from storywire.services.text.calendar_words import month_words
from storywire.services.text.dates import is_dateline
from storywire.services.text.languages import frequent_words
from storywire.services.text.punctuation import CLAUSE_STOPS, CLOSING_QUOTES, SENTENCE_STOPS, ends_in
from storywire.services.text.tokens import LETTER_WORDS

LOGGER: Final = logging.getLogger(__name__)

#: Input beyond this many characters is ignored: articles are far shorter, and the
#: cap bounds the work on junk input.
MAX_TEXT_CHARS: Final = 500_000
#: A line this long that ends like a sentence starts the article body.
BODY_PARAGRAPH_MIN_CHARS: Final = 100
#: Appeal blocks are filled across at most this many unflagged paragraphs.
APPEAL_GAP_MAX: Final = 3
#: Appeal paragraphs are short pitches; longer lines are articles (some scrapes put a
#: whole article on one line).
APPEAL_MAX_CHARS: Final = 600
#: Datelines are looked for in the header zone or at least this many first lines (of the body span,
#: on a page with furniture, and this many lines before it).
HEADER_SCAN_LINES: Final = 8
DATELINE_BEFORE_BODY: Final = 4
_BYLINE_MAX_CHARS: Final = 80
#: A line of prose has at least this many words...
PROSE_MIN_WORDS: Final = 6
#: ...and, in a language with a frequent-word list, at least this share of them on it (running text
#: is about half function words; menus and headline lists have few)...
PROSE_MIN_FREQUENT_SHARE: Final = 0.15
#: ...and ends like a sentence, unless it is this long (scrapes lose final full stops; menus are short).
PROSE_UNPUNCTUATED_MIN_CHARS: Final = 100
#: What a line that is not prose costs the body span: its length and this much for each line of its
#: run so far, so a subheading or a short table inside an article is bridged and a menu is not.
NON_PROSE_LINE_COST: Final = 15
#: Lines outside the body span are dropped when there are at least this many of them.
NAVIGATION_MIN_LINES: Final = 5
#: A date line next to the body span joins it (its year tells this year's event from last year's)
#: when it is this short...
DATE_LINE_MAX_CHARS: Final = 60
#: ...and has no more than this many words besides a month's name ("Posted", "Updated", "AM", "EST").
DATE_LINE_MAX_WORDS: Final = 3
#: A line outside the body span stays when at least this many of its content words, and this share
#: of them, are in the article's opening: headlines of other stories and menu items share few.
ABOUT_MIN_SHARED_WORDS: Final = 2
ABOUT_MIN_SHARED_SHARE: Final = 0.5
#: On a page with furniture the title is the first headline-like line before the body span that
#: shares this many content words with the article's opening.
TITLE_MIN_SHARED_WORDS: Final = 2
#: The article's opening: this many characters from the start of the body span.
OPENING_CHARS: Final = 1000

_BY_RE: Final = re.compile(r"^(?:by|von|par|por|di|door|autor(?:in)?:?)\s+(?=\S)", re.IGNORECASE)
_NAME_RE: Final = re.compile(r"^(?:[A-ZÀ-Ý][\w'’.-]+)(?:\s+(?:[A-ZÀ-Ý][\w'’.-]+|van|von|de|der|da|di|le|la|bin)){1,4}$")
# a paragraph of the body ends in a stop, a clause's stop, a comma or a closing quote
_SENTENCE_END_RE: Final = ends_in(SENTENCE_STOPS + CLAUSE_STOPS + "," + CLOSING_QUOTES + ")")
# a headline may end in a question or an exclamation, not a full stop (a quoted sentence neither)
_HEADLINE_BAD_END_RE: Final = ends_in(".:;," + CLOSING_QUOTES)
_SENTENCE_STOP_RE: Final = ends_in(SENTENCE_STOPS)
# prose may also end with the colon before a quote
_PROSE_END_RE: Final = ends_in(SENTENCE_STOPS + ":")
_YEAR_RE: Final = re.compile(r"\b(?:19|20)\d\d\b")
# A word starting like an English month's name counts as one ("Dec", "December", and "Decision" too).
_MONTH_PREFIXES: Final = frozenset(name[:3] for name in month_words("en"))

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


def _is_prose(text: str, frequent: frozenset[str]) -> bool:
    words = LETTER_WORDS.findall(text)
    if len(words) < PROSE_MIN_WORDS:
        return False
    if not _PROSE_END_RE.search(text) and (len(text) < PROSE_UNPUNCTUATED_MIN_CHARS or not frequent):
        return False
    return not frequent or sum(w.lower() in frequent for w in words) >= PROSE_MIN_FREQUENT_SHARE * len(words)


def _is_date_line(text: str) -> bool:
    """A date or a timestamp ("Posted 11/27/2005 7:21 AM"), not a menu of years and months."""
    if len(text) > DATE_LINE_MAX_CHARS or _YEAR_RE.search(text) is None:
        return False
    words = [w.lower() for w in LETTER_WORDS.findall(text)]
    months = sum(1 for w in words if w[:3] in _MONTH_PREFIXES)
    return months <= 1 and len(words) - months <= DATE_LINE_MAX_WORDS


def _is_short_sentence(text: str) -> bool:
    # a colon ends prose before a quote, but a short line before a colon is a label ("Next Post:")
    return len(LETTER_WORDS.findall(text)) >= 2 and _SENTENCE_STOP_RE.search(text) is not None


def _body_span(lines: list[_Line], frequent: frozenset[str]) -> tuple[int, int] | None:
    """First and last index of the run of lines with the most prose in it, or None without prose."""
    best: tuple[int, int] | None = None
    best_sum = run = 0
    start = streak = 0
    for i, line in enumerate(lines):
        if line.drop is not None:
            score = 0  # already removed: neither for nor against
        elif _is_prose(line.text, frequent):
            score, streak = len(line.text), 0
        elif _is_short_sentence(line.text):
            score = 0  # too short to tell
        else:
            # each further line of a run costs more: a subheading or a short table is bridged, a menu is not
            streak += 1
            score = -(len(line.text) + NON_PROSE_LINE_COST * streak)
        if run <= 0:
            run, start = score, i
        else:
            run += score
        if run > best_sum:
            best_sum, best = run, (start, i)
    if best is None:
        return None
    return _grown(lines, best[0], -1), _grown(lines, best[1], 1)


def _grown(lines: list[_Line], edge: int, step: int) -> int:
    """The span's edge moved over the short sentences ("He was 76.") and the one date beside it.

    More dates in a row are an archive menu.
    """
    dated = False
    while 0 <= edge + step < len(lines):
        line = lines[edge + step]
        if line.drop is not None:
            break
        if _is_date_line(line.text) and not dated:
            dated = True
        elif not _is_short_sentence(line.text):
            break
        edge += step
    return edge


def _content_words(text: str, frequent: frozenset[str]) -> set[str]:
    # five-letter prefixes: a cheap stem that meets "arrive"/"arrived" in any language
    return {w.lower()[:5] for w in LETTER_WORDS.findall(text) if len(w) >= 3 and w.lower() not in frequent}


def _about(text: str, opening: set[str], frequent: frozenset[str]) -> bool:
    """Whether a line outside the body speaks of it (a subheading): most of its words are the opening's."""
    words = _content_words(text, frequent)
    shared = len(words & opening)
    return shared >= ABOUT_MIN_SHARED_WORDS and shared >= ABOUT_MIN_SHARED_SHARE * len(words)


def _opening_words(lines: list[_Line], span: tuple[int, int], frequent: frozenset[str]) -> set[str]:
    """The content words of the article's opening (the span may end in footer prose)."""
    return _content_words(" ".join(line.text for line in lines[span[0] : span[1] + 1])[:OPENING_CHARS], frequent)


def _title_at(lines: list[_Line], header: list[int], opening: set[str] | None, frequent: frozenset[str]) -> int | None:
    """The first headline-like header line (that speaks of the article's ``opening``, when given), or None.

    A headline comes before its subtitle, and the menus above it share nothing with the article.
    """
    return next(
        (
            i
            for i in header
            if lines[i].drop is None
            and _is_headline(lines[i].text)
            and (opening is None or len(_content_words(lines[i].text, frequent) & opening) >= TITLE_MIN_SHARED_WORDS)
        ),
        None,
    )


def _read_header(
    lines: list[_Line], span: tuple[int, int] | None, opening: set[str], frequent: frozenset[str]
) -> tuple[str | None, str | None, str | None]:
    """Title, byline and dateline from the lines before the body.

    On a page with furniture around the article (``span``, the body span, given; ``opening``, the
    content words of its opening) the body starts with the span and the title is the header line that
    speaks of it; otherwise the body starts with the first body paragraph and the title is the first
    headline-like line.
    """
    body_start = (
        span[0]
        if span is not None
        else next(
            (i for i, line in enumerate(lines) if line.drop is None and _is_body_paragraph(line.text)), len(lines)
        )
    )
    # datelines often follow the standfirst, hence the few lines past the header zone; on a
    # furnished page only the lines around the body's start, for menus and footers carry dates too
    # (today's date, archives). "Published: ..." lines were already taken for page metadata, but are
    # datelines here
    scan = (
        range(max(0, body_start - DATELINE_BEFORE_BODY), min(len(lines), body_start + HEADER_SCAN_LINES))
        if span is not None
        else range(min(len(lines), max(body_start, HEADER_SCAN_LINES)))
    )
    dateline_at = next(
        (
            i
            for i in scan
            if lines[i].drop in {None, "date-line", "page-metadata", "posting-line"} and is_dateline(lines[i].text)
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
    title_at = _title_at(lines, header, opening if span is not None else None, frequent)
    if title_at is not None:
        title = lines[title_at].text
        lines[title_at].drop = "title"
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


def clean_plain_text(text: str, language: str | None = None) -> PlainTextCleaning:
    """Remove site boilerplate from scraped article text; find title, byline and dateline.

    ``language`` (ISO 639-1) lets prose be told from menus by its share of frequent words.
    """
    if len(text) > MAX_TEXT_CHARS:
        LOGGER.info("plain text truncated from %s to %s characters", len(text), MAX_TEXT_CHARS)
    lines = _split_lines(text[:MAX_TEXT_CHARS])
    _mark_boilerplate(lines)
    frequent = frequent_words(language)
    span = _body_span(lines, frequent)
    outside = (
        [] if span is None else [i for i, line in enumerate(lines) if line.drop is None and not span[0] <= i <= span[1]]
    )
    # a stray line or two around an article is its own (a title, a date, a list's tail); furniture comes in numbers
    furnished = span if len(outside) >= NAVIGATION_MIN_LINES else None
    opening = _opening_words(lines, furnished, frequent) if furnished is not None else set()
    title, byline, dateline = _read_header(lines, furnished, opening, frequent)
    if furnished is not None:
        for i in outside:
            if lines[i].drop is None and not _about(lines[i].text, opening, frequent):
                lines[i].drop = "navigation"
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
