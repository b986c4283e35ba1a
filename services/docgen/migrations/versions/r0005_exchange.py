"""The e-office exchange: packets sent and the statuses received about them.

Revision ID: docgen_0005
Revises: docgen_0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.types import UTCDateTime

revision: str = "docgen_0005"
down_revision: str | None = "docgen_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "docgen_exchange_sends",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("document_id", sa.String(36), nullable=False, index=True),
        sa.Column("recipient_organ_id", sa.String(35), nullable=False),
        sa.Column("recipient_name", sa.String(200), nullable=False),
        sa.Column("business_doc_type", sa.Integer, nullable=False),
        sa.Column("packet_document_id", sa.String(200), nullable=False),
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("delivery_status", sa.String(2), nullable=True),
        sa.Column("recall_status", sa.String(2), nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint(
            "document_id",
            "recipient_organ_id",
            "business_doc_type",
            name="uq_docgen_exchange_sends_once",
        ),
    )
    op.create_table(
        "docgen_exchange_statuses",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False),
        sa.Column("send_id", sa.String(36), nullable=False, index=True),
        sa.Column("status_code", sa.String(2), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("timestamp", sa.String(19), nullable=True),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("applied", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("event_id", sa.String(36), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("docgen_exchange_statuses")
    op.drop_table("docgen_exchange_sends")
