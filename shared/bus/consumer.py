"""A worker that consumes a service's queue and relays its outbox.

Each message is handled in one database transaction together with an inbox row
(the message id), then acknowledged — so a redelivered or re-published message
is recognised and skipped. A handler that raises is retried later through the
outbox (a delayed republish carrying the attempt count and the last error);
after the last attempt the message goes to the service's dead-letter queue.
Both paths are ordinary database rows, so they work on every transport and
survive a crash between the failure and the republish.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kombu import Connection, Consumer, Message, Producer, Queue
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from shared.bus.connection import connect
from shared.bus.messages import (
    ATTEMPT_HEADER,
    ERROR_HEADER,
    FAILED_AT_HEADER,
    ORIGIN_HEADER,
    Envelope,
)
from shared.bus.outbox import Outbox, OutboxRelay
from shared.bus.topology import dead_letter_queue, declare_topology, service_queue
from shared.db.types import utcnow
from shared.db.uow import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[Session, Envelope], None]
# Work done before the message's transaction, outside any database lock (e.g.
# rendering a file and storing it in a short transaction of its own). It must be
# idempotent: a redelivered message runs it again.
Preparer = Callable[[Envelope], None]
# Turns a delivered message into an envelope; raises ValueError for one that is
# not (it is dead-lettered as it came). The default reads our JSON envelopes.
Decoder = Callable[[Message], Envelope]


def decode_envelope(message: Message) -> Envelope:
    return Envelope.from_json(message.body)


class PermanentError(Exception):
    """A failure no retry can fix (malformed message): dead-letter at once."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_seconds: float = 2.0
    max_backoff_seconds: float = 600.0

    def delay(self, attempt: int) -> timedelta:
        seconds = min(self.backoff_seconds * 2 ** (attempt - 1), self.max_backoff_seconds)
        return timedelta(seconds=seconds)


class ServiceConsumer:
    """Handles the messages of one service queue; see the module docstring."""

    def __init__(
        self,
        *,
        service: str,
        broker_url: str,
        uow_factory: Callable[[], UnitOfWork],
        outbox: Outbox,
        inbox: Table,
        handlers: Mapping[str, Handler],
        retry: RetryPolicy,
        preparers: Mapping[str, Preparer] | None = None,
        queue: Queue | None = None,
        dead_letters: Queue | None = None,
        decode: Decoder = decode_envelope,
    ) -> None:
        self.service = service
        self.broker_url = broker_url
        self.uow_factory = uow_factory
        self.outbox = outbox
        self.inbox = inbox
        self.handlers = dict(handlers)
        self.preparers = dict(preparers or {})
        self.retry = retry
        self.queue = queue or service_queue(service, broker_url)
        self.dead_letters = dead_letters or dead_letter_queue(service, broker_url)
        self.decode = decode

    def on_message(self, message: Message) -> None:
        """kombu callback: handle, record, then ack — or schedule the retry, then ack."""
        headers = dict(message.headers or {})
        attempt = int(headers.get(ATTEMPT_HEADER, 1))
        try:
            envelope = self.decode(message)
        except ValueError as exc:
            self._dead_letter_raw(message, headers, attempt, exc)
            return
        try:
            self._handle(envelope)
        except Exception as exc:
            log.warning(
                "handler failed",
                extra={"event_id": envelope.id, "event_type": envelope.type, "attempt": attempt},
                exc_info=True,
            )
            self._schedule_retry(message, envelope, headers, attempt, exc)
            return
        message.ack()

    def _handle(self, envelope: Envelope) -> None:
        handler = self.handlers.get(envelope.type)
        if handler is None:
            raise PermanentError(f"no handler for event type {envelope.type!r}")
        prepare = self.preparers.get(envelope.type)
        if prepare is not None:
            prepare(envelope)
        with self.uow_factory() as uow:
            seen = uow.session.execute(
                select(self.inbox.c.message_id).where(
                    self.inbox.c.queue == self.queue.name,
                    self.inbox.c.message_id == envelope.id,
                )
            ).first()
            if seen is not None:
                log.info("duplicate skipped", extra={"event_id": envelope.id})
                return
            handler(uow.session, envelope)
            uow.session.execute(
                self.inbox.insert().values(
                    queue=self.queue.name,
                    message_id=envelope.id,
                    organ_id=envelope.organ_id,
                    processed_at=utcnow(),
                )
            )
            uow.commit()

    def _schedule_retry(
        self,
        message: Message,
        envelope: Envelope,
        headers: dict[str, Any],
        attempt: int,
        exc: Exception,
    ) -> None:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        out = {
            **headers,
            ATTEMPT_HEADER: attempt + 1,
            ERROR_HEADER: error,
            ORIGIN_HEADER: self.queue.name,
        }
        final = isinstance(exc, PermanentError) or attempt >= self.retry.max_attempts
        try:
            with self.uow_factory() as uow:
                if final:
                    out[ATTEMPT_HEADER] = attempt
                    out[FAILED_AT_HEADER] = utcnow().isoformat()
                    self.outbox.add_to_queue(
                        uow.session, self.dead_letters.name, envelope, out, utcnow()
                    )
                else:
                    due = utcnow() + self.retry.delay(attempt)
                    self.outbox.add_to_queue(uow.session, self.queue.name, envelope, out, due)
                uow.commit()
        except Exception:
            # Cannot even record the retry (database down): hand the message back
            # to the broker after a pause rather than lose it.
            log.exception("could not schedule retry", extra={"event_id": envelope.id})
            time.sleep(min(self.retry.backoff_seconds, 5))
            message.requeue()
            return
        message.ack()

    def _dead_letter_raw(
        self, message: Message, headers: dict[str, Any], attempt: int, exc: Exception
    ) -> None:
        """A body that is not an envelope: keep its bytes in the DLQ, never retry."""
        body = message.body if isinstance(message.body, str) else bytes(message.body).decode(
            "utf-8", "replace"
        )
        wrapper = Envelope(
            type="invalid",
            organ_id="",
            payload={"raw": body[:100_000]},
            id=str(message.properties.get("message_id") or headers.get("message_id") or ""),
        )
        if not wrapper.id:
            wrapper = Envelope(type="invalid", organ_id="", payload=wrapper.payload)
        self._schedule_retry(message, wrapper, headers, attempt, PermanentError(str(exc)))


class Worker:
    """The worker process: consume the service's queue, and relay its outbox.

    The two run on separate connections and threads. Waiting for a publisher
    confirm drains its connection; were the consumer on it, handlers would run
    in the middle of a relay batch. Each loop reconnects on failure.
    """

    def __init__(
        self,
        consumer: ServiceConsumer,
        relay: OutboxRelay,
        *,
        also: Sequence[ServiceConsumer] = (),
        prefetch: int = 10,
        poll_seconds: float = 0.5,
        relay_idle_seconds: float = 0.05,
        keep_published: timedelta = timedelta(days=7),
        connect: Callable[[str], Connection] = connect,
    ) -> None:
        self.consumer = consumer
        self.consumers = (consumer, *also)  # further queues on the same connection
        self.relay = relay
        self.prefetch = prefetch
        self.poll_seconds = poll_seconds
        self.relay_idle_seconds = relay_idle_seconds
        self.keep_published = keep_published
        self._connect = connect
        self.stop_event = threading.Event()

    def stop(self) -> None:
        self.stop_event.set()

    def run(self) -> None:
        relay = threading.Thread(target=self._forever, args=(self._relay,), name="outbox-relay")
        relay.start()
        try:
            self._forever(self._consume)
        finally:
            self.stop_event.set()
            relay.join()

    def _forever(self, session: Callable[[], None]) -> None:
        backoff = 0.5
        while not self.stop_event.is_set():
            try:
                session()
                backoff = 0.5
            except Exception as exc:
                log.warning(
                    "broker session ended; reconnecting",
                    extra={
                        "loop": session.__name__,
                        "error": f"{type(exc).__name__}: {exc}",
                        "retry_in": backoff,
                    },
                )
                self.stop_event.wait(backoff)
                backoff = min(backoff * 2, 15.0)

    def _consume(self) -> None:
        url = self.consumer.broker_url
        with self._connect(url) as conn:
            conn.ensure_connection(max_retries=1)
            declare_topology(conn, url)
            with ExitStack() as stack:
                for each in self.consumers:
                    stack.enter_context(
                        Consumer(
                            conn.channel(),
                            queues=[each.queue],
                            on_message=each.on_message,
                            prefetch_count=self.prefetch,
                            no_ack=False,
                        )
                    )
                    log.info("worker consuming", extra={"queue": each.queue.name})
                while not self.stop_event.is_set():
                    try:
                        conn.drain_events(timeout=self.poll_seconds)
                    except TimeoutError:
                        conn.heartbeat_check()

    def _relay(self) -> None:
        url = self.consumer.broker_url
        with self._connect(url) as conn:
            conn.ensure_connection(max_retries=1)
            declare_topology(conn, url)
            producer = Producer(conn.channel())
            next_purge = 0.0
            while not self.stop_event.is_set():
                if time.monotonic() >= next_purge:
                    self.relay.purge(self.keep_published)
                    next_purge = time.monotonic() + 3600
                if self.relay.run_once(producer) < self.relay.batch:
                    # Caught up: wait a little (or until stopped) before looking again.
                    self.stop_event.wait(self.relay_idle_seconds)
                    conn.heartbeat_check()
