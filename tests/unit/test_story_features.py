"""Tests for story-detection features: tokens, entity folding, weighting, time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from storywire.services.dedup.features import featurize, fold_entity, stem
from storywire.services.dedup.near_duplicates import NUM_PERM

BODY = (
    "Ukrainian officials travelled to Gomel on Monday for talks with a Russian delegation.\n"
    "The talks near the border were confirmed by President Volodymyr Zelenskiy.\n"
    "Officials said 2022 had been a hard year and 40 people attended."
)


@pytest.mark.parametrize(
    "variants",
    [
        ("Zelensky", "Zelenskiy", "Zelenskyy", "Zelenskij"),
        ("Homel", "Gomel"),
        ("Kyiv", "Kiev"),
        ("Kharkiv", "Kharkov"),
        ("Zürich", "Zurich"),
    ],
)
def test_transliteration_variants_fold_to_one_entity_key(variants: tuple[str, ...]) -> None:
    assert len({fold_entity(v) for v in variants}) == 1


def test_different_names_keep_different_entity_keys() -> None:
    assert fold_entity("Lohan") != fold_entity("Reid")
    assert fold_entity("Gomel") != fold_entity("Minsk")


def test_stemming_merges_plurals_and_possessives() -> None:
    assert stem("earthquakes") == stem("earthquake")
    assert stem("Lohan's") == "lohan"
    assert stem("injuries") == stem("injury")


def test_capitalised_words_inside_sentences_become_entities() -> None:
    features = featurize(None, BODY, None)
    assert "e:" + fold_entity("Gomel") in features.entities
    assert "e:" + fold_entity("Zelenskiy") in features.entities
    # Sentence-initial capitals and weekday names are grammar, not names.
    assert "e:" + fold_entity("Officials") not in features.entities
    assert "e:" + fold_entity("Monday") not in features.entities
    assert features.entities <= features.terms.keys()


def test_numbers_become_number_keys() -> None:
    features = featurize(None, BODY, None)
    assert "n:2022" in features.terms
    assert "n:40" in features.terms


def test_title_and_lead_terms_weigh_more_than_later_body_terms() -> None:
    body = "Filler sentence one.\nFiller sentence two.\nThe volcano erupted. The harbour flooded."
    features = featurize("Volcano erupts", body, None)
    assert features.terms["w:volcano"] > features.terms["w:harbour"]
    lead = featurize(None, "The harbour flooded today.\nMore text.\nThe volcano erupted.", None)
    assert lead.terms["w:harbour"] > lead.terms["w:volcano"]


def test_title_repeated_as_first_body_line_is_counted_once() -> None:
    title = "Storm hits coast"
    once = featurize(title, "Residents fled inland.", None)
    repeated = featurize(title, title + "\nResidents fled inland.", None)
    assert once.terms == repeated.terms


def test_a_title_that_is_the_bodys_opening_sentence_weighs_as_its_lede() -> None:
    # feeds that fill the title with the first line: the same features as without a title
    body = "Residents fled inland as the storm hit the coast.\nRoads were closed.\nThe mayor spoke."
    assert featurize(body.split("\n", maxsplit=1)[0], body, None).terms == featurize(None, body, None).terms


def test_published_at_becomes_epoch_seconds_and_naive_times_count_as_utc() -> None:
    aware = datetime(2022, 2, 27, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    naive = datetime(2022, 2, 27, 10, 0)  # noqa: DTZ001 - naive input is the case under test
    assert featurize(None, BODY, aware).published_at == featurize(None, BODY, naive).published_at
    assert featurize(None, BODY, None).published_at is None


def test_signature_is_compact_and_deterministic() -> None:
    a = featurize(None, BODY, None).signature
    b = featurize(None, BODY, None).signature
    assert a == b
    assert len(a.array()) == NUM_PERM
    assert a.array().dtype == np.dtype("<u4")


def test_empty_text_gives_empty_features() -> None:
    features = featurize(None, "", None)
    assert features.terms == {}
    assert features.entities == frozenset()
    assert features.signature.size == 0


def test_lead_entities_and_years_come_from_title_and_lead() -> None:
    features = featurize(
        "Lindsay Lohan checks into Betty Ford Center",
        "May 3, 2013\nActress Lindsay Lohan checked into the Betty Ford Center on Thursday.\n"
        "She had been there before.\nIn 1999 a Malibu judge was also mentioned by Lohan's lawyer.",
        None,
    )
    assert "e:" + fold_entity("Lohan") in features.lead_entities
    assert "e:" + fold_entity("Malibu") not in features.lead_entities  # beyond the lead
    assert features.lead_entities <= features.entities
    assert features.years == frozenset({"2013"})


def test_headline_lines_and_lowercase_words_do_not_make_entities() -> None:
    body = (
        "Microsoft Releases Emergency Patch For Internet Explorer\n"
        "The company said the patch fixes a flaw in Internet Explorer, and the patch is urgent."
    )
    features = featurize(None, body, None)
    assert "e:" + fold_entity("Patch") not in features.entities
    assert "e:" + fold_entity("Explorer") in features.entities


def test_the_publication_year_counts_like_a_year_in_the_lead() -> None:
    # The cleaner moves a dateline into published_at; its year still tells this year's event from last year's.
    body = "Rescuers searched collapsed homes after the earthquake.\nThe Red Crescent sent tents."
    dated = featurize("Earthquake kills 12", body, datetime(2019, 6, 3, tzinfo=UTC))
    undated = featurize("Earthquake kills 12", body, None)
    assert "2019" in dated.years and "n:2019" in dated.terms
    assert not undated.years and "n:2019" not in undated.terms
