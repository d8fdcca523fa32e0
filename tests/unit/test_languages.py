"""Function words of the languages other than English, for the workers' term statistics."""

from __future__ import annotations

import orjson

from storywire.services.dedup.features import featurize
from storywire.services.languages import function_words
from storywire.services.summarizer.keywords import keywords, terms
from storywire.services.summarizer.summarizing import ArticleDigest

BREXIT_DE = (
    "Das Parlament in London hat die Abstimmung über den Brexit-Vertrag am Samstag vertagt. "
    "Für die Regierung von Boris Johnson ist das eine schwere Niederlage. "
    "Der Premierminister muss nun bei der EU eine Verlängerung der Frist beantragen. "
    "Die Abgeordneten wollen erst über den Vertrag abstimmen, wenn die Gesetze für den Austritt beschlossen sind. "
    "In Brüssel reagierte man zurückhaltend auf die Entscheidung. Die Frist für den Austritt endet am 31. Oktober."
)
SCOOTERS_FR = (
    "La ville de Montréal a décidé de mettre fin aux trottinettes électriques en libre-service. "
    "Les entreprises qui les louaient doivent retirer leurs appareils des rues, selon la mairie."
)


def test_a_language_s_most_frequent_words_are_its_function_words() -> None:
    assert {"der", "die", "und", "für"} <= function_words("de")
    assert {"les", "des", "qui"} <= function_words("fr")
    assert "deutschland" not in function_words("de")


def test_english_and_unknown_languages_have_no_extra_function_words() -> None:
    assert function_words("en") == frozenset()
    assert function_words(None) == frozenset()
    assert function_words("xx") == frozenset()
    # wordfreq would answer Latin with Italian's list; no list is better than a wrong one.
    assert function_words("la") == frozenset()


def test_langid_codes_that_wordfreq_files_elsewhere_still_find_their_list() -> None:
    assert function_words("no") == function_words("nb") != frozenset()


def test_a_french_article_s_function_words_are_not_story_terms() -> None:
    french = featurize(None, SCOOTERS_FR, None, "fr").terms
    assert not {"w:les", "w:de", "w:qui", "w:la", "w:des"} & french.keys()
    assert {"w:ville", "w:montréal", "w:décidé"} <= french.keys()


def test_an_english_article_s_terms_do_not_depend_on_the_language_hint() -> None:
    text = "The European Central Bank kept interest rates unchanged on Thursday in Frankfurt."
    assert featurize(None, text, None, "en").terms == featurize(None, text, None).terms


def test_german_keywords_are_content_words_not_function_words() -> None:
    words = keywords(BREXIT_DE, limit=8, language="de")
    assert "austritt" in words or "frist" in words
    assert not [k for k in words if set(k.split()) & function_words("de")]


def test_key_point_terms_drop_the_language_s_function_words() -> None:
    assert terms("Der Hund und die Katze", "de") == ["hund", "katze"]


def test_letters_of_any_script_stay_inside_one_word() -> None:
    assert terms("Luka Modrić scored in Łódź, not in Київ") == ["luka", "modrić", "scor", "łódź", "київ"]


def test_a_story_digest_keeps_its_article_s_language_and_reads_older_digests_without_one() -> None:
    digest = ArticleDigest("a1", "outlet", None, ("Ein Punkt.",), (), 1.0, "de")
    assert ArticleDigest.from_json(digest.to_json()) == digest
    older = orjson.loads(digest.to_json())
    del older["language"]
    assert ArticleDigest.from_json(orjson.dumps(older)).language is None
