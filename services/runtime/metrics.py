"""Prometheus metrics of a worker: FastStream's per-batch metrics, our per-message counters, pipeline gauges."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from redis.asyncio import Redis

from storywire.services.runtime.delivery import StageCounters
from storywire.services.runtime.pipeline_stats import PipelineStats, collect
from storywire.services.runtime.streams import StreamNames

_COUNTERS = ("processed", "published", "duplicates", "dead_lettered", "dead_letters_lost", "retried", "reclaimed")


class _StageCollector(Collector):
    """Reads the stage counters and the last pipeline snapshot at scrape time."""

    def __init__(self, counters: Callable[[], Mapping[str, StageCounters]]) -> None:
        self._counters = counters
        self.snapshot: PipelineStats | None = None

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
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
        length = GaugeMetricFamily("storywire_stream_length", "Entries in a stream", labels=["stream"])
        pending = GaugeMetricFamily(
            "storywire_group_pending", "Delivered, not acknowledged", labels=["stream", "group"]
        )
        lag = GaugeMetricFamily("storywire_group_lag", "Entries not yet delivered", labels=["stream", "group"])
        for stream in self.snapshot.streams:
            length.add_metric([stream.name], stream.length)
            for group in stream.groups:
                pending.add_metric([stream.name, group.name], group.pending)
                lag.add_metric([stream.name, group.name], group.lag)
        dead = GaugeMetricFamily("storywire_dead_letters", "Entries in a dead-letter stream", labels=["stage"])
        for stage, count in self.snapshot.dead_letters.items():
            dead.add_metric([stage], count)
        stories = GaugeMetricFamily("storywire_stories_open", "Stories updated within the horizon")
        stories.add_metric([], self.snapshot.stories_open)
        yield from (length, pending, lag, dead, stories)


class WorkerMetrics:
    """The registry a worker exposes on ``/metrics``."""

    def __init__(self, counters: Callable[[], Mapping[str, StageCounters]]) -> None:
        self.registry = CollectorRegistry()
        self._stages = _StageCollector(counters)
        self.registry.register(self._stages)

    async def render(self, redis: Redis | None, names: StreamNames) -> bytes:
        """Refresh the pipeline gauges from Redis (when reachable) and render the text format."""
        if redis is not None:
            try:
                self._stages.snapshot = await collect(redis, names)
            except Exception:  # noqa: BLE001 (a scrape must answer even when Redis does not)
                self._stages.snapshot = None
        return generate_latest(self.registry)
