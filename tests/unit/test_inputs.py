"""Reading user inputs: ids from file names, sidecar metadata, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from storywire.services.cli.inputs import InputError, article_id_of, read_articles
from tests.conftest import SEEDS


def test_a_file_article_id_is_its_name_without_extensions() -> None:
    assert article_id_of(Path("/x/000_abc.txt")) == "000_abc"
    assert article_id_of(Path("page.html.gz")) == "page"


def test_the_seeds_folder_reads_as_two_plain_text_articles_with_their_outlets() -> None:
    articles = list(read_articles([str(SEEDS)]))
    assert [a.article_id for a in articles] == ["000_6531704c8407b2c0", "003_a8e70011b0fb06a6"]
    assert {a.content_type for a in articles} == {"text/plain"}
    assert [a.outlet for a in articles] == ["The Independent", "The Kashmir Monitor"]


def test_html_files_are_read_as_html(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes("<html><body><p>Café</p></body></html>".encode("latin-1"))
    (article,) = read_articles([str(page)])
    assert article.content_type == "text/html"
    assert "Caf" in article.content


def test_jsonl_lines_are_raw_articles(tmp_path: Path) -> None:
    lines = tmp_path / "a.jsonl"
    lines.write_text('{"article_id": "1", "content": "x"}\n\n{"url": "https://a.org/2", "content": "y"}\n')
    assert [a.outlet for a in read_articles([str(lines)])] == [None, "a.org"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.jsonl", '{"content": ""}\n', "not a RawArticle"),
        ("bad2.jsonl", "{nope\n", "not valid JSON"),
        ("empty.txt", "  \n", "empty"),
        ("notes.pdf", "x", "not an .html"),
    ],
)
def test_bad_inputs_give_one_clear_error(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        list(read_articles([str(path)]))


def test_a_missing_path_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no such file"):
        list(read_articles(["/nonexistent/x.txt"]))
