"""The event path: outbox row → relay → broker → consumer, against raw kombu.

baseline  raw kombu on the same transport and connection settings as
          ``shared.bus.connection.connect`` (publisher confirms on RabbitMQ, the
          atomic, fsync-ing filesystem channel otherwise): N messages through a
          durable topic exchange to a durable queue of the same type vanthu
          declares (quorum on RabbitMQ), consumed with an explicit ack,
          prefetch 10, a producer and a consumer channel on one connection in
          one thread — the broker work the vanthu worker does in its thread.
          Published in batches of the relay's size (100), each consumed before
          the next, so the queue never holds more than the worker's would.
vanthu    a throwaway docgen service (its own database, migrated): N
          ``submission.ping`` events are written as outbox rows, one transaction
          each (``Outbox.add_event`` in a ``UnitOfWork``, as intake's request
          does), while docgen's real ``Worker`` (built by ``build_worker``) runs
          in a thread: ``OutboxRelay.run_once`` publishes them and
          ``ServiceConsumer.on_message`` handles each (``record_ping``, inbox
          de-duplication, ack after commit).

Throughput is end to end: N / (first outbox write → last handler commit).
Latency (outbox commit → handler commit) is taken in a second, paced phase at a
fixed offered load, since under a backlog it measures only the backlog; the
backlog figures are printed too. Afterwards the rows are counted: every event
handled exactly once, nothing left pending, no retry or dead letter.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kombu import Connection, Consumer, Exchange, Message, Producer, Queue
from kombu.transport import filesystem
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench import (
    Deadline,
    UnavailableError,
    fmt_ms,
    fmt_rate,
    fmt_ratio,
    percentile,
    postgres_admin_url,
    postgres_database,
    print_table,
    rabbitmq_vhost,
    rate,
    ratio,
    temp_dir,
)
from services.docgen import bootstrap
from services.docgen.orm import pings
from services.docgen.pings.handlers import record_ping
from shared.bus import Envelope
from shared.bus.connection import connect, filesystem_folders, is_amqp
from shared.bus.topology import QUORUM_DELIVERY_LIMIT
from shared.config import load
from shared.db import migrate
from shared.db.types import new_id
from shared.db.uow import UnitOfWork
from shared.runtime import ServiceContext
from shared.worker import build_worker

ORGAN_ID = "000.00.32.H43"
EVENT_TYPE = "submission.ping"
WARMUP = 100
RELAY_BATCH = 100  # OutboxRelay's default batch: the baseline publishes as many at a time
_EVENT_KEY = "bench_event_id"

TRANSPORTS = ("filesystem", "rabbitmq")
LABELS = {"filesystem": "filesystem + SQLite", "rabbitmq": "RabbitMQ + PostgreSQL"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("bus")
    group.add_argument("--n", type=int, default=2000, help="events per throughput run (2000)")
    group.add_argument(
        "--latency-n", type=int, default=200, help="events in the paced latency phase (200)"
    )
    group.add_argument(
        "--rate", type=float, default=50.0, help="offered load of the latency phase, msg/s (50)"
    )
    group.add_argument(
        "--transports",
        default=",".join(TRANSPORTS),
        help="comma-separated subset of: " + ", ".join(TRANSPORTS),
    )
    group.add_argument(
        "--bus-seconds",
        type=float,
        default=90.0,
        help="time budget per transport and run; a run past it stops and says so (90)",
    )


def _envelopes(count: int, label: str) -> list[Envelope]:
    return [
        Envelope(
            type=EVENT_TYPE,
            organ_id=ORGAN_ID,
            payload={"submission_id": new_id(), "kind": "ping", "message": f"{label} {i}"},
        )
        for i in range(count)
    ]


# ------------------------------------------------------------------ baseline --


@dataclass
class BaselineResult:
    sent: int
    received: int
    publish_seconds: float
    consume_seconds: float

    @property
    def rate(self) -> float:
        return rate(self.received, self.publish_seconds + self.consume_seconds)

    @property
    def complete(self) -> bool:
        return self.received == self.sent


def _upstream_filesystem(url: str) -> Connection:
    """kombu's own filesystem transport (no atomic rename, no fsync), for reference."""
    options: dict[str, Any] = filesystem_folders(url)
    options["polling_interval"] = 0.1
    return Connection(transport=filesystem.Transport, transport_options=options)


def run_baseline(
    broker_url: str,
    n: int,
    deadline: Deadline,
    *,
    connect_with: Callable[[str], Connection] = connect,
    quorum: bool = True,
) -> BaselineResult:
    exchange = Exchange("bench.baseline", type="topic", durable=True)
    arguments: dict[str, Any] = {}
    if is_amqp(broker_url) and quorum:
        arguments = {"x-queue-type": "quorum", "x-delivery-limit": QUORUM_DELIVERY_LIMIT}
    queue = Queue(
        f"bench.baseline.{new_id()[:8]}",
        exchange=exchange,
        routing_key=EVENT_TYPE,
        durable=True,
        queue_arguments=arguments,
    )
    messages = [(e.id, e.to_json()) for e in _envelopes(n, "baseline")]
    received = 0

    def on_message(message: Message) -> None:
        nonlocal received
        message.ack()
        received += 1

    publishing = draining = 0.0
    sent = 0
    with connect_with(broker_url) as conn:
        conn.ensure_connection(max_retries=1)
        queue(conn.default_channel).declare()
        producer = Producer(conn.channel())
        consumer = Consumer(
            conn.channel(),
            queues=[queue],
            on_message=on_message,
            prefetch_count=10,
            no_ack=False,
        )
        with consumer:
            # Like the worker: publish a relay batch, then take deliveries until
            # it is all in (on RabbitMQ some arrive while confirms are awaited).
            for start in range(0, len(messages), RELAY_BATCH):
                if deadline.expired():
                    break
                began = time.perf_counter()
                for message_id, body in messages[start : start + RELAY_BATCH]:
                    producer.publish(
                        body,
                        exchange=exchange.name,
                        routing_key=EVENT_TYPE,
                        message_id=message_id,
                        headers={},
                        content_type="application/json",
                        content_encoding="utf-8",
                        delivery_mode=2,
                        retry=False,
                    )
                    sent += 1
                published = time.perf_counter()
                while received < sent and not deadline.expired():
                    with contextlib.suppress(socket.timeout):
                        conn.drain_events(timeout=max(0.05, min(1.0, deadline.remaining())))
                publishing += published - began
                draining += time.perf_counter() - published
        with contextlib.suppress(Exception):
            queue(conn.default_channel).delete()
    return BaselineResult(sent, received, publishing, draining)


# -------------------------------------------------------------------- vanthu --


class _Recorder:
    """When each expected event's handler transaction committed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.handled: dict[str, float] = {}
        self.wanted: set[str] = set()
        self.duplicates = 0
        self.done = threading.Event()

    def expect(self, ids: set[str]) -> None:
        with self.lock:
            self.wanted = ids - self.handled.keys()
            if self.wanted:
                self.done.clear()
            else:
                self.done.set()

    def record(self, event_id: str, when: float) -> None:
        with self.lock:
            if event_id in self.handled:
                self.duplicates += 1
            self.handled[event_id] = when
            self.wanted.discard(event_id)
            if not self.wanted:
                self.done.set()


class _TimedUnitOfWork(UnitOfWork):
    """The consumer's unit of work, noting when a handled event's commit returned."""

    def __init__(self, factory: Callable[[], Session], recorder: _Recorder) -> None:
        super().__init__(factory)
        self._recorder = recorder

    def commit(self) -> None:
        event_id = self.session.info.get(_EVENT_KEY)
        super().commit()
        if event_id is not None:
            self._recorder.record(str(event_id), time.perf_counter())


def _timed_record_ping(session: Session, envelope: Envelope) -> None:
    record_ping(session, envelope)
    session.info[_EVENT_KEY] = envelope.id


@dataclass
class PhaseResult:
    sent: int
    handled: int
    write_seconds: float
    total_seconds: float
    latencies: list[float] = field(default_factory=list)
    write_latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return rate(self.handled, self.total_seconds)

    @property
    def complete(self) -> bool:
        return self.handled == self.sent


@dataclass
class _Writes:
    committed: dict[str, float]
    durations: list[float]
    started: float
    finished: float


def _write(
    context: ServiceContext, envelopes: list[Envelope], deadline: Deadline, interval: float
) -> _Writes:
    """One transaction per event, as intake's request handler does it."""
    committed: dict[str, float] = {}
    durations: list[float] = []
    started = time.perf_counter()
    for i, envelope in enumerate(envelopes):
        if interval:
            pause = started + i * interval - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        if deadline.expired():
            break
        begun = time.perf_counter()
        with context.uow() as uow:
            context.outbox.add_event(uow.session, envelope)
            uow.commit()
            committed[envelope.id] = done = time.perf_counter()
        durations.append(done - begun)
    return _Writes(committed, durations, started, time.perf_counter())


def _phase(
    context: ServiceContext,
    recorder: _Recorder,
    envelopes: list[Envelope],
    deadline: Deadline,
    *,
    interval: float = 0.0,
    before_wait: Callable[[], None] | None = None,
) -> PhaseResult:
    """Write the events as outbox rows (paced when ``interval``), wait until handled."""
    recorder.expect({e.id for e in envelopes})
    writes = _write(context, envelopes, deadline, interval)
    committed, started, written = writes.committed, writes.started, writes.finished
    if len(committed) < len(envelopes):
        recorder.expect(set(committed))
    if before_wait is not None:
        before_wait()
    recorder.done.wait(deadline.remaining())
    with recorder.lock:
        handled = {i: recorder.handled[i] for i in committed if i in recorder.handled}
    last = max(handled.values(), default=written)
    return PhaseResult(
        sent=len(committed),
        handled=len(handled),
        write_seconds=written - started,
        total_seconds=last - started,
        latencies=[handled[i] - committed[i] for i in handled],
        write_latencies=writes.durations,
    )


@dataclass
class VanthuResult:
    warm_up: PhaseResult
    throughput: PhaseResult
    latency: PhaseResult
    problems: list[str]


@contextlib.contextmanager
def _docgen(broker_url: str, database_url: str, folder: Path) -> Iterator[ServiceContext]:
    environ = {
        "VANTHU_VAR_DIR": str(folder),
        "VANTHU_DOCGEN_DATABASE_URL": database_url,
        "VANTHU_AUTH_DATABASE_URL": f"sqlite:///{folder}/auth.sqlite3",
        "VANTHU_BROKER_URL": broker_url,
        "VANTHU_LOG_LEVEL": "WARNING",
    }
    config = load("docgen", environ)
    migrate.upgrade("docgen", config.database_url)
    context = bootstrap.context(config)
    try:
        yield context
    finally:
        context.dispose()


def _count_problems(context: ServiceContext, expected: int, recorder: _Recorder) -> list[str]:
    outbox, inbox = context.tables.outbox, context.tables.inbox
    with context.engine.connect() as conn:
        recorded = conn.execute(select(func.count()).select_from(pings)).scalar_one()
        seen = conn.execute(select(func.count()).select_from(inbox)).scalar_one()
        pending = conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        ).scalar_one()
        retries = conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.exchange == "")
        ).scalar_one()
    problems = []
    if recorded != expected or seen != expected:
        problems.append(f"{recorded} pings and {seen} inbox rows for {expected} events")
    if pending:
        problems.append(f"{pending} outbox rows still pending")
    if retries:
        problems.append(f"{retries} retries or dead letters written")
    if recorder.duplicates:
        problems.append(f"{recorder.duplicates} events handled twice")
    return problems


def run_vanthu(
    broker_url: str,
    database_url: str,
    folder: Path,
    *,
    n: int,
    latency_n: int,
    offered_rate: float,
    deadline: Deadline,
) -> VanthuResult:
    recorder = _Recorder()
    with _docgen(broker_url, database_url, folder) as context:
        worker = build_worker(context, handlers={EVENT_TYPE: _timed_record_ping})
        worker.consumer.uow_factory = lambda: _TimedUnitOfWork(context.sessions, recorder)
        thread = threading.Thread(target=worker.run, name="bench-docgen-worker", daemon=True)
        try:
            # The warm-up rows are written before the worker starts: their write
            # times are those of a request with no relay competing for the database.
            warm = _phase(
                context,
                recorder,
                _envelopes(WARMUP, "warm-up"),
                Deadline(60.0),
                before_wait=thread.start,
            )
            if not warm.complete:
                raise RuntimeError(
                    f"the worker handled {warm.handled} of {warm.sent} warm-up events in 60 s"
                )
            throughput = _phase(context, recorder, _envelopes(n, "throughput"), deadline)
            latency = _phase(
                context,
                recorder,
                _envelopes(latency_n, "latency"),
                deadline,
                interval=1.0 / offered_rate,
            )
        finally:
            worker.stop()
            if thread.is_alive():
                thread.join(timeout=10)
        expected = warm.sent + throughput.sent + latency.sent
        problems = _count_problems(context, expected, recorder)
    if thread.is_alive():
        problems.append("worker thread did not stop within 10 s")
    for name, phase in (("throughput", throughput), ("latency", latency)):
        if not phase.complete:
            problems.append(
                f"{name} phase: {phase.handled} of {phase.sent} handled before the time budget"
            )
    return VanthuResult(warm, throughput, latency, problems)


# ---------------------------------------------------------------------- main --


@dataclass
class TransportReport:
    """Every repetition's results; the table shows the best of each figure."""

    label: str
    baselines: list[BaselineResult]
    vanthus: list[VanthuResult]
    reference: list[str]

    @property
    def baseline(self) -> BaselineResult:
        return max(self.baselines, key=lambda b: b.rate)

    @property
    def vanthu(self) -> VanthuResult:
        return max(self.vanthus, key=lambda v: v.throughput.rate)

    def latency(self, pct: float) -> float:
        return min(percentile(v.latency.latencies, pct) for v in self.vanthus)

    @property
    def problems(self) -> list[str]:
        found = [
            f"run {i}: baseline consumed {b.received} of {b.sent}"
            for i, b in enumerate(self.baselines, 1)
            if not b.complete
        ]
        for i, vanthu in enumerate(self.vanthus, 1):
            found += [f"run {i}: {problem}" for problem in vanthu.problems]
        return found


@contextlib.contextmanager
def _shared_broker(transport: str) -> Iterator[str | None]:
    """RabbitMQ: one fresh vhost for all repetitions (removed after); filesystem: none."""
    if transport == "filesystem":
        yield None
        return
    postgres_admin_url()  # fail early, before making a vhost, when PostgreSQL is not there
    with rabbitmq_vhost() as url:
        yield url


@contextlib.contextmanager
def _database(transport: str, folder: Path) -> Iterator[str]:
    """A fresh database for one repetition, removed after."""
    if transport == "filesystem":
        yield f"sqlite:///{folder}/docgen.sqlite3"
        return
    with postgres_database() as url:
        yield url


def _reference(transport: str, broker: str | None, folder: Path, args: argparse.Namespace) -> str:
    deadline = Deadline(args.bus_seconds)
    if broker is None:
        result = run_baseline(
            f"filesystem://{folder}/upstream", args.n, deadline, connect_with=_upstream_filesystem
        )
        what = "raw kombu, upstream filesystem channel (no fsync)"
    else:
        result = run_baseline(broker, args.n, deadline, quorum=False)
        what = "raw kombu, classic durable queue instead of quorum"
    short = "" if result.complete else f" (only {result.received} of {result.sent} consumed)"
    return f"{what}: {fmt_rate(result.rate)} msg/s{short}"


def _measure(transport: str, args: argparse.Namespace) -> TransportReport:
    baselines: list[BaselineResult] = []
    vanthus: list[VanthuResult] = []
    with temp_dir(f"bus-{transport}") as folder, _shared_broker(transport) as shared:
        for run in range(1, args.repeat + 1):
            deadline = Deadline(args.bus_seconds)
            here = folder / f"run{run}"
            baselines.append(run_baseline(shared or f"filesystem://{here}/raw", args.n, deadline))
            with _database(transport, here) as database:
                vanthus.append(
                    run_vanthu(
                        shared or f"filesystem://{here}/queue",
                        database,
                        here / "docgen",
                        n=args.n,
                        latency_n=args.latency_n,
                        offered_rate=args.rate,
                        deadline=deadline,
                    )
                )
        reference = [_reference(transport, shared, folder, args)]
    return TransportReport(LABELS[transport], baselines, vanthus, reference)


def _spread(seconds: list[float]) -> str:
    return (
        f"p50 {fmt_ms(percentile(seconds, 50))} / p95 {fmt_ms(percentile(seconds, 95))} / "
        f"max {fmt_ms(max(seconds, default=float('nan')))} ms"
    )


def _details(report: TransportReport, offered_rate: float) -> list[str]:
    base, van = report.baseline, report.vanthu
    tp, lat = van.throughput, van.latency
    runs = len(report.vanthus)
    p50s = ", ".join(fmt_ms(percentile(v.latency.latencies, 50)) for v in report.vanthus)
    lines = [
        f"{report.label}:",
        f"  runs:     baseline {', '.join(fmt_rate(b.rate) for b in report.baselines)} msg/s; "
        f"vanthu {', '.join(fmt_rate(v.throughput.rate) for v in report.vanthus)} msg/s; "
        f"paced p50 {p50s} ms" + (f" (details of the best of {runs} below)" if runs > 1 else ""),
        f"  baseline: {base.sent} messages in batches of {RELAY_BATCH}: "
        f"{base.publish_seconds:.2f} s publishing, {base.consume_seconds:.2f} s "
        f"taking the rest of each batch",
        f"  vanthu:   {tp.sent} outbox rows written in {tp.write_seconds:.2f} s "
        f"({fmt_rate(rate(tp.sent, tp.write_seconds))} rows/s); "
        f"{tp.handled} handled {tp.total_seconds:.2f} s after the first write",
        f"            latency under that backlog: p50 {fmt_ms(percentile(tp.latencies, 50))} ms, "
        f"p95 {fmt_ms(percentile(tp.latencies, 95))} ms",
        f"            latency at {offered_rate:g} msg/s offered ({lat.handled} events): "
        f"p50 {fmt_ms(percentile(lat.latencies, 50))} ms, "
        f"p95 {fmt_ms(percentile(lat.latencies, 95))} ms, "
        f"max {fmt_ms(max(lat.latencies, default=float('nan')))} ms",
        f"            one outbox write (a request's transaction): worker stopped "
        f"{_spread(van.warm_up.write_latencies)}; worker draining the backlog "
        f"{_spread(tp.write_latencies)}",
    ]
    lines += [f"  reference: {line}" for line in report.reference]
    lines += [f"  PROBLEM: {problem}" for problem in report.problems]
    return lines


def run(args: argparse.Namespace) -> bool:
    """Print the bus table; False when a measurement went wrong."""
    transports = [t.strip() for t in args.transports.split(",") if t.strip()]
    unknown = sorted(set(transports) - set(TRANSPORTS))
    if unknown:
        raise SystemExit(f"bench bus: unknown transport(s) {unknown}; choose from {TRANSPORTS}")
    if args.n < 1 or args.latency_n < 1 or args.rate <= 0 or args.repeat < 1:
        raise SystemExit("bench bus: --n and --latency-n must be at least 1, --rate above 0")
    print(
        f"== bus: {args.n} events per run; latency phase {args.latency_n} events "
        f"at {args.rate:g} msg/s; best of {args.repeat} run(s)"
    )
    reports: list[TransportReport] = []
    ok = True
    for transport in transports:
        started = time.monotonic()
        try:
            report = _measure(transport, args)
        except UnavailableError as exc:
            print(f"{LABELS[transport]}: skipped ({exc})")
            continue
        except Exception as exc:
            print(f"{LABELS[transport]}: FAILED ({type(exc).__name__}: {exc})")
            ok = False
            continue
        reports.append(report)
        print(f"{report.label}: measured in {time.monotonic() - started:.0f} s")
    if not reports:
        return ok
    print()
    rows = []
    for report in reports:
        rows.append(
            [
                report.label,
                fmt_rate(report.baseline.rate),
                fmt_rate(report.vanthu.throughput.rate),
                fmt_ratio(ratio(report.vanthu.throughput.rate, report.baseline.rate)),
                fmt_ms(report.latency(50)),
                fmt_ms(report.latency(95)),
            ]
        )
    print_table(
        [
            "transport",
            "baseline msg/s",
            "vanthu msg/s",
            "ratio",
            f"p50 ms @{args.rate:g}/s",
            f"p95 ms @{args.rate:g}/s",
        ],
        rows,
    )
    print()
    for report in reports:
        for line in _details(report, args.rate):
            print(line)
        if report.problems:
            ok = False
    return ok
