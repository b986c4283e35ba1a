"""The embedded queue folder under concurrent start-up and long backlogs."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from kombu import Producer, Queue

from shared.bus import EVENTS_EXCHANGE, connect, declare_topology, service_queue
from shared.bus.topology import SUBSCRIPTIONS

pytestmark = pytest.mark.integration


def _declare(url: str, n: int, barrier: multiprocessing.synchronize.Barrier) -> None:
    """What a worker does at start, plus one binding of its own so a lost one shows."""
    barrier.wait()
    with connect(url) as conn:
        declare_topology(conn, url)
        Queue(f"race-{n}", exchange=EVENTS_EXCHANGE, routing_key=f"k.{n}")(conn.channel()).declare()


def test_workers_starting_together_keep_every_binding(tmp_path: Path) -> None:
    url = f"filesystem://{tmp_path}/queue"
    context = multiprocessing.get_context("fork")
    for _ in range(5):  # a race shows up only now and then; give it several chances
        table = tmp_path / "queue" / "control" / f"{EVENTS_EXCHANGE.name}.exchange"
        table.unlink(missing_ok=True)
        barrier = context.Barrier(8)
        workers = [context.Process(target=_declare, args=(url, n, barrier)) for n in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
            assert worker.exitcode == 0
        bound = {(entry[0], entry[2]) for entry in json.loads(table.read_text())}
        expected = {
            (key, f"vanthu.{service}") for service, keys in SUBSCRIPTIONS.items() for key in keys
        } | {(f"k.{n}", f"race-{n}") for n in range(8)}
        assert bound == expected


def _bind_and_delete(url: str, n: int, barrier: multiprocessing.synchronize.Barrier) -> None:
    """Keep one binding, and bind and delete queues of one's own as fast as it goes."""
    barrier.wait()
    with connect(url) as conn:
        channel = conn.channel()
        Queue(f"keep-{n}", exchange=EVENTS_EXCHANGE, routing_key=f"keep.{n}")(channel).declare()
        for i in range(40):
            temporary = Queue(f"temp-{n}-{i}", exchange=EVENTS_EXCHANGE, routing_key=f"t.{n}.{i}")
            temporary(channel).declare()
            temporary(channel).delete()


def test_binding_and_deleting_at_once_loses_no_binding(tmp_path: Path) -> None:
    """Deleting a queue rewrites the table under the same lock as binding one."""
    url = f"filesystem://{tmp_path}/queue"
    table = tmp_path / "queue" / "control" / f"{EVENTS_EXCHANGE.name}.exchange"
    with connect(url) as conn:  # the folders and the exchange, as a worker's start makes them
        declare_topology(conn, url)
    before = {(entry[0], entry[2]) for entry in json.loads(table.read_text())}
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(6)
    workers = [context.Process(target=_bind_and_delete, args=(url, n, barrier)) for n in range(6)]
    for worker in workers:
        worker.start()
    reads = 0
    while any(worker.is_alive() for worker in workers):
        json.loads(table.read_text())  # never empty nor half-written while they work
        reads += 1
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    after = {(entry[0], entry[2]) for entry in json.loads(table.read_text())}
    assert reads > 0
    assert after == before | {(f"keep.{n}", f"keep-{n}") for n in range(6)}


def test_messages_come_out_in_the_order_they_went_in(tmp_path: Path) -> None:
    url = f"filesystem://{tmp_path}/queue"
    queue = service_queue("docgen", url)
    with connect(url) as conn:
        declare_topology(conn, url)
        producer = Producer(conn.channel())
        for n in range(300):
            producer.publish({"n": n}, exchange="", routing_key=queue.name)
        bound = queue(conn.channel())
        received = []
        while (message := bound.get(no_ack=False)) is not None:
            received.append(message.payload["n"])
            message.ack()
    assert received == list(range(300))
    assert not list((tmp_path / "queue" / "data").iterdir())  # acked means gone
