"""Fixtures shared by every layer of the suite.

Backends come in two kinds, and the bus and database tests run on both:
- ``embedded``: SQLite files and the kombu filesystem transport in a temp dir;
- ``real``: a fresh PostgreSQL database and a fresh RabbitMQ vhost per run.
Object storage is a private SeaweedFS per test session, on free ports.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shared.auth import TokenStore
from shared.config import SERVICES, Config, load
from shared.db import make_engine, migrate
from shared.devstack.ports import free_port
from shared.devstack.seaweed import SeaweedFS
from tests.support import backing

REPO = Path(__file__).resolve().parent.parent
ORGAN = "000.00.32.H43"
OTHER_ORGAN = "000.00.33.H44"
S3_KEYS = {"access_key": "vanthu-test", "secret_key": "vanthu-test-secret-key"}


# ---------------------------------------------------------------- reference folder


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """``../shared`` (or VANTHU_REFERENCE_DIR): sample packets and seeds, read-only."""
    path = Path(os.environ.get("VANTHU_REFERENCE_DIR", REPO.parent / "shared"))
    if not (path / "design").is_dir():
        if os.environ.get("VANTHU_REQUIRE_REFERENCE") == "1":
            pytest.fail(f"reference folder missing at {path} (VANTHU_REFERENCE_DIR)")
        pytest.skip(f"reference folder not found at {path}; set VANTHU_REFERENCE_DIR")
    return path


# ---------------------------------------------------------------- real servers


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run, dropped afterwards."""
    admin = backing.postgres_admin_url()
    try:
        url = backing.create_postgres_database(admin)
    except Exception as exc:
        pytest.fail(f"PostgreSQL not usable at {admin}: {exc} (make test starts it)")
    yield url
    backing.drop_postgres_database(url)


@pytest.fixture(scope="session")
def rabbitmq_url() -> Iterator[str]:
    """A fresh RabbitMQ vhost for this run, deleted afterwards."""
    try:
        url = backing.create_vhost()
    except Exception as exc:
        pytest.fail(f"RabbitMQ not usable: {exc} (make test starts it)")
    yield url
    backing.delete_vhost(url)


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    server = SeaweedFS(
        tmp_path_factory.mktemp("seaweedfs"),
        s3_port=free_port(),
        **S3_KEYS,
    )
    server.start()
    yield server
    server.stop()


# ---------------------------------------------------------------- service stacks


@dataclass
class Stack:
    """The environment a set of services runs in, plus helpers tests keep needing."""

    kind: str
    environ: dict[str, str]
    _configs: dict[str, Config] = field(default_factory=dict)

    def config(self, service: str) -> Config:
        if service not in self._configs:
            self._configs[service] = load(service, self.environ)
        return self._configs[service]

    def token(self, roles: tuple[str, ...] = ("clerk",), organ_id: str = ORGAN) -> str:
        engine = make_engine(self.config("intake").auth_database_url)
        try:
            token, _ = TokenStore(engine).create(organ_id, roles, label="test")
        finally:
            engine.dispose()
        return token

    def migrate(self) -> None:
        migrate.upgrade("auth", self.config("intake").auth_database_url)
        for service in SERVICES:
            migrate.upgrade(service, self.config(service).database_url)


def embedded_environ(root: Path) -> dict[str, str]:
    return {
        "VANTHU_VAR_DIR": str(root),
        "VANTHU_RETRY_BACKOFF_SECONDS": "0",
        **{f"VANTHU_S3_{k.upper()}": v for k, v in S3_KEYS.items()},
    }


@pytest.fixture(scope="session")
def real_environ(
    postgres_url: str, rabbitmq_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    root = tmp_path_factory.mktemp("real")
    environ = embedded_environ(root)
    environ.update(
        {
            "VANTHU_DATABASE_URL": postgres_url,
            "VANTHU_AUTH_DATABASE_URL": postgres_url,
            "VANTHU_BROKER_URL": rabbitmq_url,
        }
    )
    stack = Stack("real", environ)
    stack.migrate()
    return environ


@pytest.fixture(params=["embedded", "real"])
def stack(request: pytest.FixtureRequest, tmp_path: Path) -> Stack:
    """One test, twice: on the embedded defaults and on PostgreSQL + RabbitMQ."""
    if request.param == "embedded":
        result = Stack("embedded", embedded_environ(tmp_path / "var"))
        result.migrate()
        return result
    environ = request.getfixturevalue("real_environ")
    result = Stack("real", dict(environ))
    reset_shared_state(result)
    return result


@pytest.fixture
def embedded(tmp_path: Path) -> Stack:
    result = Stack("embedded", embedded_environ(tmp_path / "var"))
    result.migrate()
    return result


def reset_shared_state(stack: Stack) -> None:
    """Tests share the run's database and vhost: start each with no pending messages."""
    from kombu import Queue
    from sqlalchemy import text

    from shared.bus import connect, dead_letter_queue, declare_topology, service_queue
    from shared.bus.topology import inbound_dead_letters, inbound_queue
    from shared.exchange.simulator import QUEUE as SIMULATOR_QUEUE

    engine = make_engine(stack.config("intake").database_url)
    with engine.begin() as conn:
        for service in SERVICES:
            conn.execute(text(f"DELETE FROM {service}_outbox"))  # noqa: S608 - fixed names
    engine.dispose()
    url = stack.config("intake").broker_url
    with connect(url) as conn:
        declare_topology(conn, url)
        for service in SERVICES:
            for queue in (service_queue(service, url), dead_letter_queue(service, url)):
                queue(conn.default_channel).purge()
        extra = (inbound_queue(url), inbound_dead_letters(url), Queue(SIMULATOR_QUEUE))
        for queue in extra:
            queue(conn.default_channel).declare()
            queue(conn.default_channel).purge()


AppFactory = Callable[[Config], Flask]
ClientFor = Callable[[AppFactory, Config], FlaskClient]


@pytest.fixture
def client_for() -> Iterator[ClientFor]:
    """Build a service's app for a test and release its connections afterwards."""
    made: list[Flask] = []

    def build(factory: AppFactory, config: Config) -> FlaskClient:
        app = factory(config)
        made.append(app)
        return app.test_client()

    yield build
    for app in made:
        app.extensions["vanthu"].dispose()


@pytest.fixture(scope="session", autouse=True)
def _no_leftover_var() -> Iterator[None]:
    """Tests must never write into the repository's own var/ (the user's data)."""
    before = (REPO / "var").exists()
    yield
    if not before and (REPO / "var").exists():
        shutil.rmtree(REPO / "var")
        pytest.fail("a test wrote into the repository's var/")
