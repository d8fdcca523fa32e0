"""News-wire furniture left in an article's text: datelines, bylines and scraping lines.

Agency datelines such as ``(CNN) --`` or ``LONDON (Reuters) -``, Daily Mail bylines
("By . Jane Doe . PUBLISHED: ... | . UPDATED: ...") and lines such as "ADVERTISEMENT" or "Scroll
down for video" survive both the HTML extractor and the plain-text filter. They are removed last,
from the article's whole text, so that every later stage (dedup, the summarizer) reads the text as
it is.
"""

from __future__ import annotations

import re

from storywire.services.text.lexicons import PAGE_LABEL_WORDS

__all__ = ["strip_wire_boilerplate"]

# Dateline prefixes: "(CNN)", "Kathmandu, Nepal (CNN) --", "LONDON (Reuters) -".
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][\w.' ,-]{0,60}?\s*)?\((?:CNN|Reuters|AP|AFP|CNN Student News|EW\.com|"
    r"Mashable|Entertainment Weekly|Health\.com|Travel \+ Leisure)\)\s*(?:--|—|–|-)?\s*"
)
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:Scroll down for videos?|READ MORE:?.*|"
    r"Last updated at .*|By \. .*?PUBLISHED: .*|PUBLISHED: .*|UPDATED: .*|"
    r"Share this article|Click here.*)\s*$"
)
# Daily Mail bylines survive inline in some dumps: "By . Jane Doe . PUBLISHED: ... | . UPDATED: ... ."
_INLINE_BYLINE = re.compile(
    r"By \. [^.]{1,80} \. (?:PUBLISHED: \. )?(?:PUBLISHED:)?[^|]{0,80}\| \. UPDATED: \. [^.]{0,80}\. ",
)
_INLINE_NOISE = re.compile(r"\b(?:Scroll down for videos?|Last updated at \d[^.]{0,60}\.)\s*")


def _is_label_line(line: str) -> bool:
    """A line that is one label of page furniture ("ADVERTISEMENT", "Comments"), as written on a page."""
    word = line.strip()
    return word.lower() in PAGE_LABEL_WORDS and (word.istitle() or word.isupper())


def strip_wire_boilerplate(text: str) -> str:
    """``text`` without its dateline, bylines and scraping boilerplate lines."""
    text = text.replace("\r\n", "\n").replace("\xa0", " ")
    text = _INLINE_BYLINE.sub("", text)
    lines = [line for line in text.split("\n") if not (_BOILERPLATE_LINE.match(line) or _is_label_line(line))]
    text = "\n".join(lines)
    text = _DATELINE.sub("", text, count=1)
    text = _INLINE_NOISE.sub("", text)
    return text.strip()
