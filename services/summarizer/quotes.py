"""Direct quotations and who said them.

Quoted spans are found per paragraph for curly, straight and ``...'' style
quotes (and ‘...’ single quotes used by British outlets).  Short quoted words
or phrases inside a sentence are scare quotes and are skipped.  The speaker
comes from the attribution next to the quote ("..., X said", "said X",
"X said: ..."); names are mapped to the canonical entity, while pronouns and
role descriptions ("the chief negotiator") resolve to the person the role was
given to earlier, or else to the most recent person who was a sentence
subject.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from services.summarizer.entities import EntityMention, extract_entities, name_key
from services.summarizer.sentences import split_paragraphs

__all__ = ["QuoteFound", "extract_quotes"]


@dataclass(frozen=True, slots=True)
class QuoteFound:
    """A direct quotation and its speaker's canonical name, if known."""

    text: str
    speaker: str | None


_QUOTE_PATTERNS = (
    re.compile(r"“([^“”]{2,}?)(?:”|(?=\n)|$)"),
    re.compile(r"``(.{2,}?)''"),
    re.compile(r"(?<![\w])\"([^\"]{2,}?)\""),
    re.compile(r"(?<![\w])‘(.{2,}?)’(?![a-zA-Z])"),
    re.compile(r"(?<![\w'])'(?=[A-Z])(.{2,}?)'(?![a-zA-Z])"),
)
_SAY = (
    r"(?:said|says|say|added|adds|told\s+(?:reporters|journalists|the\s+[\w ]{1,30}?|\w+)|"
    r"tells|explained|insisted|continued|wrote|writes|tweeted|stated|argued|warned|"
    r"admitted|claimed|declared|noted|replied|recalled|asked|posted|announced|"
    r"confirmed|remarked)"
)
_SPEAKER = r"([A-Z]?[\w’'.-]+(?:\s+[\w’'.-]+){0,7}?)"
_AFTER_NAME_SAID = re.compile(r"^[\s,]*" + _SPEAKER + r"\s+" + _SAY + r"\b")
_AFTER_SAID_NAME = re.compile(
    r"^[\s,]*" + _SAY + r"\s+" + _SPEAKER + r"(?=[,.;]|\s+(?:who|on|in|at|after|when|while|as|of|to)\b|$)"
)
_BEFORE_NAME_SAID = re.compile(_SPEAKER + r"\s+" + _SAY + r"(?:\s+\w+){0,4}?\s*[:,]\s*$")
_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
_SCARE_MAX_WORDS = 4
_WORD = re.compile(r"\w+")


def _is_scare(content: str, attributed: bool) -> bool:
    """Short quoted fragments are emphasis or labels, not speech."""
    words = len(_WORD.findall(content))
    if words <= 2:
        return True
    if words <= _SCARE_MAX_WORDS:
        return not (attributed and content.rstrip()[-1:] in ",.!?")
    return False


class _Resolver:
    """Maps attribution phrases to canonical person names."""

    def __init__(self, text: str, entities: Sequence[EntityMention]) -> None:
        self.people = [e for e in entities if e.type == "PER"]
        forms: list[tuple[str, str]] = []
        for person in self.people:
            for variant in {person.name, *person.variants}:
                forms.append((variant, person.name))
        forms.sort(key=lambda f: -len(f[0]))
        self.forms = forms
        self.roles: dict[str, str] = {}
        for variant, canonical in forms:
            for match in re.finditer(r"((?:[A-Za-z-]+\s+){1,3})" + re.escape(variant) + r"\b", text):
                words = match.group(1).lower().split()
                for k in range(len(words)):
                    self.roles.setdefault(" ".join(words[k:]), canonical)
        self.subjects: list[tuple[int, str]] = []
        for variant, canonical in forms:
            pattern = r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:[A-Z][a-z]+\s+){0,3}" + re.escape(variant) + r"\b"
            for match in re.finditer(pattern, text):
                self.subjects.append((match.start(), canonical))
        self.subjects.sort()

    def by_name(self, phrase: str) -> str | None:
        key = f" {name_key(phrase)} "
        for variant, canonical in self.forms:
            if f" {name_key(variant)} " in key:
                return canonical
        return None

    def last_subject(self, position: int) -> str | None:
        best: str | None = None
        for start, canonical in self.subjects:
            if start >= position:
                break
            best = canonical
        return best

    def resolve(self, phrase: str, position: int) -> str | None:
        named = self.by_name(phrase)
        if named:
            return named
        words = phrase.lower().split()
        if words and words[-1] in _PRONOUNS:
            return self.last_subject(position)
        if words and words[0] in ("the", "a", "his", "her", "their"):
            tail = [w for w in words[1:] if w]
            for k in range(len(tail)):
                role = " ".join(tail[k:])
                if role in self.roles:
                    return self.roles[role]
            return self.last_subject(position)
        trailing: list[str] = []
        for word in reversed(phrase.split()):
            if not word[:1].isupper() or word.lower() in ("mr", "mrs", "ms", "dr"):
                break
            trailing.insert(0, word)
        if trailing:
            return " ".join(trailing[-3:]).strip(",.:")
        return None


def extract_quotes(text: str, entities: Sequence[EntityMention] = ()) -> list[QuoteFound]:
    """Direct quotes in ``text`` with their speakers (canonical names)."""
    if not entities:
        entities = extract_entities(text)
    paragraphs = split_paragraphs(text)
    joined = "\n\n".join(paragraphs)
    resolver = _Resolver(joined, entities)
    found: list[QuoteFound] = []
    offset = 0
    for paragraph in paragraphs:
        taken: list[tuple[int, int]] = []
        for pattern in _QUOTE_PATTERNS:
            for match in pattern.finditer(paragraph):
                start, end = match.span()
                if any(start < e and end > s for s, e in taken):
                    continue
                content = " ".join(match.group(1).split()).strip(" ,")
                after = paragraph[end : end + 120]
                before = paragraph[max(0, start - 120) : start]
                phrase = None
                for regex, source in ((_AFTER_SAID_NAME, after), (_AFTER_NAME_SAID, after)):
                    m = regex.match(source)
                    if m:
                        phrase = m.group(1)
                        break
                if phrase is None:
                    m = _BEFORE_NAME_SAID.search(before)
                    if m:
                        phrase = m.group(1)
                if _is_scare(content, phrase is not None):
                    continue
                # Mid-sentence quotes without attribution are mostly cited phrases.
                if phrase is None and len(_WORD.findall(content)) < 8 and before.strip()[-1:].isalpha():
                    continue
                taken.append((start, end))
                speaker = resolver.resolve(phrase, offset + start) if phrase else None
                found.append(QuoteFound(text=content, speaker=speaker))
        offset += len(paragraph) + 2
    return found
