"""Signed copies of issued documents.

Revision ID: docgen_0004
Revises: docgen_0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.types import UTCDateTime

revision: str = "docgen_0004"
down_revision: str | None = "docgen_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "docgen_signed_files",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("document_id", sa.String(36), nullable=False, index=True),
        sa.Column("organ_id", sa.String(13), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("match", sa.String(12), nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("uploaded_by", sa.String(16), nullable=False),
        sa.Column("uploaded_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("document_id", "sha256", name="uq_docgen_signed_files_content"),
    )


def downgrade() -> None:
    op.drop_table("docgen_signed_files")
