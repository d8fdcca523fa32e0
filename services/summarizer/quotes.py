"""Direct quotations and who said them.

Quoted spans are found per paragraph for curly, straight and ``...'' style
quotes (and ‘...’ single quotes used by British outlets).  Short quoted words
or phrases inside a sentence are scare quotes and are skipped.  The speaker
comes from the attribution next to the quote ("..., X said", "said X",
"X said: ..."); names are mapped to the canonical entity, while pronouns and
role descriptions ("the chief negotiator") resolve to the person the role was
given to earlier, or else to the first person named in the nearest earlier
sentence that names one (its subject, usually), skipping people whose
pronouns elsewhere in the article do not fit ("she said" is not Mr Brown).
Straight single quotes must close after punctuation or before a space, so
apostrophes ("didn't", "Tony's") do not end a quote early.  A quote that runs
over paragraphs (each opening with a new mark, the one before left open) is one
quote a paragraph by the same speaker.  Organisations speak too ("a spokesman
for Terminix said"), when no person is named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from storywire.services.summarizer.entities import EntityMention, extract_entities, name_key
from storywire.services.summarizer.sentences import split_paragraphs

__all__ = ["QuoteFound", "extract_quotes"]


@dataclass(frozen=True, slots=True)
class QuoteFound:
    """A direct quotation and its speaker's canonical name, if known."""

    text: str
    speaker: str | None


_QUOTE_PATTERNS = (
    re.compile(r"“([^“”]{2,}?)(?:”|(?=\n)|$)"),
    re.compile(r"``(.{2,}?)''"),
    # A closing mark is not followed by a letter: in 'good. "This is' the mark opens the next
    # paragraph of a quote whose first paragraph, as is the custom, was left open.
    re.compile(r"(?<![\w])\"([^\"]{2,}?)\"(?![A-Za-z])"),
    re.compile(r"(?<![\w])\"([^\"]{2,}?[.!?])\s+(?=\"[A-Z])"),
    re.compile(r"(?<![\w])‘(.{2,}?)’(?![a-zA-Z])"),
    # Marks mixed by an editor: "‘I was surprised,' Hazard said."
    re.compile(r"(?<![\w])‘([^‘’]{2,}?[,.!?])'(?=\s|$)"),
    # CNN/DM pages put a space after an opening straight quote ("' We have to wait,'").
    re.compile(r"(?<![\w'])' ?(?=[A-Z])(.{2,}?(?:[,.!?]|[^\s,.!?s]))'(?=[\s,.;:!?)]|$)"),
)
_SAY = (
    r"(?:said|says|say|added|adds|told\s+(?:reporters|journalists|[Tt]he\s+[\w '’-]{1,40}?|\w+)|"
    r"tells|explained|insisted|continued|wrote|writes|tweeted|stated|states|adding|argued|warned|"
    r"admitted|claimed|declared|noted|replied|recalled|asked|posted|announced|"
    r"confirmed|remarked|revealed|conceded|suggested|joked|responded|said\s+in\s+a\s+statement)"
)
_SPEAKER = r"([A-Z]?[\w’'.-]+(?:\s+[\w’'.-]+){0,7}?)"
_AFTER_NAME_SAID = re.compile(r"^[\s,]*" + _SPEAKER + r"\s+" + _SAY + r"\b")
_AFTER_SAID_NAME = re.compile(
    r"^[\s,]*" + _SAY + r"\s+" + _SPEAKER + r"(?=[,.;]|\s+(?:who|on|in|at|after|when|while|as|of|to)\b|$)"
)
_BEFORE_NAME_SAID = re.compile(_SPEAKER + r"\s+" + _SAY + r"(?:\s+\w+){0,4}?\s*[:,]\s*$")
# A long subject ("Pama's defence lawyer, who spoke outside court, added:") before
# a colon-introduced quote: the clause from the last sentence boundary.
# Where a sentence ends: its stop (and a closing mark after it), or a line break.
_BOUNDARY = r"[.!?][\"'’”]?\s+|\n+"
_BEFORE_CLAUSE = re.compile(r"(?:^|" + _BOUNDARY + r")([^.!?\n]{1,200}?)\s+" + _SAY + r"(?:\s+\w+){0,4}?\s*[:;]\s*$")
# "Elias Rodriguez, an EPA spokesman, said the results "do show...": the subject of a speech verb
# earlier in the quote's own sentence.
_SAID_IN_SENTENCE = re.compile(
    r"(?:^|" + _BOUNDARY + r")([^.!?\n\"“”‘’]{1,200}?)\s+" + _SAY + r"\b[^.!?\n\"“”‘’]{0,150}$"
)
_OBJECT_BEFORE = re.compile(
    r"\b(?:with|to|by|for|from|against|at|on|of|and|or|than|about|over|into|that|told|beat|like|as|behind)\s+$",
    re.IGNORECASE,
)
_AFFILIATED = re.compile(r"^((?:[A-Z][\w’'.-]+\s+)+[A-Z][\w’'.-]+)\s+of\s+[A-Z].*$", re.DOTALL)
_CONTINUATION = re.compile(r"[^\"“”‘’']{0,100}?[.!?]\s*")
_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
_POSSESSIVES = frozenset({"his", "her", "their"})
# Attributions to these are not people: "the agency noted" must not fall back to a person.
_NOT_PERSON_TEXT = """
    agency company ministry department government police club firm statement report court council group
    organisation organization team board office website newspaper paper channel network station
    embassy army military kremlin house document survey study
"""
_NOT_PERSON = frozenset(_NOT_PERSON_TEXT.split())
_MALE = frozenset({"he", "him", "his", "mr"})
_FEMALE = frozenset({"she", "her", "hers", "mrs", "ms", "miss"})
# A quote whose paragraph ends open and whose next paragraph opens with a new mark, as papers
# print a quote that runs over paragraphs ("...run to the toilet. ' I noticed that...").
_NEXT_PARAGRAPH = re.compile(r"(?<=[.!?])\s+[\"'‘“]\s?(?=[A-Z])")
_SENTENCE_END = re.compile(_BOUNDARY)
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


def _named_in(phrase: str, forms: Sequence[tuple[str, str]]) -> str | None:
    """The canonical name of the first of ``forms`` (variant, canonical) that ``phrase`` holds."""
    key = f" {name_key(phrase)} "
    for variant, canonical in forms:
        if f" {name_key(variant)} " in key:
            return canonical
    return None


class _Resolver:
    """Maps attribution phrases to canonical names of people (or of organisations that speak)."""

    def __init__(self, text: str, entities: Sequence[EntityMention]) -> None:
        self.people = [e for e in entities if e.type == "PER"]
        # Organisations speak too, by a spokesman or a statement: their names, longest first.
        self.organisations = sorted(
            ((variant, org.name) for org in entities if org.type == "ORG" for variant in {org.name, *org.variants}),
            key=lambda form: -len(form[0]),
        )
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
        # Every mention of a person, by position, for pronoun resolution.
        self.mentions: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for variant, canonical in forms:
            for match in re.finditer(r"\b" + re.escape(variant) + r"\b", text):
                span = match.span()
                if any(span[0] < e and span[1] > s for s, e in taken):
                    continue  # "Peskov" inside an already-seen "Dmitry Peskov"
                taken.append(span)
                self.mentions.append((span[0], span[1], canonical))
        self.mentions.sort()
        self.text = text
        self.gender = self._genders(text)

    def _genders(self, text: str) -> dict[str, str]:
        """Gender evidence per person: honorifics and pronouns right after a mention."""
        votes: dict[str, list[int]] = {}
        starts = [start for start, _end, _c in self.mentions]
        for k, (start, end, canonical) in enumerate(self.mentions):
            # The honorific right before, and pronouns up to the next person named.
            stop = min(end + 60, starts[k + 1] if k + 1 < len(starts) else len(text))
            window = (text[max(0, start - 5) : start] + " " + text[end:stop]).lower()
            words = re.findall(r"[a-z]+", window)
            male = sum(w in _MALE for w in words)
            female = sum(w in _FEMALE for w in words)
            tally = votes.setdefault(canonical, [0, 0])
            tally[0] += male
            tally[1] += female
        return {
            name: ("m" if m > f else "f") for name, (m, f) in votes.items() if m != f and max(m, f) >= 2 * min(m, f) + 1
        }

    def by_name(self, phrase: str) -> str | None:
        return _named_in(phrase, self.forms)

    def last_subject(self, position: int, pronoun: str = "") -> str | None:
        """Latest subject-like fitting person of the nearest sentence naming one."""
        wanted = "m" if pronoun in _MALE else "f" if pronoun in _FEMALE else ""
        bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(self.text, 0, position))]
        for lo in reversed(bounds):
            found = [
                c
                for s, _e, c in self.mentions
                if lo <= s < position and (not wanted or self.gender.get(c, wanted) == wanted)
            ]
            subjects = [
                c
                for s, _e, c in self.mentions
                if lo <= s < position and c in found and not _OBJECT_BEFORE.search(self.text[max(lo, s - 20) : s])
            ]
            if subjects:
                # "But Ellerbe disagreed with Arum. He said": Ellerbe, not the object Arum.
                return subjects[-1]
            if found:
                return found[0]
            position = lo
        return None

    def resolve(self, phrase: str, position: int) -> str | None:
        # "Roy Bentham of Spirit of Shankly said": the speaker is the name before "of".
        phrase = _AFFILIATED.sub(r"\1", phrase.lstrip(".,;:!?'\"’”‘“ "))
        named = self.by_name(phrase)
        if named:
            return named
        words = phrase.lower().split()
        if words and words[-1] in _PRONOUNS:
            return self.last_subject(position, words[-1])
        # "A spokesman for Terminix said", "Rajasthan Police said": the organisation speaks (but "her
        # Facebook page states" is hers).
        possessive = bool(words) and words[0] in _POSSESSIVES
        organisation = None if possessive else _named_in(phrase, self.organisations)
        if organisation:
            return organisation
        if words and words[0] in ("a", "an"):
            return None  # "a spokesman said": someone not named
        if words and words[-1] in _NOT_PERSON:
            return None
        if words and (words[0] == "the" or words[0] in _POSSESSIVES):
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
        taken: list[tuple[int, int, int, str, str | None, bool]] = []
        for pattern in _QUOTE_PATTERNS:
            for match in pattern.finditer(paragraph):
                start, end = match.span()
                if any(start < e and end > s for s, e, *_ in taken):
                    continue
                content = " ".join(match.group(1).split()).strip(" ,")
                after = paragraph[end : end + 120]
                before = paragraph[max(0, start - 240) : start]
                phrase = None
                said_before = _BEFORE_NAME_SAID.search(before) or _BEFORE_CLAUSE.search(before)
                # "He said: '...'" names the speaker whatever sentence follows the quote.
                if not (said_before and before.rstrip().endswith(":")):
                    for regex, source in ((_AFTER_SAID_NAME, after), (_AFTER_NAME_SAID, after)):
                        m = regex.match(source)
                        if m:
                            phrase = m.group(1)
                            break
                if phrase is None and said_before:
                    # The lazy speaker pattern can reach back over "Arum. He said:".
                    phrase = re.split(r"(?<=[a-z]{2}[.!?])\s+", said_before.group(1))[-1]
                if phrase is None and (in_sentence := _SAID_IN_SENTENCE.search(before)):
                    phrase = in_sentence.group(1)
                if _is_scare(content, phrase is not None):
                    continue
                # Mid-sentence quotes without attribution are mostly cited phrases.
                if phrase is None and len(_WORD.findall(content)) < 8 and before.strip()[-1:].isalpha():
                    continue
                speaker = resolver.resolve(phrase, offset + start) if phrase else None
                # One speaker's quote over several paragraphs: each paragraph's part is a quote.
                for k, part in enumerate(_NEXT_PARAGRAPH.split(content)):
                    taken.append((start, end, k, part.strip(), speaker, phrase is not None))
        taken.sort()
        previous: tuple[int, str | None] | None = None
        for start, end, _part, content, named, attributed in taken:
            speaker = named
            # "'...,' Arum added. 'That's what...'": a quote that follows the
            # previous one's attribution directly continues the same speech.
            continues = previous is not None and _CONTINUATION.fullmatch(paragraph[previous[0] : start])
            if not attributed and previous is not None and previous[1] is not None and continues:
                speaker = previous[1]
            found.append(QuoteFound(text=content, speaker=speaker))
            previous = (end, speaker)
        offset += len(paragraph) + 2
    return found
