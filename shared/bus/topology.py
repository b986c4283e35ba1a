"""Every exchange and queue vanthu uses, declared in one place.

One durable topic exchange carries all events; each service has one queue bound
to the event types it consumes, and a dead-letter queue beside it. On RabbitMQ
the queues are quorum queues (replicated, with a delivery limit as a last guard
behind the consumer's own retry count).
"""

from __future__ import annotations

from kombu import Connection, Exchange, Queue, binding

from shared.bus.connection import is_amqp

EVENTS_EXCHANGE = Exchange("vanthu.events", type="topic", durable=True)

# Which event types each service consumes. Adding a consumer is adding a key here.
SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "intake": (),
    # docgen hears its own document.issued: the worker renders the final files.
    "docgen": ("submission.ping", "document.issued"),
    "archive": (),
}

# RabbitMQ redelivers a message at most this often before dropping it to the DLX;
# the consumer normally dead-letters long before (VANTHU_RETRY_ATTEMPTS).
QUORUM_DELIVERY_LIMIT = 50


def queue_name(service: str) -> str:
    return f"vanthu.{service}"


def _arguments(url: str) -> dict[str, object]:
    if not is_amqp(url):
        return {}
    return {"x-queue-type": "quorum", "x-delivery-limit": QUORUM_DELIVERY_LIMIT}


def service_queue(service: str, url: str) -> Queue:
    return Queue(
        queue_name(service),
        bindings=[binding(EVENTS_EXCHANGE, routing_key=key) for key in SUBSCRIPTIONS[service]],
        durable=True,
        queue_arguments=_arguments(url),
    )


def dead_letter_queue(service: str, url: str) -> Queue:
    return Queue(
        queue_name(service) + ".dlq",
        durable=True,
        queue_arguments=_arguments(url),
    )


def declare_topology(conn: Connection, url: str) -> None:
    """Declare the exchange and every service's queues (idempotent).

    Every process declares everything: the filesystem transport keeps exchange
    types in process memory, so a publisher must know the topology too.
    """
    channel = conn.default_channel
    EVENTS_EXCHANGE(channel).declare()
    for service in SUBSCRIPTIONS:
        for queue in (service_queue(service, url), dead_letter_queue(service, url)):
            queue(channel).declare()
