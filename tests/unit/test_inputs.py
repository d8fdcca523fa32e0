"""Reading user inputs: ids from file names, sidecar metadata, clear errors."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from storywire.services.cli.inputs import InputError, article_id_of, read_articles
from tests.conftest import SEEDS


def test_a_file_article_id_is_its_name_without_its_extensions() -> None:
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


def test_only_the_extensions_a_file_is_read_by_leave_its_name() -> None:
    assert article_id_of(Path("bbc.com.52241221.html")) == "bbc.com.52241221"
    assert article_id_of(Path("news.site.a.HTM")) == "news.site.a"
    assert article_id_of(Path("x.html.gz")) == "x"
    assert article_id_of(Path("wire.2024.05.txt.gz")) == "wire.2024.05"


def _write_page(path: Path, headline: str) -> None:
    path.write_text(f"<html><body><h1>{headline}</h1><p>{headline} was reported today.</p></body></html>")


def test_a_dotted_file_name_finds_its_side_file_and_two_outlets_stay_two_articles(tmp_path: Path) -> None:
    _write_page(tmp_path / "news.site.a.html", "Bridge opens")
    _write_page(tmp_path / "news.site.b.html", "Harbour closes")
    (tmp_path / "news.site.a.meta.json").write_text('{"url": "https://news.site/a"}')
    (tmp_path / "news.site.b.meta.json").write_text('{"url": "https://news.site/b"}')
    articles = list(read_articles([str(tmp_path)]))
    assert [(a.article_id, a.url) for a in articles] == [
        ("news.site.a", "https://news.site/a"),
        ("news.site.b", "https://news.site/b"),
    ]


def test_a_gzipped_page_is_read_with_the_side_file_of_its_plain_name(tmp_path: Path) -> None:
    page = tmp_path / "bbc.com.52241221.html.gz"
    page.write_bytes(gzip.compress(b"<html><body><p>Markets rallied on Monday.</p></body></html>"))
    (tmp_path / "bbc.com.52241221.meta.json").write_text('{"url": "https://www.bbc.com/news/52241221"}')
    (article,) = read_articles([str(tmp_path)])
    assert (article.article_id, article.content_type, article.outlet) == ("bbc.com.52241221", "text/html", "bbc.com")


def test_two_files_with_one_id_are_refused_before_any_article_is_read(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    _write_page(tmp_path / "a" / "story.html", "Bridge opens")
    _write_page(tmp_path / "b" / "story.html.gz", "Harbour closes")
    articles = read_articles([str(tmp_path / "a"), str(tmp_path / "b")])
    with pytest.raises(InputError, match=r"a/story\.html and .*b/story\.html\.gz .* article_id 'story'"):
        next(articles)


def test_a_side_file_can_give_a_colliding_file_its_own_id(tmp_path: Path) -> None:
    _write_page(tmp_path / "story.html", "Bridge opens")
    (tmp_path / "story.txt").write_text("Harbour closes\n\nThe harbour closed today.")
    with pytest.raises(InputError, match="article_id 'story'"):
        list(read_articles([str(tmp_path)]))
    (tmp_path / "story.txt").rename(tmp_path / "story2.txt")
    (tmp_path / "story2.meta.json").write_text('{"article_id": "harbour"}')
    assert [a.article_id for a in read_articles([str(tmp_path)])] == ["story", "harbour"]


def test_a_repeated_json_line_id_is_refused_unless_the_article_is_the_same(tmp_path: Path) -> None:
    lines = tmp_path / "a.jsonl"
    same = '{"article_id": "1", "content": "x"}\n'
    lines.write_text(same + same)
    assert [a.article_id for a in read_articles([str(lines)])] == ["1", "1"]
    lines.write_text(same + '{"article_id": "1", "content": "y"}\n')
    with pytest.raises(InputError, match=r"a\.jsonl:1 and .*a\.jsonl:2 are two different articles"):
        list(read_articles([str(lines)]))


def test_the_same_file_named_twice_is_one_article_published_twice(tmp_path: Path) -> None:
    _write_page(tmp_path / "story.html", "Bridge opens")
    assert len(list(read_articles([str(tmp_path), str(tmp_path / "story.html")]))) == 2


def test_side_files_are_never_read_as_articles(tmp_path: Path) -> None:
    (tmp_path / "s.meta.json").write_text('{"url": "https://a.org/s"}')
    with pytest.raises(InputError, match=r"no \.html"):
        list(read_articles([str(tmp_path)]))
    with pytest.raises(InputError, match=r"not an \.html"):
        list(read_articles([str(tmp_path / "s.meta.json")]))
