"""Per-test isolation on the shared PostgreSQL and RabbitMQ servers.

The integration suite uses the machine's PostgreSQL and RabbitMQ rather than
starting its own; each test (or session) gets a freshly created database or vhost
with a unique name, so tests never see each other's data and can run against a
developer machine that has other databases and vhosts on it.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from urllib.parse import quote, unquote, urlsplit

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from shared.devstack.ports import port_open

DEFAULT_POSTGRES_URL = "postgresql://vanthu:vanthu@127.0.0.1:5432/postgres"
DEFAULT_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"


def server_answers(host: str, port: int) -> bool:
    """True if something accepts TCP connections there (to skip or fail early)."""
    return port_open(host, port)


def _unique(prefix: str, sep: str) -> str:
    return f"{prefix}{sep}{uuid.uuid4().hex[:12]}"


# --- PostgreSQL --------------------------------------------------------------


def postgres_admin_url() -> str:
    """URL of a role allowed to create databases (``VANTHU_TEST_POSTGRES_URL``)."""
    return os.environ.get("VANTHU_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def _libpq_url(url: str | URL) -> str:
    """Turn a SQLAlchemy or plain URL into one psycopg accepts (no ``+driver``)."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def create_postgres_database(admin_url: str, prefix: str = "vanthu_test") -> str:
    """Create an empty database with a unique name; return its SQLAlchemy URL.

    The URL uses the ``postgresql+psycopg`` driver and the admin URL's credentials,
    so the creating role owns the database.
    """
    name = _unique(prefix, "_")
    with psycopg.connect(_libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(admin_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    """Drop the database named in ``url``, ending its open connections first.

    Connects to the ``postgres`` database with the same credentials; a database
    that is already gone is not an error.
    """
    target = make_url(url)
    name = target.database
    if not name:
        raise ValueError(f"no database name in {target!r}")
    admin = target.set(database="postgres")
    with psycopg.connect(_libpq_url(admin), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


# --- RabbitMQ ----------------------------------------------------------------


def rabbitmq_admin_url() -> str:
    """URL of the shared broker's default vhost (``VANTHU_TEST_RABBITMQ_URL``)."""
    return os.environ.get("VANTHU_TEST_RABBITMQ_URL", DEFAULT_RABBITMQ_URL)


def _rabbitmqctl(*args: str) -> None:
    """Run ``rabbitmqctl`` (needs root or the rabbitmq user) and fail loudly."""
    try:
        result = subprocess.run(
            ["rabbitmqctl", *args], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"rabbitmqctl {' '.join(args)} could not run: {exc}") from exc
    if result.returncode != 0:
        raise RuntimeError(
            f"rabbitmqctl {' '.join(args)} failed with exit code {result.returncode}: "
            f"{result.stderr.strip() or result.stdout.strip()}"
        )


def create_vhost(prefix: str = "vanthu-test") -> str:
    """Create a unique vhost on the shared broker; return its AMQP URL.

    The admin URL's user gets full permissions on it; the vhost name is
    percent-quoted in the URL path.
    """
    name = _unique(prefix, "-")
    admin = urlsplit(rabbitmq_admin_url())
    user = unquote(admin.username or "guest")
    _rabbitmqctl("add_vhost", name)
    try:
        _rabbitmqctl("set_permissions", "-p", name, user, ".*", ".*", ".*")
    except RuntimeError:
        delete_vhost(name)
        raise
    return admin._replace(path="/" + quote(name, safe="")).geturl()


def delete_vhost(name_or_url: str) -> None:
    """Delete a vhost given by name or by an AMQP URL created by create_vhost."""
    name = name_or_url
    if "://" in name_or_url:
        name = unquote(urlsplit(name_or_url).path[1:]) or "/"
    if name == "/":
        raise ValueError("refusing to delete the default vhost '/'")
    _rabbitmqctl("delete_vhost", name)
