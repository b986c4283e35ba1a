"""``vanthu eoffice-sim``: a stand-alone provincial e-office peer on the same broker.

It takes the packets vanthu sends (queue ``eoffice.sim`` on ``vanthu.eoffice.out``)
and answers each document with status packets — 01, then 03 — after a delay,
sometimes twice and sometimes out of order (as real peers do), and answers a
recall (13) with 15. It can also send incoming documents of every business
type (new, recall, update, replacement) to a body of ours. For the end-to-end
tests and for anyone demonstrating the system.
"""

from __future__ import annotations

import argparse
import contextlib
import heapq
import logging
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kombu import Consumer, Message, Producer, Queue, binding

from shared.bus.connection import connect
from shared.bus.topology import EOFFICE_IN, EOFFICE_OUT, declare_topology
from shared.clock import vietnam_date
from shared.edxml import (
    Code,
    DocumentId,
    Organization,
    PacketRefused,
    ReplacementInfo,
    ResponseFor,
    build_packet,
    document_packet,
    new_attachment,
    parse_packet,
    status_packet,
)
from shared.edxml.codes import BusinessDocType
from shared.exchange.packets import KIND_HEADER, XML, local_time, status_for

log = logging.getLogger(__name__)

QUEUE = "eoffice.sim"
PEER = "000.00.00.H41"  # the simulated sender of incoming documents
PEER_NAME = "Ủy ban nhân dân tỉnh Nghệ An"
RECIPIENT_NAME = "Cơ quan nhận (mô phỏng)"  # how the peer signs its answers
# A one-page PDF, enough for attachments to be what they say they are.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(order=True)
class _Due:
    at: float
    routing_key: str = field(compare=False)
    body: bytes = field(compare=False)


@dataclass
class Simulator:
    broker_url: str
    delay: float = 0.5
    duplicate_rate: float = 0.1
    shuffle_rate: float = 0.1
    seed: int | None = None
    received: int = 0
    answered: int = 0
    _queue: list[_Due] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)  # noqa: S311 - a simulation, not security

    # ------------------------------------------------------------------ answering

    def on_message(self, message: Message) -> None:
        body = message.body
        raw = body.encode() if isinstance(body, str) else bytes(body)
        try:
            packet = parse_packet(raw)
        except PacketRefused as exc:
            log.warning("sim: refused a packet", extra={"reason": exc.message})
            message.ack()
            return
        self.received += 1
        recipient = str((message.delivery_info or {}).get("routing_key") or "")
        if packet.kind == "document" and packet.sender is not None:
            answers = ["01", "03"]
            if self.random.random() < self.shuffle_rate:
                answers.reverse()  # 03 may arrive before 01; the receiver must cope
            for n, code in enumerate(answers):
                self._later(
                    n,
                    packet.sender.organ_id,
                    status_for(
                        sender=recipient,
                        sender_name=RECIPIENT_NAME,
                        about=packet,
                        code=code,
                        at=datetime.now(UTC),
                    ),
                )
        elif packet.kind == "status" and packet.status_code == "13" and packet.sender:
            about = packet.response_for[0] if packet.response_for else None
            if about is not None and about.document_id is not None:
                xml = build_packet(
                    status_packet(
                        sender=Organization(organ_id=recipient, organ_name=RECIPIENT_NAME),
                        response_for=ResponseFor(
                            organ_id=packet.sender.organ_id, document_id=about.document_id
                        ),
                        status_code="15",
                        timestamp=local_time(datetime.now(UTC)),
                    )
                )
                self._later(0, packet.sender.organ_id, xml)
        message.ack()

    def _later(self, step: int, routing_key: str, body: bytes) -> None:
        copies = 2 if self.random.random() < self.duplicate_rate else 1
        with self._lock:
            for _ in range(copies):
                due = time.monotonic() + self.delay * (step + 1)
                heapq.heappush(self._queue, _Due(due, routing_key, body))

    def _flush(self, producer: Producer) -> None:
        while True:
            with self._lock:
                if not self._queue or self._queue[0].at > time.monotonic():
                    return
                item = heapq.heappop(self._queue)
            publish(producer, item.routing_key, item.body, "status")
            self.answered += 1

    def run(self, stop: threading.Event, seconds: float | None = None) -> None:
        deadline = time.monotonic() + seconds if seconds else None
        with connect(self.broker_url) as conn:
            declare_topology(conn, self.broker_url)
            queue = Queue(QUEUE, bindings=[binding(EOFFICE_OUT, routing_key="#")], durable=True)
            producer = Producer(conn.channel())
            with Consumer(
                conn.channel(),
                queues=[queue],
                on_message=self.on_message,
                prefetch_count=50,
                no_ack=False,
            ):
                while not stop.is_set() and (deadline is None or time.monotonic() < deadline):
                    with contextlib.suppress(TimeoutError):
                        conn.drain_events(timeout=0.1)
                    self._flush(producer)


# ---------------------------------------------------------------- sending documents


def publish(producer: Producer, routing_key: str, body: bytes, kind: str) -> None:
    producer.publish(
        body,
        exchange=EOFFICE_IN,
        routing_key=routing_key,
        content_type=XML,
        content_encoding="binary",
        headers={KIND_HEADER: kind},
        message_id=str(uuid.uuid4()),  # each publish its own, as a peer re-sending does
        delivery_mode=2,
        retry=True,
    )


def incoming_documents(to: str, count: int, *, start: int = 1) -> list[bytes]:
    """``count`` packets for body ``to``: new ones, with an update, a recall and a
    replacement of earlier ones mixed in (every fourth packet is not new)."""
    today = vietnam_date(datetime.now(UTC)).isoformat()
    sender = Organization(organ_id=PEER, organ_name=PEER_NAME)
    packets: list[bytes] = []
    news: list[DocumentId] = []
    for n in range(start, start + count):
        kind = BusinessDocType.NEW
        kwargs: dict[str, object] = {}
        if n % 4 == 0 and news:
            kind = (BusinessDocType.UPDATE, BusinessDocType.REVOKE, BusinessDocType.REPLACE)[
                (n // 4) % 3
            ]
            target = news[-1]
            if kind == BusinessDocType.UPDATE:
                kwargs["target_document_id"] = target
            elif kind == BusinessDocType.REVOKE:
                kwargs["response_for"] = [ResponseFor(organ_id=PEER, document_id=target)]
            else:
                kwargs["replacements"] = [ReplacementInfo(document_id=target, organ_ids=(to,))]
        packet = document_packet(
            sender=sender,
            recipients=[Organization(organ_id=to, organ_name=f"Cơ quan {to}")],
            code=Code(number=str(n), notation="UBND-VX"),
            promulgation_date=today,
            subject=f"Về việc triển khai nhiệm vụ số {n}",
            type_name="Công văn",
            business_doc_type=kind,
            attachments=[new_attachment(f"cv-{n}.pdf", TINY_PDF, "application/pdf")],
            sent_at=local_time(datetime.now(UTC)),
            **kwargs,  # type: ignore[arg-type]
        )
        if kind == BusinessDocType.NEW and packet.document_id is not None:
            news.append(packet.document_id)
        packets.append(build_packet(packet))
    return packets


def send_documents(broker_url: str, to: str, count: int) -> int:
    with connect(broker_url) as conn:
        declare_topology(conn, broker_url)
        producer = Producer(conn.channel())
        packets = incoming_documents(to, count)
        for body in packets:
            publish(producer, to, body, "document")
    return len(packets)


# ---------------------------------------------------------------- the command


def add_arguments(sub: Any) -> None:
    parser = sub.add_parser("eoffice-sim", help="a simulated provincial e-office peer")
    parser.add_argument("--broker-url", default=None, help="default: VANTHU_BROKER_URL")
    parser.add_argument("--delay", type=float, default=0.5, help="seconds before each answer")
    parser.add_argument("--duplicate-rate", type=float, default=0.1)
    parser.add_argument("--shuffle-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=None, help="stop after (default: never)")
    parser.add_argument("--send", type=int, default=0, help="send N incoming documents first")
    parser.add_argument("--to", default=None, help="OrganId of our body for --send")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from shared.config import load  # noqa: PLC0415 - only for the default broker

    url = args.broker_url or load("intake").broker_url
    if args.send:
        if not args.to:
            print("eoffice-sim: --send needs --to <OrganId>")
            return 2
        print(f"eoffice-sim: sent {send_documents(url, args.to, args.send)} packets to {args.to}")
    sim = Simulator(url, args.delay, args.duplicate_rate, args.shuffle_rate, args.seed)
    stop = threading.Event()
    try:
        sim.run(stop, args.seconds)
    except KeyboardInterrupt:
        stop.set()
    print(f"eoffice-sim: received {sim.received}, answered {sim.answered}")
    return 0


__all__ = ["Simulator", "add_arguments", "incoming_documents", "send_documents"]
