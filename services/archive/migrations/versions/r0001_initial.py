"""Outbox and inbox.

Revision ID: archive_0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from shared.bus.migration import create_outbox_tables, drop_outbox_tables

revision: str = "archive_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_outbox_tables("archive")


def downgrade() -> None:
    drop_outbox_tables("archive")
