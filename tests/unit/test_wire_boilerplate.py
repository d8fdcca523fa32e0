"""News-wire furniture is removed from an article's text; the sentences around it stay."""

from __future__ import annotations

import pytest

from storywire.services.cleaner.wire_boilerplate import strip_wire_boilerplate


@pytest.mark.parametrize("label", ["ADVERTISEMENT", "Advertisement", "Comments", "COMMENTS", "Video", "PHOTO"])
def test_a_line_that_is_one_page_label_is_dropped(label: str) -> None:
    text = f"The talks began on Monday.\n{label}\nThey ended on Tuesday."
    assert strip_wire_boilerplate(text) == "The talks began on Monday.\nThey ended on Tuesday."


@pytest.mark.parametrize("line", ["Video games sold well.", "comments", "Photo: Reuters", "Updated rules apply."])
def test_a_line_that_only_starts_with_a_label_or_is_lower_case_stays(line: str) -> None:
    text = f"The talks began on Monday.\n{line}"
    assert strip_wire_boilerplate(text) == text


def test_a_cnn_dateline_and_a_scroll_prompt_are_removed() -> None:
    text = "LONDON (CNN) -- The talks began. Scroll down for video\nThey ended."
    assert strip_wire_boilerplate(text) == "The talks began. They ended."
