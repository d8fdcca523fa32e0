"""Text rules are written once, in the text layer (services/text/): no service writes its own again.

A service that needs stopwords, a stemmer, a word tokenizer or the names of months and weekdays
imports them from :mod:`storywire.services.text`. These tests read the services' source (the
syntax tree, so comments do not count) and name each module that writes such a rule itself.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from storywire.services.text import tokens
from storywire.services.text.calendar_words import month_words, weekday_words
from storywire.services.text.stopwords import ENGLISH_STOPWORDS

SERVICES = Path(__file__).resolve().parents[2] / "services"
TEXT_LAYER = SERVICES / "text"

#: A statement whose strings hold this many stopwords of the base list is a stopword list.
STOPWORD_LIST_MIN_WORDS = 50
#: A statement whose strings name this many months (or weekdays) is a month (or weekday) table.
CALENDAR_TABLE_MIN_NAMES = 3

#: A pattern that ends in a character class of sentence stops, perhaps closing marks, then the end:
#: how a rule asks whether a line ends like a sentence (the text layer's ``ends_in`` builds it).
_SENTENCE_END_PATTERN = re.compile(r"\[[^\]]*[.!?][^\]]*\](?:\[[^\]]*\]|[*+?]|\\s)*\$$")

_TOKEN_PATTERNS = {pattern.pattern: name for name, pattern in vars(tokens).items() if isinstance(pattern, re.Pattern)}
_MONTHS = month_words()
_WEEKDAYS = weekday_words()


def _service_modules() -> list[Path]:
    return sorted(path for path in SERVICES.rglob("*.py") if TEXT_LAYER not in path.parents)


def _prose(tree: ast.Module) -> set[int]:
    """The ids of the strings that stand alone as statements: docstrings, of attributes too; prose is no rule."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }


def _strings(node: ast.AST, prose: set[int]) -> Iterator[str]:
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str) and id(child) not in prose:
            yield child.value


def text_rules(source: str) -> set[str]:
    """The text rules a module's source writes itself."""
    tree = ast.parse(source)
    prose = _prose(tree)
    rules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and (node.name == "stem" or "stem_" in node.name):
            rules.add("stemmer")
    for statement in tree.body:
        strings = list(_strings(statement, prose))
        words = {word for text in strings for word in re.findall(r"[^\W\d_]+", text.lower())}
        if len(words & ENGLISH_STOPWORDS) >= STOPWORD_LIST_MIN_WORDS:
            rules.add("stopword list")
        if len(words & _MONTHS) >= CALENDAR_TABLE_MIN_NAMES:
            rules.add("month table")
        if len(words & _WEEKDAYS) >= CALENDAR_TABLE_MIN_NAMES:
            rules.add("weekday table")
        rules.update(f"word tokenizer {_TOKEN_PATTERNS[text]}" for text in strings if text in _TOKEN_PATTERNS)
        if any(_SENTENCE_END_PATTERN.search(text) for text in strings):
            rules.add("sentence-end pattern")
    return rules


def _written_rules() -> set[tuple[str, str]]:
    return {
        (path.relative_to(SERVICES).as_posix(), rule)
        for path in _service_modules()
        for rule in text_rules(path.read_text(encoding="utf-8"))
    }


def test_no_service_writes_its_own_stopwords_stemmer_tokenizer_or_calendar_names() -> None:
    assert _written_rules() == set()


@pytest.mark.parametrize(
    ("source", "rule"),
    [
        ('STOPWORDS = frozenset("""' + " ".join(sorted(ENGLISH_STOPWORDS)) + '""".split())', "stopword list"),
        ("def stem(word: str) -> str:\n    return word.rstrip('s')", "stemmer"),
        ('_MONTHS = {"jan": 1, "feb": 2, "mar": 3}', "month table"),
        ('_DATE = re.compile(r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?)")', "month table"),
        ('_DAYS = ("monday", "tuesday", "wednesday")', "weekday table"),
        ('_WORD = re.compile(r"[^\\W_]+")', "word tokenizer ALPHANUMERIC_RUNS"),
        ("""_END = re.compile(r"[.!?:;]['\\"’”)]*\\s*$")""", "sentence-end pattern"),
        ("""_END = re.compile(r"[.!?…\\"“”»)]$")""", "sentence-end pattern"),
    ],
)
def test_each_kind_of_rule_is_recognised_in_a_module(source: str, rule: str) -> None:
    assert rule in text_rules(source)


def test_docstrings_and_single_words_are_no_rules() -> None:
    source = (
        '"""Dates such as Sunday 27 February 2022, or Monday, March 3, and Tuesday."""\n'
        'MAY = "may"\n'
        '"""Attribute docstrings are prose too: in June, July and August, on Wednesday."""\n'
    )
    assert text_rules(source) == set()
