"""An article analysed once: its paragraphs and sentences, for every part of its summary.

Entities, key points, keywords and quotes read the same sentences and paragraphs; splitting the text
once and handing the result to each of them saves three passes of the sentence splitter per article.
"""

from __future__ import annotations

from dataclasses import dataclass

from storywire.services.summarizer.sentences import sentences_in, split_paragraphs

__all__ = ["Document", "document_of"]


@dataclass(frozen=True, slots=True)
class Document:
    """An article's text (as the cleaner left it) with its paragraphs and sentences, in order."""

    text: str
    paragraphs: tuple[str, ...]
    sentences: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> Document:
        """Split ``text`` into paragraphs and sentences, once."""
        paragraphs = tuple(split_paragraphs(text))
        return cls(text=text, paragraphs=paragraphs, sentences=tuple(sentences_in(paragraphs)))


def document_of(text: str | Document) -> Document:
    """``text`` as a document: a plain text is split here, a document is taken as it is."""
    return text if isinstance(text, Document) else Document.of(text)
