"""Submissions, outbox and inbox.

Revision ID: intake_0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.bus.migration import create_outbox_tables, drop_outbox_tables
from shared.db.types import UTCDateTime

revision: str = "intake_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_submissions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("submitted_by", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    create_outbox_tables("intake")


def downgrade() -> None:
    drop_outbox_tables("intake")
    op.drop_table("intake_submissions")
