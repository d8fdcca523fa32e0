"""Language identification for article text (py3langid: offline, fast)."""

from __future__ import annotations

import py3langid

#: Below this many characters the classifier guesses more than it knows.
MIN_CHARS = 40
#: It reads no further than this: the start of an article decides its language.
MAX_CHARS = 5_000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None for text too short to tell."""
    sample = text[:MAX_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return None
    language, _score = py3langid.classify(sample)
    return str(language)
