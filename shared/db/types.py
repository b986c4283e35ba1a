"""Column types and helpers every service's tables share."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Dialect, String, TypeDecorator

ORGAN_ID_LENGTH = 13  # "000.00.32.H43" — Phụ lục VI gives OrganId a length of 13


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Store instants in UTC, hand back aware datetimes on every backend.

    SQLite has no time zone type; without this a value written aware comes back
    naive and comparisons with ``utcnow()`` raise.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware UTC instants")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def organ_id_column(**kwargs: Any) -> Column[str]:
    """The body (cơ quan, tổ chức) a row belongs to: every tenant table carries it."""
    kwargs.setdefault("nullable", False)
    kwargs.setdefault("index", True)
    return Column("organ_id", String(ORGAN_ID_LENGTH), **kwargs)
