"""`storywire dlq list|replay|purge` on a real Redis."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest
import redis as sync_redis
from click.testing import CliRunner
from redis.asyncio import Redis

from storywire.contracts import CleanArticle, DeadLetter
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


def _letter(names: StreamNames, **fields: object) -> bytes:
    values: dict[str, object] = {
        "stage": "cleaner",
        "error_type": "SchemaViolation",
        "error_message": "content: too short",
        "attempts": 1,
        "source_stream": names.raw,
        "source_entry_id": "1-0",
        "failed_at": datetime(2026, 1, 1, tzinfo=UTC),
        "payload": GOOD,
        **fields,
    }
    return DeadLetter.model_validate(values).model_dump_json().encode()


def test_dlq_list_shows_control_characters_escaped(redis_url: str, names: StreamNames) -> None:
    plain = sync_redis.Redis.from_url(redis_url)
    # Letters from before ids were constrained, or reasons quoting untrusted text.
    plain.xadd(
        names.dead_letters("cleaner"),
        {"data": _letter(names, article_id="x\n2026 fake line\x1b[2J", error_message="bad \x1b]0;title\x07 \u202e")},
    )
    listed = CliRunner().invoke(main, ["dlq", "list", "--redis-url", redis_url, "--prefix", names.prefix])
    assert listed.exit_code == 0, listed.output
    (line,) = listed.output.splitlines()
    assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line
    assert "bad \\x1b]0;title\\x07 \\u202e" in line and "article x\\x0a2026 fake line\\x1b[2J" in line
    plain.close()


def test_dlq_replay_refuses_a_letter_that_keeps_only_part_of_its_payload(redis_url: str, names: StreamNames) -> None:
    plain = sync_redis.Redis.from_url(redis_url)
    stream = names.dead_letters("cleaner")
    plain.xadd(stream, {"data": _letter(names, payload=GOOD[:20], payload_bytes=len(GOOD), payload_truncated=True)})
    plain.xadd(stream, {"data": _letter(names, payload=GOOD, payload_bytes=len(GOOD))})
    cli = CliRunner()
    base = ["--redis-url", redis_url, "--prefix", names.prefix]

    listed = cli.invoke(main, ["dlq", "list", *base])
    assert f"payload cut: 20 of {len(GOOD)} bytes kept" in listed.output.splitlines()[0]

    replayed = cli.invoke(main, ["dlq", "replay", *base])
    assert replayed.exit_code == 1
    assert f"keeps 20 of its payload's {len(GOOD)} bytes: not replayed" in replayed.output
    assert "replayed 1 dead letter(s), refused 1" in replayed.output
    assert [fields[b"data"].decode() for _, fields in plain.xrange(names.raw)] == [GOOD]
    (kept,) = plain.xrange(stream)
    assert DeadLetter.model_validate_json(kept[1][b"data"]).payload_truncated
    plain.close()
