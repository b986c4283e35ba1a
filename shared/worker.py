"""Building a service's worker from its context and its event handlers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shared.bus.consumer import Handler, Preparer, RetryPolicy, ServiceConsumer, Worker
from shared.runtime import ServiceContext


def build_worker(
    context: ServiceContext,
    handlers: Mapping[str, Handler],
    preparers: Mapping[str, Preparer] | None = None,
    also: Sequence[ServiceConsumer] = (),
) -> Worker:
    config = context.config
    consumer = ServiceConsumer(
        service=config.service,
        broker_url=config.broker_url,
        uow_factory=context.uow,
        outbox=context.outbox,
        inbox=context.tables.inbox,
        handlers=handlers,
        preparers=preparers,
        retry=RetryPolicy(
            max_attempts=config.retry_attempts,
            backoff_seconds=float(config.retry_backoff_seconds),
        ),
    )
    return Worker(consumer, context.relay(), also=also)
