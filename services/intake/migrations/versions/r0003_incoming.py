"""Incoming edXML documents, their files, and failed packets.

Revision ID: intake_0003
Revises: intake_0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.types import UTCDateTime

revision: str = "intake_0003"
down_revision: str | None = "intake_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_incoming",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("dedupe_key", sa.String(64), nullable=False),
        sa.Column("sender_organ_id", sa.String(35), nullable=False),
        sa.Column("sender_name", sa.String(200), nullable=True),
        sa.Column("packet_document_id", sa.String(200), nullable=False),
        sa.Column("business_doc_type", sa.Integer, nullable=False),
        sa.Column("target_id", sa.String(36), nullable=True),
        sa.Column("entry_id", sa.String(36), nullable=True),
        sa.Column("arrival_number", sa.Integer, nullable=True),
        sa.Column("arrival_date", sa.Date, nullable=True),
        sa.Column("code", sa.String(60), nullable=True),
        sa.Column("issued_on", sa.Date, nullable=True),
        sa.Column("type_name", sa.String(100), nullable=True),
        sa.Column("subject", sa.Text, nullable=True),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("answered", sa.String(2), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("decided_at", UTCDateTime, nullable=True),
        sa.Column("decided_by", sa.String(16), nullable=True),
        sa.UniqueConstraint("organ_id", "dedupe_key", name="uq_intake_incoming_dedupe"),
    )
    op.create_table(
        "intake_incoming_files",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("incoming_id", sa.String(36), nullable=False, index=True),
        sa.Column("organ_id", sa.String(13), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "intake_failed_packets",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("packet", sa.LargeBinary, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("sender_organ_id", sa.String(35), nullable=True),
        sa.Column("packet_document_id", sa.String(200), nullable=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("failed_at", UTCDateTime, nullable=False),
        sa.Column("decided_at", UTCDateTime, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("intake_failed_packets")
    op.drop_table("intake_incoming_files")
    op.drop_table("intake_incoming")
