"""Keywords: phrases a reader can make sense of, never cut at a function word or through a name."""

from storywire.services.summarizer.keywords import keywords

BURIALS = (
    "New York ramps up mass burials amid outbreak. Workers were seen burying coffins in New York. "
    "Burials amid the outbreak have increased, officials in New York City said. New York state has "
    "more cases than any country. Mass burials on Hart Island have grown. Hart Island lies off the "
    "Bronx, and mass burials there are not new."
)


def test_a_keyword_phrase_never_starts_or_ends_with_a_preposition() -> None:
    words = keywords(BURIALS, title="New York ramps up mass burials amid virus outbreak")
    assert "mass burials" in words
    assert not any(word.split()[0] in {"amid", "despite"} or word.split()[-1] in {"amid", "despite"} for word in words)


def test_a_keyword_never_breaks_a_name() -> None:
    words = keywords(BURIALS, title="New York ramps up mass burials amid virus outbreak")
    assert "hart island" in words
    assert not any("york" in word.split() for word in words)


def test_a_headline_case_title_still_gives_phrases() -> None:
    words = keywords("Mass Burials Rise. Mass burials rose again.", title="Mass Burials Rise In The City")
    assert "mass burials" in words
