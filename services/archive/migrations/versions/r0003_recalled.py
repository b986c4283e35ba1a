"""Records recalled by their sender stay kept, marked.

Revision ID: archive_0003
Revises: archive_0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.types import UTCDateTime

revision: str = "archive_0003"
down_revision: str | None = "archive_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("archive_records", sa.Column("recalled_at", UTCDateTime, nullable=True))


def downgrade() -> None:
    op.drop_column("archive_records", "recalled_at")
