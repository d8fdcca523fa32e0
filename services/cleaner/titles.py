"""Titles that are not headlines: the name of the software that made the page.

A template with no headline to hand fills the slot with a name it does know, sometimes its
own: a Telegraph page's JSON-LD headline is ``escenic``, the content management system.
Such a title is refused and the page's next title source is read, or none: the summarizer
then heads the article with its first key point, which beats a product name.

Two rules, both narrow on purpose (a rare real headline that looks like software is
kept rather than guessed away):

* the title's words are the name the page gives in ``<meta name="generator">``, versions
  aside (``WordPress 5.3.2`` refuses ``WordPress``);
* the title is, letter for letter, the one lowercase word a known content management system
  writes for itself (``escenic``); a capitalised ``Drupal`` may be an article about it.
"""

from __future__ import annotations

import re
from typing import Final

from lxml import etree
from lxml.html import HtmlElement

#: Content management systems of news and other sites, as their templates write their names.
CMS_NAMES: Final = frozenset(
    {
        "brightspot",
        "contao",
        "drupal",
        "escenic",
        "ezpublish",
        "joomla",
        "livingdocs",
        "mediawiki",
        "methode",
        "polopoly",
        "sitecore",
        "sophora",
        "squarespace",
        "typo3",
        "umbraco",
        "wordpress",
    }
)

_GENERATOR_XPATH: Final = etree.XPath("//meta[translate(@name, 'GENERATOR', 'generator') = 'generator']/@content")
# What follows the product's name in a generator: a tagline after a dash or bar, a parenthesis.
_AFTER_NAME_RE: Final = re.compile(r"\(|\s[-–—|:]\s")
_WORD_RE: Final = re.compile(r"\w+")
_VERSION_RE: Final = re.compile(r"v?\d\w*")


def _words(text: str) -> tuple[str, ...]:
    """The text's words, casefolded, without version numbers (``5``, ``3.2`` and ``v7`` go)."""
    return tuple(w for w in _WORD_RE.findall(text.casefold()) if not _VERSION_RE.fullmatch(w))


def generator_names(tree: HtmlElement) -> frozenset[tuple[str, ...]]:
    """The software names the page's ``<meta name="generator">`` tags give, as words."""
    found = _GENERATOR_XPATH(tree)
    contents = [str(c) for c in found] if isinstance(found, list) else []
    names = (_words(_AFTER_NAME_RE.split(content, maxsplit=1)[0]) for content in contents)
    return frozenset(name for name in names if name)


def is_software_name(title: str, generators: frozenset[tuple[str, ...]]) -> bool:
    """True when ``title`` names the software that made the page rather than what it reports."""
    return title.strip() in CMS_NAMES or (bool(generators) and _words(title) in generators)


def headline_or_none(title: str | None, generators: frozenset[tuple[str, ...]]) -> str | None:
    """``title``, or None when it is empty or a software name (see :func:`is_software_name`)."""
    if not title or not title.strip() or is_software_name(title, generators):
        return None
    return title
