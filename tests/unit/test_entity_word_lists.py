"""The entity rules' word lists are data files, each saying what its words do, each read by the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from storywire.services.summarizer.entities import lexicons

PACKAGE = Path(lexicons.__file__).parent
DATA_FILES = sorted((PACKAGE / "data").glob("*.txt"))


def test_the_entity_rules_have_their_word_lists_as_data_files() -> None:
    assert len(DATA_FILES) >= 20


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda path: path.name)
def test_each_word_list_says_what_its_words_do_in_its_header(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda path: path.name)
def test_each_word_list_is_read_by_the_rules(path: Path) -> None:
    sources = "".join(module.read_text(encoding="utf-8") for module in PACKAGE.glob("*.py"))
    assert f'"{path.name}"' in sources


def test_an_entry_of_a_word_list_may_be_a_phrase() -> None:
    assert "grand prix" in lexicons.MISC_HEADS


def test_a_place_alias_pairs_a_news_name_with_the_gazetteers_name() -> None:
    assert ("kiev", "kyiv") in lexicons.PLACE_ALIASES
