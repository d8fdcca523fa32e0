"""The harnesses' one JSONL reader: rows in order, blank lines skipped, a broken row named."""

from pathlib import Path

import pytest

from evaluation.jsonl import read_jsonl


def test_rows_come_in_file_order_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "a", "text": "Zürich"}\n\n  \n{"id": "b"}\n', encoding="utf-8")
    assert list(read_jsonl(path)) == [{"id": "a", "text": "Zürich"}, {"id": "b"}]


def test_a_line_that_is_not_an_object_is_an_error_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "a"}\n["b"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"set\.jsonl:2: not a JSON object"):
        list(read_jsonl(path))
