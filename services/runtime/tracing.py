"""OpenTelemetry spans across the stages, off by default (``STORYWIRE_TRACING=true``).

Each stage opens one span per entry, as a child of the span that published the
entry: the W3C ``traceparent`` travels in a field of the stream entry next to
``correlation_id``, so one article's cleaning, story assignment and summary
form one trace. Spans carry the article id, message id and correlation id.
Exporters are configured the OpenTelemetry way (``OTEL_*`` variables, or a
tracer provider set by the host application); without the optional
``tracing`` extra installed, tracing stays off.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping
from typing import Any

log = logging.getLogger(__name__)

TRACEPARENT_FIELD = "traceparent"
_B_TRACEPARENT = TRACEPARENT_FIELD.encode()


class Tracing:
    """Spans per processed entry, or nothing when disabled."""

    def __init__(self, enabled: bool, service: str) -> None:
        self._tracer: Any = None
        self._propagator: Any = None
        if not enabled:
            return
        try:
            from opentelemetry import trace  # noqa: PLC0415 (optional extra)
            from opentelemetry.trace.propagation.tracecontext import (  # noqa: PLC0415
                TraceContextTextMapPropagator,
            )
        except ImportError:
            log.warning("STORYWIRE_TRACING is on but opentelemetry is not installed: pip install 'storywire[tracing]'")
            return
        self._tracer = trace.get_tracer("storywire", schema_url=None)
        self._propagator = TraceContextTextMapPropagator()
        self._service = service

    @property
    def enabled(self) -> bool:
        """Whether spans are recorded."""
        return self._tracer is not None

    @contextlib.contextmanager
    def span(
        self, stage: str, fields: Mapping[bytes, bytes], *, message_id: str, correlation_id: str
    ) -> Iterator[dict[str, str]]:
        """A span for one entry; yields the fields that carry it on to the entries published."""
        if self._tracer is None:
            yield {}
            return
        raw = fields.get(_B_TRACEPARENT)
        carrier = {TRACEPARENT_FIELD: raw.decode("ascii", "replace")} if raw else {}
        parent = self._propagator.extract(carrier)
        with self._tracer.start_as_current_span(
            f"{stage} process",
            context=parent,
            kind=_consumer_kind(),
            attributes={
                "messaging.system": "redis",
                "messaging.message.id": message_id,
                "messaging.message.conversation_id": correlation_id,
                "storywire.stage": stage,
            },
        ) as span:
            outgoing: dict[str, str] = {}
            self._propagator.inject(outgoing)
            yield outgoing
            article_id = _current_article_id()
            if article_id:
                span.set_attribute("storywire.article_id", article_id)


def _consumer_kind() -> Any:
    from opentelemetry.trace import SpanKind  # noqa: PLC0415 (optional extra)

    return SpanKind.CONSUMER


def _current_article_id() -> str | None:
    from storywire.services.runtime.logs import current_article_id  # noqa: PLC0415 (avoid an import cycle)

    return current_article_id()


def install_exporter(service: str) -> bool:
    """Export spans over OTLP (endpoint from ``OTEL_EXPORTER_OTLP_ENDPOINT``) unless a provider is set.

    Called by ``storywire run`` when tracing is on; a host application that sets its own
    tracer provider keeps it. Returns whether an exporter was installed.
    """
    try:
        from opentelemetry import trace  # noqa: PLC0415 (optional extra)
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # noqa: PLC0415
        from opentelemetry.sdk.resources import Resource  # noqa: PLC0415
        from opentelemetry.sdk.trace import TracerProvider  # noqa: PLC0415
        from opentelemetry.sdk.trace.export import BatchSpanProcessor  # noqa: PLC0415
    except ImportError:
        log.warning("tracing on, but no OTLP exporter installed: pip install 'storywire[tracing]'")
        return False
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return False
    provider = TracerProvider(resource=Resource.create({"service.name": f"storywire-{service}"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return True
