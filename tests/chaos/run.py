"""Chaos run: the real pipeline in worker processes on a persistent Redis, killed at random.

``python -m tests.chaos.run --articles 20000`` (or ``make chaos N=20000``) prints a table;
``tests/chaos/test_chaos.py`` runs a smaller one in the suite.

The corpus mixes HTML pages and plain-text articles, exact re-publications (same id,
same content: must add nothing), new versions (same id, changed text: must add one
summary), near-duplicates (other ids, copied text: summaries with ``duplicate_of``) and
poison (must land in the cleaner's dead letters, each once, with its reason). While it
is processed, worker processes are SIGKILLed and restarted, and Redis is SIGKILLed and
restarted on its append-only file (``appendfsync always``, so an acknowledged write
survives).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import redis

from storywire.contracts import ArticleSummary, DeadLetter, RawArticle
from storywire.services.runtime.embedded_redis import EmbeddedRedis, free_port
from storywire.services.runtime.redis_values import stream_reply
from storywire.services.runtime.streams import StreamNames
from storywire.services.runtime.wire import encode_entry
from tests.chaos.articles import EVENTS, event_sentence, event_text, event_title, html_page

STAGES = ("cleaner", "dedup", "summarizer")


@dataclass
class Corpus:
    """Entries to publish and what must come out of them."""

    entries: list[dict[bytes, bytes]] = field(default_factory=list)
    #: article_id -> number of distinct versions published under it.
    versions: Counter[str] = field(default_factory=Counter)
    #: payloads of the poison entries.
    poison: list[bytes] = field(default_factory=list)
    republished: int = 0
    near_duplicates: int = 0
    html: int = 0


def build_corpus(articles: int, seed: int, max_payload_bytes: int) -> Corpus:
    """A reproducible mix of articles, re-publications, versions, near-duplicates and poison."""
    rng = random.Random(seed)
    corpus = Corpus()
    originals: list[RawArticle] = []

    def add(article: RawArticle) -> None:
        corpus.entries.append(
            {k.encode(): v.encode() if isinstance(v, str) else v for k, v in encode_entry(article).items()}
        )

    for i in range(articles):
        roll = rng.random()
        if originals and roll < 0.08:  # exact re-publication
            add(rng.choice(originals))
            corpus.republished += 1
            continue
        plain = [a for a in originals if a.content_type == "text/plain"]
        if plain and roll < 0.14:  # near-duplicate: a copy, trimmed, wrapped in another outlet's lines
            text = rng.choice(plain).content
            cut = text[: int(len(text) * rng.uniform(0.7, 0.95))]
            copy = RawArticle(
                article_id=f"dup-{i}", content=f"Reporting by our wire partners.\n\n{cut}", outlet="copycat.example"
            )
            add(copy)
            corpus.versions[copy.article_id] += 1
            corpus.near_duplicates += 1
            continue
        if originals and roll < 0.17:  # a new version of an earlier article
            source = rng.choice(originals)
            event = rng.choice(EVENTS)
            extra = event_sentence(rng, event)
            content = (
                source.content + "\n\n" + extra
                if source.content_type == "text/plain"
                else source.content.replace("</article>", f"<p>{extra} {event_sentence(rng, event)}</p></article>")
            )
            add(source.model_copy(update={"content": content}))
            corpus.versions[source.article_id] += 1
            continue
        event = rng.choice(EVENTS)
        text = event_text(rng, rng.randint(3, 6), event)
        title = f"{event_title(rng, event)} ({i})"
        if rng.random() < 0.4:
            article = RawArticle(article_id=f"a-{i}", content=html_page(title, text), content_type="text/html")
            corpus.html += 1
        else:
            article = RawArticle(article_id=f"a-{i}", title=title, content=text)
        originals.append(article)
        add(article)
        corpus.versions[article.article_id] += 1

    poison = [
        b"{not json",
        b'{"article_id": "p-schema", "content": 42}',
        b'{"article_id": "p-empty", "content": "   "}',
        b"\xff\xfe\xfa binary",
        b'{"article_id": "p-big", "content": "' + b"x" * max_payload_bytes + b'"}',
        b'{"article_id": "p-nav", "content_type": "text/html", "content": "<html><nav>Home</nav></html>"}',
    ]
    for payload in poison:
        position = rng.randrange(len(corpus.entries) + 1)
        corpus.entries.insert(position, {b"data": payload})
        corpus.poison.append(payload)
    return corpus


@dataclass
class ChaosReport:
    """What a chaos run did and what came out."""

    articles: int
    versions: int
    republished: int
    near_duplicates: int
    poison: int
    kills: int
    redis_restarts: int
    lost: int
    doubled: int
    dead_lettered: int
    unexpected_dead_letters: int
    pending_left: int
    wall_s: float

    @property
    def passed(self) -> bool:
        """Nothing lost, nothing doubled, exactly the poison dead-lettered, nothing pending."""
        return (
            self.lost == 0
            and self.doubled == 0
            and self.dead_lettered == self.poison
            and self.unexpected_dead_letters == 0
            and self.pending_left == 0
        )

    def table(self) -> str:
        """A markdown table of the run."""
        rows = [
            ("articles published (entries)", self.articles),
            ("distinct article versions", self.versions),
            ("exact re-publications", self.republished),
            ("near-duplicates", self.near_duplicates),
            ("poison injected", self.poison),
            ("worker kills (SIGKILL)", self.kills),
            ("Redis restarts (SIGKILL, AOF)", self.redis_restarts),
            ("lost", self.lost),
            ("doubled", self.doubled),
            ("dead-lettered", self.dead_lettered),
            ("unexpected dead letters", self.unexpected_dead_letters),
            ("pending at the end", self.pending_left),
            ("wall time (s)", round(self.wall_s, 1)),
        ]
        return "| measure | value |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)


class _Workers:
    """Worker processes, one ``storywire run <stage>`` each."""

    def __init__(self, url: str, prefix: str, per_stage: int, log_dir: Path, max_payload: int) -> None:
        self.url, self.prefix, self.log_dir = url, prefix, log_dir
        self.env = {
            **os.environ,
            "STORYWIRE_MAX_PAYLOAD_BYTES": str(max_payload),
            "STORYWIRE_RECLAIM_IDLE_MS": "3000",
            "STORYWIRE_RECLAIM_INTERVAL_MS": "300",
            "STORYWIRE_BLOCK_MS": "100",
            "STORYWIRE_MAINTENANCE_INTERVAL_MS": "1000",
            "STORYWIRE_MAX_DELIVERIES": "20",
            "STORYWIRE_HTTP_PORT": "0",
        }
        self.slots = [(stage, n) for stage in STAGES for n in range(per_stage)]
        self.procs: dict[tuple[str, int], subprocess.Popen[bytes]] = {}

    def start(self, slot: tuple[str, int]) -> None:
        log = (self.log_dir / f"{slot[0]}-{slot[1]}.log").open("ab")
        self.procs[slot] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "storywire.services.cli",
                "run",
                slot[0],
                "--redis-url",
                self.url,
                "--prefix",
                self.prefix,
            ],
            env=self.env,
            stdout=log,
            stderr=log,
        )

    def start_all(self) -> None:
        for slot in self.slots:
            self.start(slot)

    def kill(self, slot: tuple[str, int]) -> None:
        self.procs[slot].send_signal(signal.SIGKILL)
        self.procs[slot].wait()

    def stop_all(self) -> None:
        for proc in self.procs.values():
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _publish(client: redis.Redis, stream: str, entries: list[dict[bytes, bytes]]) -> None:
    """XADD in chunks, retrying through Redis restarts (a retried chunk is a re-publication)."""
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        while True:
            try:
                pipe = client.pipeline(transaction=False)
                for fields in chunk:
                    pipe.xadd(stream, fields)  # type: ignore[arg-type]
                pipe.execute()
                break
            except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
                time.sleep(0.2)


def _settled(client: redis.Redis, names: StreamNames) -> bool:
    streams = [(names.raw, "cleaner"), (names.clean, "dedup"), (names.assigned, "summarizer")]
    for stream, group in streams:
        info = {g["name"].decode(): g for g in client.xinfo_groups(stream)}
        if group not in info or int(info[group]["pending"]) > 0:
            return False
        last = client.xinfo_stream(stream)["last-generated-id"]
        if info[group]["last-delivered-id"] != last:
            return False
    return True


def _pending(client: redis.Redis, names: StreamNames) -> int:
    total = 0
    for stream, group in [(names.raw, "cleaner"), (names.clean, "dedup"), (names.assigned, "summarizer")]:
        total += int(client.xpending(stream, group)["pending"])
    return total


def run_chaos(
    articles: int,
    *,
    seed: int = 7,
    per_stage: int = 2,
    kill_every_s: tuple[float, float] = (2.0, 6.0),
    redis_restarts: int = 1,
    timeout_s: float = 600.0,
    work_dir: Path | None = None,
) -> ChaosReport:
    """Run the pipeline under chaos until everything settles (or the timeout); report."""
    rng = random.Random(seed)
    # The workers' limit only: set in this process's environment it outlived the run and capped
    # every later test's payloads (`make test` runs the chaos test first).
    max_payload = 64 * 1024
    corpus = build_corpus(articles, seed, max_payload)
    work = work_dir or Path(os.environ.get("TMPDIR", "/tmp")) / f"storywire-chaos-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = EmbeddedRedis(port=port, data_dir=work, appendonly=True, extra_args=("--appendfsync", "always"))
    url = server.start()
    names = StreamNames(f"chaos{seed}:")
    client = redis.Redis.from_url(url, socket_timeout=5, retry_on_timeout=True)
    workers = _Workers(url, names.prefix, per_stage, work, max_payload)
    started = time.monotonic()
    kills = restarts = 0
    try:
        workers.start_all()
        total = len(corpus.entries)
        restart_points = [total * (k + 1) // (redis_restarts + 1) for k in range(redis_restarts)]
        published = 0
        next_kill = time.monotonic() + rng.uniform(*kill_every_s)
        deadline = started + timeout_s
        while time.monotonic() < deadline:
            if published < total:
                _publish(client, names.raw, corpus.entries[published : published + 100])
                published = min(total, published + 100)
                if restart_points and published >= restart_points[0]:
                    restart_points.pop(0)
                    server.stop(kill=True)
                    time.sleep(0.3)
                    server.start()
                    restarts += 1
            if time.monotonic() >= next_kill:
                slot = rng.choice(workers.slots)
                workers.kill(slot)
                kills += 1
                time.sleep(rng.uniform(0.0, 0.5))
                workers.start(slot)
                next_kill = time.monotonic() + rng.uniform(*kill_every_s)
            try:
                if published >= total and _settled(client, names):
                    break
            except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
                pass
            time.sleep(0.1)
    finally:
        workers.stop_all()
    wall = time.monotonic() - started
    report = _verify(client, names, corpus, kills, restarts, wall)
    client.close()
    server.stop()
    if report.passed and work_dir is None:
        shutil.rmtree(work, ignore_errors=True)  # kept on failure: worker logs and the AOF explain it
    return report


def _entries(client: redis.Redis, stream: str) -> list[tuple[bytes, dict[bytes, bytes]]]:
    return stream_reply([(b"", client.xrange(stream))])[0][1]


def _verify(
    client: redis.Redis, names: StreamNames, corpus: Corpus, kills: int, restarts: int, wall: float
) -> ChaosReport:
    seen: Counter[tuple[str, str]] = Counter()
    for _id, fields in _entries(client, names.summaries):
        summary = ArticleSummary.model_validate_json(fields[b"data"])
        seen[(summary.article_id, summary.content_hash)] += 1
    per_article: Counter[str] = Counter(article_id for article_id, _ in seen)
    lost = sum(max(0, n - per_article.get(a, 0)) for a, n in corpus.versions.items())
    doubled = sum(n - 1 for n in seen.values() if n > 1) + sum(
        max(0, per_article[a] - corpus.versions.get(a, 0)) for a in per_article
    )
    expected = Counter(hashlib.sha256(p).hexdigest() for p in corpus.poison)
    found: Counter[str] = Counter()
    dead = 0
    for stage in STAGES:
        for _id, fields in _entries(client, names.dead_letters(stage)):
            letter = DeadLetter.model_validate_json(fields[b"data"])
            dead += 1
            # A letter keeps only the first part of a long payload, and the whole payload's hash.
            if letter.payload_sha256 is not None:
                found[letter.payload_sha256] += 1
                continue
            raw = letter.payload.encode() if letter.payload_encoding == "utf-8" else _b64(letter.payload)
            found[hashlib.sha256(raw).hexdigest()] += 1
    unexpected = sum((found - expected).values())
    return ChaosReport(
        articles=len(corpus.entries) - len(corpus.poison),
        versions=sum(corpus.versions.values()),
        republished=corpus.republished,
        near_duplicates=corpus.near_duplicates,
        poison=len(corpus.poison),
        kills=kills,
        redis_restarts=restarts,
        lost=lost,
        doubled=doubled,
        dead_lettered=dead,
        unexpected_dead_letters=unexpected,
        pending_left=_pending(client, names),
        wall_s=wall,
    )


def _b64(text: str) -> bytes:
    import base64

    return base64.b64decode(text)


def main(argv: list[str] | None = None) -> int:
    """Run one chaos round and print its table; exit 1 if anything was lost or doubled."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-stage", type=int, default=2)
    parser.add_argument("--redis-restarts", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--json", type=Path, default=None, help="Also write the report as JSON here.")
    args = parser.parse_args(argv)
    report = run_chaos(
        args.articles,
        seed=args.seed,
        per_stage=args.per_stage,
        redis_restarts=args.redis_restarts,
        timeout_s=args.timeout,
    )
    print(report.table())
    if args.json:
        args.json.write_bytes(orjson.dumps(report.__dict__, option=orjson.OPT_INDENT_2))
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
