"""The bus on both transports: outbox → relay → consumer, de-duplication, retries, DLQ."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from kombu import Connection, Consumer, Message, Producer
from sqlalchemy import Column, MetaData, String, Table, func, select
from sqlalchemy.orm import Session

from services.docgen import bootstrap as docgen_bootstrap
from shared.bus import Envelope, connect, dead_letter_queue, declare_topology
from shared.bus.consumer import RetryPolicy, ServiceConsumer
from shared.bus.messages import ATTEMPT_HEADER, ERROR_HEADER
from shared.runtime import ServiceContext
from tests.conftest import ORGAN, Stack

pytestmark = pytest.mark.integration

seen = Table("t_seen", MetaData(), Column("event_id", String(36), primary_key=True))


class Harness:
    """docgen's queue driven step by step: relay, then deliver what is waiting."""

    def __init__(self, stack: Stack, handler: Callable[[Session, Envelope], None], attempts: int):
        self.context: ServiceContext = docgen_bootstrap.context(stack.config("docgen"))
        seen.create(self.context.engine, checkfirst=True)
        with self.context.engine.begin() as conn:
            conn.execute(seen.delete())
        self.url = self.context.config.broker_url
        self.consumer = ServiceConsumer(
            service="docgen",
            broker_url=self.url,
            uow_factory=self.context.uow,
            outbox=self.context.outbox,
            inbox=self.context.tables.inbox,
            handlers={"submission.ping": handler},
            retry=RetryPolicy(max_attempts=attempts, backoff_seconds=0),
        )
        self.relay = self.context.relay()

    def emit(self, envelope: Envelope) -> None:
        with self.context.uow() as uow:
            self.context.outbox.add_event(uow.session, envelope)
            uow.commit()

    @contextmanager
    def connected(self) -> Iterator[tuple[Connection, Producer]]:
        with connect(self.url) as conn:
            declare_topology(conn, self.url)
            yield conn, Producer(conn.channel())

    def pump(self, until: Callable[[], bool], timeout: float = 20.0) -> None:
        """Relay and consume until ``until()`` holds (or fail after ``timeout``)."""
        with self.connected() as (conn, producer):
            consumer = Consumer(
                conn.channel(), queues=[self.consumer.queue], on_message=self.consumer.on_message
            )
            with consumer:
                deadline = time.monotonic() + timeout
                while not until():
                    assert time.monotonic() < deadline, "condition not reached in time"
                    self.relay.run_once(producer)
                    with contextlib.suppress(TimeoutError):
                        conn.drain_events(timeout=0.1)

    def dead_letters(self) -> list[Message]:
        got: list[Message] = []
        with self.connected() as (conn, _):
            queue = dead_letter_queue("docgen", self.url)(conn.default_channel)
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline:
                message = queue.get(no_ack=True)
                if message is None:
                    if got:
                        break
                    time.sleep(0.1)
                    continue
                got.append(message)
        return got

    def count(self) -> int:
        with self.context.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(seen)).scalar_one())


def record(session: Session, envelope: Envelope) -> None:
    session.execute(seen.insert().values(event_id=envelope.id))


def ping(n: int = 0) -> Envelope:
    return Envelope(type="submission.ping", organ_id=ORGAN, payload={"n": n})


@pytest.fixture
def harness_for(stack: Stack) -> Iterator[Callable[..., Harness]]:
    made: list[Harness] = []

    def build(handler: Callable[[Session, Envelope], None], attempts: int) -> Harness:
        made.append(Harness(stack, handler, attempts))
        return made[-1]

    yield build
    for harness in made:
        harness.context.dispose()


def test_events_flow_from_outbox_to_handler(harness_for: Callable[..., Harness]) -> None:
    harness = harness_for(record, attempts=3)
    for n in range(20):
        harness.emit(ping(n))
    harness.pump(lambda: harness.count() == 20)
    assert harness.relay.pending() == 0


def test_a_republished_event_is_handled_once(harness_for: Callable[..., Harness]) -> None:
    harness = harness_for(record, attempts=3)
    event = ping()
    harness.emit(event)
    harness.emit(event)  # a relay crash after publish and before marking re-sends it
    harness.emit(ping(1))
    harness.pump(lambda: harness.count() == 2 and harness.relay.pending() == 0)
    time.sleep(0.3)
    harness.pump(lambda: True)
    assert harness.count() == 2


def test_failing_handler_goes_to_dead_letters_without_blocking(
    harness_for: Callable[..., Harness],
) -> None:
    calls: list[int] = []

    def picky(session: Session, envelope: Envelope) -> None:
        if envelope.payload["n"] == 0:
            calls.append(1)
            raise RuntimeError("mẫu biểu không hợp lệ")
        record(session, envelope)

    harness = harness_for(picky, attempts=3)
    harness.emit(ping(0))
    for n in range(1, 6):
        harness.emit(ping(n))
    harness.pump(lambda: harness.count() == 5 and len(calls) == 3 and harness.relay.pending() == 0)
    letters = harness.dead_letters()
    assert len(letters) == 1
    headers = letters[0].headers
    assert headers[ATTEMPT_HEADER] == 3
    assert "mẫu biểu không hợp lệ" in headers[ERROR_HEADER]
    assert json.loads(letters[0].body)["payload"] == {"n": 0}


def test_malformed_message_is_dead_lettered_at_once(harness_for: Callable[..., Harness]) -> None:
    harness = harness_for(record, attempts=5)
    with harness.connected() as (_, producer):
        producer.publish(
            "không phải JSON",
            exchange="",
            routing_key=harness.consumer.queue.name,
            content_type="application/json",
            content_encoding="utf-8",
            message_id="garbage-1",
        )
    harness.emit(ping(1))
    harness.pump(lambda: harness.count() == 1 and harness.relay.pending() == 0)
    letters = harness.dead_letters()
    assert len(letters) == 1
    assert json.loads(letters[0].body)["payload"]["raw"] == "không phải JSON"
    assert "not a vanthu event envelope" in letters[0].headers[ERROR_HEADER]
