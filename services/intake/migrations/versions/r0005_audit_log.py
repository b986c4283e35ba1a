"""The audit log (web pages and API actions).

Revision ID: intake_0005
Revises: intake_0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.types import UTCDateTime

revision: str = "intake_0005"
down_revision: str | None = "intake_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_audit_log",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False, index=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("user_id", sa.String(36), nullable=True),
        sa.Column("username", sa.String(40), nullable=True),
        sa.Column("token_id", sa.String(16), nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("target_id", sa.String(100), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.Column("user_agent", sa.String(300), nullable=True),
        sa.Column("detail", sa.Text, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("intake_audit_log")
