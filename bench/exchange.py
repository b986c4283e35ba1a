"""The e-office exchange: incoming packets per second end to end, against raw kombu.

baseline  raw kombu on the same broker and connection settings as
          ``shared.bus.connection.connect`` (publisher confirms on): the same
          edXML bytes (packets carrying a PDF of ``--exchange-kb`` KB, built
          before the clock starts) published with confirms by a peer process to
          a durable topic exchange and a quorum queue declared like intake's
          inbound queue, and consumed in this process with an explicit ack,
          prefetch 10 (the worker's).
vanthu    the whole path: the peer process builds each packet
          (``shared.exchange.packets.document_for``: base64, SHA-256, the strict
          writer, XSD validation) and publishes it with confirms to
          ``vanthu.eoffice.in``; intake's real worker
          (``services.intake.worker.create_worker``, in a thread here) decodes,
          de-duplicates (inbox), parses and validates
          (``shared.edxml.parse_packet``), registers the document with the next
          số đến, stores its file, writes the 01 answer to its outbox, commits and
          acks; its relay publishes the answers meanwhile.

The peer is a separate process in both (spawned once, it is the other system),
so the figure is what the consuming side sustains while a peer feeds it.
Throughput = N ÷ (go → last ack, or last registration commit). A warm-up of
``WARMUP`` packets goes first in each. Afterwards the rows are counted: every
packet registered once, số đến 1…N without gap or repeat, one 01 answer each,
nothing failed, retried or left pending.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kombu import Consumer, Exchange, Message, Producer, Queue
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench import (
    Deadline,
    UnavailableError,
    fmt_rate,
    fmt_ratio,
    postgres_admin_url,
    postgres_database,
    print_table,
    rabbitmq_vhost,
    rate,
    ratio,
    temp_dir,
)
from shared.bus.connection import connect
from shared.bus.topology import (
    EOFFICE_IN,
    EOFFICE_OUT,
    INBOUND_QUEUE,
    QUORUM_DELIVERY_LIMIT,
    declare_topology,
)
from shared.db.uow import UnitOfWork

BODY = "000.00.32.H43"  # our body, receiving
PEER = "000.00.00.H41"  # the sender
WARMUP = 20
PREFETCH = 10  # the worker's
TARGET = 0.5  # vanthu packets/s ÷ raw packets/s
START_TIMEOUT = 120.0
_KEY = "bench_packet"
# Where a packet's time goes on the consuming side, in the order it is spent.
SEGMENTS = (
    ("decode", "decode (envelope, base64 of the packet)"),
    ("inbox", "inbox look-up + insert"),
    ("parse", "parse + validate (parse_packet)"),
    ("lookup", "the body's register (Registers.default)"),
    ("summary", "packet_summary JSON"),
    ("row", "incoming row insert, dedupe key, the rest"),
    ("number", "số đến (take_next)"),
    ("files", "file rows (incoming_files)"),
    ("answer", "01 answer (build + outbox row)"),
    ("commit", "commit"),
    ("ack", "ack + the rest of on_message"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("exchange")
    group.add_argument("--exchange-n", type=int, default=500, help="packets per measurement (500)")
    group.add_argument(
        "--exchange-kb", type=int, default=200, help="size of each packet's PDF, in KB (200)"
    )
    group.add_argument(
        "--exchange-seconds",
        type=float,
        default=120.0,
        help="time budget per measurement; a run past it stops and says so (120)",
    )


# ---------------------------------------------------------------------- peer --


def _pdf(kb: int) -> bytes:
    """A PDF-looking file of ``kb`` KB that does not compress (as scanned pages do not)."""
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    return head + os.urandom(kb * 1024 - len(head) - 6) + b"%%EOF\n"


def _issued(number: int, file: dict[str, Any], today: str) -> dict[str, Any]:
    return {
        "document_id": f"bench-{number}",
        "number": number,
        "notation": "UBND-VX",
        "issued_on": today,
        "type_name": "Công văn",
        "subject": f"Về việc triển khai nhiệm vụ số {number}",
        "organ_name": "Ủy ban nhân dân tỉnh Nghệ An",
        "place": "Nghệ An",
        "signer": {"position": "Chủ tịch", "full_name": "Nguyễn Văn A"},
        "priority": 0,
        "issued_amount": 1,
        "file": file,
    }


def _build(number: int, file: dict[str, Any], today: str) -> bytes:
    from shared.exchange.packets import document_for  # noqa: PLC0415 - in the peer process

    _, xml = document_for(
        _issued(number, file, today),
        sender=PEER,
        recipient={"organ_id": BODY, "name": "UBND huyện thử"},
        sent_at=datetime.now(UTC),
    )
    return xml


def _peer(  # noqa: PLR0917 - what a spawned process gets
    url: str, kb: int, commands: Any, ready: Any, go: Any, results: Any
) -> None:  # pragma: no cover - runs in the spawned peer process
    """The other system: on each command, publish packets with confirms when ``go`` is set.

    ("raw", exchange, key, first, count): the bytes are built before ``ready``.
    ("vanthu", exchange, key, first, count): each packet is built in the timed loop.
    """
    from services.docgen.issuing.service import file_payload  # noqa: PLC0415
    from shared.clock import vietnam_date  # noqa: PLC0415
    from shared.exchange.packets import KIND_HEADER, XML, packet_message_id  # noqa: PLC0415

    file = file_payload("van-ban.pdf", _pdf(kb))
    today = vietnam_date(datetime.now(UTC)).isoformat()
    while (command := commands.get()) is not None:
        kind, exchange, key, first, count, seconds = command
        numbers = range(first, first + count)
        prebuilt = [_build(n, file, today) for n in numbers] if kind == "raw" else []
        built = published = 0.0
        sent = 0
        error = None
        waiting = True
        try:
            with connect(url) as conn:
                conn.ensure_connection(max_retries=1)
                producer = Producer(conn.channel())
                ready.put(("ready", len(prebuilt[0]) if prebuilt else 0))
                waiting = False
                go.wait()
                deadline = Deadline(seconds)
                for i, n in enumerate(numbers):
                    if deadline.expired():
                        break
                    began = time.perf_counter()
                    body = prebuilt[i] if prebuilt else _build(n, file, today)
                    middle = time.perf_counter()
                    producer.publish(
                        body,
                        exchange=exchange,
                        routing_key=key,
                        content_type=XML,
                        content_encoding="binary",
                        headers={KIND_HEADER: "document"},
                        message_id=packet_message_id("bench", kind, str(n)),
                        delivery_mode=2,
                        retry=False,
                    )
                    built += middle - began
                    published += time.perf_counter() - middle
                    sent += 1
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            if waiting:
                ready.put(("ready", 0))  # never leave the parent waiting
        results.put({"sent": sent, "build": built, "publish": published, "error": error})


class Peer:
    """The spawned peer process, kept for every measurement of a run."""

    def __init__(self, url: str, kb: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.commands, self.ready, self.results = ctx.Queue(), ctx.Queue(), ctx.Queue()
        self.go = ctx.Event()
        self.process = ctx.Process(
            target=_peer,
            args=(url, kb, self.commands, self.ready, self.go, self.results),
            daemon=True,
        )
        self.process.start()

    def prepare(  # noqa: PLR0917 - one command, in its fields
        self, kind: str, exchange: str, key: str, first: int, count: int, seconds: float
    ) -> int:
        """Hand over the next batch; return once the peer waits for ``go`` (packet size)."""
        self.go.clear()
        self.commands.put((kind, exchange, key, first, count, seconds))
        return int(self._get(self.ready, START_TIMEOUT)[1])

    def result(self, seconds: float) -> dict[str, Any]:
        return dict(self._get(self.results, seconds))

    def _get(self, channel: Any, seconds: float) -> Any:
        deadline = Deadline(seconds)
        while True:
            try:
                return channel.get(timeout=min(1.0, max(0.01, deadline.remaining())))
            except queue.Empty:
                if not self.process.is_alive():
                    raise RuntimeError(
                        f"the peer process died (exit {self.process.exitcode})"
                    ) from None
                if deadline.expired():
                    raise RuntimeError("the peer process did not answer in time") from None

    def close(self) -> None:
        self.go.set()
        self.commands.put(None)
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=10)


# ------------------------------------------------------------------ baseline --


@dataclass
class BaselineResult:
    sent: int
    received: int
    seconds: float
    publish_seconds: float
    packet_bytes: int

    @property
    def rate(self) -> float:
        return rate(self.received, self.seconds)

    @property
    def complete(self) -> bool:
        return self.received == self.sent


def run_baseline(url: str, peer: Peer, n: int, seconds: float) -> BaselineResult:
    exchange = Exchange("bench.exchange.raw", type="topic", durable=True)
    queue_ = Queue(
        "bench.exchange.raw",
        exchange=exchange,
        routing_key="#",
        durable=True,
        queue_arguments={"x-queue-type": "quorum", "x-delivery-limit": QUORUM_DELIVERY_LIMIT},
    )
    received = 0
    last = 0.0

    def on_message(message: Message) -> None:
        nonlocal received, last
        message.ack()
        received += 1
        last = time.perf_counter()

    with connect(url) as conn:
        conn.ensure_connection(max_retries=1)
        queue_(conn.default_channel).declare()
        queue_(conn.default_channel).purge()
        with Consumer(
            conn.channel(), queues=[queue_], on_message=on_message, prefetch_count=PREFETCH
        ):

            def take(count: int, deadline: Deadline) -> None:
                while received < count and not deadline.expired():
                    with contextlib.suppress(TimeoutError):
                        conn.drain_events(timeout=0.2)

            size = peer.prepare("raw", exchange.name, BODY, 1, WARMUP, seconds)
            peer.go.set()
            take(WARMUP, Deadline(60))
            peer.result(60)
            received = 0
            peer.prepare("raw", exchange.name, BODY, WARMUP + 1, n, seconds)
            deadline = Deadline(seconds)
            started = time.perf_counter()
            peer.go.set()
            take(n, deadline)
            sent = peer.result(seconds + 60)
        with contextlib.suppress(Exception):
            queue_(conn.default_channel).delete()
    if sent["error"]:
        raise RuntimeError(f"baseline peer: {sent['error']}")
    return BaselineResult(sent["sent"], received, last - started, sent["publish"], size)


# -------------------------------------------------------------------- vanthu --


class _Clock:
    """Seconds spent per segment on the consuming side (one consumer thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.spent: dict[str, float] = defaultdict(float)
        self.committed: dict[str, float] = {}
        self.duplicates = 0
        self.wanted = 0
        self.done = threading.Event()

    def add(self, segment: str, seconds: float) -> None:
        self.spent[segment] += seconds

    def expect(self, count: int) -> None:
        with self.lock:
            self.wanted = count
            self.done.clear()
            if len(self.committed) >= count:
                self.done.set()

    def record(self, packet: str, when: float) -> None:
        with self.lock:
            if packet in self.committed:
                self.duplicates += 1
            self.committed[packet] = when
            if len(self.committed) >= self.wanted:
                self.done.set()


def _timed(clock: _Clock, segment: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            clock.add(segment, time.perf_counter() - began)

    return wrapper


class _TimedUnitOfWork(UnitOfWork):
    def __init__(self, factory: Callable[[], Session], clock: _Clock) -> None:
        super().__init__(factory)
        self._clock = clock

    def commit(self) -> None:
        packet = self.session.info.get(_KEY)
        began = time.perf_counter()
        super().commit()
        done = time.perf_counter()
        if packet is not None:
            self._clock.add("commit", done - began)
            self._clock.record(str(packet), done)


def _original(name: str) -> Callable[..., Any]:
    import services.intake.exchange.inbound as module  # noqa: PLC0415

    found: Callable[..., Any] = getattr(module, name)
    return found


# The originals, wrapped afresh for each run's clock.
_PARSE, _SUMMARY = _original("parse_packet"), _original("packet_summary")


def _instrument(context: Any, worker: Any, clock: _Clock) -> None:
    """Wrap intake's packet consumer to time its steps (the code itself is unchanged)."""
    from shared.exchange.inbound import PACKET_EVENT  # noqa: PLC0415

    consumer = next(c for c in worker.consumers if c.queue.name == INBOUND_QUEUE)
    handle = consumer.handlers[PACKET_EVENT]
    inbound = handle.__self__
    import services.intake.exchange.inbound as module  # noqa: PLC0415

    module.parse_packet = _timed(clock, "parse", _PARSE)
    inbound.registers.take_next = _timed(clock, "number", inbound.registers.take_next)
    inbound._store_files = _timed(clock, "files", inbound._store_files)
    inbound.answer = _timed(clock, "answer", inbound.answer)
    inbound.incoming_register = _timed(clock, "lookup", inbound.incoming_register)
    module.packet_summary = _timed(clock, "summary", _SUMMARY)

    def handler(session: Session, envelope: Any) -> None:
        began = time.perf_counter()
        handle(session, envelope)
        clock.add("handler", time.perf_counter() - began)
        session.info[_KEY] = envelope.id

    consumer.handlers[PACKET_EVENT] = handler
    consumer.decode = _timed(clock, "decode", consumer.decode)
    consumer._handle = _timed(clock, "_handle", consumer._handle)
    consumer.on_message = _timed(clock, "on_message", consumer.on_message)
    consumer.uow_factory = lambda: _TimedUnitOfWork(context.sessions, clock)
    worker.relay.run_once = _timed(clock, "relay", worker.relay.run_once)


@dataclass
class VanthuResult:
    sent: int
    registered: int
    seconds: float
    peer: dict[str, Any]
    spent: dict[str, float]
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return rate(self.registered, self.seconds)

    def segments(self) -> dict[str, float]:
        """Milliseconds per packet in each segment (the handler's rest is 'row')."""
        s, count = self.spent, max(1, self.registered + WARMUP)
        named = ("parse", "lookup", "summary", "number", "files", "answer")
        handler_rest = s["handler"] - sum(s[k] for k in named)
        inbox = s["_handle"] - s["handler"] - s["commit"]
        ack = s["on_message"] - s["decode"] - s["_handle"]
        values = {
            "decode": s["decode"],
            "inbox": inbox,
            "parse": s["parse"],
            "lookup": s["lookup"],
            "summary": s["summary"],
            "row": handler_rest,
            "number": s["number"],
            "files": s["files"],
            "answer": s["answer"],
            "commit": s["commit"],
            "ack": ack,
        }
        return {k: v * 1000 / count for k, v in values.items()}


@contextlib.contextmanager
def _intake(url: str, database: str, folder: Path) -> Iterator[tuple[Any, Any]]:
    from services.intake.orm import numbering  # noqa: PLC0415
    from services.intake.worker import create_worker  # noqa: PLC0415
    from shared.config import load  # noqa: PLC0415
    from shared.db import migrate  # noqa: PLC0415
    from shared.numbering import Registers  # noqa: PLC0415

    environ = {
        "VANTHU_VAR_DIR": str(folder),
        "VANTHU_INTAKE_DATABASE_URL": database,
        "VANTHU_AUTH_DATABASE_URL": f"sqlite:///{folder}/auth.sqlite3",
        "VANTHU_BROKER_URL": url,
        "VANTHU_LOG_LEVEL": "WARNING",
    }
    folder.mkdir(parents=True, exist_ok=True)
    config = load("intake", environ)
    migrate.upgrade("intake", config.database_url)
    context, worker = create_worker(config)
    try:
        with context.uow() as uow:
            Registers(numbering).create(
                uow.session,
                organ_id=BODY,
                direction="in",
                code="den",
                name="Sổ văn bản đến",
                series="incoming",
            )
            uow.commit()
        yield context, worker
    finally:
        context.dispose()


def _verify(context: Any, expected: int, clock: _Clock) -> list[str]:
    from services.intake.orm import failed_packets, incoming, numbering  # noqa: PLC0415

    outbox = context.tables.outbox
    with context.engine.connect() as conn:
        rows = conn.execute(select(incoming.c.arrival_number, incoming.c.answered)).all()
        entries = conn.execute(select(numbering.entries.c.number)).scalars().all()
        answers = conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.exchange == EOFFICE_OUT.name)
        ).scalar_one()
        pending = conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        ).scalar_one()
        retries = conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.exchange == "")
        ).scalar_one()
        failed = conn.execute(select(func.count()).select_from(failed_packets)).scalar_one()
    problems = []
    wanted = list(range(1, expected + 1))
    if len(rows) != expected or sorted(r.arrival_number or 0 for r in rows) != wanted:
        problems.append(f"{len(rows)} incoming rows for {expected} packets, or số đến not 1…N")
    if sorted(entries) != wanted:
        problems.append(f"{len(entries)} register entries, not exactly 1…{expected}")
    if answers != expected or any(r.answered != "01" for r in rows):
        problems.append(f"{answers} answers for {expected} registrations")
    if pending:
        problems.append(f"{pending} outbox rows still pending")
    if retries or failed:
        problems.append(f"{retries} retries or dead letters, {failed} failed packets")
    if clock.duplicates:
        problems.append(f"{clock.duplicates} packets registered twice")
    return problems


def run_vanthu(  # noqa: PLR0917 - like run_baseline, plus the database
    url: str, database: str, folder: Path, peer: Peer, n: int, seconds: float
) -> VanthuResult:
    clock = _Clock()
    with _intake(url, database, folder) as (context, worker):
        _instrument(context, worker, clock)
        with connect(url) as conn:  # the inbound queue exists before the peer sends
            declare_topology(conn, url)
        thread = threading.Thread(target=worker.run, name="bench-intake-worker", daemon=True)
        thread.start()
        try:
            clock.expect(WARMUP)
            peer.prepare("vanthu", EOFFICE_IN.name, BODY, 1, WARMUP, seconds)
            peer.go.set()
            warm = peer.result(60)
            if warm["error"] or not clock.done.wait(60):
                raise RuntimeError(
                    f"intake registered {len(clock.committed)} of {WARMUP} warm-up packets "
                    f"in 60 s (peer: {warm['sent']} sent, error {warm['error']})"
                )
            clock.expect(WARMUP + n)
            peer.prepare("vanthu", EOFFICE_IN.name, BODY, WARMUP + 1, n, seconds)
            deadline = Deadline(seconds)
            started = time.perf_counter()
            peer.go.set()
            sent = peer.result(seconds + 60)
            if sent["sent"] < n:
                clock.expect(WARMUP + sent["sent"])
            clock.done.wait(deadline.remaining())
            with clock.lock:
                measured = sorted(clock.committed.values())[WARMUP:]
            # The relay catches up with the last answers before the rows are counted.
            settle = Deadline(30)
            while worker.relay.pending() and not settle.expired():
                time.sleep(0.1)
        finally:
            worker.stop()
            thread.join(timeout=30)
        problems = _verify(context, WARMUP + len(measured), clock)
    if sent["error"]:
        problems.append(f"peer: {sent['error']}")
    if len(measured) < n:
        problems.append(f"{len(measured)} of {n} registered within the time budget")
    elapsed = (measured[-1] - started) if measured else float("nan")
    return VanthuResult(sent["sent"], len(measured), elapsed, sent, dict(clock.spent), problems)


# ---------------------------------------------------------------------- main --


@dataclass
class Report:
    baselines: list[BaselineResult]
    vanthus: list[VanthuResult]

    @property
    def baseline(self) -> BaselineResult:
        return max(self.baselines, key=lambda b: b.rate)

    @property
    def vanthu(self) -> VanthuResult:
        return max(self.vanthus, key=lambda v: v.rate)

    @property
    def ratio(self) -> float:
        return ratio(self.vanthu.rate, self.baseline.rate)

    @property
    def problems(self) -> list[str]:
        found = [
            f"run {i}: baseline consumed {b.received} of {b.sent}"
            for i, b in enumerate(self.baselines, 1)
            if not b.complete
        ]
        for i, v in enumerate(self.vanthus, 1):
            found += [f"run {i}: {p}" for p in v.problems]
        return found


def _measure(args: argparse.Namespace) -> Report:
    postgres_admin_url()  # fail early, before making a vhost, when PostgreSQL is not there
    baselines: list[BaselineResult] = []
    vanthus: list[VanthuResult] = []
    with temp_dir("exchange") as folder, rabbitmq_vhost() as url:
        peer = Peer(url, args.exchange_kb)
        try:
            for run in range(1, args.repeat + 1):
                baselines.append(run_baseline(url, peer, args.exchange_n, args.exchange_seconds))
                with postgres_database() as database:
                    vanthus.append(
                        run_vanthu(
                            url,
                            database,
                            folder / f"run{run}",
                            peer,
                            args.exchange_n,
                            args.exchange_seconds,
                        )
                    )
        finally:
            peer.close()
    return Report(baselines, vanthus)


def _details(report: Report, kb: int) -> list[str]:
    base, van = report.baseline, report.vanthu
    mb = base.packet_bytes / 1e6
    per = max(1, van.sent)
    lines = [
        f"  runs:     raw {', '.join(fmt_rate(b.rate) for b in report.baselines)} packets/s; "
        f"vanthu {', '.join(fmt_rate(v.rate) for v in report.vanthus)} packets/s "
        f"(details of the best below)",
        f"  packet:   {base.packet_bytes:,} bytes of edXML for a {kb} KB PDF; raw moves "
        f"{fmt_rate(base.rate * mb)} MB/s, vanthu {fmt_rate(van.rate * mb)} MB/s",
        f"  raw:      {base.received} packets in {base.seconds:.2f} s; the peer spent "
        f"{base.publish_seconds * 1000 / max(1, base.sent):.2f} ms/packet publishing with confirms",
        f"  vanthu:   {van.registered} registered in {van.seconds:.2f} s; the peer spent "
        f"{van.peer['build'] * 1000 / per:.2f} ms/packet building (document_for) and "
        f"{van.peer['publish'] * 1000 / per:.2f} ms/packet publishing with confirms "
        "(in its own process)",
        "  consuming side, ms per packet (intake's consumer thread):",
    ]
    segments = van.segments()
    total = sum(segments.values())
    for key, label in SEGMENTS:
        lines.append(
            f"    {label:<42} {segments[key]:6.2f}  ({segments[key] / total:4.0%})"
            if total
            else f"    {label:<42} -"
        )
    count = max(1, van.registered + WARMUP)
    ceiling = fmt_rate(1000 / total if total else float("nan"))
    lines.append(f"    {'total (on_message)':<42} {total:6.2f}  → at most {ceiling} packets/s")
    lines.append(
        f"    relay thread (answers published, same process): "
        f"{van.spent.get('relay', 0.0) * 1000 / count:.2f} ms per packet, incl. idle polls"
    )
    lines += [f"  PROBLEM: {problem}" for problem in report.problems]
    return lines


def run(args: argparse.Namespace) -> bool:
    """Print the exchange table; False when a measurement went wrong or lost work."""
    if args.exchange_n < 1 or args.exchange_kb < 1 or args.repeat < 1:
        raise SystemExit("bench exchange: --exchange-n and --exchange-kb must be at least 1")
    print(
        f"== exchange: {args.exchange_n} incoming packets with a {args.exchange_kb} KB PDF "
        f"per run; best of {args.repeat} run(s); target ratio ≥ {TARGET:g}"
    )
    started = time.monotonic()
    try:
        report = _measure(args)
    except UnavailableError as exc:
        print(f"RabbitMQ + PostgreSQL: skipped ({exc})")
        return True
    except Exception as exc:
        print(f"RabbitMQ + PostgreSQL: FAILED ({type(exc).__name__}: {exc})")
        return False
    print(f"RabbitMQ + PostgreSQL: measured in {time.monotonic() - started:.0f} s")
    print()
    print_table(
        ["transport", "raw kombu packets/s", "vanthu packets/s", "ratio", "target"],
        [
            [
                "RabbitMQ + PostgreSQL",
                fmt_rate(report.baseline.rate),
                fmt_rate(report.vanthu.rate),
                fmt_ratio(report.ratio),
                f"≥ {TARGET:g}",
            ]
        ],
    )
    print()
    for line in _details(report, args.exchange_kb):
        print(line)
    return not report.problems
