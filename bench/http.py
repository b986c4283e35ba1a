"""Request overhead of the web shell, against a bare Flask app.

baseline  a bare Flask app with one JSON route (``GET`` answers a small JSON
          object, ``POST`` parses the JSON body and answers 202 with JSON),
          called through Flask's test client.
vanthu    docgen's ``GET /healthz`` (the shell alone: request id, metrics,
          problem handlers) and intake's ``POST /v1/submissions`` with a ping
          (token check against the auth database, pydantic validation, the
          submission and its outbox row written in one transaction), each built
          by the service's ``create_app(config)`` on SQLite in a temporary folder
          and called through the same test client.
gunicorn  optional: the same POSTs over real HTTP on 127.0.0.1, the bare app
          and ``vanthu serve intake`` under the same gunicorn settings (2
          gthread workers, 4 threads), driven by a few keep-alive client
          threads in this process (which share the CPUs with the servers).

Each measurement runs a warm-up, then a fixed count of requests one after the
other (the gunicorn one from several threads), bounded by a time budget; it
prints requests/s, p50/p95 latency and the ratio vanthu/baseline of requests/s.
Every response's status is checked and, for intake, the rows are counted.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, request
from sqlalchemy import func, select

from bench import (
    LOCALHOST,
    PROJECT_ROOT,
    Deadline,
    UnavailableError,
    fmt_ms,
    fmt_rate,
    fmt_ratio,
    free_port,
    percentile,
    print_table,
    rate,
    ratio,
    temp_dir,
    wait_port,
)
from services.docgen.app import create_app as create_docgen_app
from services.intake.app import create_app as create_intake_app
from services.intake.orm import submissions
from shared.auth import TokenStore
from shared.config import Config, load
from shared.db import make_engine, migrate
from shared.db.types import new_id
from shared.runtime import ServiceContext

ORGAN_ID = "000.00.32.H43"
SUBMISSION = {"kind": "ping", "message": "Xin chào từ bench: kiểm tra đường đi của hồ sơ"}
WARMUP = 50
GUNICORN_WORKERS = 2
GUNICORN_THREADS = 4
CLIENT_THREADS = 4


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("http")
    group.add_argument(
        "--requests", type=int, default=2000, help="requests per test-client measurement (2000)"
    )
    group.add_argument(
        "--gunicorn-requests",
        type=int,
        default=1000,
        help="requests per gunicorn measurement; 0 skips gunicorn (1000)",
    )
    group.add_argument(
        "--http-seconds",
        type=float,
        default=60.0,
        help="time budget per measurement; a run past it stops and says so (60)",
    )


def baseline_app() -> Flask:
    """The bare Flask app (also served by gunicorn as ``bench.http:baseline_app()``)."""
    app = Flask("bench_baseline")

    @app.route("/json", methods=["GET", "POST"])
    def json_route() -> tuple[Response, int]:
        if request.method == "GET":
            return jsonify(status="ok", service="baseline"), 200
        data = request.get_json()
        return jsonify(
            id=new_id(),
            kind=data.get("kind"),
            organ_id=ORGAN_ID,
            status="accepted",
            created_at=datetime.now(UTC).isoformat(),
        ), 202

    return app


# --------------------------------------------------------------- measuring --


@dataclass
class Measurement:
    count: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wanted: int = 0
    warmed: int = 0

    @property
    def rate(self) -> float:
        return rate(self.count, self.seconds)

    @property
    def complete(self) -> bool:
        return self.count == self.wanted and not self.errors


Call = Callable[[], int]


def measure_serial(call: Call, expected: int, n: int, seconds: float) -> Measurement:
    """Warm up, then ``n`` calls one after the other (fewer if the budget runs out)."""
    deadline = Deadline(seconds)
    errors: list[str] = []
    for warmed in range(WARMUP):
        status = call()
        if status != expected:
            errors.append(f"warm-up answered {status}, expected {expected}")
            return Measurement(0, 0.0, errors=errors, wanted=n, warmed=warmed)
    latencies: list[float] = []
    started = time.perf_counter()
    for _ in range(n):
        if deadline.expired():
            break
        begun = time.perf_counter()
        status = call()
        latencies.append(time.perf_counter() - begun)
        if status != expected and len(errors) < 5:
            errors.append(f"answered {status}, expected {expected}")
    elapsed = time.perf_counter() - started
    return Measurement(len(latencies), elapsed, latencies, errors, wanted=n, warmed=WARMUP)


def _test_client_call(app: Flask, method: str, path: str, **kwargs: Any) -> Call:
    client = app.test_client()

    def call() -> int:
        response = client.open(path, method=method, **kwargs)
        status = response.status_code
        response.close()
        return status

    return call


# ------------------------------------------------------------------ vanthu --


@dataclass
class Services:
    folder: Path
    environ: dict[str, str]
    intake: Flask
    docgen: Flask
    token: str

    def submissions_count(self) -> int:
        context: ServiceContext = self.intake.extensions["vanthu"]
        with context.engine.connect() as conn:
            outbox = context.tables.outbox
            rows = conn.execute(select(func.count()).select_from(submissions)).scalar_one()
            events = conn.execute(select(func.count()).select_from(outbox)).scalar_one()
        return int(min(rows, events))


@contextlib.contextmanager
def _services(folder: Path) -> Iterator[Services]:
    environ = {"VANTHU_VAR_DIR": str(folder), "VANTHU_LOG_LEVEL": "WARNING"}
    intake_config: Config = load("intake", environ)
    docgen_config: Config = load("docgen", environ)
    migrate.upgrade("auth", intake_config.auth_database_url)
    migrate.upgrade("intake", intake_config.database_url)
    migrate.upgrade("docgen", docgen_config.database_url)
    auth_engine = make_engine(intake_config.auth_database_url)
    try:
        token, _ = TokenStore(auth_engine).create(ORGAN_ID, ["clerk"], "bench")
    finally:
        auth_engine.dispose()
    intake, docgen = create_intake_app(intake_config), create_docgen_app(docgen_config)
    try:
        yield Services(folder, environ, intake, docgen, token)
    finally:
        for app in (intake, docgen):
            app.extensions["vanthu"].dispose()


# ---------------------------------------------------------------- gunicorn --


@contextlib.contextmanager
def _server(command: list[str], env: Mapping[str, str], port: int, log: Path) -> Iterator[None]:
    """Start a gunicorn we own, wait for its port, stop it (SIGTERM, then SIGKILL) after."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=dict(env),
            cwd=PROJECT_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        if not wait_port(port, 30.0) or process.poll() is not None:
            tail = log.read_text(errors="replace").strip().splitlines()[-5:]
            raise UnavailableError(f"{command[2]} did not start on port {port}: {' | '.join(tail)}")
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _post_over_http(
    port: int, token: str | None, path: str, count: int, seconds: float
) -> Measurement:
    """``count`` POSTs from CLIENT_THREADS keep-alive connections."""
    body = json.dumps(SUBMISSION, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    deadline = Deadline(seconds)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    shares = [count // CLIENT_THREADS + (i < count % CLIENT_THREADS) for i in range(CLIENT_THREADS)]

    def client(share: int) -> None:
        conn = http.client.HTTPConnection(LOCALHOST, port, timeout=30)
        mine: list[float] = []
        try:
            for _ in range(share):
                if deadline.expired():
                    break
                begun = time.perf_counter()
                try:
                    conn.request("POST", path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                mine.append(time.perf_counter() - begun)
                if status != 202:
                    with lock:
                        errors.append(f"answered {status}, expected 202")
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Measurement(len(latencies), elapsed, latencies, errors[:5], wanted=count)


def _served(port: int, token: str | None, path: str, count: int, seconds: float) -> Measurement:
    warm = _post_over_http(port, token, path, WARMUP * 2, seconds)
    if warm.errors:
        errors = [f"warm-up: {e}" for e in warm.errors]
        return Measurement(0, 0.0, errors=errors, wanted=count, warmed=warm.count)
    measured = _post_over_http(port, token, path, count, seconds)
    measured.warmed = warm.count
    return measured


def _gunicorn(services: Services, count: int, seconds: float, repeat: int) -> Pair:
    """Both servers up side by side; their measurements alternate."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VANTHU_")}
    clean.pop("PROMETHEUS_MULTIPROC_DIR", None)
    logs = services.folder / "logs"
    logs.mkdir(exist_ok=True)

    bare_port, intake_port = free_port(), free_port()
    bare = [
        sys.executable,
        "-m",
        "gunicorn",
        f"--bind={LOCALHOST}:{bare_port}",
        f"--workers={GUNICORN_WORKERS}",
        "--worker-class=gthread",
        f"--threads={GUNICORN_THREADS}",
        "--timeout=60",
        "--graceful-timeout=10",
        "bench.http:baseline_app()",
    ]
    env = {
        **clean,
        **services.environ,
        "VANTHU_INTAKE_HOST": LOCALHOST,
        "VANTHU_INTAKE_PORT": str(intake_port),
        "VANTHU_WEB_WORKERS": str(GUNICORN_WORKERS),
    }
    serve = [sys.executable, "-m", "shared.cli", "serve", "intake"]
    pair = Pair(f"POST gunicorn {GUNICORN_WORKERS}x{GUNICORN_THREADS}, {CLIENT_THREADS} clients")
    with (
        _server(bare, clean, bare_port, logs / "baseline.log"),
        _server(serve, env, intake_port, logs / "intake.log"),
    ):
        for _ in range(repeat):
            pair.baselines.append(_served(bare_port, None, "/json", count, seconds))
            pair.vanthus.append(
                _served(intake_port, services.token, "/v1/submissions", count, seconds)
            )
    return pair


# -------------------------------------------------------------------- main --


@dataclass
class Pair:
    """Every repetition of one comparison; the table shows the fastest of each side."""

    label: str
    baselines: list[Measurement] = field(default_factory=list)
    vanthus: list[Measurement] = field(default_factory=list)

    @property
    def baseline(self) -> Measurement:
        return max(self.baselines, key=lambda m: m.rate)

    @property
    def vanthu(self) -> Measurement:
        return max(self.vanthus, key=lambda m: m.rate)

    @property
    def accepted(self) -> int:
        """Vanthu requests that went through (each one stored a submission)."""
        return sum(m.warmed + m.count - len(m.errors) for m in self.vanthus)

    def problems(self) -> list[str]:
        found = []
        for side, runs in (("baseline", self.baselines), ("vanthu", self.vanthus)):
            for i, m in enumerate(runs, 1):
                if not m.complete:
                    detail = "; ".join(m.errors) or "time budget ran out"
                    found.append(
                        f"{self.label}, {side} run {i}: {m.count} of {m.wanted} done ({detail})"
                    )
        return found


def _compare(
    pair: Pair, baseline: Callable[[], Measurement], vanthu: Callable[[], Measurement], repeat: int
) -> Pair:
    for _ in range(repeat):
        pair.baselines.append(baseline())
        pair.vanthus.append(vanthu())
    return pair


def _row(pair: Pair) -> list[str]:
    base, van = pair.baseline, pair.vanthu
    return [
        pair.label,
        fmt_rate(base.rate),
        fmt_ms(percentile(base.latencies, 50)),
        fmt_ms(percentile(base.latencies, 95)),
        fmt_rate(van.rate),
        fmt_ms(percentile(van.latencies, 50)),
        fmt_ms(percentile(van.latencies, 95)),
        fmt_ratio(ratio(van.rate, base.rate)),
    ]


def run(args: argparse.Namespace) -> bool:
    """Print the HTTP table; False when a measurement went wrong."""
    if args.requests < 1 or args.gunicorn_requests < 0 or args.repeat < 1:
        raise SystemExit(
            "bench http: --requests and --repeat must be at least 1, --gunicorn-requests 0 or more"
        )
    n, seconds, repeat = args.requests, args.http_seconds, args.repeat
    print(
        f"== http: {n} requests per test-client measurement (after {WARMUP} warm-up); "
        f"best of {repeat} run(s)"
    )
    pairs: list[Pair] = []
    problems: list[str] = []
    with temp_dir("http") as folder, _services(folder) as services:
        bare = baseline_app()
        auth = {"Authorization": f"Bearer {services.token}"}
        bare_get = _test_client_call(bare, "GET", "/json")
        healthz = _test_client_call(services.docgen, "GET", "/healthz")
        bare_post = _test_client_call(bare, "POST", "/json", json=SUBMISSION)
        submit = _test_client_call(
            services.intake, "POST", "/v1/submissions", json=SUBMISSION, headers=auth
        )
        pairs.append(
            _compare(
                Pair("GET  test client: /json vs docgen /healthz"),
                lambda: measure_serial(bare_get, 200, n, seconds),
                lambda: measure_serial(healthz, 200, n, seconds),
                repeat,
            )
        )
        posts = _compare(
            Pair("POST test client: /json vs intake /v1/submissions"),
            lambda: measure_serial(bare_post, 202, n, seconds),
            lambda: measure_serial(submit, 202, n, seconds),
            repeat,
        )
        pairs.append(posts)
        accepted = posts.accepted
        if args.gunicorn_requests:
            try:
                served = _gunicorn(services, args.gunicorn_requests, seconds, repeat)
            except UnavailableError as exc:
                print(f"gunicorn: skipped ({exc})")
            else:
                pairs.append(served)
                accepted += served.accepted
        stored = services.submissions_count()
        if stored != accepted:
            problems.append(f"{stored} submissions and outbox rows stored for {accepted} accepted")
    print()
    print_table(
        [
            "measurement",
            "baseline req/s",
            "p50 ms",
            "p95 ms",
            "vanthu req/s",
            "p50 ms",
            "p95 ms",
            "ratio",
        ],
        [_row(pair) for pair in pairs],
    )
    if repeat > 1:
        print()
        for pair in pairs:
            print(
                f"{pair.label}: runs baseline "
                f"{', '.join(fmt_rate(m.rate) for m in pair.baselines)}, vanthu "
                f"{', '.join(fmt_rate(m.rate) for m in pair.vanthus)} req/s"
            )
    for pair in pairs:
        problems += pair.problems()
    if problems:
        print()
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return not problems
