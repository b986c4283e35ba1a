"""Alembic operations for the outbox and inbox every service carries.

Used by each service's first migration; a later change to these tables gets
a migration of its own in each service, never an edit here.
"""

from __future__ import annotations

from alembic import op

from shared.bus.outbox import inbox_columns, outbox_columns


def create_outbox_tables(service: str) -> None:
    op.create_table(f"{service}_outbox", *outbox_columns())
    op.create_index(
        f"ix_{service}_outbox_pending", f"{service}_outbox", ["published_at", "available_at"]
    )
    op.create_table(f"{service}_inbox", *inbox_columns())


def drop_outbox_tables(service: str) -> None:
    op.drop_table(f"{service}_inbox")
    op.drop_index(f"ix_{service}_outbox_pending", table_name=f"{service}_outbox")
    op.drop_table(f"{service}_outbox")
