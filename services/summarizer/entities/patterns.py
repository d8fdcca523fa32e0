"""The patterns of the cues around and inside a capitalised run ("X said", "Arsenal striker", "Mother-of-two")."""

from __future__ import annotations

import re

from storywire.services.summarizer.entities.lexicons import AFFILIATION_ROLES, TEAM_ROLES
from storywire.services.text.lexicons import SPEECH_VERBS

SAID = re.compile(
    r"^\s*(?:,\s*)?(?:said|says|told|added|explained|insisted|claimed|wrote|"
    r"tweeted|announced|stated|argued|warned|admitted|revealed|confirmed)\b"
)
SAID_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(SPEECH_VERBS)) + r"|according to)\s*$")

TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ0-9'’.-]*[A-Za-zÀ-ÖØ-öø-ÿ0-9]|[A-Za-zÀ-ÖØ-öø-ÿ]")
POSSESSIVE = re.compile(r"['’]s?$")

NUMBER_COMPOUND = re.compile(
    r"^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred)-"
)
# Family descriptors papers glue before a name: "Mother-of-two Lisa", "Grandmother-of-three Pat".
FAMILY_COMPOUND = re.compile(r"^[a-z]+-of-[a-z0-9]+$")


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in words)


# Role nouns after a name make the name the person's organisation ("Kremlin spokesperson", "Ukip
# candidate", "Arsenal legend"). No possessive: "Pacquiao's promoter" is a person's, "Kremlin
# spokesman" an organisation's.
AFFILIATION_AFTER = re.compile(r"^\s+(?:former\s+|new\s+|head\s+)?(?:" + _alternatives(AFFILIATION_ROLES) + r")\b")
# Of those, the ones that make a place name a sports team ("Valencia striker").
TEAM_AFTER = re.compile(
    r"^(?:['’]s?)?\s+(?:" + _alternatives(TEAM_ROLES) + r")\b|^\s*\((?:home|away|h|a)\)|^\s+\d+-\d+\b"
)
TEAM_BEFORE = re.compile(
    r"\b(?:against|beat|beating|beaten by|defeat(?:ed)? (?:by|to)|lost to|loss to|victory (?:over|against)|"
    r"win (?:over|against|at)|draw (?:with|against|at)|joined from|signed from|signed for|moved? to|"
    r"loan (?:from|at|to)|rivals(?: like| such as)?|host|hosts|hosted|face|faces|play|plays|played|supports|"
    r"leaders|champions|visitors|opponents|take on|takes on|took on|at home to|travel to|travels to)"
    r"\s+(?:the\s+)?(?:[\w-]+-placed\s+)?$|(?:^|[\s,.])(?:[\w]+-placed|[\w-]+-chasing)\s+$"
)

ACRONYM = re.compile(r"[A-Z]{2,6}")
