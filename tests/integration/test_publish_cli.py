"""`storywire publish` on a real Redis: which articles reach ``articles.raw``, and when none do."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import redis as sync_redis
from click.testing import CliRunner

from storywire.services.cli import main
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.wire import DATA_FIELD

pytestmark = pytest.mark.integration


def _publish(redis_url: str, names: StreamNames, *paths: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["publish", "--redis-url", redis_url, "--prefix", names.prefix, *map(str, paths)])
    return result.exit_code, result.stderr


def test_two_files_with_one_article_id_publish_nothing(redis_url: str, names: StreamNames, tmp_path: Path) -> None:
    # More files before the collision than one publishing chunk: a check made while
    # publishing would already have sent some.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for number in range(250):
        (tmp_path / "a" / f"wire.{number:03d}.txt").write_text(f"Report number {number} from the wire.")
    (tmp_path / "b" / "wire.249.txt").write_text("A different report that happens to share a name.")
    code, errors = _publish(redis_url, names, tmp_path / "a", tmp_path / "b")
    assert code != 0
    assert "article_id 'wire.249'" in errors
    assert len(errors.splitlines()) == 1
    assert sync_redis.Redis.from_url(redis_url).xlen(names.raw) == 0


def test_dotted_file_names_publish_each_article_with_its_side_file(
    redis_url: str, names: StreamNames, tmp_path: Path
) -> None:
    for name in ("news.site.a", "news.site.b"):
        (tmp_path / f"{name}.txt").write_text(f"The story told by {name}.")
        (tmp_path / f"{name}.meta.json").write_text(orjson.dumps({"url": f"https://news.site/{name}"}).decode())
    code, errors = _publish(redis_url, names, tmp_path)
    assert code == 0, errors
    entries = sync_redis.Redis.from_url(redis_url).xrange(names.raw)
    published = [orjson.loads(fields[DATA_FIELD.encode()]) for _id, fields in entries]
    assert [(a["article_id"], a["url"]) for a in published] == [
        ("news.site.a", "https://news.site/news.site.a"),
        ("news.site.b", "https://news.site/news.site.b"),
    ]
