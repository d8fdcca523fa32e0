"""Direct quotations and who said them: a wrong speaker is worse than none.

Quoted spans are found per paragraph for curly, straight and ``...'' style
quotes (and ‘...’ single quotes used by British outlets).  Short quoted words
or phrases inside a sentence are scare quotes and are skipped.  The speaker
comes from the attribution next to the quote ("..., X said", "said X",
"X said: ..."; an attribution after a quote that ends in a colon introduces the
next quote instead), the subject of a speech verb earlier in the quote's
sentence, or, for an unattributed quote that opens a sentence, a person named as
the subject of a speech verb in the sentence before.  Names are mapped to the
canonical entity; a name the entity step missed is taken only as two or more
capitalised words.  Pronouns ("he said") and role phrases ("the lawyer said")
resolve only when the nearest earlier sentence naming a person as a subject
names exactly one who fits (a person of the other sex does not; "with Colin" is
an object); otherwise, and for "they" and "we", the speaker is left unknown.
Straight single quotes must close after punctuation or before a space, so
apostrophes ("didn't", "Tony's") do not end a quote early.  A quote that runs
over paragraphs (each opening with a new mark, the one before left open) is one
quote a paragraph by the same speaker, and a later quote of the same sentence or
the next shares the speaker of the one before, as does a quote opening a sentence after text
that names nobody and holds no speech verb (a caption between two paragraphs of one speech).  A
fragment in straight single marks that opens in lower case is a quote only where its sentence says
who spoke.  Organisations speak when the
attribution is theirs ("Rajasthan Police said", "a spokesman for Terminix"),
not when they are an object in it ("her Facebook page", "against Al-Qaeda").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from storywire.services.summarizer.document import Document, document_of
from storywire.services.summarizer.entities import EntityMention, extract_entities, name_key
from storywire.services.summarizer.entities.lexicons import HONORIFICS, SPEAKER_NOT_PERSON, SPEAKER_OBJECT_WORDS
from storywire.services.text.lexicons import SPEECH_VERBS
from storywire.services.text.punctuation import SENTENCE_STOPS, ends_in
from storywire.services.text.tokens import WORD_CHARS

__all__ = ["QuoteFound", "extract_quotes"]


@dataclass(frozen=True, slots=True)
class QuoteFound:
    """A direct quotation and its speaker's canonical name, if known."""

    text: str
    speaker: str | None


# A quoted fragment that goes on its sentence in straight single marks ("said she felt 'it was
# important not to delay' proceedings"): tried last, so a mark that opens a capitalised quote is
# never taken for it, and kept only when attributed (an elision, "'cos", opens with the same mark).
_FRAGMENT = re.compile(r"(?<![\w'])'([a-z][^']{2,}?(?:[,.!?]|[^\s,.!?s]))'(?=[\s,.;:!?)]|$)")
_QUOTE_PATTERNS = (
    re.compile(r"“([^“”]{2,}?)(?:”|(?=\n)|$)"),
    re.compile(r"``(.{2,}?)''"),
    # A closing mark is not followed by a letter: in 'good. "This is' the mark opens the next
    # paragraph of a quote whose first paragraph, as is the custom, was left open.
    re.compile(r"(?<![\w])\"([^\"]{2,}?)\"(?![A-Za-z])"),
    re.compile(r"(?<![\w])\"([^\"]{2,}?[.!?])\s+(?=\"[A-Z])"),
    # A quote in curly single marks runs over no straight closing mark: "‘I was surprised,' Hazard said.
    # ‘I asked...’" is two quotes, not one running from the first mark to the last.
    re.compile(r"(?<![\w])‘((?:(?![,.!?]'(?:\s|$)).){2,}?)’(?![a-zA-Z])"),
    # Marks mixed by an editor: "‘I was surprised,' Hazard said."
    re.compile(r"(?<![\w])‘([^‘’]{2,}?[,.!?])'(?=\s|$)"),
    # CNN/DM pages put a space after an opening straight quote ("' We have to wait,'").
    re.compile(r"(?<![\w'])' ?(?=[A-Z])(.{2,}?(?:[,.!?]|[^\s,.!?s]))'(?=[\s,.;:!?)]|$)"),
    _FRAGMENT,
)


def _say(verbs: frozenset[str]) -> str:
    """A speech verb, "told" with whom it told ("told reporters", "told the BBC")."""
    told = r"told\s+(?:reporters|journalists|[Tt]he\s+[\w '’-]{1,40}?|\w+)"
    return r"(?:" + "|".join([told, *sorted(verbs - {"told"}), r"said\s+in\s+a\s+statement"]) + ")"


_SAY = _say(SPEECH_VERBS)
_SPEAKER = r"([A-Z]?[\w’'.-]+(?:\s+[\w’'.-]+){0,7}?)"
# After a quote "X adding" is no attribution ("' Promise colours her lips before adding a lipstick").
_SAY_AFTER = _say(SPEECH_VERBS - {"adding"})
_AFTER_NAME_SAID = re.compile(r"^[\s,]*" + _SPEAKER + r"\s+" + _SAY_AFTER + r"\b")
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
_ORG_VOICE = re.compile(r"spokes(?:man|woman|person|people)|statement|representative|official|officials|source|sources")
# "Terminix's spokesman", "Terminix spokeswoman": the voice word after the organisation's name.
_ORG_VOICE_AFTER = re.compile(r"(?:['’]s)?\s+(?:" + _ORG_VOICE.pattern + r")$", re.IGNORECASE)
_INTRODUCES = re.compile(r"(?:\s+\w+){0,4}?\s*:")
# A sentence before a quote with a named subject of a speech verb and no quotation of its own
# (apostrophes inside words are no quote marks).
_UNQUOTED = r"(?:[^.!?\n\"“”‘’']|(?<=\w)['’](?=\w))"
_SAID_PREVIOUS = re.compile(
    r"(?:^|"
    + _BOUNDARY
    + r")("
    + _UNQUOTED
    + r"{1,200}?)\s+"
    + _SAY
    + r"\b"
    + _UNQUOTED
    + r"{0,200}"
    + ends_in(SENTENCE_STOPS).pattern
)
# Words after which a name is an object, not the one who speaks ("disagreed with Arum", "against Al-Qaeda").
_OBJECT_WORDS = SPEAKER_OBJECT_WORDS
_OBJECT_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(_OBJECT_WORDS)) + r")\s+$", re.IGNORECASE)
_AFFILIATED = re.compile(r"^((?:[A-Z][\w’'.-]+\s+)+[A-Z][\w’'.-]+)\s+of\s+[A-Z].*$", re.DOTALL)
_CONTINUATION = re.compile(r"[^\"“”‘’']{0,100}?[.!?]\s*")
# '"committed to..." and is "looking into..."': a later quote of the same sentence.
_SAME_SENTENCE = re.compile(r"[^\"“”‘’'.!?\n]{1,100}")
# Text between two quotes that hands the speech on: no speech verb (whoever it names, someone else
# may speak) and a sentence end right before the later quote, which opens a sentence.
_SPEECH_IN_GAP = re.compile(r"\b" + _SAY + r"\b")
_OWN_ATTRIBUTION = re.compile(
    r"(?:" + _AFTER_SAID_NAME.pattern[1:] + r"|" + _AFTER_NAME_SAID.pattern[1:] + r")[^\"“”‘’'.!?\n]{0,100}[.!?]"
)
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?][\"'’”]?)\s*$")
_PRONOUNS = frozenset({"he", "she", "they", "i", "we"})
_POSSESSIVES = frozenset({"his", "her", "their"})
# Attributions to these are not people: "the agency noted" must not fall back to a person.
_NOT_PERSON = SPEAKER_NOT_PERSON
# Gender evidence: pronouns and the honorifics that tell a gender. Deliberately not all of
# honorifics.txt: that list has no gender ("dr"), and it is what strips a title off a name, not
# what is counted as evidence here; counting more of it (sir, lord, dame) is a rule change to measure.
_MALE = frozenset({"he", "him", "his", "mr"})
_FEMALE = frozenset({"she", "her", "hers", "mrs", "ms", "miss"})
# A quote whose paragraph ends open and whose next paragraph opens with a new mark, as papers
# print a quote that runs over paragraphs ("...run to the toilet. ' I noticed that...").
_NEXT_PARAGRAPH = re.compile(r"(?<=[.!?])\s+[\"'‘“]\s?(?=[A-Z])")
_SENTENCE_END = re.compile(_BOUNDARY)
_SCARE_MAX_WORDS = 4
# A role before a name: up to three words of letters and hyphens.
_ROLE_WORDS = 3
_ROLE_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")


def _is_scare(content: str, attributed: bool) -> bool:
    """Short quoted fragments are emphasis or labels, not speech."""
    words = len(WORD_CHARS.findall(content))
    if words <= 2:
        return True
    if words <= _SCARE_MAX_WORDS:
        return not (attributed and content.rstrip()[-1:] in ",.!?")
    return False


def _speaks_for(words: Sequence[str]) -> bool:
    """Whether the words end in a voice and its preposition ("a spokesman for", "a statement from")."""
    return len(words) >= 2 and words[-1] in ("for", "from", "of", "at") and bool(_ORG_VOICE.fullmatch(words[-2]))


class _Names:
    """The first of some (variant, canonical) forms that an attribution phrase holds, as whole words.

    Each stretch of the phrase's words is looked up once, rather than every form tried in turn: a
    long article names hundreds of people, and every quote's attribution is looked up.
    """

    def __init__(self, forms: Sequence[tuple[str, str]]) -> None:
        self._first: dict[str, tuple[int, str]] = {}
        for rank, (variant, canonical) in enumerate(forms):
            self._first.setdefault(name_key(variant), (rank, canonical))
        self._longest = max((len(key) for key in self._first), default=0)

    def named_in(self, phrase: str) -> str | None:
        """The canonical name of the first form whose key stands in the phrase's key between spaces."""
        padded = f" {name_key(phrase)} "
        spaces = [i for i, ch in enumerate(padded) if ch == " "]
        best: tuple[int, str] | None = None
        for k, start in enumerate(spaces):
            for end in spaces[k + 1 :]:
                if end - start - 1 > self._longest:
                    break
                found = self._first.get(padded[start + 1 : end])
                if found is not None and (best is None or found < best):
                    best = found
        return best[1] if best else None


def _word_starts(text: str) -> dict[str, list[int]]:
    """Where each word of the text starts, in order."""
    starts: dict[str, list[int]] = defaultdict(list)
    for match in WORD_CHARS.finditer(text):
        starts[match.group(0)].append(match.start())
    return starts


def _occurrences(text: str, variant: str, starts: Mapping[str, Sequence[int]]) -> Iterator[int]:
    """Where ``variant`` stands as whole words in the text, left to right, not overlapping.

    Looked up by the rarest of its words in ``starts`` (:func:`_word_starts`), where it must stand
    whole, rather than by scanning the text once per name: that made a long article's cost grow with
    the square of its length (and by a first name that many people share, nearly as much).
    """
    pattern = re.compile(r"\b" + re.escape(variant) + r"\b")
    words = [(match.group(0), match.start()) for match in WORD_CHARS.finditer(variant)]
    if not words:  # no word to look up
        yield from (match.start() for match in pattern.finditer(text))
        return
    word, offset = min(words, key=lambda found: len(starts.get(found[0], ())))
    end = 0
    for found in starts.get(word, ()):
        start = found - offset
        if start >= end and pattern.match(text, start):
            end = start + len(variant)
            yield start


def _words_before(text: str, position: int) -> list[str]:
    """The one to three words (letters and hyphens) right before ``position``, each followed by white space."""
    words: list[str] = []
    end = position
    while len(words) < _ROLE_WORDS:
        gap = end
        while gap > 0 and text[gap - 1].isspace():
            gap -= 1
        if gap == end:
            break  # no white space: no word of its own before
        start = gap
        while start > 0 and text[start - 1] in _ROLE_LETTERS:
            start -= 1
        if start == gap:
            break
        words.append(text[start:gap])
        end = start
    return words[::-1]


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
        self._people = _Names(forms)
        starts = _word_starts(text)
        self.roles: dict[str, str] = {}
        # Every mention of a person, by position, for pronoun resolution; and the words before each
        # mention are its roles ("Kremlin spokesperson Dmitry Peskov": "kremlin spokesperson", "spokesperson").
        self.mentions: list[tuple[int, int, str]] = []
        taken = bytearray(len(text))  # the characters of the mentions kept so far
        for variant, canonical in forms:
            for start in _occurrences(text, variant, starts):
                words = [word.lower() for word in _words_before(text, start)]
                for k in range(len(words)):
                    self.roles.setdefault(" ".join(words[k:]), canonical)
                end = start + len(variant)
                if taken.find(1, start, end) >= 0:
                    continue  # "Peskov" inside an already-seen "Dmitry Peskov"
                taken[start:end] = b"\x01" * (end - start)
                self.mentions.append((start, end, canonical))
        self.mentions.sort()
        self.text = text
        # Found once, for the gender evidence and every pronoun's look-back: where mentions start and sentences end.
        self._starts = [s for s, _e, _c in self.mentions]
        self._sentence_ends = [match.end() for match in _SENTENCE_END.finditer(text)]
        self.gender = self._genders(text)

    def _genders(self, text: str) -> dict[str, str]:
        """Gender evidence per person: honorifics and pronouns right after a mention."""
        votes: dict[str, list[int]] = {}
        starts = self._starts
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

    def hands_on(self, gap: str, start: int, end: int) -> bool:
        """Whether a quote after ``gap`` (from ``start`` to ``end``) goes on with the speech before it.

        Flattened pages print a speech's paragraphs with captions and asides between; nobody named
        and no speech verb between the two quotes leaves no one else who could be speaking.
        """
        # The earlier quote's own attribution ("..., Jane Smith said.") is not text between speeches.
        own = _OWN_ATTRIBUTION.match(gap)
        if own:
            gap, start = gap[own.end() :], start + own.end()
        k = bisect_left(self._starts, start)
        named_between = k < len(self._starts) and self._starts[k] < end
        return not named_between and not _SPEECH_IN_GAP.search(gap) and bool(_OPENS_SENTENCE.search(gap))

    def by_name(self, phrase: str) -> str | None:
        return self._people.named_in(phrase)

    def only_referent(self, position: int, pronoun: str = "") -> str | None:
        """The one person a pronoun (or "the lawyer") before ``position`` can stand for, else None.

        Sentences are read back from ``position``; the first that names a person as a subject (not
        "with Colin") decides: its subjects that can be the pronoun (same gender, or unknown) must be
        one person, or the pronoun is left unresolved.
        """
        wanted = "m" if pronoun in _MALE else "f" if pronoun in _FEMALE else ""
        ends = self._sentence_ends
        k = bisect_left(self._starts, position)
        while k > 0:
            start = self.mentions[k - 1][0]
            b = bisect_right(ends, start)
            lo = ends[b - 1] if b else 0
            first = bisect_left(self._starts, lo)
            sentence = self.mentions[first:k]
            subjects = {c for s, _e, c in sentence if not _OBJECT_BEFORE.search(self.text[max(lo, s - 20) : s])}
            fitting = {c for c in subjects if not wanted or self.gender.get(c, wanted) == wanted}
            if fitting:
                return next(iter(fitting)) if len(fitting) == 1 else None
            k = first
        return None

    def speaking_organisation(self, phrase: str) -> str | None:
        """The organisation an attribution phrase ends with, when it is the one speaking.

        "Rajasthan Police", "a spokesman for Terminix", "Terminix's spokesman" speak for the
        organisation; "her Facebook page", "sanctions against Al-Qaeda", "the Green Brain website
        it" do not.
        """
        voice = _ORG_VOICE_AFTER.search(phrase)
        head = phrase[: voice.start()] if voice else phrase
        for variant, canonical in self.organisations:  # longest first
            rest = head[: len(head) - len(variant)]
            if not head.endswith(variant) or rest[-1:].isalnum():
                continue
            before = rest.lower().split()
            if before[-1:] == ["the"]:
                before.pop()
            if voice or not before or before[-1] not in _OBJECT_WORDS | _POSSESSIVES or _speaks_for(before):
                return canonical
            return None
        return None

    def resolve(self, phrase: str, position: int) -> tuple[str | None, str]:
        # "Roy Bentham of Spirit of Shankly said": the speaker is the name before "of".
        phrase = _AFFILIATED.sub(r"\1", phrase.lstrip(".,;:!?'\"’”‘“ "))
        named = self.by_name(phrase)
        if named:
            return named, "name"
        words = phrase.lower().split()
        if words and words[-1] in _PRONOUNS:
            if words[-1] not in _MALE | _FEMALE:
                return None, "pronoun"  # "they", "we": more than the one person named
            return self.only_referent(position, words[-1]), "pronoun"
        # "A spokesman for Terminix said", "Rajasthan Police said": the organisation speaks (but "her
        # Facebook page states" is hers).
        organisation = self.speaking_organisation(phrase)
        if organisation:
            return organisation, "organisation"
        if words and words[0] in ("a", "an"):
            return None, "unnamed"  # "a spokesman said": someone not named
        if words and words[-1] in _NOT_PERSON:
            return None, "not person"
        if words and (words[0] == "the" or words[0] in _POSSESSIVES):
            tail = [w for w in words[1:] if w]
            for k in range(len(tail)):
                role = " ".join(tail[k:])
                if role in self.roles:
                    return self.roles[role], "role"
            return self.only_referent(position), "the-subject"
        # The capitalised words right before the verb, up to an honorific (not part of the name).
        trailing: list[str] = []
        for word in reversed(phrase.split()):
            if not word[:1].isupper() or word.lower() in HONORIFICS:
                break
            trailing.insert(0, word)
        if len(trailing) >= 2:
            return " ".join(trailing[-3:]).strip(",.:"), "capitalised"
        return None, "nothing"


@dataclass(frozen=True, slots=True)
class _Attributed:
    """A quote, its speaker and the evidence the speaker rests on (for tests and evaluation)."""

    text: str
    speaker: str | None
    evidence: str


def extract_quotes(text: str | Document, entities: Sequence[EntityMention] | None = None) -> list[QuoteFound]:
    """Direct quotes in ``text`` with their speakers (canonical names).

    ``text`` may come split already, as a :class:`~storywire.services.summarizer.document.Document`.
    ``entities`` are the text's, found already (an article that names nobody is not read again);
    without them they are found here.
    """
    return [QuoteFound(text=q.text, speaker=q.speaker) for q in _attributed_quotes(text, entities)]


def _attributed_quotes(text: str | Document, entities: Sequence[EntityMention] | None = None) -> list[_Attributed]:
    document = document_of(text)
    if entities is None:
        entities = extract_entities(document)
    paragraphs = document.paragraphs
    joined = "\n\n".join(paragraphs)
    resolver = _Resolver(joined, entities)
    found: list[_Attributed] = []
    offset = 0
    for paragraph in paragraphs:
        taken: list[tuple[int, int, int, str, str | None, str]] = []
        covered = bytearray(len(paragraph))  # the characters of the quotes taken so far
        for pattern in _QUOTE_PATTERNS:
            for match in pattern.finditer(paragraph):
                start, end = match.span()
                if covered.find(1, start, end) >= 0:
                    continue
                content = " ".join(match.group(1).split()).strip(" ,")
                after = paragraph[end : end + 120]
                before = paragraph[max(0, start - 240) : start]
                phrase = None
                source = ""
                said_before = _BEFORE_NAME_SAID.search(before) or _BEFORE_CLAUSE.search(before)
                # "He said: '...'" names the speaker whatever sentence follows the quote.
                if not (said_before and before.rstrip().endswith(":")):
                    for regex, name in ((_AFTER_SAID_NAME, "said X"), (_AFTER_NAME_SAID, "X said")):
                        m = regex.match(after)
                        # "...' Roy Bentham said: 'We want...": a colon gives the speaker to the quote after.
                        if m and not _INTRODUCES.match(after, m.end()):
                            phrase, source = m.group(1), name
                            break
                if phrase is None and said_before:
                    # The lazy speaker pattern can reach back over "Arum. He said:".
                    phrase = re.split(r"(?<=[a-z]{2}[.!?])\s+", said_before.group(1))[-1]
                    source = "X said:"
                if phrase is None and (in_sentence := _SAID_IN_SENTENCE.search(before)):
                    phrase, source = in_sentence.group(1), "X said in sentence"
                # "Paul Callan said Clarke faces an uphill battle. "Because..."": a quote that opens
                # a sentence, unattributed, after a sentence whose named subject says something.
                if (
                    phrase is None
                    and (said := _SAID_PREVIOUS.search(paragraph, max(0, start - 400), start))
                    and resolver.by_name(said.group(1))
                ):
                    phrase, source = said.group(1), "X said previous sentence"
                if _is_scare(content, phrase is not None):
                    continue
                if pattern is _FRAGMENT and phrase is None:
                    continue  # unattributed, a quoted fragment is as likely a label or an elision ('cos)
                # Mid-sentence quotes without attribution are mostly cited phrases.
                if phrase is None and len(WORD_CHARS.findall(content)) < 8 and before.strip()[-1:].isalpha():
                    continue
                speaker, how = resolver.resolve(phrase, offset + start) if phrase else (None, "")
                evidence = f"{source}/{how}" if phrase else ""
                covered[start:end] = b"\x01" * (end - start)
                # One speaker's quote over several paragraphs: each paragraph's part is a quote.
                for k, part in enumerate(_NEXT_PARAGRAPH.split(content)):
                    taken.append((start, end, k, part.strip(), speaker, evidence))
        taken.sort()
        previous: tuple[int, str | None] | None = None
        for start, end, _part, content, named, evidence in taken:
            speaker = named
            # "'...,' Arum added. 'That's what...'": a quote that follows the
            # previous one's attribution directly continues the same speech.
            gap = paragraph[previous[0] : start] if previous is not None else ""
            continues = previous is not None and (
                _CONTINUATION.fullmatch(gap)
                or _SAME_SENTENCE.fullmatch(gap)
                or resolver.hands_on(gap, offset + previous[0], offset + start)
            )
            how = evidence
            if not evidence and previous is not None and previous[1] is not None and continues:
                speaker = previous[1]
                how = "continuation"
            found.append(_Attributed(text=content, speaker=speaker, evidence=how))
            previous = (end, speaker)
        offset += len(paragraph) + 2
    return found
