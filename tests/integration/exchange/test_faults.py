"""Issue 6: the e-office exchange loses nothing and repeats nothing under faults.

2,000 packets each way while a private RabbitMQ node is stopped and started
twice and intake's worker is killed with SIGKILL (and docgen's relay too):

- outgoing: 2,000 packets (400 signed documents × 5 recipient bodies) are queued
  in docgen's outbox by ``send_document`` — in chunks, as documents get signed
  during the run, at the pace of the incoming side — and docgen's real worker
  (a subprocess, SIGKILLed once too) relays them to ``vanthu.eoffice.out``. The
  peer (a consumer in this test, on a queue bound to that exchange) must see
  every (DocumentId, recipient) at least once; duplicates are allowed (a relay
  that dies or loses its connection between the publish and marking the row
  sent publishes the row again), losses are not.
- incoming: 2,000 new document packets for one body are published with
  confirms to ``vanthu.eoffice.in`` by the peer, which re-publishes (with the same
  message id) whatever it could not get confirmed. intake's real worker (a
  subprocess) registers them. At the end intake_incoming has exactly one row per
  packet, the body's register holds exactly số đến 1…2,000 (no gap, no
  repeat), and every registration has exactly one 01 answer in intake's outbox,
  each of which reaches the peer.

The faults are driven by progress (share of incoming packets registered), so
they land in the middle of the work whatever the speed of the machine. The
node, the database and the worker subprocesses go away even when the test fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from kombu import Consumer, Message, Producer, Queue, binding
from sqlalchemy import func, select

from services.docgen import bootstrap as docgen_bootstrap
from services.docgen.exchange.outbound import send_document
from services.docgen.issuing.service import file_payload
from services.docgen.orm import exchange_sends
from services.docgen.orm import tables as docgen_tables
from services.intake import bootstrap as intake_bootstrap
from services.intake.orm import failed_packets, incoming, incoming_files, numbering
from services.intake.orm import tables as intake_tables
from shared.bus import connect, declare_topology
from shared.bus.topology import EOFFICE_IN, EOFFICE_OUT, INBOUND_QUEUE
from shared.clock import vietnam_date
from shared.db import make_engine
from shared.db.types import new_id
from shared.edxml import Code, Organization, build_packet, document_packet, new_attachment
from shared.exchange.inbound import identify
from shared.exchange.packets import KIND_HEADER, XML, packet_message_id
from shared.exchange.simulator import PEER, PEER_NAME, TINY_PDF
from shared.numbering import Registers
from tests.conftest import REPO, Stack, embedded_environ
from tests.support import backing
from tests.support.rabbit_node import RabbitNode

pytestmark = [pytest.mark.integration, pytest.mark.slow]

N = 2000  # packets each way
RECIPIENTS = 5  # outgoing: N / RECIPIENTS documents, each to that many bodies
BODY = "000.00.32.H43"  # ours: sends the outgoing documents, receives the incoming ones
BACKLOG = 300  # how far the peer's sending (and the signing) may run ahead
RUN_SECONDS = 150.0  # the whole run, faults included, must finish within this
CHUNK = 25  # documents signed per transaction on the outgoing side

# A service's real worker, as ``vanthu worker`` runs it, in a process of its own.
WORKER = textwrap.dedent(
    """
    import importlib, signal, sys
    module = importlib.import_module(sys.argv[1])
    context, worker = module.create_worker()
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    try:
        worker.run()
    finally:
        context.dispose()
    """
)

_STATUS_CODE = re.compile(rb"<(?:\w+:)?StatusCode>\s*(\d+)\s*<")


@pytest.fixture
def node() -> Iterator[RabbitNode]:
    with RabbitNode() as broker:
        yield broker


@pytest.fixture
def own_database() -> Iterator[str]:
    """A database of its own: every row counted at the end is this test's."""
    url = backing.create_postgres_database(backing.postgres_admin_url())
    yield url
    backing.drop_postgres_database(url)


# ---------------------------------------------------------------- processes


class Workers:
    """The services' worker subprocesses; all of them killed at the end, whatever happens."""

    def __init__(self, stack: Stack, logs: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("VANTHU_")}
        self.env.update(stack.environ)
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.started = 0

    def start(self, service: str) -> None:
        self.started += 1
        with (self.logs / f"{service}-{self.started}.log").open("wb") as log:
            self.running[service] = subprocess.Popen(
                [sys.executable, "-c", WORKER, f"services.{service}.worker"],
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self, service: str) -> None:
        """SIGKILL: no handler finishes, no ack goes out, no outbox row is marked."""
        proc = self.running.pop(service)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL

    def alive(self) -> list[str]:
        return [name for name, proc in self.running.items() if proc.poll() is None]

    def close(self) -> None:
        for proc in self.running.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.running.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        self.running.clear()

    def tail(self) -> str:
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            lines = path.read_text(errors="replace").splitlines()[-15:]
            parts.append(f"--- {path.name}\n" + "\n".join(lines))
        return "\n".join(parts)


# ---------------------------------------------------------------- the peer


@dataclass
class Peer:
    """The provincial e-office system: sends the incoming packets, takes what we send.

    Both loops reconnect when the broker goes away. Sending is at least once: a
    packet whose publish was not confirmed is published again with the same
    message id (a redelivery, for the receiver's inbox).
    """

    url: str
    packets: list[tuple[str, bytes]]  # (message id, edXML) for our body
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0
    republished: int = 0
    documents: dict[tuple[str, str], int] = field(default_factory=dict)  # (DocumentId, to)
    answers: dict[tuple[str, str], int] = field(default_factory=dict)  # (DocumentId, code)
    reconnects: int = 0
    registered: int = 0  # set by the test's monitor: the sender's pacing

    QUEUE = "test.eoffice.peer"

    def queue(self) -> Queue:
        return Queue(
            self.QUEUE,
            bindings=[binding(EOFFICE_OUT, routing_key="#")],
            durable=True,
            queue_arguments={"x-queue-type": "quorum"},
        )

    def declare(self) -> None:
        with connect(self.url) as conn:
            declare_topology(conn, self.url)
            self.queue()(conn.default_channel).declare()

    def _forever(self, loop: Any, finished: Any = lambda: False) -> None:
        while not self.stop.is_set() and not finished():
            try:
                loop()
            except Exception:
                with self.lock:
                    self.reconnects += 1
                self.stop.wait(0.5)

    # -- sending

    def send(self) -> None:
        self._forever(self._send, lambda: self.sent >= len(self.packets))

    def _send(self) -> None:
        with connect(self.url) as conn:
            conn.ensure_connection(max_retries=1)
            producer = Producer(conn.channel())
            while self.sent < len(self.packets) and not self.stop.is_set():
                if self.sent - self.registered >= BACKLOG:
                    self.stop.wait(0.05)
                    continue
                message_id, body = self.packets[self.sent]
                try:
                    producer.publish(
                        body,
                        exchange=EOFFICE_IN,
                        routing_key=BODY,
                        content_type=XML,
                        content_encoding="binary",
                        headers={KIND_HEADER: "document"},
                        message_id=message_id,
                        delivery_mode=2,
                        retry=False,
                    )
                except Exception:
                    # Not confirmed: it may or may not be on the queue. Again, same id.
                    with self.lock:
                        self.republished += 1
                    raise
                self.sent += 1

    # -- receiving

    def receive(self) -> None:
        self._forever(self._receive)

    def _receive(self) -> None:
        with connect(self.url) as conn:
            conn.ensure_connection(max_retries=1)
            with Consumer(
                conn.channel(),
                queues=[self.queue()],
                on_message=self._on_message,
                prefetch_count=100,
                no_ack=False,
            ):
                while not self.stop.is_set():
                    with contextlib.suppress(TimeoutError):
                        conn.drain_events(timeout=0.2)

    def _on_message(self, message: Message) -> None:
        body = message.body
        raw = body.encode() if isinstance(body, str) else bytes(body)
        kind = (message.headers or {}).get(KIND_HEADER)
        to = str((message.delivery_info or {}).get("routing_key") or "")
        who = identify(raw)
        assert who is not None, raw[:300]
        with self.lock:
            if kind == "document":
                key = (who[1], to)
                self.documents[key] = self.documents.get(key, 0) + 1
            else:
                code = _STATUS_CODE.search(raw)
                answer = (who[1], code[1].decode() if code else "?")
                self.answers[answer] = self.answers.get(answer, 0) + 1
        message.ack()


# ---------------------------------------------------------------- the work


def _incoming_packets() -> list[tuple[str, bytes]]:
    """N new documents from the peer to our body: số đến must become exactly 1…N."""
    today = vietnam_date(datetime.now(UTC)).isoformat()
    out = []
    for n in range(1, N + 1):
        xml = build_packet(
            document_packet(
                sender=Organization(organ_id=PEER, organ_name=PEER_NAME),
                recipients=[Organization(organ_id=BODY, organ_name="UBND huyện thử")],
                code=Code(number=str(n), notation="UBND-VX"),
                promulgation_date=today,
                subject=f"Về việc kiểm thử sự cố số {n}",
                type_name="Công văn",
                attachments=[new_attachment(f"cv-{n}.pdf", TINY_PDF, "application/pdf")],
            )
        )
        out.append((packet_message_id("faults", str(n)), xml))
    return out


def _issued(n: int) -> dict[str, Any]:
    """A signed document's event payload (``issued_payload`` + the file), for 5 bodies."""
    return {
        "document_id": new_id(),
        "register_id": new_id(),
        "year": 2025,
        "number": n,
        "notation": "UBND-VP",
        "issued_on": vietnam_date(datetime.now(UTC)).isoformat(),
        "type_name": "Công văn",
        "subject": f"Về việc gửi văn bản thử số {n}",
        "organ_name": "UBND huyện thử",
        "place": "Nghệ An",
        "signer": {"position": "Chủ tịch", "full_name": "Nguyễn Văn A"},
        "to": [
            {"organ_id": f"000.00.{40 + r}.H41", "name": f"Cơ quan nhận {r}"}
            for r in range(RECIPIENTS)
        ],
        "priority": 0,
        "issued_amount": 1,
        "due_date": None,
        "signed": True,
        "file": file_payload(f"vb-{n}.pdf", TINY_PDF),
    }


@dataclass
class Signing:
    """docgen's side of ``document.signed``: sends queued in chunks while the run goes on."""

    stack: Stack
    peer: Peer
    queued: int = 0
    error: BaseException | None = None

    def run(self, stop: threading.Event) -> None:
        context = docgen_bootstrap.context(self.stack.config("docgen"))
        try:
            documents = N // RECIPIENTS
            n = 0
            while n < documents and not stop.is_set():
                # Signed at the pace incoming packets are registered, so that the
                # outgoing relay is at work through every fault as well.
                if self.queued - self.peer.registered >= BACKLOG:
                    stop.wait(0.05)
                    continue
                with context.uow() as uow:
                    for _ in range(min(CHUNK, documents - n)):
                        n += 1
                        queued = send_document(uow.session, context.outbox, BODY, _issued(n))
                        assert queued == RECIPIENTS
                    uow.commit()
                self.queued = n * RECIPIENTS
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            context.dispose()


def _count(engine: Any, query: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _wait(what: str, check: Any, deadline: float, workers: Workers) -> None:
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{workers.tail()}")
        time.sleep(0.2)


def test_exchange_survives_broker_restarts_and_killed_workers(
    node: RabbitNode, own_database: str, tmp_path: Path
) -> None:
    environ = embedded_environ(tmp_path / "var")
    environ.update(
        {
            "VANTHU_DATABASE_URL": own_database,
            "VANTHU_AUTH_DATABASE_URL": own_database,
            "VANTHU_BROKER_URL": node.url,
            "VANTHU_LOG_LEVEL": "WARNING",
        }
    )
    stack = Stack("real", environ)
    stack.migrate()
    intake = intake_bootstrap.context(stack.config("intake"))
    with intake.uow() as uow:
        Registers(numbering).create(
            uow.session,
            organ_id=BODY,
            direction="in",
            code="den",
            name="Sổ văn bản đến",
            series="incoming",
        )
        uow.commit()
    intake.dispose()

    peer = Peer(node.url, _incoming_packets())
    peer.declare()  # the peer's queue exists before anything is sent to it
    engine = make_engine(own_database)
    registered_q = select(func.count()).select_from(incoming).where(incoming.c.organ_id == BODY)
    logs = tmp_path / "logs"
    logs.mkdir()
    workers = Workers(stack, logs)
    signing = Signing(stack, peer)
    stop = threading.Event()
    threads = [
        threading.Thread(target=peer.receive, daemon=True),
        threading.Thread(target=peer.send, daemon=True),
        threading.Thread(target=signing.run, args=(stop,), daemon=True),
    ]
    faults: list[tuple[float, str]] = []
    started = time.monotonic()
    deadline = started + RUN_SECONDS

    def progress() -> float:
        peer.registered = _count(engine, registered_q)
        return peer.registered / N

    def at(share: float, what: str) -> None:
        _wait(
            f"{share:.0%} registered before: {what}", lambda: progress() >= share, deadline, workers
        )
        faults.append((time.monotonic() - started, f"{what} at {peer.registered} registered"))

    try:
        workers.start("intake")
        workers.start("docgen")
        for thread in threads:
            thread.start()

        at(0.15, "broker stopped")
        node.stop()
        time.sleep(1)  # the relays and the peer fail and back off meanwhile
        node.start()
        faults.append((time.monotonic() - started, "broker started"))

        at(0.40, "intake worker SIGKILLed and restarted")
        workers.kill("intake")  # mid-batch: up to a prefetch of deliveries unacked
        workers.start("intake")
        with peer.lock:
            out_share = len(peer.documents)
        workers.kill("docgen")  # maybe between a publish and marking it sent
        workers.start("docgen")
        faults.append((time.monotonic() - started, f"docgen SIGKILLed at {out_share} delivered"))

        at(0.65, "broker stopped")
        node.stop()
        time.sleep(1)
        node.start()
        faults.append((time.monotonic() - started, "broker started"))

        def done() -> bool:
            with peer.lock:
                delivered = len(peer.documents)
                answered = len({doc for doc, code in peer.answers if code == "01"})
            # …and both outboxes drained: a relay killed between publishing and
            # marking leaves rows to publish again when their lease (30 s) ends.
            pending = sum(
                _count(
                    engine, select(func.count()).select_from(t).where(t.c.published_at.is_(None))
                )
                for t in (docgen_tables.outbox, intake_tables.outbox)
            )
            return progress() >= 1 and delivered >= N and answered >= N and pending == 0

        _wait(
            "every packet delivered, registered and answered; outboxes drained",
            done,
            deadline,
            workers,
        )
        elapsed = time.monotonic() - started
        time.sleep(2)  # room for a late duplicate to show up, if any were made
        assert signing.error is None, signing.error
        assert sorted(workers.alive()) == ["docgen", "intake"], workers.tail()
    finally:
        stop.set()
        peer.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        workers.close()
        engine.dispose()  # the counts below open it again

    print(f"\nrun: {elapsed:.1f} s; faults: {faults}")
    print(
        f"peer: sent {peer.sent}, re-published {peer.republished} unconfirmed, "
        f"reconnected {peer.reconnects} times; received {sum(peer.documents.values())} "
        f"document packets for {len(peer.documents)} sends, "
        f"{sum(peer.answers.values())} answers"
    )

    # Outgoing: every packet delivered (duplicates allowed), nothing left pending.
    with engine.connect() as conn:
        sends = conn.execute(
            select(exchange_sends.c.packet_document_id, exchange_sends.c.recipient_organ_id)
        ).all()
        docgen_pending = conn.execute(
            select(func.count())
            .select_from(docgen_tables.outbox)
            .where(docgen_tables.outbox.c.published_at.is_(None))
        ).scalar_one()
    assert len(sends) == N
    assert {tuple(s) for s in sends} == set(peer.documents), "outgoing packets lost"
    assert docgen_pending == 0

    # Incoming: one row per packet, số đến exactly 1…N, each answered 01 exactly once.
    ours = [incoming.c.organ_id == BODY]
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                incoming.c.id,
                incoming.c.packet_document_id,
                incoming.c.state,
                incoming.c.arrival_number,
                incoming.c.entry_id,
                incoming.c.answered,
            ).where(*ours)
        ).all()
        entries = conn.execute(
            select(
                numbering.entries.c.id, numbering.entries.c.number, numbering.entries.c.document_id
            ).where(numbering.entries.c.organ_id == BODY)
        ).all()
        files = conn.execute(
            select(func.count())
            .select_from(incoming_files)
            .where(incoming_files.c.organ_id == BODY)
        ).scalar_one()
        handled = conn.execute(
            select(func.count())
            .select_from(intake_tables.inbox)
            .where(intake_tables.inbox.c.queue == INBOUND_QUEUE)
        ).scalar_one()
        out = intake_tables.outbox
        answers = conn.execute(
            select(out.c.body, out.c.published_at).where(
                out.c.organ_id == BODY, out.c.exchange == EOFFICE_OUT.name
            )
        ).all()
        retries = conn.execute(select(out.c.routing_key).where(out.c.exchange == "")).all()
        failed = conn.execute(select(func.count()).select_from(failed_packets)).scalar_one()
    engine.dispose()
    print(f"intake: {len(rows)} registered, {len(answers)} answers, {len(retries)} retries")

    expected = {identify(xml)[1] for _, xml in peer.packets}  # type: ignore[index]
    assert len(rows) == N, f"{len(rows)} incoming rows for {N} packets"
    assert {r.packet_document_id for r in rows} == expected
    assert all(r.state == "registered" and r.answered == "01" for r in rows)
    numbers = sorted(r.arrival_number for r in rows)
    assert numbers == list(range(1, N + 1)), _describe(numbers)
    assert sorted(e.number for e in entries) == list(range(1, N + 1)), _describe(
        sorted(e.number for e in entries)
    )
    assert {(e.id, e.document_id) for e in entries} == {(r.entry_id, r.id) for r in rows}
    assert files == N
    assert handled == N  # one inbox row per message id: a redelivery was skipped
    assert failed == 0
    assert retries == [], "a packet was retried or dead-lettered"
    # Exactly one 01 per registration: the answer is written in the registering
    # transaction, and a redelivered packet (same message id: a delivery unacked
    # when the worker died or the broker went, or the peer's re-publish of an
    # unconfirmed packet) is skipped by the inbox before the handler runs. A second
    # answer would be right only for the same packet sent again under a new
    # message id (intake then answers it again); this peer never does that.
    about = [identify(a.body.encode())[1] for a in answers]  # type: ignore[index]
    assert len(about) == N
    assert set(about) == expected
    assert all(_STATUS_CODE.search(a.body.encode())[1] == b"01" for a in answers)  # type: ignore[index]
    assert all(a.published_at is not None for a in answers)
    assert {doc for doc, code in peer.answers if code == "01"} == expected


def _describe(numbers: list[int]) -> str:
    seen = set(numbers)
    missing = [n for n in range(1, N + 1) if n not in seen][:20]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})[:20]
    return f"{len(numbers)} numbers; missing {missing}; repeated {repeated}"
