"""Light English stemmers: suffix stripping, no dictionary, no per-language resources.

Two are in use and they differ on purpose, because each was tuned with its caller's figures:

* :func:`stem_inflections` (the story index) strips a possessive, then a plural, then ``-ing`` or
  ``-ed``, each from long words only: "meetings" -> "meet". Over-stemming costs little there,
  because articles are compared as whole vectors.
* :func:`stem_first_suffix` (keyword ranking) strips a possessive, then the first of a list of
  suffixes that leaves three letters: "meetings" -> "meeting", "agreed" -> "agre". Keywords
  are shown in the surface form seen most often, so a stem only has to group them.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["stem_first_suffix", "stem_inflections"]


def _without_possessive(word: str) -> str:
    w = word.lower().replace("’", "'")
    return w[:-2] if w.endswith("'s") else w


@lru_cache(maxsize=1 << 16)
def stem_inflections(word: str) -> str:
    """Lowercase and strip the commonest English inflections: a plural, then ``-ing``/``-ed``."""
    w = _without_possessive(word)
    if len(w) > 4:
        if w.endswith("ies"):
            w = w[:-3] + "y"
        elif w.endswith("sses"):
            w = w[:-2]
        elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
    if len(w) > 5:
        if w.endswith("ing"):
            w = w[:-3]
        elif w.endswith("ed") and not w.endswith("eed"):
            w = w[:-2]
    return w


_FIRST_SUFFIXES = (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", ""))


def stem_first_suffix(word: str) -> str:
    """Lowercase and strip the first of -ies/-sses/-ing/-ed/-es/-s that leaves three letters."""
    w = _without_possessive(word)
    for suffix, keep in _FIRST_SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            return w[: -len(suffix)] + keep
    return w
