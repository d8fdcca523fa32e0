"""Word lists kept as data files beside the code (``data/*.txt``), read once per process.

A list file holds words separated by white space; a table file holds one row a line, its
fields separated by white space. Lines starting with ``#`` are comments. The files ship in the
wheel as package data and are read through :mod:`importlib.resources`, so they work from a
checkout and from an installed wheel alike.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["PAGE_LABEL_WORDS", "SPEECH_VERBS", "read_rows", "read_words"]


@cache
def read_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of the data file ``name``, each split on white space; blank and comment lines skipped."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    rows = (line.split() for line in text.splitlines() if not line.lstrip().startswith("#"))
    return tuple(tuple(row) for row in rows if row)


def read_words(name: str) -> frozenset[str]:
    """All words of the data file ``name``."""
    return frozenset(word for row in read_rows(name) for word in row)


PAGE_LABEL_WORDS = read_words("page-labels.txt")
"""English labels of page furniture ("Advertisement", "Comments", "Photo") that name nothing."""

SPEECH_VERBS = read_words("speech-verbs.txt")
"""Verbs that attribute speech ("said", "told", "tweeted"), in the forms papers use."""
