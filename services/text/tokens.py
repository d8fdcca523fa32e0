"""Word tokenizer patterns, one per kind of word a rule counts.

Each worker splits text into words for its own purpose, and the purposes differ: a word count
takes every run of word characters, shingles for near-duplicates take letters and digits, the
story index keeps "U.S." and "don't" whole, keyword ranking wants letters only. The kinds are
named here so that a rule says which one it uses; a new rule picks one of these before it
writes another.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ALPHANUMERIC_RUNS", "ALPHANUMERIC_WORDS", "LETTER_WORDS", "LETTER_WORDS_LOOSE", "WORD_CHARS"]

WORD_CHARS: Final = re.compile(r"\w+")
"""Runs of word characters: letters and digits of any script, and the underscore ("U", "S", "2024")."""

ALPHANUMERIC_RUNS: Final = re.compile(r"[^\W_]+")
"""Runs of letters and digits of any script; everything else separates ("don", "t")."""

ALPHANUMERIC_WORDS: Final = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
"""Letters and digits, kept whole across an apostrophe, a dot or a hyphen between them ("U.S", "don't", "covid-19")."""

LETTER_WORDS: Final = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
"""Letters of any script, kept whole across an apostrophe or a hyphen between them; digits separate."""

LETTER_WORDS_LOOSE: Final = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-])*")
"""A letter, then letters, apostrophes and hyphens in any order ("Modrić", "o'clock", "well-"); strip the end."""
