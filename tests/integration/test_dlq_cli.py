"""`storywire dlq list|replay|purge` on a real Redis."""

from __future__ import annotations

import asyncio
import json

import pytest
import redis as sync_redis
from click.testing import CliRunner
from redis.asyncio import Redis

from storywire.contracts import CleanArticle
from storywire.services.cli import main
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, read_all, running, wait_for_entries

pytestmark = pytest.mark.integration

GOOD = json.dumps({"article_id": "fixed", "content": "The council approved the budget on Tuesday evening."})


def test_dead_letters_are_listed_replayed_after_a_fix_and_purged(redis_url: str, names: StreamNames) -> None:
    plain = sync_redis.Redis.from_url(redis_url)
    plain.xadd(names.raw, {"data": b"{broken"})
    plain.xadd(names.raw, {"data": b'{"article_id": "empty", "content": " "}'})

    async def process() -> None:
        redis = Redis.from_url(redis_url)
        async with running(fast_settings(redis_url, names), ["cleaner"]):
            await wait_for_entries(redis, names.dead_letters("cleaner"), 2)
        await redis.aclose()

    asyncio.run(process())
    cli = CliRunner()
    base = ["--redis-url", redis_url, "--prefix", names.prefix]

    listed = cli.invoke(main, ["dlq", "list", *base])
    assert listed.exit_code == 0, listed.output
    assert "InvalidJson" in listed.output and "SchemaViolation" in listed.output

    as_json = cli.invoke(main, ["dlq", "list", "--json", *base])
    letters = [json.loads(line) for line in as_json.output.splitlines()]
    assert [letter["error_type"] for letter in letters] == ["InvalidJson", "SchemaViolation"]

    # An operator fixes the payload of the first letter, then replays everything.
    entry_id = plain.xrange(names.dead_letters("cleaner"))[0][0]
    letter = json.loads(plain.xrange(names.dead_letters("cleaner"))[0][1][b"data"])
    letter["payload"] = GOOD
    pipe = plain.pipeline()
    pipe.xdel(names.dead_letters("cleaner"), entry_id)
    pipe.xadd(names.dead_letters("cleaner"), {"data": json.dumps(letter)})
    pipe.execute()

    replayed = cli.invoke(main, ["dlq", "replay", *base])
    assert replayed.exit_code == 0, replayed.output
    assert plain.xlen(names.dead_letters("cleaner")) == 0

    async def reprocess() -> list[CleanArticle]:
        redis = Redis.from_url(redis_url)
        async with running(fast_settings(redis_url, names), ["cleaner"]):
            await wait_for_entries(redis, names.clean, 1)
            await wait_for_entries(redis, names.dead_letters("cleaner"), 1)
        cleaned = await read_all(redis, names.clean, CleanArticle)
        await redis.aclose()
        return cleaned

    assert [c.article_id for c in asyncio.run(reprocess())] == ["fixed"]
    assert plain.xlen(names.dead_letters("cleaner")) == 1  # the unfixable one failed again

    purged = cli.invoke(main, ["dlq", "purge", "--yes", *base])
    assert purged.exit_code == 0 and plain.xlen(names.dead_letters("cleaner")) == 0
    plain.close()


def test_a_cli_verb_without_any_redis_gives_one_clear_error(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STORYWIRE_REDIS_URL", raising=False)
    monkeypatch.setattr("storywire.services.cli.live.ANNOUNCE_FILE", __import__("pathlib").Path("/nonexistent/x.url"))
    result = CliRunner().invoke(main, ["dlq", "list"])
    assert result.exit_code != 0
    assert "no Redis to talk to" in result.output
    assert "Traceback" not in result.output
