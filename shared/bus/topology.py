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
    # intake hears which draft docgen made for a submission or a reminder.
    "intake": ("draft.created",),
    # docgen hears its own document.issued (to render the final files) and
    # document.signed/rendered (to send them to the e-office system), and the
    # statuses intake receives about them.
    "docgen": (
        "submission.ping",
        # accepted submissions and due reminders, each drafted once
        "submission.accepted",
        "reminder.requested",
        "document.issued",
        "document.signed",
        "document.rendered",
        "edxml.status.received",
    ),
    "archive": ("document.rendered", "document.signed", "incoming.accepted", "incoming.recalled"),
}

# The e-office boundary (edXML packets, QCVN 102:2016): our packets go out on one
# exchange, routed by the recipient's OrganId; the provincial e-office system
# publishes packets for our bodies on the other, routed the same way.
EOFFICE_OUT = Exchange("vanthu.eoffice.out", type="topic", durable=True)
EOFFICE_IN = Exchange("vanthu.eoffice.in", type="topic", durable=True)
INBOUND_QUEUE = "vanthu.intake.edxml"  # every packet for our bodies, consumed by intake

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


def inbound_queue(url: str) -> Queue:
    """Packets from the e-office system for any of our bodies (intake consumes it)."""
    return Queue(
        INBOUND_QUEUE,
        bindings=[binding(EOFFICE_IN, routing_key="#")],
        durable=True,
        queue_arguments=_arguments(url),
    )


def inbound_dead_letters(url: str) -> Queue:
    return Queue(INBOUND_QUEUE + ".dlq", durable=True, queue_arguments=_arguments(url))


def declare_topology(conn: Connection, url: str) -> None:
    """Declare the exchange and every service's queues (idempotent).

    Every process declares everything: the filesystem transport keeps exchange
    types in process memory, so a publisher must know the topology too.
    """
    channel = conn.default_channel
    for exchange in (EVENTS_EXCHANGE, EOFFICE_OUT, EOFFICE_IN):
        exchange(channel).declare()
    for service in SUBSCRIPTIONS:
        for queue in (service_queue(service, url), dead_letter_queue(service, url)):
            queue(channel).declare()
    for queue in (inbound_queue(url), inbound_dead_letters(url)):
        queue(channel).declare()
