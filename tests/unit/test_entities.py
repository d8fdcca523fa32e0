"""Tests for rule-based entity extraction and variant merging."""

from pathlib import Path

from services.summarizer.entities import extract_entities, merge_entities

SEEDS = Path(__file__).parents[2] / "seeds"


def _by_name(text: str) -> dict[str, str]:
    return {e.name: e.type for e in extract_entities(text)}


def test_a_surname_mention_is_merged_into_the_full_name_and_titles_are_dropped() -> None:
    text = "Kremlin spokesperson Dmitry Peskov spoke on Sunday.\n\nMr Peskov said talks were ready."
    people = [e for e in extract_entities(text) if e.type == "PER"]
    assert [(p.name, p.count) for p in people] == [("Dmitry Peskov", 2)]


def test_transliteration_variants_are_one_person() -> None:
    text = "President Volodymyr Zelensky spoke. Later Volodymyr Zelenskiy rejected the offer. Zelenskyy left."
    people = [e for e in extract_entities(text) if e.type == "PER"]
    assert len(people) == 1 and people[0].count == 3


def test_demonyms_are_not_entities_but_countries_are_places() -> None:
    found = _by_name("Russian troops entered Ukraine on Sunday, Ukrainian officials said.")
    assert found.get("Ukraine") == "LOC"
    assert "Russian" not in found and "Ukrainian" not in found


def test_organisation_keywords_mark_organisations() -> None:
    found = _by_name("The Ministry of Defence and the Kremlin issued statements.")
    assert found.get("Ministry of Defence") == "ORG"
    assert found.get("Kremlin") == "ORG"


def test_seed_articles_merge_gomel_and_homel_across_outlets() -> None:
    groups = [extract_entities(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    merged = {e.name: e for e in merge_entities(groups)}
    assert "Volodymyr Zelensky" in merged
    assert {"Zelenskiy", "Zelensky"} <= set(merged["Volodymyr Zelensky"].variants)
    gomel = [e for e in merged.values() if "Homel" in e.variants]
    assert gomel and "Gomel" in gomel[0].variants
    assert merged["Dmitry Peskov"].type == "PER"
