"""Pings, outbox and inbox.

Revision ID: docgen_0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.bus.migration import create_outbox_tables, drop_outbox_tables
from shared.db.types import UTCDateTime

revision: str = "docgen_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "docgen_pings",
        sa.Column("submission_id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
    )
    create_outbox_tables("docgen")


def downgrade() -> None:
    drop_outbox_tables("docgen")
    op.drop_table("docgen_pings")
