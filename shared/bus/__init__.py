"""The message bus (kombu): connections, topology, outbox relay and consumers.

Services never publish from a request: they write an outbox row in the same
transaction as their change, and the worker's relay publishes it. Consumers
acknowledge only after their own transaction commits, and handle retries and
dead-lettering themselves so both transports behave the same.
"""

from shared.bus.connection import connect, is_amqp
from shared.bus.messages import Envelope
from shared.bus.outbox import Outbox, OutboxRelay, install_tables
from shared.bus.topology import EVENTS_EXCHANGE, dead_letter_queue, declare_topology, service_queue

__all__ = [
    "EVENTS_EXCHANGE",
    "Envelope",
    "Outbox",
    "OutboxRelay",
    "connect",
    "dead_letter_queue",
    "declare_topology",
    "install_tables",
    "is_amqp",
    "service_queue",
]
