"""Benchmarks: each prints its figures and a ratio against the raw library baseline.

``python -m bench`` runs them all; ``python -m bench bus`` or ``python -m bench http``
one. Everything here talks only to 127.0.0.1, is bounded in count and in time,
and removes what it creates (temporary folders, RabbitMQ vhosts, PostgreSQL
databases) even when a measurement fails.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg
from sqlalchemy.engine import make_url

LOCALHOST = "127.0.0.1"
PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_POSTGRES_URL = "postgresql://vanthu:vanthu@127.0.0.1:5432/postgres"
FALLBACK_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

# rabbitmqctl lives in /usr/sbin, which is not on a Debian user's PATH.
_SBIN_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])


class UnavailableError(Exception):
    """A server or tool a measurement needs is not there: skip it, say why."""


class Deadline:
    """A time budget: every loop in a benchmark checks one."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.end


# ----------------------------------------------------------------- figures --


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("nan")


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline > 0 else float("nan")


def fmt_rate(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.0f}"


def fmt_ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def fmt_ratio(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.2f}"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A plain-text table; the first column left-aligned, the others right."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


# --------------------------------------------------------------- local host --


def port_answers(port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((LOCALHOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCALHOST, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_port(port: int, seconds: float) -> bool:
    deadline = Deadline(seconds)
    while not deadline.expired():
        if port_answers(port, timeout=0.5):
            return True
        time.sleep(0.1)
    return False


@contextlib.contextmanager
def temp_dir(label: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"vanthu-bench-{label}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def unique_name(label: str) -> str:
    return f"vanthu_bench_{label}_{uuid.uuid4().hex[:10]}"


# ----------------------------------------------------------------- RabbitMQ --


def _rabbitmqctl(*args: str, timeout: float = 60.0) -> None:
    tool = shutil.which("rabbitmqctl", path=_SBIN_PATH)
    if tool is None:
        raise UnavailableError("rabbitmqctl not found (needed to create a throwaway vhost)")
    try:
        done = subprocess.run(
            [tool, "-q", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise UnavailableError(f"rabbitmqctl {args[0]} did not finish in {timeout:.0f} s") from None
    if done.returncode != 0:
        problem = (done.stderr or done.stdout).strip().splitlines()
        raise UnavailableError(f"rabbitmqctl {args[0]} failed: {problem[-1] if problem else '?'}")


@contextlib.contextmanager
def rabbitmq_vhost() -> Iterator[str]:
    """A fresh vhost on the local RabbitMQ; yields its amqp:// URL, deletes it after."""
    base = os.environ.get("VANTHU_TEST_RABBITMQ_URL", DEFAULT_RABBITMQ_URL)
    parts = urlsplit(base)
    if parts.hostname not in (LOCALHOST, "localhost"):
        raise UnavailableError(f"RabbitMQ URL {parts.hostname!r} is not 127.0.0.1")
    if not port_answers(parts.port or 5672):
        raise UnavailableError(f"nothing answers on 127.0.0.1:{parts.port or 5672}")
    vhost = unique_name("vh")
    user = parts.username or "guest"
    _rabbitmqctl("add_vhost", vhost)
    try:
        _rabbitmqctl("set_permissions", "-p", vhost, user, ".*", ".*", ".*")
        yield f"{parts.scheme}://{parts.netloc}/{quote(vhost, safe='')}"
    finally:
        with contextlib.suppress(UnavailableError):
            _rabbitmqctl("delete_vhost", vhost)


# --------------------------------------------------------------- PostgreSQL --

_DATABASE_NAME = re.compile(r"^[a-z0-9_]+$")


def postgres_admin_url() -> str:
    """The first admin URL that connects, or UnavailableError."""
    candidates = [os.environ.get("VANTHU_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)]
    if FALLBACK_POSTGRES_URL not in candidates:
        candidates.append(FALLBACK_POSTGRES_URL)
    problems = []
    for url in candidates:
        host = urlsplit(url).hostname
        if host not in (LOCALHOST, "localhost"):
            problems.append(f"{host!r} is not 127.0.0.1")
            continue
        try:
            with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error as exc:
            problems.append(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc))
            continue
        return url
    raise UnavailableError("cannot connect to PostgreSQL: " + "; ".join(problems))


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh database on the local PostgreSQL; yields its URL, drops it after."""
    if not port_answers(5432):
        raise UnavailableError("nothing answers on 127.0.0.1:5432")
    admin = postgres_admin_url()
    name = unique_name("db")
    assert _DATABASE_NAME.match(name)
    with psycopg.connect(admin, connect_timeout=5, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = make_url(admin).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, connect_timeout=5, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
