"""Transactional outbox: events are rows first, messages second.

A service writes its change and the outbox row in one transaction, so an event
exists exactly when the change does. The relay (in the service's worker)
publishes pending rows with publisher confirms and marks them sent; a crash
between the two re-publishes, and consumers de-duplicate on the message id.
Rows with a later ``available_at`` are delayed retries written by consumers.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

from kombu import Producer
from sqlalchemy import (
    Column,
    Engine,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from shared.bus.messages import CONTENT_TYPE_HEADER, Envelope
from shared.bus.topology import EVENTS_EXCHANGE
from shared.db.engine import reading
from shared.db.types import UTCDateTime, new_id, organ_id_column, utcnow

log = logging.getLogger(__name__)


def outbox_columns() -> list[Any]:
    return [
        Column("id", String(36), primary_key=True),
        organ_id_column(index=False),
        Column("exchange", String(255), nullable=False),
        Column("routing_key", String(255), nullable=False),
        Column("message_id", String(36), nullable=False),
        Column("body", Text, nullable=False),
        Column("headers", Text, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("available_at", UTCDateTime, nullable=False),
        Column("published_at", UTCDateTime, nullable=True),
        Column("publish_attempts", Integer, nullable=False),
        Column("last_error", Text, nullable=True),
    ]


def inbox_columns() -> list[Any]:
    return [
        Column("queue", String(255), nullable=False),
        Column("message_id", String(36), nullable=False),
        organ_id_column(index=False),
        Column("processed_at", UTCDateTime, nullable=False),
        PrimaryKeyConstraint("queue", "message_id"),
    ]


def install_tables(metadata: MetaData, service: str) -> tuple[Table, Table]:
    """Add ``<service>_outbox`` and ``<service>_inbox`` to a service's metadata."""
    outbox = Table(f"{service}_outbox", metadata, *outbox_columns())
    Index(f"ix_{service}_outbox_pending", outbox.c.published_at, outbox.c.available_at)
    inbox = Table(f"{service}_inbox", metadata, *inbox_columns())
    return outbox, inbox


class Outbox:
    """Writes outbox rows inside the caller's transaction."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._insert = table.insert()  # built once; each row goes as parameters

    def add_event(self, session: Session, envelope: Envelope) -> None:
        self._add(
            session,
            exchange=EVENTS_EXCHANGE.name,
            routing_key=envelope.type,
            envelope=envelope,
            headers={},
            available_at=utcnow(),
        )

    def add_raw(
        self,
        session: Session,
        *,
        organ_id: str,
        exchange: str,
        routing_key: str,
        message_id: str,
        body: str,
        content_type: str,
        headers: dict[str, Any] | None = None,
    ) -> None:
        """A message that is not an envelope (an edXML packet for the e-office system)."""
        session.execute(
            self.table.insert().values(
                id=new_id(),
                organ_id=organ_id,
                exchange=exchange,
                routing_key=routing_key,
                message_id=message_id,
                body=body,
                headers=json.dumps(
                    {**(headers or {}), CONTENT_TYPE_HEADER: content_type}, ensure_ascii=False
                ),
                created_at=utcnow(),
                available_at=utcnow(),
                published_at=None,
                publish_attempts=0,
            )
        )

    def add_to_queue(
        self,
        session: Session,
        queue: str,
        envelope: Envelope,
        headers: dict[str, Any],
        available_at: datetime,
    ) -> None:
        """A message for one queue (via the default exchange): retries, dead letters."""
        self._add(
            session,
            exchange="",
            routing_key=queue,
            envelope=envelope,
            headers=headers,
            available_at=available_at,
        )

    def _add(
        self,
        session: Session,
        *,
        exchange: str,
        routing_key: str,
        envelope: Envelope,
        headers: dict[str, Any],
        available_at: datetime,
    ) -> None:
        now = utcnow()
        session.execute(
            self._insert,
            {
                "id": new_id(),
                "organ_id": envelope.organ_id,
                "exchange": exchange,
                "routing_key": routing_key,
                "message_id": envelope.id,
                "body": envelope.to_json(),
                "headers": json.dumps(headers, ensure_ascii=False),
                "created_at": now,
                "available_at": available_at,
                "published_at": None,
                "publish_attempts": 0,
                "last_error": None,
            },
        )


class OutboxRelay:
    """Publishes pending outbox rows; safe to run in several processes at once.

    A batch is claimed in one short transaction (its ``available_at`` pushed a
    lease into the future, so other relays pass it by), published with no
    transaction open, and marked published in a second short transaction. No
    database lock is held while the broker confirms, so requests writing the
    outbox and handlers in the same process never wait on the broker. A relay
    that dies between claim and mark leaves rows that become due again when the
    lease ends; consumers de-duplicate the second publish.
    """

    def __init__(
        self,
        engine: Engine,
        table: Table,
        *,
        batch: int = 100,
        lease: timedelta = timedelta(seconds=30),
    ) -> None:
        self.engine = engine
        self.table = table
        self.batch = batch
        self.lease = lease

    def pending(self) -> int:
        t = self.table
        query = select(func.count()).select_from(t).where(t.c.published_at.is_(None))
        with reading(self.engine) as conn:
            return int(conn.execute(query).scalar_one())

    def _due(self, now: datetime) -> bool:
        """A lock-free look first: an idle relay polls often and must not take locks."""
        t = self.table
        query = select(t.c.id).where(t.c.published_at.is_(None), t.c.available_at <= now).limit(1)
        with reading(self.engine) as conn:
            return conn.execute(query).first() is not None

    def _claim(self) -> list[Any]:
        t = self.table
        now = utcnow()
        if not self._due(now):
            return []
        query = (
            select(t)
            .where(t.c.published_at.is_(None), t.c.available_at <= now)
            .order_by(t.c.available_at, t.c.created_at)
            .limit(self.batch)
        )
        if self.engine.dialect.name == "postgresql":
            # Concurrent relays take disjoint rows instead of waiting on each other.
            query = query.with_for_update(skip_locked=True)
        with self.engine.begin() as conn:
            rows = conn.execute(query).all()
            if rows:
                conn.execute(
                    update(t)
                    .where(t.c.id.in_([row.id for row in rows]))
                    .values(available_at=now + self.lease)
                )
        return list(rows)

    def run_once(self, producer: Producer) -> int:
        """Publish what is due; return how many rows were published."""
        rows = self._claim()
        published: list[str] = []
        failure: Exception | None = None
        for row in rows:
            headers = json.loads(row.headers)
            content_type = headers.pop(CONTENT_TYPE_HEADER, "application/json")
            try:
                producer.publish(
                    row.body,
                    exchange=row.exchange,
                    routing_key=row.routing_key,
                    message_id=row.message_id,
                    headers=headers,
                    content_type=content_type,
                    content_encoding="utf-8",
                    delivery_mode=2,
                    retry=False,
                )
            except Exception as exc:
                failure = exc
                break
            published.append(row.id)
        self._settle(rows, published, failure)
        if failure is not None:
            raise failure
        return len(published)

    def _settle(self, rows: list[Any], published: list[str], failure: Exception | None) -> None:
        t = self.table
        unsent = [row.id for row in rows if row.id not in set(published)]
        with self.engine.begin() as conn:
            if published:
                conn.execute(update(t).where(t.c.id.in_(published)).values(published_at=utcnow()))
            if unsent:
                # Give the rows back at once (the lease would delay them after an outage).
                values: dict[str, Any] = {"available_at": utcnow()}
                if failure is not None:
                    values["last_error"] = f"{type(failure).__name__}: {failure}"[:2000]
                    values["publish_attempts"] = t.c.publish_attempts + 1
                conn.execute(update(t).where(t.c.id.in_(unsent)).values(**values))

    def purge(self, older_than: timedelta) -> int:
        """Forget rows published long ago (they are history, not work)."""
        t = self.table
        cutoff = utcnow() - older_than
        with self.engine.begin() as conn:
            result = conn.execute(delete(t).where(t.c.published_at < cutoff))
        return int(result.rowcount or 0)
