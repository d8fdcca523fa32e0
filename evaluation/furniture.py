"""Site furniture for a robustness check: real pages' menus, footers and teasers around articles.

The story set's texts are clean, but pages scraped as plain text reach the cleaner with their site's
furniture around the article (menus, log-in prompts, related headlines, archive lists, cookie and
privacy notices, footers), often one item a line and with no blank lines. The furniture here comes
from the English pages of the extraction development set: every text line of a page (links, list
items, headings, paragraphs) that is not in the article the cleaner extracts from it, in page order.
Sites are split in two halves by name ("A", "B") so that a rule written against one half can be
checked on the other.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import lxml.etree
import lxml.html

from evaluation.extraction import cleaned_pages
from storywire.contracts.articles import CleanArticle

__all__ = [
    "FURNISHED_SITES",
    "MIN_FURNITURE_LINES",
    "Furnisher",
    "add_arguments",
    "from_arguments",
    "furnish",
    "page_furniture",
    "site_furniture",
]

FURNISHED_SITES = 40
"""How many sites' furniture a run wraps its texts in (about 19 articles a site on ECB+)."""
MIN_FURNITURE_LINES = 12
"""Sites with fewer furniture lines than this are left out: there is little to wrap with."""

_TEXT_ELEMENTS = ("a", "li", "p", "h1", "h2", "h3", "h4", "span", "button", "label", "td", "small")
_SPACE = re.compile(r"\s+")


def page_furniture(html: str, article: CleanArticle) -> list[str]:
    """The text lines of a page (links, list items, headings, paragraphs) that are not in its article."""
    try:
        root = lxml.html.fromstring(html.encode("utf-8"))
    except (lxml.etree.ParserError, ValueError):
        return []
    lxml.etree.strip_elements(root, "script", "style", "noscript", with_tail=False)
    lines: list[str] = []
    seen: set[str] = set()
    for element in root.iter(*_TEXT_ELEMENTS):
        line = _SPACE.sub(" ", "".join(str(t) for t in element.itertext())).strip()
        if len(line.split()) < 2 or len(line) > 300 or line in seen or line in article.text:
            continue
        if article.title and line in article.title:
            continue
        seen.add(line)
        lines.append(line)
    return lines


def site_furniture(dataset: Path, half: str | None = None) -> dict[str, list[str]]:
    """Furniture lines per site (host name) of the English pages in an extraction set folder.

    ``half`` keeps the sites of one half ("A": even positions in name order, "B": odd).
    """
    sites: dict[str, list[str]] = {}
    for page, html, article in cleaned_pages(dataset):
        if not isinstance(article, CleanArticle) or article.language != "en":
            continue
        lines = page_furniture(html, article)
        if len(lines) >= MIN_FURNITURE_LINES:
            host = page.url.split("/")[2] if page.url.count("/") >= 2 else ""
            sites[host or page.path.name] = lines
    names = sorted(sites)
    if half is not None:
        keep = 0 if half == "A" else 1
        names = [name for i, name in enumerate(names) if i % 2 == keep]
    return {name: sites[name] for name in names}


def furnish(text: str, furniture: Sequence[str], rng: random.Random, separator: str = "\n") -> str:
    """``text`` between the first 3-25 and the last 3-25 of a site's furniture lines, one item a line."""
    most = max(3, min(25, len(furniture) // 2))
    head = furniture[: rng.randint(3, most)]
    foot = furniture[len(furniture) - rng.randint(3, most) :]
    body = [line for line in text.splitlines() if line.strip()]
    return separator.join([*head, *body, *foot])


class Furnisher:
    """Wraps texts, one after another, each in the furniture of one of ``FURNISHED_SITES`` sites (seeded)."""

    def __init__(self, furniture: Mapping[str, Sequence[str]], seed: int = 0) -> None:
        self._furniture = furniture
        self._rng = random.Random(seed)
        self._sites = self._rng.sample(sorted(furniture), min(FURNISHED_SITES, len(furniture)))

    def __call__(self, text: str) -> tuple[str, str]:
        """The site picked and ``text`` in its furniture (:func:`furnish`)."""
        site = self._rng.choice(self._sites)
        return site, furnish(text, self._furniture[site], self._rng)


def add_arguments(parser: argparse.ArgumentParser, effect: str) -> None:
    """A harness's ``--furniture`` and ``--furniture-half`` options; ``effect`` says what it does with them."""
    parser.add_argument("--furniture", type=Path, help=f"an extraction set folder (trafilatura-eval): {effect}")
    parser.add_argument("--furniture-half", choices=("A", "B"), help="only the sites of one half")


def from_arguments(args: argparse.Namespace) -> dict[str, list[str]] | None:
    """The furniture the options of :func:`add_arguments` ask for, if any."""
    return site_furniture(args.furniture, args.furniture_half) if args.furniture else None
