"""The entity rules' word lists, kept as data files in ``data/`` and read once per process.

A list file holds one entry a line (an entry may be a phrase: "grand prix"); lines starting with
``#`` are comments, and each file's header says what its words do. The files ship in the wheel as
package data and are read through :mod:`importlib.resources`. Month and weekday names and the
labels of page furniture come from the text layer, written once for every service.
"""

from __future__ import annotations

from importlib import resources

from storywire.services.text.calendar_words import month_words, weekday_words
from storywire.services.text.lexicons import PAGE_LABEL_WORDS


def data_text(name: str) -> str:
    """The text of the data file ``name``."""
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


def read_entries(name: str) -> tuple[str, ...]:
    """The entries of the list file ``name`` in file order: one a line, blank and comment lines skipped."""
    lines = (line.strip() for line in data_text(name).splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def read_list(name: str) -> frozenset[str]:
    """The entries of the list file ``name``."""
    return frozenset(read_entries(name))


HONORIFICS = read_list("honorifics.txt")
POSTNOMINALS = read_list("postnominals.txt")
ROLES = read_list("roles.txt")
ROYAL = read_list("royal-titles.txt")
# Role nouns after a name: the sports ones make a place a team, all of them make the name an organisation.
TEAM_ROLES = read_entries("team-roles.txt")
AFFILIATION_ROLES = read_entries("affiliation-roles.txt") + TEAM_ROLES
ORG_WORDS = read_list("organisation-words.txt")
ADJECTIVE_ENDINGS = read_entries("adjective-endings.txt")
GENERIC_HEADS = read_list("generic-heads.txt")
TEAM_SUFFIXES = read_list("team-suffixes.txt")
CONNECTORS = read_list("name-connectors.txt")
CONTRACTIONS = read_list("contractions.txt")
LOC_WORDS = read_list("place-words.txt")
COMPASS = read_list("compass-words.txt")
MONTHS_DAYS = month_words("en", abbreviations=False) | weekday_words("en", abbreviations=False)
COMMON_CAPS = read_list("common-capitals.txt") | PAGE_LABEL_WORDS
EXTRA_DEMONYMS = read_list("demonyms.txt")
REGION_TYPES = read_list("region-types.txt")
EXTRA_PLACES = read_entries("extra-places.txt")
PLACE_ALIASES = tuple(
    (alias.strip(), target.strip())
    for alias, target in (entry.split("|") for entry in read_entries("place-aliases.txt"))
)
# On the 37 tuning articles person recall 0.93 -> 0.95 with the census names; on the 15 held aside
# 0.81 -> 0.85, precision unchanged (2026-12-02). The names of 45 locales (issue 26 round 3): person
# recall 0.79 -> 0.86 on entities_aside (precision 0.83 -> 0.83), 0.82 -> 0.83 on entities_aside2.
GIVEN_NAMES = read_list("given-names.txt") | read_list("census-given-names.txt") | read_list("world-given-names.txt")
BREAKERS = read_list("breakers.txt")
LEADING_JUNK = read_list("leading-words.txt")
TITLE_SPLIT = read_list("titles-in-runs.txt")
SPORT_WORDS = read_list("sport-words.txt")
MISC_HEADS = read_list("misc-heads.txt")
NOT_ORG_ACRONYMS = read_list("not-organisation-acronyms.txt")
BRANDS = read_list("brands.txt")
ACRONYM_SKIP = read_list("acronym-skip-words.txt")
# The quote rules' words around an attribution: who is no speaker.
SPEAKER_NOT_PERSON = read_list("speaker-not-person.txt")
SPEAKER_OBJECT_WORDS = read_list("speaker-object-words.txt")


def plural_royal(low: str) -> bool:
    """A plural title before first names ("Princes William and Harry")."""
    return low.endswith(("s", "es")) and (low[:-1] in ROYAL or low[:-2] in ROYAL)


def is_generic_head(low: str) -> bool:
    """A head noun that names a kind of body ("university", "associations"), singular or plural."""
    singular = low[:-3] + "y" if low.endswith("ies") else low.removesuffix("s")
    return low in GENERIC_HEADS or singular in GENERIC_HEADS


def is_role(low: str) -> bool:
    """A role noun, singular or plural ("Prosecutors said", "Prime Ministers")."""
    return low in ROLES or (low.endswith("s") and low[:-1] in ROLES)


def common_word(token: str, lowercase_words: frozenset[str]) -> bool:
    """The text also uses the word in lower case, and it is not a given name."""
    low = token.lower()
    return low in lowercase_words and low not in GIVEN_NAMES
