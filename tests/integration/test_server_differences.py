"""Where Redis 6.2, Redis 7.0 and Valkey answer differently, storywire still does the same thing.

With a container engine the integration suite runs once per server (tests/conftest.py); each test
here also checks that the server behaves as the code expects it to, so a server that changes its
answer shows up here first.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
import redis as sync_redis
from redis.asyncio import Redis

from storywire.contracts import RawArticle
from storywire.services.runtime.pipeline_stats import GroupStats, StreamStats, collect
from storywire.services.runtime.streams import StreamNames
from tests.integration.harness import fast_settings, publish, running, wait_for_entries

pytestmark = pytest.mark.integration

ACL_FILE = Path(__file__).resolve().parents[2] / "deploy" / "redis-acl.conf"
TEXT = "The council approved the budget on Tuesday after a long and heated debate in the city hall."


def version(redis_url: str) -> tuple[str, tuple[int, int]]:
    """('redis', (6, 2)) or ('valkey', (9, 1)): the server and its version."""
    with sync_redis.Redis.from_url(redis_url) as client:
        info = client.info("server")
    name = "valkey" if "valkey_version" in info else "redis"
    major, minor = str(info[f"{name}_version"]).split(".")[:2]
    return name, (int(major), int(minor))


def is_redis_6(redis_url: str) -> bool:
    server, release = version(redis_url)
    return server == "redis" and release < (7, 0)


def test_a_pending_entry_deleted_from_its_stream_leaves_the_pending_list_when_reclaimed(
    redis_url: str, names: StreamNames
) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)
        await redis.xgroup_create(names.raw, "cleaner", id="0", mkstream=True)
        article = RawArticle(article_id="kept", content=f"{TEXT}\n\n{TEXT}")
        deleted_id, _ = await publish(redis, names.raw, RawArticle(article_id="gone", content=TEXT), article)
        await redis.xreadgroup("cleaner", "crashed-consumer", {names.raw: ">"}, count=10)
        await redis.xdel(names.raw, deleted_id)

        # What the server says about it: Redis 6.2 hands the deleted entry back as an empty one and
        # keeps it pending; 7.0 and later list it apart and drop it from the pending list.
        reply = await redis.xautoclaim(names.raw, "cleaner", "probe", min_idle_time=0)
        if is_redis_6(redis_url):
            assert len(reply) == 2
            assert (await redis.xpending(names.raw, "cleaner"))["pending"] == 2
        else:
            assert reply[2] == [deleted_id]
            assert (await redis.xpending(names.raw, "cleaner"))["pending"] == 1

        async with running(fast_settings(redis_url, names, reclaim_idle_ms=100), ["cleaner"]):
            assert await wait_for_entries(redis, names.clean, 1, timeout_s=15) == 1
            for _ in range(100):
                if (await redis.xpending(names.raw, "cleaner"))["pending"] == 0:
                    break
                await asyncio.sleep(0.1)
        assert (await redis.xpending(names.raw, "cleaner"))["pending"] == 0
        assert await redis.xlen(names.dead_letters("cleaner")) == 0
        await redis.aclose()

    asyncio.run(scenario())


def test_a_groups_lag_is_reported_where_the_server_knows_it_and_bounded_where_it_does_not(
    redis_url: str, names: StreamNames
) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(redis_url)

        async def raw_stream() -> tuple[StreamStats, GroupStats]:
            stats = {s.name: s for s in (await collect(redis, names)).streams}[names.raw]
            (group,) = stats.groups
            return stats, group

        ids = [await redis.xadd(names.raw, {"data": str(n)}) for n in range(6)]
        await redis.xgroup_create(names.raw, "cleaner", id="0")
        await redis.xreadgroup("cleaner", "c1", {names.raw: ">"}, count=2)
        (info,) = await redis.xinfo_groups(names.raw)
        stats, group = await raw_stream()
        if is_redis_6(redis_url):
            # Redis 7.0 added `lag` and `entries-read` to XINFO GROUPS; 6.2 has neither.
            assert "lag" not in info and "entries-read" not in info
            assert (group.lag, group.lag_at_most, stats.entries_added) == (None, 4, None)
        else:
            assert (group.lag, group.lag_at_most, stats.entries_added) == (4, 4, 6)

        # An entry deleted past the group's position leaves 7.0's lag unknown (nil): bounded then too.
        await redis.xdel(names.raw, ids[4])
        (info,) = await redis.xinfo_groups(names.raw)
        assert info.get("lag") is None
        stats, group = await raw_stream()
        assert (group.lag, group.lag_at_most) == (None, 3)
        await redis.aclose()

    asyncio.run(scenario())


def _acl_rules() -> dict[str, str]:
    """deploy/redis-acl.conf's users (not `default`: the tests log in as it) and their rules."""
    users = {}
    for line in ACL_FILE.read_text().splitlines():
        if line.startswith("user ") and not line.startswith("user default "):
            _, name, rules = line.split(" ", 2)
            users[name] = rules
    return users


def _load(client: sync_redis.Redis, users: dict[str, str]) -> dict[str, str]:
    """ACL SETUSER each user; the server's error for each it refuses."""
    refused = {}
    for user, rules in users.items():
        try:
            client.execute_command("ACL", "SETUSER", user, "reset", *rules.split(" "))
        except sync_redis.ResponseError as exc:
            refused[user.split("-", 1)[1]] = str(exc)
    return refused


def test_the_acl_file_loads_on_redis_7_2_and_valkey_and_older_servers_refuse_only_what_they_lack(
    redis_url: str,
) -> None:
    client = sync_redis.Redis.from_url(redis_url)
    tag = f"t{uuid.uuid4().hex[:8]}"
    users = {f"{tag}-{name}": rules for name, rules in _acl_rules().items()}
    server, release = version(redis_url)
    try:
        refused = _load(client, users)
        if server == "redis" and release < (7, 0):
            # Selectors (...) and read-only key patterns (%R~) came with Redis 7.0.
            assert {"cleaner", "dedup", "summarizer", "reader", "keda"} <= set(refused)
            assert all("Syntax error" in error or "%R~" in error for error in refused.values()), refused
        elif server == "redis" and release < (7, 2):
            # CLIENT SETINFO (redis-py sends it on connecting) came with 7.2: 7.0 refuses to name it,
            # and takes every other rule of the file.
            assert set(refused) == {name for name, rules in _acl_rules().items() if "+client|setinfo" in rules}
            assert all("+client|setinfo" in error for error in refused.values()), refused
            without = {user: rules.replace(" +client|setinfo", "") for user, rules in users.items()}
            assert _load(client, without) == {}
        else:
            assert refused == {}
            assert client.execute_command("ACL", "DRYRUN", f"{tag}-keda", "XLEN", "articles.raw") == b"OK"
            assert client.execute_command("ACL", "DRYRUN", f"{tag}-keda", "DEL", "articles.raw") != b"OK"
            password = next(rule[1:] for rule in _acl_rules()["publisher"].split(" ") if rule.startswith(">"))
            with sync_redis.Redis.from_url(redis_url, username=f"{tag}-publisher", password=password) as publisher:
                assert publisher.ping()
                with pytest.raises(sync_redis.exceptions.NoPermissionError):
                    publisher.xadd(f"{tag}:summaries", {"a": "b"})
    finally:
        for user in users:
            client.execute_command("ACL", "DELUSER", user)
        client.close()
