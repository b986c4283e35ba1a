"""intake's worker: relays its outbox, and takes packets from the e-office system.

Its own queue brings docgen's ``draft.created`` (linked to the submission or reminder
it was made for). Two queues besides its own: the inbound edXML queue (register,
answer) and that queue's dead letters (kept for the clerk as failed packets). A
scheduler thread checks reporting deadlines (:mod:`services.intake.reminders.scheduler`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from services.intake import bootstrap
from services.intake.app import inbound
from services.intake.exchange import failed
from services.intake.reminders.scheduler import DeadlineScheduler
from services.intake.submissions.handlers import DRAFT_CREATED, record_draft
from shared.bus.consumer import RetryPolicy, ServiceConsumer, Worker
from shared.bus.outbox import OutboxRelay
from shared.bus.topology import inbound_dead_letters, inbound_queue
from shared.config import Config
from shared.exchange.inbound import PACKET_EVENT, packet_decoder
from shared.runtime import ServiceContext
from shared.worker import build_worker


class SchedulingWorker(Worker):
    """The worker, plus the deadline scheduler in a thread of its own."""

    def __init__(
        self,
        consumer: ServiceConsumer,
        relay: OutboxRelay,
        *,
        also: Sequence[ServiceConsumer],
        scheduler: DeadlineScheduler,
    ) -> None:
        super().__init__(consumer, relay, also=also)
        self.scheduler = scheduler

    def run(self) -> None:
        thread = threading.Thread(
            target=self.scheduler.run, args=(self.stop_event,), name="deadline-scheduler"
        )
        thread.start()
        try:
            super().run()
        finally:
            self.stop_event.set()
            thread.join()


def create_worker(config: Config | None = None) -> tuple[ServiceContext, Worker]:
    context = bootstrap.context(config)
    url = context.config.broker_url
    retry = RetryPolicy(
        max_attempts=context.config.retry_attempts,
        backoff_seconds=float(context.config.retry_backoff_seconds),
    )

    def consumer(**kwargs: object) -> ServiceConsumer:
        return ServiceConsumer(
            service="intake",
            broker_url=url,
            uow_factory=context.uow,
            outbox=context.outbox,
            inbox=context.tables.inbox,
            retry=retry,
            **kwargs,  # type: ignore[arg-type]
        )

    packets = consumer(
        handlers={PACKET_EVENT: inbound(context).handle},
        queue=inbound_queue(url),
        dead_letters=inbound_dead_letters(url),
        decode=packet_decoder(context.config.edxml_max_packet_bytes),
    )
    failures = consumer(
        handlers={failed.FAILED_EVENT: failed.recorder(context.outbox, context.clock)},
        queue=inbound_dead_letters(url),
        dead_letters=inbound_dead_letters(url),
        decode=failed.decode_failure,
    )
    base = build_worker(context, handlers={DRAFT_CREATED: record_draft}, also=(packets, failures))
    worker = SchedulingWorker(
        base.consumer,
        base.relay,
        also=base.consumers[1:],
        scheduler=DeadlineScheduler(context),
    )
    return context, worker
