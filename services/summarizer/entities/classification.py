"""Which kind of entity a candidate name is: person, place, organisation or none."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import wordfreq

from storywire.services.summarizer.entities.lexicons import (
    ACRONYM_SKIP,
    BRANDS,
    COMMON_CAPS,
    COMPASS,
    GIVEN_NAMES,
    LOC_WORDS,
    MISC_HEADS,
    MONTHS_DAYS,
    NOT_ORG_ACRONYMS,
    ORG_WORDS,
    ROYAL,
    SPORT_WORDS,
    TEAM_SUFFIXES,
    is_generic_head,
    is_role,
    read_entries,
)
from storywire.services.summarizer.entities.mentions import EntityType
from storywire.services.summarizer.entities.places import (
    FREQUENT_WORD,
    find_place,
    is_country,
    is_demonym,
    name_key,
    reads_as_word,
)
from storywire.services.summarizer.entities.spans import (
    Span,
)


@dataclass(frozen=True, slots=True)
class _KnownOrg:
    owners: frozenset[str]  # name_key of the usual name of each organisation that goes by it
    sport: bool
    acronym: bool  # listed in capitals only ("IS", "WHO"): "Is" and "Who" are words


@lru_cache(maxsize=1)
def known_organisations() -> dict[str, _KnownOrg]:
    """Every name of ``organisations.txt`` (see its header) by name_key."""
    known: dict[str, _KnownOrg] = {}
    sport = False
    for line in read_entries("organisations.txt"):
        if line.startswith("["):
            sport = line.startswith("[sport]")
            continue
        forms = [form.strip() for form in line.split("|")]
        usual = name_key(forms[0])
        for form in forms:
            key = name_key(form)
            # Some names are shared ("Rangers", "Spurs"): the text decides which one it means.
            before = known.get(key, _KnownOrg(frozenset(), False, True))
            known[key] = _KnownOrg(before.owners | {usual}, before.sport or sport, before.acronym and form.isupper())
    return known


def _known_organisation(tokens: Sequence[str], sporty: bool, lowercase_words: frozenset[str]) -> bool:
    """Whether the list of well-known organisations names this run, in this article.

    A word the text also writes in lower case is that word ("target", "next"). A sports name that
    is a place or a frequent word ("Liverpool", "Giants") names the team only in an article about
    sport.
    """
    name = " ".join(tokens)
    known = known_organisations().get(name_key(name))
    if known is None or (len(tokens) == 1 and name.lower() in lowercase_words):
        return False
    if known.acronym and not name.replace(".", "").isupper():
        return False
    if sporty or not known.sport:
        return True
    frequent = len(tokens) == 1 and wordfreq.zipf_frequency(name.lower(), "en") >= 3.5
    return not frequent and find_place(name) is None


def classify(
    tokens: list[str], cue: str, span: Span, sporty: bool, lowercase_words: frozenset[str]
) -> tuple[EntityType | None, bool]:
    """Type of a cleaned run (or None) and whether it is weak-evidence PER."""
    name = " ".join(tokens)
    lows = [t.lower().rstrip(".") for t in tokens]
    after, before = span.after, span.before
    # Plural keywords ("Courts") count, but not acronyms ("ABCs").
    heads = [
        low[:-1] if low.endswith("s") and len(low) > 4 and not t[:2].isupper() else low
        for low, t in zip(lows, tokens, strict=True)
    ]
    # Agency acronyms (AP, UN) are keywords only on their own: "AP McCoy" is a jockey.
    keywords = [
        (h in ORG_WORDS or low in ORG_WORDS) and not (len(tokens) > 1 and t.isupper())
        for h, low, t in zip(heads, lows, tokens, strict=True)
    ]
    if all(low in MONTHS_DAYS or low in COMMON_CAPS or is_role(low) for low in lows):
        return None, False
    if cue != "per" and _known_organisation(tokens, sporty, lowercase_words):
        return "ORG", False  # before the event heads and places: "FA Cup", "Liverpool" in sport
    if len(tokens) == 1 and is_generic_head(lows[0]):
        return None, False  # "Association", "University": a kind of body, not one body's name
    if len(tokens) == 1 and is_demonym(tokens[0]) and lows[0] not in BRANDS:
        return None, False
    if len(tokens) == 1 and not sporty and _plural_noun(lows[0]):
        return None, False  # "Researchers", "Critics"; in sport a plural may be a team ("Saints")
    if len(tokens) == 1 and re.match(r"^\s*:", after) and tokens[0].isupper():
        return None, False  # caption labels: "CLAIM: ..."
    if lows[-1] in MISC_HEADS:
        return None, False
    if len(tokens) >= 2 and cue != "per" and is_country(name):
        return "LOC", False  # before the keywords: "United States" is no "State Department"
    if len(tokens) >= 2 and _defines_acronym(tokens, after):
        return "ORG", False  # "the Screen Actors Guild (SAG)": a body that goes by its initials
    if len(tokens) >= 2 and lows[0] in COMPASS and find_place(" ".join(tokens[1:])) is not None:
        return "LOC", False  # "South London", "Northern Ireland"
    if len(tokens) >= 2 and lows[-1] in LOC_WORDS:
        return "LOC", False
    team_suffix = len(tokens) >= 2 and lows[-1] in TEAM_SUFFIXES
    if any(keywords):
        if team_suffix and find_place(" ".join(tokens[:-1])) is None and cue == "per":
            return "PER", False
        if team_suffix and lows[-1] in ("city", "county", "town") and not sporty:
            return "LOC", False
        return "ORG", False
    if team_suffix:
        return ("ORG" if sporty or lows[-1] not in ("city", "county", "town") else "LOC"), False
    if re.match(r"^\s+(?:news agency|agency|newspaper|broadcaster|group|company|firm)\b", after):
        return "ORG", False
    if len(tokens) == 1 and lows[0] in BRANDS:
        return "ORG", False
    if find_place(name) is not None and cue != "per":
        ambiguous = len(tokens) == 1 and (lows[0] in lowercase_words or lows[0] in GIVEN_NAMES or reads_as_word(name))
        # "Nigel", "Reading", "Bath", "Time": a place only after a locative preposition.
        if ambiguous and not re.search(r"\b(?:in|at|from|to|near|outside|of)\s+$", before):
            return None, False
        return "LOC", False
    if re.fullmatch(r"[A-Z]{2,5}", name):
        # An acronym the list of organisations does not know is no evidence of a body ("SUV", "CPR",
        # "PAC"), unless it has the shape of a broadcaster's name: a US call sign ("WKYC") or "-TV".
        # Issue 26 round 3: organisation precision 0.73 -> 0.76 on entities_aside, 0.80 -> 0.82 on
        # entities_aside2, micro-F1 up on both.
        broadcaster = re.fullmatch(r"[KW][A-Z]{3}|[A-Z]+TV", name) is not None and lows[0] not in NOT_ORG_ACRONYMS
        return ("ORG" if broadcaster else None), False
    if tokens[0] == "The":
        return "ORG", False
    the_before = re.search(r"\bthe\s+$", before, re.IGNORECASE) is not None
    # A given name wins over "the": "the Charles Manson murders" is about a man.
    given = len(tokens) >= 2 and (lows[0] in ROYAL or lows[0] in GIVEN_NAMES)
    places = [
        k
        for k in range(len(tokens))
        if lows[k] not in lowercase_words and not tokens[k].isupper() and find_place(tokens[k]) is not None
    ]
    # "New York Yankees", "Oakland Athletics": a place, then a plural nickname
    # (but not a surname in -is/-us/-ss such as "Mila Kunis").
    team_name = bool(places) and places[0] == 0 and re.search(r"[^iuos]s$", tokens[-1]) is not None
    if len(tokens) >= 2 and team_name and not given and cue != "per":
        return "ORG", False
    if cue == "per" and len(tokens) == 1 and not _single_name(name):
        # A role word in front ("former England captain", "Star Trek", "General Election") says
        # nothing of a place or a frequent word alone; as a surname ("Mr Brown") it still joins
        # the full name found elsewhere.
        return None, False
    if cue == "per" or given:
        return "PER", False
    if cue == "said" and not the_before and (len(tokens) > 1 or lows[0] not in lowercase_words):
        return (None if len(tokens) == 1 and _plural_noun(lows[0]) else "PER"), False
    if cue == "aff":
        return "ORG", False
    if _placed_by_apposition(tokens, after, lowercase_words) or _named_settlement(tokens, before, lowercase_words):
        return "LOC", False
    if len(tokens) >= 2:
        # "The" in front says neither venue nor institution ("at the Santiago Bernabeu", "the Palm
        # Beach Post"), and a place inside an unknown pair is no evidence of a place ("Irving
        # Berlin", "Kristina Karo"): leave it a person candidate that needs evidence.
        return "PER", True
    # "in Cottonwood", "near Rayne": a lone name the gazetteer lacks (a village, a misspelt country)
    # after a preposition of place is a place, unless the text uses it as a word or it is a given name.
    # Issue 26 round 3: micro-F1 0.770 -> 0.775 on entities_aside, 0.755 -> 0.761 on entities_aside2.
    if (
        len(tokens) == 1
        and not tokens[0].isupper()
        and lows[0] not in lowercase_words
        and lows[0] not in GIVEN_NAMES
        and re.search(r"\b(?:in|near|outside)\s+$", before)
    ):
        return "LOC", False
    return None, False


_APPOSED_PLACE = re.compile(r"^,\s+([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)(?!['’\w])")


def _placed_by_apposition(tokens: Sequence[str], after: str, lowercase_words: frozenset[str]) -> bool:
    """An unknown name followed by a known place after a comma is a place in it: "Rayne, Essex".

    News places a village by its county, state or country ("Buckhurst Hill, Essex", "Springfield,
    Ohio"); a person is placed so only with "of" or "from" in between ("Byatt, of Buckhurst Hill").
    """
    found = _APPOSED_PLACE.match(after)
    if found is None or find_place(found.group(1)) is None:
        return False
    return not (len(tokens) == 1 and tokens[0].lower() in lowercase_words)


_SETTLEMENT_BEFORE = re.compile(r"\b(?:village|town|city|hamlet|suburb|island)\s+(?:of\s+)?$")


def _named_settlement(tokens: Sequence[str], before: str, lowercase_words: frozenset[str]) -> bool:
    """A name the text calls a village or a town is one: "the small village Berezhnytsia", "the town of Rayne"."""
    if _SETTLEMENT_BEFORE.search(before) is None:
        return False
    return not (len(tokens) == 1 and tokens[0].lower() in lowercase_words)


def _defines_acronym(tokens: Sequence[str], after: str) -> bool:
    """The run is followed by its own initials in brackets: "Screen Actors Guild (SAG)".

    News writing defines an acronym for a body it will name again; a country doing so ("United
    Arab Emirates (UAE)") is caught before this, as a country.
    """
    found = re.match(r"^\s*\(([A-Z]{2,6})\)", after)
    if found is None:
        return False
    initials = "".join(t[0] for t in tokens if t.lower() not in ACRONYM_SKIP).upper()
    return initials == found.group(1)


@lru_cache(maxsize=1 << 14)
def _plural_noun(low: str) -> bool:
    """A plural of a common English noun ("researchers", "officials"), not a surname in -s.

    Surnames in -s mostly stand on a given name ("Williams", "Roberts", "Evans") or on a rare
    word ("Jones"); the few that stand on a common one ("Woods") lose a bare mention, not the
    person, who is found under the full name.
    """
    if not low.endswith("s") or low.endswith("ss") or len(low) < 5:
        return False
    singular = low[:-1]
    return singular not in GIVEN_NAMES and wordfreq.zipf_frequency(singular, "en") >= 3.5


def _single_name(name: str) -> bool:
    """Whether one word alone may name a person: a given name, or a word that is no place and rare in English."""
    low = name.lower()
    return low in GIVEN_NAMES or (find_place(name) is None and wordfreq.zipf_frequency(low, "en") < FREQUENT_WORD)


def pronoun_backs(tokens: Sequence[str]) -> bool:
    """Whether a pronoun nearby may back an unknown capitalised pair as a person.

    Not when its last word is a frequent English word: "White Hart Lane", "Disney World", "Ford
    Focus" and "Buckhurst Hill" end in one, and a "he" in the sentence is someone else. A person
    whose surname is such a word ("Peter Lane") is found by a known given name or a cue. On the
    development set this drops 11 of the 19 false people found this way and none of the 15 right.
    """
    return wordfreq.zipf_frequency(tokens[-1].lower(), "en") < FREQUENT_WORD


def single_token_type(token: str, lowercase_words: frozenset[str]) -> EntityType | None:
    if token.lower() in lowercase_words or token.lower() in COMMON_CAPS or token.lower() in GIVEN_NAMES:
        return None
    if find_place(token) is not None and not reads_as_word(token):
        return "LOC"
    return None


def is_sporty(lowercase_words: frozenset[str], names: Iterable[Sequence[str]] = ()) -> bool:
    """Whether the article is about sport: three sport words, or a sports name that is nothing else.

    A report may use few of the words ("defeat by Everton ... Premier League clash") but name a
    club or competition of several words that is no place ("Manchester United", "Premier League").
    """
    if len(SPORT_WORDS & lowercase_words) >= 3:
        return True
    known = known_organisations()
    for tokens in names:
        if len(tokens) < 2:
            continue
        found = known.get(name_key(" ".join(tokens)))
        if found is not None and found.sport and find_place(" ".join(tokens)) is None:
            return True
    return False
