"""The numbering transaction: issues per second against a bare counter UPDATE.

baseline  ``UPDATE bench_counter SET n = n + 1 WHERE id = 1`` and a commit, one
          transaction per call, on the service's own engine
          (``shared.db.make_engine``: WAL, ``synchronous=NORMAL``, the busy timeout
          and ``BEGIN IMMEDIATE`` on SQLite; psycopg on PostgreSQL) — the floor cost
          of a gapless counter, whose row (on SQLite: the database) is held from the
          UPDATE to the commit.
vanthu    ``IssueService.issue`` of a công văn draft (stored without renderings, as
          ``tests/integration/numbering/test_concurrency.py`` prepares them) into the
          body's administrative register: the reads and the validation, then the one
          transaction that takes the next number, records the register entry, the
          document and its ``document.issued`` outbox row, and commits; then the
          document row read back. No rendering (the worker does that afterwards).

Both run with 1 and with 8 concurrent clients — 'spawn' processes, each with its
own engine, started once per backend, warmed up, and set going together by a
signal — on SQLite (a file in a temporary folder) and on PostgreSQL (a fresh
database, dropped afterwards). Each issue run numbers a fresh body's register,
which must then hold exactly 1…N: entries, documents and events, no gap, no
duplicate. Every loop is bounded by its count and by ``--numbering-seconds``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import queue
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from bench import (
    PROJECT_ROOT,
    Deadline,
    UnavailableError,
    fmt_ms,
    fmt_rate,
    fmt_ratio,
    percentile,
    postgres_database,
    print_table,
    rate,
    ratio,
    temp_dir,
)
from services.docgen import bootstrap
from services.docgen.orm import documents, drafts, numbering, tables
from shared.bus import Envelope
from shared.config import load
from shared.db import make_engine, migrate
from shared.db.types import new_id, utcnow
from shared.db.uow import UnitOfWork
from shared.numbering import BodySettings, Registers
from shared.runtime import ServiceContext

BACKENDS = ("sqlite", "postgresql")
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
COUNTER = "bench_counter"
RAW_SQL = f"UPDATE {COUNTER} SET n = n + 1 WHERE id = 1"  # noqa: S608 - a fixed name
WARMUP = 5  # issues and raw updates per client before the first measurement
START_TIMEOUT = 120.0
TARGET = 0.5  # issues/s ÷ raw UPDATE/s at 8 clients on PostgreSQL
# Where an issue's time goes, in the order the marks are taken.
SEGMENTS = (
    "before the transaction",  # draft, register, settings, notation, validation, record
    "counter UPDATE (incl. lock wait)",  # first statement: BEGIN (IMMEDIATE), the bump
    "entry + document + outbox",  # the inserts and their JSON, lock held
    "commit",
    "after (read back)",  # the session closed, the document row read back
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("numbering")
    group.add_argument(
        "--numbering-n",
        type=int,
        default=400,
        help="issues per measurement, shared by the clients (400)",
    )
    group.add_argument(
        "--numbering-raw-n",
        type=int,
        default=2000,
        help="raw counter UPDATEs per measurement, shared by the clients (2000)",
    )
    group.add_argument(
        "--numbering-clients",
        default="1,8",
        help="comma-separated counts of concurrent client processes (1,8)",
    )
    group.add_argument(
        "--numbering-backends",
        default=",".join(BACKENDS),
        help="comma-separated subset of: " + ", ".join(BACKENDS),
    )
    group.add_argument(
        "--numbering-seconds",
        type=float,
        default=60.0,
        help="time budget per measurement; a run past it stops and says so (60)",
    )


# ------------------------------------------------------------------ clients --


class _Marks:
    """Instants of one issue, set by the instrumented unit of work and counter."""

    def __init__(self) -> None:
        self.enter = self.counter = self.commit = self.committed = math.nan

    def reset(self) -> None:
        self.enter = self.counter = self.commit = self.committed = math.nan


class _MarkedUnitOfWork(UnitOfWork):
    """The service's unit of work, noting when it began and when its commit ran."""

    def __init__(self, factory: Callable[[], Session], marks: _Marks) -> None:
        super().__init__(factory)
        self._marks = marks

    def __enter__(self) -> UnitOfWork:
        self._marks.enter = time.perf_counter()
        return super().__enter__()

    def commit(self) -> None:
        self._marks.commit = time.perf_counter()
        super().commit()
        self._marks.committed = time.perf_counter()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        super().__exit__(exc_type, exc, tb)


def _instrument(service: Any, marks: _Marks) -> None:
    """Time the unit of work and the counter bump of the real service, changing nothing."""
    context = service.context
    context.uow = lambda: _MarkedUnitOfWork(context.sessions, marks)
    bump = service.registers._increment

    def timed_bump(session: Session, register: Any, year: int) -> int:
        number: int = bump(session, register, year)
        marks.counter = time.perf_counter()
        return number

    service.registers._increment = timed_bump


@dataclass
class ClientResult:
    done: int = 0
    started: float = math.nan
    ended: float = math.nan
    latencies: list[float] = field(default_factory=list)
    splits: list[tuple[float, ...]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    cpu: float = 0.0
    error: str = ""


def _issue_loop(
    service: Any, marks: _Marks, organ_id: str, draft_ids: Sequence[str], deadline: Deadline
) -> ClientResult:
    from services.docgen.issuing.models import IssueRequest  # noqa: PLC0415 - client only

    out = ClientResult(started=time.monotonic())
    cpu = time.process_time()
    for draft_id in draft_ids:
        if deadline.expired():
            break
        marks.reset()
        begun = time.perf_counter()
        issued = service.issue(
            organ_id=organ_id, actor="bench", draft_id=draft_id, request=IssueRequest(unit="VP")
        )
        ended = time.perf_counter()
        out.latencies.append(ended - begun)
        out.splits.append(
            (
                marks.enter - begun,
                marks.counter - marks.enter,
                marks.commit - marks.counter,
                marks.committed - marks.commit,
                ended - marks.committed,
            )
        )
        out.numbers.append(int(issued.row.number))
        out.done += 1
    out.cpu = time.process_time() - cpu
    out.ended = time.monotonic()
    return out


def _raw_loop(engine: Engine, count: int, deadline: Deadline) -> ClientResult:
    out = ClientResult(started=time.monotonic())
    cpu = time.process_time()
    with engine.connect() as conn:
        for _ in range(count):
            if deadline.expired():
                break
            begun = time.perf_counter()
            with conn.begin():
                conn.exec_driver_sql(RAW_SQL)
            out.latencies.append(time.perf_counter() - begun)
            out.done += 1
    out.cpu = time.process_time() - cpu
    out.ended = time.monotonic()
    return out


def _issue_service(context: ServiceContext) -> Any:
    from services.docgen.issuing.service import IssueService  # noqa: PLC0415 - client only

    return IssueService(context)


def _client(
    environ: dict[str, str],
    commands: Any,
    ready: Any,
    go: Any,
    results: Any,
    *,
    make_service: Callable[[ServiceContext], Any] = _issue_service,
) -> None:
    """One client process: its own context and engine; runs each command after ``go``.

    Commands: ``("issue", organ_id, draft_ids, seconds)``, ``("raw", count, seconds)``,
    ``None`` to stop. Each answers ``ready`` once set up, waits for ``go``, then puts a
    :class:`ClientResult` on ``results``. ``make_service`` (a module-level function, for
    'spawn') builds the issuing service from the context: the real one unless a variant
    is being tried.
    """
    service: Any = None
    failure = ""
    try:
        context = bootstrap.context(load("docgen", environ))
        service = make_service(context)
        marks = _Marks()
        _instrument(service, marks)
    except Exception as exc:  # reported with the first command
        failure = f"start: {type(exc).__name__}: {exc}"
    parent = multiprocessing.parent_process()
    while True:
        try:
            command = commands.get(timeout=2.0)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                break  # the benchmark was killed: do not linger holding connections
            continue
        if command is None:
            break
        ready.put(os.getpid())
        if not go.wait(START_TIMEOUT):
            results.put(ClientResult(error="no start signal"))
            continue
        if failure:
            results.put(ClientResult(error=failure))
            continue
        try:
            if command[0] == "issue":
                _, organ_id, draft_ids, seconds = command
                result = _issue_loop(service, marks, organ_id, draft_ids, Deadline(seconds))
            else:
                _, count, seconds = command
                result = _raw_loop(service.context.engine, count, Deadline(seconds))
        except Exception as exc:  # sent back to the parent
            result = ClientResult(error=f"{type(exc).__name__}: {exc}")
        results.put(result)
    if service is not None:
        service.context.dispose()


class _Pool:
    """``size`` spawned client processes, kept for every measurement on one database."""

    def __init__(
        self,
        environ: dict[str, str],
        size: int,
        make_service: Callable[[ServiceContext], Any] = _issue_service,
    ) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.ready, self.results = ctx.Queue(), ctx.Queue()
        self.go = ctx.Event()
        self.commands = [ctx.Queue() for _ in range(size)]
        self.processes = [
            ctx.Process(
                target=_client,
                args=(environ, commands, self.ready, self.go, self.results),
                kwargs={"make_service": make_service},
                daemon=True,
            )
            for commands in self.commands
        ]
        for process in self.processes:
            process.start()

    def run(self, commands: Sequence[tuple[Any, ...]], seconds: float) -> list[ClientResult]:
        """One command to each of the first clients; all start together on ``go``."""
        self.go.clear()
        for channel, command in zip(self.commands, commands, strict=False):
            channel.put(command)
        try:
            for _ in commands:
                self._get(self.ready, START_TIMEOUT)
            self.go.set()
            return [self._get(self.results, seconds + 60) for _ in commands]
        except queue.Empty:
            return [ClientResult(error="a client did not answer in time")]
        except RuntimeError as exc:
            return [ClientResult(error=str(exc))]
        finally:
            self.go.set()

    def _get(self, channel: Any, seconds: float) -> Any:
        """The next answer; RuntimeError as soon as a client process has died."""
        deadline = Deadline(seconds)
        while True:
            try:
                return channel.get(timeout=min(1.0, max(0.01, deadline.remaining())))
            except queue.Empty:
                dead = [p.exitcode for p in self.processes if not p.is_alive()]
                if dead:
                    raise RuntimeError(f"a client process died (exit {dead[0]})") from None
                if deadline.expired():
                    raise

    def close(self) -> None:
        for channel in self.commands:
            channel.put(None)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)


# ------------------------------------------------------------------- parent --


@dataclass
class Run:
    kind: str  # "raw" or "issue"
    clients: int
    wanted: int
    load: float  # 1-minute load average when it started
    done: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    splits: list[tuple[float, ...]] = field(default_factory=list)
    cpu: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return rate(self.done, self.seconds)


def _gather(kind: str, clients: int, wanted: int, load_1: float, got: list[ClientResult]) -> Run:
    run = Run(kind, clients, wanted, load_1)
    run.problems = [r.error for r in got if r.error]
    timed = [r for r in got if r.done]
    run.done = sum(r.done for r in got)
    if timed:
        run.seconds = max(r.ended for r in timed) - min(r.started for r in timed)
    run.latencies = [x for r in got for x in r.latencies]
    run.splits = [s for r in got for s in r.splits]
    run.cpu = sum(r.cpu for r in got)
    if run.done < wanted and not run.problems:
        run.problems.append("time budget ran out")
    if run.done < wanted:
        run.problems = [f"{run.done} of {wanted} done ({'; '.join(run.problems)})"]
    return run


def _shares(items: Sequence[Any], clients: int) -> list[list[Any]]:
    return [list(items[i::clients]) for i in range(clients)]


def _organ_id() -> str:
    """A well-formed OrganId (ddd.dd.dd.Xdd) no other run uses."""
    n = uuid.uuid4().int
    return f"{n % 1000:03d}.{n // 10**3 % 100:02d}.{n // 10**5 % 100:02d}.B{n // 10**7 % 100:02d}"


def _prepare(environ: dict[str, str], count: int) -> tuple[str, list[str]]:
    """A body with its abbreviation and register, and ``count`` công văn drafts."""
    organ_id = _organ_id()
    example = json.loads(
        (PROJECT_ROOT / "services/docgen/templates/examples/cong-van.json").read_text("utf-8")
    )
    example.pop("number", None)
    data = json.dumps(example, ensure_ascii=False)
    context = bootstrap.context(load("docgen", environ))
    registers = Registers(numbering)
    ids = [new_id() for _ in range(count)]
    try:
        with context.uow() as uow:
            registers.save_settings(
                uow.session,
                BodySettings(organ_id=organ_id, name="UBND huyện Sông Hình", abbreviation="UBND"),
            )
            registers.create(
                uow.session,
                organ_id=organ_id,
                direction="out",
                code="hanh-chinh",
                name="Văn bản hành chính",
                series="administrative",
            )
            # The renderings of a draft play no part in issuing; the data does.
            now = utcnow()
            uow.session.execute(
                drafts.insert(),
                [
                    {
                        "id": draft_id,
                        "organ_id": organ_id,
                        "template_id": "cong-van",
                        "version_id": "nd30-2020",
                        "data": data,
                        "created_by": "bench",
                        "created_at": now,
                        "docx": b"",
                        "pdf": b"",
                    }
                    for draft_id in ids
                ],
            )
            uow.commit()
    finally:
        context.dispose()
    return organ_id, ids


def _verify_register(engine: Engine, organ_id: str, got: list[ClientResult]) -> list[str]:
    """The body's register must hold exactly 1…N: entries, documents, events, answers."""
    with engine.connect() as conn:
        entries = sorted(
            conn.execute(
                select(numbering.entries.c.number).where(numbering.entries.c.organ_id == organ_id)
            ).scalars()
        )
        docs = sorted(
            conn.execute(select(documents.c.number).where(documents.c.organ_id == organ_id))
            .scalars()
            .all()
        )
        events = sorted(
            Envelope.from_json(body).payload["number"]
            for body in conn.execute(
                select(tables.outbox.c.body).where(tables.outbox.c.organ_id == organ_id)
            ).scalars()
        )
        last = conn.execute(
            select(func.max(numbering.years.c.last_number)).where(
                numbering.years.c.organ_id == organ_id
            )
        ).scalar_one()
    answered = sorted(n for r in got for n in r.numbers)
    expected = list(range(1, len(answered) + 1))
    problems = []
    for what, found in (
        ("numbers answered", answered),
        ("register entries", entries),
        ("documents", docs),
        ("document.issued events", events),
    ):
        if found != expected:
            problems.append(f"{what} are not exactly 1…{len(expected)}: {_describe(found)}")
    if (last or 0) != len(expected):
        problems.append(f"the counter stands at {last}, {len(expected)} issued")
    return problems


def _describe(numbers: list[int]) -> str:
    seen = set(numbers)
    missing = [n for n in range(1, max(numbers, default=0) + 1) if n not in seen]
    twice = len(numbers) - len(seen)
    return f"{len(numbers)} numbers, {len(missing)} missing {missing[:5]}, {twice} duplicated"


def _reset_counter(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {COUNTER} SET n = 0 WHERE id = 1"))  # noqa: S608


def _counter(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT n FROM {COUNTER} WHERE id = 1")).scalar_one())  # noqa: S608


@dataclass
class Bench:
    database_url: str
    environ: dict[str, str]
    engine: Engine
    pool: _Pool
    seconds: float

    def issue(self, n: int, clients: int) -> Run:
        organ_id, ids = _prepare(self.environ, n)
        load_1 = os.getloadavg()[0]
        commands = [("issue", organ_id, share, self.seconds) for share in _shares(ids, clients)]
        got = self.pool.run(commands, self.seconds)
        run = _gather("issue", clients, n, load_1, got)
        run.problems += _verify_register(self.engine, organ_id, got)
        return run

    def raw(self, n: int, clients: int) -> Run:
        _reset_counter(self.engine)
        load_1 = os.getloadavg()[0]
        counts = [n // clients + (i < n % clients) for i in range(clients)]
        got = self.pool.run([("raw", c, self.seconds) for c in counts], self.seconds)
        run = _gather("raw", clients, n, load_1, got)
        counted = _counter(self.engine)
        if counted != run.done:
            run.problems.append(f"the counter stands at {counted} after {run.done} updates")
        return run


@contextlib.contextmanager
def _database(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder}/docgen.sqlite3"
        return
    with postgres_database() as url:
        yield url


@contextlib.contextmanager
def _bench(
    backend: str,
    folder: Path,
    clients: int,
    seconds: float,
    make_service: Callable[[ServiceContext], Any] = _issue_service,
) -> Iterator[Bench]:
    """A migrated docgen database with the raw counter table, and a warmed client pool."""
    with _database(backend, folder) as url:
        environ = {
            "VANTHU_VAR_DIR": str(folder / "var"),
            "VANTHU_DATABASE_URL": url,
            "VANTHU_AUTH_DATABASE_URL": f"sqlite:///{folder}/auth.sqlite3",
            "VANTHU_BROKER_URL": f"filesystem://{folder}/queue",
            "VANTHU_LOG_LEVEL": "WARNING",
        }
        config = load("docgen", environ)
        migrate.upgrade("docgen", config.database_url)
        engine = make_engine(config.database_url)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE TABLE {COUNTER} (id INTEGER PRIMARY KEY, n INTEGER)"))
            conn.execute(text(f"INSERT INTO {COUNTER} (id, n) VALUES (1, 0)"))  # noqa: S608
        pool = _Pool(environ, clients, make_service)
        try:
            bench = Bench(config.database_url, environ, engine, pool, seconds)
            # First use in each client: catalogue, models, statement caches, connections.
            warm_issue = bench.issue(WARMUP * clients, clients)
            warm_raw = bench.raw(WARMUP * clients, clients)
            for what, warm in (("issue", warm_issue), ("raw", warm_raw)):
                if warm.problems:
                    raise RuntimeError(f"warm-up {what}: {'; '.join(warm.problems)}")
            yield bench
        finally:
            pool.close()
            engine.dispose()


# -------------------------------------------------------------------- report --


@dataclass
class Row:
    backend: str
    clients: int
    raws: list[Run] = field(default_factory=list)
    issues: list[Run] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{LABELS[self.backend]}, {self.clients} client{'s' if self.clients > 1 else ''}"

    @property
    def raw(self) -> Run:
        return max(self.raws, key=lambda r: r.rate if r.done else -1.0)

    @property
    def issue(self) -> Run:
        return max(self.issues, key=lambda r: r.rate if r.done else -1.0)

    @property
    def ratio(self) -> float:
        return ratio(self.issue.rate, self.raw.rate)

    def problems(self) -> list[str]:
        found = []
        for what, runs in (("raw UPDATE", self.raws), ("issue", self.issues)):
            for i, r in enumerate(runs, 1):
                found += [f"{self.label}, {what} run {i}: {p}" for p in r.problems]
        return found


def _best_pct(runs: list[Run], pct: float) -> float:
    done = [percentile(r.latencies, pct) for r in runs if r.latencies]
    return min(done, default=math.nan)


def _cells(row: Row) -> list[str]:
    return [
        row.label,
        fmt_rate(row.raw.rate),
        fmt_ms(_best_pct(row.raws, 50)),
        fmt_ms(_best_pct(row.raws, 95)),
        fmt_rate(row.issue.rate),
        fmt_ms(_best_pct(row.issues, 50)),
        fmt_ms(_best_pct(row.issues, 95)),
        fmt_ratio(row.ratio),
    ]


def _split(run: Run) -> str:
    if not run.splits:
        return "-"
    means = [sum(s[i] for s in run.splits) / len(run.splits) for i in range(len(SEGMENTS))]
    total = sum(means)
    parts = [
        f"{name} {m * 1000:.2f} ms ({m / total:.0%})"
        for name, m in zip(SEGMENTS, means, strict=True)
    ]
    held = [s[1] + s[2] + s[3] for s in run.splits]
    return (
        "; ".join(parts)
        + f" — transaction p50 {fmt_ms(percentile(held, 50))} / p95 {fmt_ms(percentile(held, 95))}"
        " ms"
    )


def _details(row: Row) -> list[str]:
    raw, issue = row.raw, row.issue

    def runs(items: list[Run]) -> str:
        return ", ".join(f"{fmt_rate(r.rate)} (load {r.load:.2f})" for r in items)

    return [
        f"{row.label}:",
        f"  runs/s:  raw UPDATE {runs(row.raws)}; issue {runs(row.issues)}",
        f"  issue:   {issue.done} issues in {issue.seconds:.2f} s; client CPU "
        f"{fmt_ms(issue.cpu / max(issue.done, 1))} ms per issue; raw UPDATE client CPU "
        f"{fmt_ms(raw.cpu / max(raw.done, 1))} ms per update",
        f"  mean per issue: {_split(issue)}",
    ]


def _measure(backend: str, clients: list[int], args: argparse.Namespace) -> list[Row]:
    rows = [Row(backend, c) for c in clients]
    with (
        temp_dir(f"numbering-{backend}") as folder,
        _bench(backend, folder, max(clients), args.numbering_seconds) as bench,
    ):
        for row in rows:
            for _ in range(args.repeat):  # baseline and vanthu alternating
                row.raws.append(bench.raw(args.numbering_raw_n, row.clients))
                row.issues.append(bench.issue(args.numbering_n, row.clients))
    return rows


def _options(args: argparse.Namespace) -> tuple[list[str], list[int]]:
    """The backends and client counts asked for; SystemExit on a bad option."""
    backends = [b.strip() for b in args.numbering_backends.split(",") if b.strip()]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown:
        raise SystemExit(f"bench numbering: unknown backend(s) {unknown}; choose from {BACKENDS}")
    try:
        clients = sorted({int(c) for c in args.numbering_clients.split(",") if c.strip()})
    except ValueError:
        raise SystemExit("bench numbering: --numbering-clients takes numbers, e.g. 1,8") from None
    if (
        not clients
        or min(clients) < 1
        or args.numbering_n < 1
        or args.numbering_raw_n < 1
        or args.numbering_seconds <= 0
        or args.repeat < 1
    ):
        raise SystemExit(
            "bench numbering: --numbering-n, --numbering-raw-n, --numbering-clients, "
            "--numbering-seconds and --repeat must be positive"
        )
    return backends, clients


def run(args: argparse.Namespace) -> bool:
    """Print the numbering table; False when a measurement went wrong."""
    backends, clients = _options(args)
    print(
        f"== numbering: {args.numbering_n} issues and {args.numbering_raw_n} raw counter "
        f"UPDATEs per measurement, {'/'.join(map(str, clients))} client process(es); "
        f"best of {args.repeat} run(s)"
    )
    rows: list[Row] = []
    ok = True
    load_before = os.getloadavg()
    for backend in backends:
        started = time.monotonic()
        try:
            rows += _measure(backend, clients, args)
        except UnavailableError as exc:
            print(f"{LABELS[backend]}: skipped ({exc})")
            continue
        except Exception as exc:
            print(f"{LABELS[backend]}: FAILED ({type(exc).__name__}: {exc})")
            ok = False
            continue
        print(f"{LABELS[backend]}: measured in {time.monotonic() - started:.0f} s")
    load_after = os.getloadavg()
    if not rows:
        return ok
    print()
    print_table(
        [
            "backend, clients",
            "raw UPDATE/s",
            "p50 ms",
            "p95 ms",
            "issues/s",
            "p50 ms",
            "p95 ms",
            "ratio",
        ],
        [_cells(row) for row in rows],
    )
    print()
    target = [r for r in rows if r.backend == "postgresql" and r.clients == 8]
    if target:
        verdict = "met" if target[0].ratio >= TARGET else "NOT met"
        print(
            f"target: issues/s ≥ {TARGET:.2f} × raw UPDATE/s at 8 clients on PostgreSQL — "
            f"{fmt_ratio(target[0].ratio)}, {verdict}"
        )
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 minute), "
        f"{load_before[1]:.2f} / {load_after[1]:.2f} (5 minutes); {affinity} CPUs usable"
    )
    problems = [p for row in rows for p in row.problems()]
    for row in rows:
        for line in _details(row):
            print(line)
    checked = sum(len(row.issues) for row in rows)
    if not problems:
        print(f"register check: exactly 1…N, no gap, no duplicate, in all {checked} issue runs")
    else:
        print()
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return ok and not problems
