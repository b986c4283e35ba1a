"""What a running service holds: its config, database, outbox and token store.

``ServiceContext`` is the composition root's product: the Flask app and the
worker of a service are both built from one, so they wire the same adapters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine, MetaData, Table
from sqlalchemy.orm import Session, sessionmaker

from shared import storage
from shared.auth import TokenStore
from shared.bus import Outbox, OutboxRelay, install_tables
from shared.bus import connection as bus_connection
from shared.clock import Clock, system_clock
from shared.config import Config
from shared.db import UnitOfWork, make_engine, ping, session_factory
from shared.web.audit import audit_columns

Check = Callable[[], None]


@dataclass
class ServiceTables:
    """A service's metadata plus the outbox, inbox and audit log every service has."""

    service: str
    metadata: MetaData
    outbox: Table = field(init=False)
    inbox: Table = field(init=False)
    audit: Table = field(init=False)

    def __post_init__(self) -> None:
        self.outbox, self.inbox = install_tables(self.metadata, self.service)
        name = f"{self.service}_audit_log"
        existing = self.metadata.tables.get(name)
        self.audit = existing if existing is not None else Table(
            name, self.metadata, *audit_columns()
        )


class ServiceContext:
    def __init__(self, config: Config, tables: ServiceTables, *, uses_s3: bool = False) -> None:
        self.config = config
        self.tables = tables
        self.uses_s3 = uses_s3
        # What "now" is for this service; tests stand it at a chosen instant.
        self.clock: Clock = system_clock

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.config.database_url)

    @cached_property
    def auth_engine(self) -> Engine:
        return make_engine(self.config.auth_database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    @cached_property
    def tokens(self) -> TokenStore:
        return TokenStore(self.auth_engine)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self.tables.outbox)

    def relay(self) -> OutboxRelay:
        return OutboxRelay(self.engine, self.tables.outbox)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    def readiness_checks(self) -> dict[str, Check]:
        """Each real dependency, by the name /readyz reports when it fails."""
        timeout = self.config.ready_timeout_seconds
        checks: dict[str, Check] = {
            "database": lambda: ping(self.engine),
            "auth_database": lambda: ping(self.auth_engine),
            "broker": lambda: bus_connection.check(self.config.broker_url, timeout),
        }
        if self.uses_s3:
            checks["s3"] = lambda: storage.check(self.config, timeout)
        return checks

    def dispose(self) -> None:
        for name in ("engine", "auth_engine"):
            if name in self.__dict__:
                self.__dict__[name].dispose()
