"""Sentence splitting for news text.

Wraps syntok's segmenter and adds the repairs news text needs: image captions
that scraping glued onto the next sentence without punctuation (common in
Daily Mail pages) are cut off again so they do not pose as one long sentence.
Caption labels such as ``Violent:`` or ``Proud mum:`` are editorial tags, not
part of the statement, and are dropped from the start of a sentence.

The text is an article's clean text: the cleaner has removed datelines, bylines and scraping
lines (``services/cleaner/wire_boilerplate.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable

from syntok import segmenter

from storywire.services.text.lexicons import SPEECH_VERBS
from storywire.services.text.tokens import LETTER_WORDS_LOOSE

__all__ = ["sentences_in", "split_paragraphs", "split_sentences"]

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# Words that start a new sentence but practically never follow a lowercase
# word without punctuation inside one; seeing that pattern means a caption
# was glued on.
_STARTERS = frozenset(
    ["He", "She", "They", "It", "We", "His", "Her", "Their", "Its", "Our", "But", "However", "Meanwhile"]
)
_ARTICLES = frozenset({"The", "A", "An", "This", "These", "Those"})
_DEFINITE = frozenset({"The", "This", "These", "Those"})
_NO_SPLIT_BEFORE_QUOTE = frozenset(
    [
        "said",
        "says",
        "say",
        "saying",
        "told",
        "tells",
        "added",
        "adds",
        "asked",
        "wrote",
        "writes",
        "read",
        "reads",
        "as",
        "of",
        "the",
        "a",
        "an",
        "be",
        "was",
        "is",
        "were",
        "are",
        "called",
        "call",
        "dubbed",
        "named",
        "titled",
        "and",
        "or",
        "to",
        "with",
        "by",
        "from",
        "that",
        "than",
        "like",
        "in",
        "on",
        "at",
        "for",
        "about",
    ]
)
_GLUE_CANDIDATE = re.compile(
    r"(?<=[a-z0-9)])\s+(?=(?:[A-Z][a-z]+:?(?!\w)|[‘'\"“][A-Z]|[A-Z][a-z]+(?: [a-z]+){1,3}:\s+[A-Z]))"
)
# A Daily Mail caption label ("Violent: ", "Proud mum: ", "CLAIM: ") that opens
# a caption: one to four words and a colon, followed by a capitalised word.
# Speech ("He said: 'It ...") is excluded because a quote, not a capital, follows.
_CAPTION_LABEL = re.compile(r"^(?:[A-Z][A-Za-z]+(?: [a-z]+){0,3}|[A-Z]{2,}):\s+(?=[A-Z][a-z])")
_MULTIWORD_LABEL = re.compile(r"[A-Z][a-z]+(?: [a-z]+){1,3}:\s+[A-Z]")
_SPEECH_VERB = re.compile(r"\b(?:" + "|".join(sorted(SPEECH_VERBS)) + r")\b")
# A quotation mark separated from its first word by scraping ("‘ But I ...").
_LOOSE_OPEN_QUOTE = re.compile(r"^([‘'\"“])\s+(?=\w)")
# A short quoted name or phrase that the sentence carries on after ("her regular 'Queen of
# Everything' feature"): the quote is part of the sentence, not a caption's quotation.
_INLINE_QUOTE = re.compile(r"""^[‘'"“][^‘'"“”’.!?]{0,60}?[^‘'"“”’.!?,;:\s][’'"”],?\s+[a-z]""")
# What the rules read of a candidate caption: its first two words, or an inline quote (at most
# about 70 characters in a sentence of single spaces).
_TAIL_CHARS = 200


def split_paragraphs(text: str) -> list[str]:
    """Split cleaned text into non-empty paragraphs (blank-line separated)."""
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def _split_glued(sentence: str) -> list[str]:
    """Cut a sentence where an unpunctuated caption boundary is evident.

    The sentence's words are found once: a long run of text without sentence punctuation has a
    candidate boundary at every capital, and counting the words before and after each one anew made
    its cost grow with the square of its length.
    """
    words = list(LETTER_WORDS_LOOSE.finditer(sentence))
    word_starts = [w.start() for w in words]
    parts: list[str] = []
    start = 0
    first_word = 0  # index in ``words`` of the first word after ``start``
    for match in _GLUE_CANDIDATE.finditer(sentence):
        cut = match.end()
        # the boundary is white space, so no word runs across it
        before = bisect_left(word_starts, match.start(), lo=first_word)
        words_before = before - first_word
        words_after = len(words) - bisect_left(word_starts, cut, lo=before)
        if words_before < 6 or words_after < 5:
            continue
        nxt = sentence[cut : cut + _TAIL_CHARS].split(None, 2)
        first = nxt[0]
        prev = words[before - 1].group(0)
        if first[0] in "‘'\"“":
            # An opening quote straight after a plain word is a caption
            # followed by a quotation, unless a verb of saying introduces it.
            if prev.lower() in _NO_SPLIT_BEFORE_QUOTE or words_after < 6:
                continue
            if first[0] == "'" and len(first) > 1 and first[1:2].isupper() is False:
                continue
            if _INLINE_QUOTE.match(sentence[cut : cut + _TAIL_CHARS]):
                continue
        elif (label := _MULTIWORD_LABEL.match(sentence, cut)) and not _SPEECH_VERB.search(
            label.group(0).split(":", 1)[0]
        ):
            # Multi-word caption labels ("Proud mum: Jean ...") start a caption.
            if not prev[0].islower() and not prev[0].isdigit():
                continue
        elif first.endswith(":") and first[:-1].isalpha() and first[0].isupper():
            # Caption labels ("Violent: The video ...") start a new unit.
            if not prev[0].islower():
                continue
        elif first in _STARTERS:
            if not prev[0].islower():
                continue
        elif first in _ARTICLES:
            # "The video captures" is a new sentence; "The Mail on Sunday" a title. After a
            # capitalised word only the definite ones cut: "…Nigel Farage The study found" is a
            # glued caption, while "Vitamin A and" or "Plan A to" are not.
            if len(nxt) < 2 or not nxt[1][:1].islower() or not (prev[0].islower() or first in _DEFINITE):
                continue
        else:
            continue
        parts.append(sentence[start : match.start()].strip())
        start = cut
        first_word = bisect_left(word_starts, cut, lo=before)
    parts.append(sentence[start:].strip())
    return [p for p in parts if p]


def _strip_label(sentence: str) -> str:
    """Drop a leading caption label and loosen-quote spacing; keep the statement."""
    sentence = _LOOSE_OPEN_QUOTE.sub(r"\1", sentence)
    match = _CAPTION_LABEL.match(sentence)
    if match is None or _SPEECH_VERB.search(match.group(0)):
        return sentence
    rest = sentence[match.end() :]
    # Keep the label when what follows is too short to stand alone.
    return rest if len(LETTER_WORDS_LOOSE.findall(rest)) >= 4 else sentence


def split_sentences(text: str) -> list[str]:
    """Split clean article text into sentences, in order."""
    return sentences_in(split_paragraphs(text))


def sentences_in(paragraphs: Iterable[str]) -> list[str]:
    """The sentences of paragraphs from :func:`split_paragraphs`, in order."""
    sentences: list[str] = []
    for paragraph in paragraphs:
        for para in segmenter.analyze(paragraph):
            for sent in para:
                if not sent:
                    continue
                begin = sent[0].offset
                last = sent[-1]
                chunk = paragraph[begin : last.offset + len(last.value)]
                for piece in _split_glued(" ".join(chunk.split())):
                    if any(ch.isalpha() for ch in piece):
                        sentences.append(_strip_label(piece))
    return sentences
