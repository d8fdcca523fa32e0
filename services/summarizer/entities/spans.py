"""Candidate names: capitalised runs of a sentence with their context, split and stripped of titles."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import wordfreq

from storywire.services.summarizer.entities.lexicons import (
    ADJECTIVE_ENDINGS,
    BREAKERS,
    COMMON_CAPS,
    CONNECTORS,
    GIVEN_NAMES,
    HONORIFICS,
    LEADING_JUNK,
    LOC_WORDS,
    MONTHS_DAYS,
    ORG_WORDS,
    POSTNOMINALS,
    ROLES,
    ROYAL,
    TEAM_SUFFIXES,
    TITLE_SPLIT,
    common_word,
    is_generic_head,
    plural_royal,
)
from storywire.services.summarizer.entities.mentions import EntityType
from storywire.services.summarizer.entities.patterns import (
    AFFILIATION_AFTER,
    FAMILY_COMPOUND,
    NUMBER_COMPOUND,
    POSSESSIVE,
    SAID,
    SAID_BEFORE,
    TOKEN,
)
from storywire.services.summarizer.entities.places import (
    find_place,
    is_country,
    is_demonym,
    reads_as_word,
)

#: How much of its sentence a run keeps on either side as context. The rules read a few words either
#: way (the longest, a team cue such as "defeated by the top-placed"); a whole sentence each way made
#: a long run of text without sentence punctuation cost the square of its length.
CONTEXT_CHARS = 300


@dataclass(slots=True)
class Span:
    tokens: list[str]
    sentence_start: bool
    before: str
    after: str
    cue: str  # "per", "org" or ""


@dataclass(frozen=True, slots=True)
class RawMention:
    """One mention: surface name, type guess and the evidence behind it."""

    name: str
    kind: EntityType | None
    cue: str
    evidence: bool  # something beyond capitalisation says this is a person
    team: bool  # the context makes a place name a sports team


def find_spans(sentence: str) -> Iterable[Span]:
    """Capitalised token runs of a sentence, with their context."""
    matches = list(TOKEN.finditer(sentence))
    glued: set[int] = set()  # runs that start where a glued sentence begins
    opening = next((k for k, c in enumerate(sentence) if c.isalnum()), len(sentence))
    i = 0
    while i < len(matches):
        word = matches[i].group(0)
        if not (word[0].isupper() or (word[:2] in ("al", "el") and "-" in word[:3])):
            i += 1
            continue
        j = i
        tokens: list[str] = []
        and_at: tuple[int, int] | None = None  # (tokens, j) before an "and" inside the run
        while j < len(matches):
            w = matches[j].group(0)
            gap = sentence[matches[j - 1].end() : matches[j].start()] if j > i else ""
            plural_possessive = (
                gap.strip() in ("’", "'")
                and gap.startswith(("’", "'"))
                and tokens
                and w[0].isupper()
                and _plural_common_noun(tokens[-1])
                and tokens[-1].lower() not in ORG_WORDS  # "NBC News' Today show": the name ended
            )
            place_possessive = (
                gap.strip() in ("’", "'")
                and gap.startswith(("’", "'"))
                and tokens
                and _place_head(w)
                and not is_country(" ".join(tokens))
            )
            if plural_possessive or place_possessive:
                # "Employers’ Association", "St James' Park": a plural possessive inside one name.
                tokens[-1] += gap.strip()
            elif j > i and (gap.strip() or "\n" in gap):
                break
            if w[0].isupper():
                if j > i and w.lower() in BREAKERS:
                    glued.add(j)
                    break
                tokens.append(w)
                j += 1
                if w.endswith(("’s", "'s")) and not (
                    j < len(matches) and _possessive_place(sentence, matches, j, tokens)
                ):
                    break
            elif (
                w == "and"
                and and_at is None
                and tokens
                and j + 1 < len(matches)
                and not sentence[matches[j].end() : matches[j + 1].start()].strip()
                and _common_noun(tokens[-1])
                and _common_noun(matches[j + 1].group(0))
            ):
                # "University and College Union", "Academy of Motion Picture Arts and Sciences":
                # checked once the run is read (see _joins_at_and).
                and_at = (len(tokens), j)
                tokens.append(w)
                j += 1
            elif (
                (w.lower() in CONNECTORS or (w.lower() == "for" and tokens and tokens[-1].lower() in ORG_WORDS))
                and j + 1 < len(matches)
                and matches[j + 1].group(0)[0].isupper()
                and tokens
            ):
                # "for" only after a keyword: "Department for Education", not "left Leeds for Hull".
                gap2 = sentence[matches[j].end() : matches[j + 1].start()]
                if gap2.strip():
                    break
                tokens.append(w)
                j += 1
            else:
                break
        if and_at is not None and not _joins_at_and(tokens, and_at[0]):
            tokens, j = tokens[: and_at[0]], and_at[1]
        while tokens and tokens[-1].lower() in CONNECTORS:
            tokens.pop()
            j -= 1
        start = matches[i].start()
        end = matches[j - 1].end() if j > i else matches[i].end()
        yield Span(
            tokens=tokens,
            sentence_start=start <= opening or i in glued,
            before=sentence[max(0, start - CONTEXT_CHARS) : start],
            after=sentence[end : end + CONTEXT_CHARS],
            cue="",
        )
        i = max(j, i + 1)


def _split_at(span: Span, k: int, left_cue: str) -> tuple[Span, Span]:
    """The run cut before its ``k``-th token, each side keeping the other as context."""
    left, right = span.tokens[:k], span.tokens[k:]
    return (
        Span(left, span.sentence_start, span.before, " " + " ".join(right) + span.after, left_cue),
        Span(right, False, span.before + " ".join(left) + " ", span.after, ""),
    )


def split_glued(
    span: Span, standalone: frozenset[tuple[str, ...]], bare: frozenset[tuple[str, ...]] = frozenset()
) -> list[Span]:
    """Split a run made of two names the text also uses on their own.

    Captions lose their full stop: "defeat at Crystal Palace Manchester City captain ...".
    A place on the left is kept whole ("New York Police Department" names one body).
    """
    tokens = span.tokens
    for k in range(1, len(tokens)):
        left, right = tokens[:k], tokens[k:]
        # One side may be a single word the text uses on its own ("Premier League Klopp"), but not a
        # word that completes a name ("West Ham United") and not two single words ("Real Madrid").
        short = left if len(left) == 1 else right if len(right) == 1 else None
        if short is not None and (
            len(tokens) < 3 or short[0].lower() in TEAM_SUFFIXES | ORG_WORDS | LOC_WORDS or find_place(short[0])
        ):
            continue
        if tuple(left) in standalone and tuple(right) in standalone and find_place(" ".join(left)) is None:
            return list(_split_at(span, k, span.cue))
    for k in range(1, len(tokens) - 1):
        # "Presumptive Democratic White House nominee": words in front of a name the text uses
        # on its own are no part of it (but "New York Police Department" names one body).
        if tuple(tokens[k:]) in bare and all(_adjective(t) for t in tokens[:k]):
            return list(_split_at(span, k, span.cue))
    return [span]


# A compound adjective glued before a name, its last part in lower case ("HIV-positive", "Award-winning");
# a name's own hyphen joins capitals ("Saint-Germain", "Stoke-on-Trent").
_LOWER_COMPOUND = re.compile(r"^[A-Z][\w’']*-(?:[\w’']+-)*[a-z]+$")


def _place_head(word: str) -> bool:
    """A capitalised last word of a place's name ("Park", "Palace", "Brook")."""
    return word[:1].isupper() and word.lower() in LOC_WORDS


def _possessive_place(sentence: str, matches: list[re.Match[str]], j: int, tokens: list[str]) -> bool:
    """Whether the possessive ending ``tokens`` is inside a place's name: "St James's Palace".

    A place head right after a possessive names the place after its owner (a saint, a person);
    a country or continent that owns it is a place of its own ("Britain's Street party"; in
    "London's Hyde Park" the head is not the next word).
    """
    gap = sentence[matches[j - 1].end() : matches[j].start()]
    owner = " ".join([*tokens[:-1], POSSESSIVE.sub("", tokens[-1])])
    return gap == " " and _place_head(matches[j].group(0)) and not is_country(owner)


def _common_noun(token: str) -> bool:
    """A capitalised frequent English noun ("Teaching", "Colleges"), not a name, a place or a demonym."""
    low = token.lower()
    return (
        token[:1].isupper()
        and low not in GIVEN_NAMES
        and wordfreq.zipf_frequency(low, "en") >= 3.5
        and (find_place(token) is None or reads_as_word(token))
        and not is_demonym(token)
    )


def _joins_at_and(tokens: list[str], at: int) -> bool:
    """Whether "and" at ``tokens[at]`` joins one organisation's name rather than two names.

    One name holds an organisation keyword and its left part does not end in one: "University and
    College Union", "National College for Teaching and Leadership"; but "Department of Health and
    Ministry of Justice" and "Senate and House" are two bodies (a generic head such as "University" alone
    names none, so it may open a longer name).
    """
    left, right = tokens[:at], tokens[at + 1 :]
    if not right:
        return False
    keyword = any(t.lower() in ORG_WORDS for t in (*left, *right))
    generic = len(left) == 1 and is_generic_head(left[0].lower())
    # A keyword on either side of "and" starts or ends a body of its own.
    return keyword and (generic or (left[-1].lower() not in ORG_WORDS and right[0].lower() not in ORG_WORDS))


def _plural_common_noun(token: str) -> bool:
    """The plural of a frequent English noun ("Employers", "Teachers"), not a surname ("Moyes")."""
    low = token.lower()
    return (
        low.endswith("s")
        and not low.endswith("ss")
        and low[:-1] not in GIVEN_NAMES
        and wordfreq.zipf_frequency(low[:-1], "en") >= 3.5
    )


def _adjective(token: str) -> bool:
    """A capitalised adjective ("Presumptive", "Democratic"), by its ending; not a name or a place."""
    low = token.lower()
    return low.endswith(ADJECTIVE_ENDINGS) and low not in GIVEN_NAMES and find_place(token) is None


def split_titles(span: Span) -> list[Span]:
    """Split "Top Rank CEO Jane Doe" at the title into affiliation and person."""
    tokens = span.tokens
    for k in range(1, len(tokens) - 1):
        # Captions glue names together: "Old Trafford Wayne Rooney", "Isco Gareth Bale".
        if (
            len(tokens) >= 3
            and tokens[k].lower() in GIVEN_NAMES
            and tokens[k - 1].lower() not in GIVEN_NAMES
            and tokens[k - 1].lower() not in CONNECTORS
            and tokens[k + 1][0].isupper()
            and tokens[k - 1][0].isupper()
            and find_place(" ".join(tokens[k - 1 : k + 1])) is None  # "San Francisco Giants"
        ):
            left, right = _split_at(span, k, "")
            return [*split_titles(left), *split_titles(right)]
    for k in range(1, len(tokens) - 1):
        if tokens[k].lower().rstrip(".") in TITLE_SPLIT and tokens[k + 1][0].isupper():
            left, right = _split_at(span, k, "aff")
            return [left, *split_titles(right)]
    return [span]


def clean_tokens(span: Span, lowercase_words: frozenset[str]) -> tuple[list[str], str]:
    """Strip possessives, honorifics, roles and demonyms; return tokens and cue."""
    # A possessive ends a run ("Pacquiao's promoter"); inside one it is part of the name ("Employers’ Association").
    last = len(span.tokens) - 1
    tokens = [
        POSSESSIVE.sub("", t) if k == last and t.endswith(("’s", "'s", "’", "'")) else t
        for k, t in enumerate(span.tokens)
    ]
    tokens = [t.rstrip(".") if not re.fullmatch(r"(?:[A-Z]\.)+", t) else t for t in tokens]
    cue = span.cue
    prev_words = re.findall(r"[A-Za-z]+", span.before[-40:])
    if prev_words and prev_words[-1].lower() in ROLES | HONORIFICS and cue != "aff":
        cue = "per"
    while tokens:
        low = tokens[0].lower().rstrip(".")
        royal_name = low in ROYAL and len(tokens) == 2 and tokens[1].lower() in GIVEN_NAMES
        if royal_name:
            # "Prince Andrew", "Queen Elizabeth": royals are named by title and first name.
            cue = "per"
            break
        if low in HONORIFICS or ((low in ROLES or low in TITLE_SPLIT or plural_royal(low)) and len(tokens) > 1):
            cue = "aff" if span.cue == "aff" else "per"
            tokens.pop(0)
            if low not in HONORIFICS and len(tokens) == 1 and common_word(tokens[0], lowercase_words):
                # "General Election", "Chief Executive": the role word opened a compound noun.
                return [], cue
        elif (
            is_demonym(tokens[0])
            and len(tokens) > 1
            and (tokens[1].lower() in ROLES or tokens[1].lower() in HONORIFICS)
        ):
            tokens.pop(0)
        elif (
            span.sentence_start
            and low in COMMON_CAPS
            and not (len(tokens) > 1 and find_place(" ".join(tokens[:2])) is not None)
        ):
            if low == "the":
                span.before += "the "
            tokens.pop(0)
            span.sentence_start = False
        elif (
            tokens[0] == "The"
            and len(tokens) > 1
            and not span.sentence_start
            and span.cue != "aff"
            and not (len(tokens) == 2 and is_demonym(tokens[1]))
            and re.search(
                r"(?:\b(?:told|to|in|for|from|by|with|said|says|reported|reports|wrote|of)|,)\s+$", span.before
            )
        ):
            # A capitalised "The" inside a sentence belongs to a title: "told The Columbus Dispatch".
            break
        elif (
            low in MONTHS_DAYS
            or low == "the"
            or (low in LEADING_JUNK | BREAKERS | {"of"} and len(tokens) > 1)
            or (NUMBER_COMPOUND.match(low) and len(tokens) > 1)
            or (FAMILY_COMPOUND.match(low) and len(tokens) > 1)
            or (_LOWER_COMPOUND.match(tokens[0]) and len(tokens) > 1)
        ):
            # "Although Amy", "A Walmart", "Ten-year Cottonwood Police", "Grandmother-of-three
            # Pat", "HIV-positive Ohio": not part of the name.
            # A capitalised particle opens names: "La Liga", "De Gea", "Al Jazeera", "Van Persie".
            if low == "the":
                span.before += "the "
            tokens.pop(0)
        elif (
            len(tokens) == 2
            and low in lowercase_words
            and low not in GIVEN_NAMES
            and find_place(low) is None
            and tokens[1].lower() not in ORG_WORDS | LOC_WORDS
            and find_place(" ".join(tokens)) is None
        ):
            # "Iconic Arsenal striker": a common word glued in front of a name (but "Champions
            # League" and "Supreme Court" are one name).
            tokens.pop(0)
        else:
            break
    for k, tok in enumerate(tokens):
        if tok.lower() in MONTHS_DAYS or tok.lower() in ("est", "gmt", "bst"):
            if k in (2, 3) and not span.before.strip() and not cue:
                # "Jane Doe Sunday 27 February": a byline followed by its dateline.
                cue = "said"
            tokens = tokens[:k]
            break
    if tokens and span.sentence_start and len(tokens) == 1 and tokens[0].lower() in lowercase_words:
        return [], cue
    if len(tokens) > 1 and tokens[-1].lower() in POSTNOMINALS:
        tokens = tokens[:-1]
        cue = cue or "per"
    if len(tokens) > 1 and tokens[-1].lower() in TITLE_SPLIT:
        # "Tory MP", "Kremlin spokesman": the run names the organisation.
        tokens = tokens[:-1]
        cue = cue or "aff"
    if len(tokens) == 1 and tokens[0].lower() in LEADING_JUNK:
        return [], cue
    # "told Racemail" names the outlet as often as a person: one word needs "X said".
    said_before = len(tokens) > 1 and SAID_BEFORE.search(span.before) is not None
    if not cue and (SAID.match(span.after) or said_before):
        cue = "said"
    if not cue and (
        re.match(r"^,\s*\d{1,3}\s*[,.]", span.after) or re.search(r"\d+-year-old\s+(?:[a-z-]+\s+){0,3}$", span.before)
    ):
        # "Carrion-Moore, 23, was arrested": an age apposition marks a person.
        cue = "per"
    line_before = span.before.rsplit("\n", 1)[-1]
    line_after = span.after.split("\n", 1)[0]
    byline = not line_before.strip() and not line_after.strip() and 2 <= len(tokens) <= 3
    if not cue and byline and all(t[:1].isupper() and t[1:].islower() for t in tokens):
        # A line holding nothing but a short name is a byline or a caption credit.
        cue = "said"
    if not cue and re.match(r"^\s*\((?:left|right|centre|center|pictured|top|bottom|front)\)", span.after):
        # Caption positions mostly point at people, but also at teams: weaker than "Mr".
        cue = "said"
    if not cue and AFFILIATION_AFTER.match(span.after):
        cue = "aff"
    return tokens, cue
