"""intake's worker: relays its outbox, and takes packets from the e-office system.

Two queues besides its own: the inbound edXML queue (register, answer) and
that queue's dead letters (kept for the clerk as failed packets).
"""

from __future__ import annotations

from services.intake import bootstrap
from services.intake.app import inbound
from services.intake.exchange import failed
from shared.bus.consumer import RetryPolicy, ServiceConsumer, Worker
from shared.bus.topology import inbound_dead_letters, inbound_queue
from shared.config import Config
from shared.exchange.inbound import PACKET_EVENT, packet_decoder
from shared.runtime import ServiceContext
from shared.worker import build_worker


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
    return context, build_worker(context, handlers={}, also=(packets, failures))
