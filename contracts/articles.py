"""Articles as publishers send them and as the cleaner emits them."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, model_validator

from storywire.contracts.base import Contract

ContentType = Literal["text/html", "text/plain"]

#: Characters an article id may not hold: C0 and C1 control characters, DEL, and the invisible
#: formatting ones (zero-width, bidirectional controls, line and paragraph separators, byte-order
#: mark). Ids reach log lines and terminals, where such characters forge lines or hide text.
UNPRINTABLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x206F),
    (0xFEFF, 0xFEFF),
)
_UNPRINTABLE_CLASS = "".join(
    f"\\u{low:04x}" + (f"-\\u{high:04x}" if high > low else "") for low, high in UNPRINTABLE_RANGES
)
_UNPRINTABLE = re.compile(f"[{_UNPRINTABLE_CLASS}]")

#: The documented form of an article id (JSON Schema ``pattern``); the validator below enforces it
#: and names the offending character.
ARTICLE_ID_PATTERN = f"^[^{_UNPRINTABLE_CLASS}]+$"


def _printable(article_id: str) -> str:
    found = _UNPRINTABLE.search(article_id)
    if found:
        raise ValueError(
            f"must be printable: U+{ord(found.group()):04X} at position {found.start()}"
            " is a control or invisible character"
        )
    return article_id


ArticleId = Annotated[
    str,
    Field(min_length=1, max_length=512, json_schema_extra={"pattern": ARTICLE_ID_PATTERN}),
    AfterValidator(_printable),
]


def content_digest(content: str) -> str:
    """Hex SHA-256 of a text, the identity of one version of an article."""
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()


def outlet_from_url(url: str | None) -> str | None:
    """The URL's host without a leading ``www.``, or None when there is none."""
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


class RawArticle(Contract):
    """An article as a publisher pushes it onto ``articles.raw``."""

    contract_name: ClassVar[str] = "RawArticle"

    schema_version: Literal[1] = 1
    article_id: ArticleId = Field(
        description=(
            "The publisher's idempotency key, printable (no control or invisible characters), at most 512"
            " characters. When absent it is derived from the URL, or from the content when there is no URL."
        ),
    )
    url: str | None = Field(default=None, max_length=4096)
    outlet: str | None = Field(default=None, max_length=256, description="Defaults to the URL's host.")
    title: str | None = Field(default=None, max_length=2048)
    content: str = Field(min_length=1, description="HTML or plain text, never empty.")
    content_type: ContentType = "text/plain"
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str | None = Field(default=None, max_length=16, description="Optional ISO 639-1 hint.")

    @model_validator(mode="before")
    @classmethod
    def _derive_identity(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        derived = dict(data)
        url = derived.get("url") or None
        if not derived.get("article_id"):
            content = derived.get("content")
            if url:
                derived["article_id"] = "url-" + content_digest(str(url))[:20]
            elif isinstance(content, str) and content:
                derived["article_id"] = "sha-" + content_digest(content)[:20]
        if not derived.get("outlet") and isinstance(url, str):
            derived["outlet"] = outlet_from_url(url)
        return derived

    @model_validator(mode="after")
    def _content_is_not_blank(self) -> RawArticle:
        if not self.content.strip():
            raise ValueError("content is blank")
        return self


class CleanArticle(Contract):
    """An article with its boilerplate removed, as the cleaner emits it."""

    contract_name: ClassVar[str] = "CleanArticle"

    schema_version: Literal[1] = 1
    article_id: ArticleId
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str | None = None
    text: str = Field(description="Main text, paragraphs separated by blank lines.")
    word_count: int = Field(ge=0)
    content_hash: str = Field(description="SHA-256 of `text`: one version of the article.")
    source_hash: str = Field(description="SHA-256 of the raw content it was cleaned from.")
    source_content_type: ContentType = "text/plain"
    removed: tuple[str, ...] = Field(default=(), description="What the cleaner removed, one short description each.")
