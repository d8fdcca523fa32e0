"""How a line ends: one pattern, built from the marks a rule names."""

from __future__ import annotations

import pytest

from storywire.services.text.punctuation import CLAUSE_STOPS, SENTENCE_STOPS, ends_in


@pytest.mark.parametrize(
    "line",
    [
        "The talks began on Monday.",
        'He said: "We will win."',
        "She asked ‘why not?’",
        'Nothing bad is going to happen. "',  # tokenized text: a space before the closing quote
        "It was (as expected.)  ",
        "He called it ''a disgrace.''",
    ],
)
def test_a_sentence_ends_in_its_stop_then_any_closing_marks(line: str) -> None:
    assert ends_in(SENTENCE_STOPS).search(line)


@pytest.mark.parametrize("line", ["Share this article", "Read more:", "Brexit latest: the vote", "the students’"])
def test_a_line_without_a_sentence_stop_at_its_end_does_not_end_a_sentence(line: str) -> None:
    assert not ends_in(SENTENCE_STOPS).search(line)


def test_a_rule_names_the_marks_that_end_its_lines() -> None:
    assert ends_in(SENTENCE_STOPS + CLAUSE_STOPS).search("He told reporters:")
    assert not ends_in(SENTENCE_STOPS).search("He told reporters:")


def test_the_same_marks_give_the_same_compiled_pattern() -> None:
    assert ends_in(SENTENCE_STOPS) is ends_in(SENTENCE_STOPS)
