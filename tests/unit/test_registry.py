"""The registry lists each service once, in pipeline order, as each service declares itself."""

from __future__ import annotations

import itertools

import pytest
from redis.exceptions import LockError

from storywire.contracts import CleanArticle
from storywire.services.registry import SERVICE_NAMES, service_definitions
from storywire.services.runtime.outcomes import Emit, Outcome
from storywire.services.runtime.streams import StreamNames


def test_the_registry_names_every_service_in_pipeline_order_as_each_declares_itself() -> None:
    assert [service.name for service in service_definitions()] == list(SERVICE_NAMES)
    assert [service.name for service in service_definitions(("summarizer", "cleaner"))] == ["cleaner", "summarizer"]


def test_each_service_reads_what_the_one_before_it_writes_first() -> None:
    names = StreamNames("p:")
    services = service_definitions()
    for before, after in itertools.pairwise(services):
        stream, contract = before.outputs[0]
        assert (stream(names), contract) == (after.input_stream(names), after.input_contract), after.name


def test_an_unknown_service_is_refused_rather_than_left_out() -> None:
    with pytest.raises(ValueError, match="no such service: cleanr"):
        service_definitions(("cleanr", "dedup"))


def test_the_runtime_builds_a_stage_from_the_declaration_and_the_handler() -> None:
    (dedup,) = service_definitions(("dedup",))

    async def handle(article: CleanArticle) -> Outcome:
        return Emit(())

    stage = dedup.stage(StreamNames("p:"), handle)
    assert (stage.name, stage.input_stream, stage.input_type) == ("dedup", "p:articles.clean", CleanArticle)
    assert stage.handle is handle
    assert stage.retryable == (LockError,)
