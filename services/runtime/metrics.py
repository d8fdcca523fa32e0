"""Prometheus metrics of a worker: FastStream's per-batch metrics, our per-message counters, pipeline gauges."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from redis.asyncio import Redis

from storywire.services.runtime.delivery import StageCounters
from storywire.services.runtime.pipeline_stats import PipelineMonitor, PipelineStats, SnapshotState
from storywire.services.runtime.streams import StreamNames

_COUNTERS = ("processed", "published", "duplicates", "dead_lettered", "dead_letters_lost", "retried", "reclaimed")
Metric = CounterMetricFamily | GaugeMetricFamily


def _pipeline_metrics(stats: PipelineStats) -> Iterator[Metric]:
    """The gauges of one snapshot; a part the snapshot could not read has no sample."""
    length = GaugeMetricFamily("storywire_stream_length", "Entries in a stream", labels=["stream"])
    added = CounterMetricFamily(
        "storywire_stream_entries_added",
        "Entries ever added to a stream (Redis 7+: a group's read counter plus its lag; absent when unknown)",
        labels=["stream"],
    )
    pending = GaugeMetricFamily("storywire_group_pending", "Delivered, not acknowledged", labels=["stream", "group"])
    lag = GaugeMetricFamily(
        "storywire_group_lag",
        "Entries not yet delivered, as Redis 7+ reports it (absent when the server cannot tell)",
        labels=["stream", "group"],
    )
    lag_at_most = GaugeMetricFamily(
        "storywire_group_lag_at_most",
        "Upper bound on the entries not yet delivered: stream length less pending entries"
        " (an estimate for servers that report no lag; exact right after maintenance trims the stream)",
        labels=["stream", "group"],
    )
    for stream in stats.streams:
        length.add_metric([stream.name], stream.length)
        if stream.entries_added is not None:
            added.add_metric([stream.name], stream.entries_added)
        for group in stream.groups:
            pending.add_metric([stream.name, group.name], group.pending)
            lag_at_most.add_metric([stream.name, group.name], group.lag_at_most)
            if group.lag is not None:
                lag.add_metric([stream.name, group.name], group.lag)
    dead = GaugeMetricFamily("storywire_dead_letters", "Entries in a dead-letter stream", labels=["stage"])
    for stage, count in stats.dead_letters.items():
        dead.add_metric([stage], count)
    yield from (length, added, pending, lag, lag_at_most, dead)
    if stats.stories_open is not None:
        stories = GaugeMetricFamily("storywire_stories_open", "Stories updated within the horizon")
        stories.add_metric([], stats.stories_open)
        yield stories


def _snapshot_metrics(state: SnapshotState) -> Iterator[Metric]:
    ok = GaugeMetricFamily(
        "storywire_pipeline_snapshot_ok", "1 when the latest pipeline snapshot read every stream, else 0"
    )
    ok.add_metric([], 1 if state.ok else 0)
    errors = CounterMetricFamily(
        "storywire_pipeline_snapshot_errors", "Pipeline snapshots that failed or timed out, in whole or in part"
    )
    errors.add_metric([], state.errors)
    seconds = GaugeMetricFamily("storywire_pipeline_snapshot_seconds", "How long the latest pipeline snapshot took")
    seconds.add_metric([], state.seconds)
    yield from (ok, errors, seconds)


class _StageCollector(Collector):
    """Reads the stage counters and the latest pipeline snapshot at scrape time."""

    def __init__(self, counters: Callable[[], Mapping[str, StageCounters]]) -> None:
        self._counters = counters
        self.snapshot: SnapshotState | None = None

    def collect(self) -> Iterator[Metric]:
        messages = CounterMetricFamily(
            "storywire_messages", "Entries handled by a stage, by what happened to them", labels=["stage", "outcome"]
        )
        busy = CounterMetricFamily("storywire_busy_seconds", "Time spent processing batches", labels=["stage"])
        for stage, counters in self._counters().items():
            for outcome in _COUNTERS:
                messages.add_metric([stage, outcome], getattr(counters, outcome))
            busy.add_metric([stage], counters.busy_seconds)
        yield messages
        yield busy
        if self.snapshot is None:
            return
        yield from _snapshot_metrics(self.snapshot)
        if self.snapshot.stats is not None:
            yield from _pipeline_metrics(self.snapshot.stats)


class WorkerMetrics:
    """The registry a worker exposes on ``/metrics``."""

    def __init__(self, counters: Callable[[], Mapping[str, StageCounters]]) -> None:
        self.registry = CollectorRegistry()
        self._stages = _StageCollector(counters)
        self.registry.register(self._stages)
        self._monitor: PipelineMonitor | None = None

    async def render(self, redis: Redis | None, names: StreamNames) -> bytes:
        """Refresh the pipeline gauges from Redis (when reachable) and render the text format.

        Scrapes share one cached snapshot (see :class:`PipelineMonitor`); a failed one shows as
        ``storywire_pipeline_snapshot_ok 0`` beside the stage counters.
        """
        if redis is not None:
            monitor = self._monitor
            if monitor is None or monitor.redis is not redis or monitor.names != names:
                monitor = self._monitor = PipelineMonitor(redis, names)
            self._stages.snapshot = await monitor.state()
        return generate_latest(self.registry)
