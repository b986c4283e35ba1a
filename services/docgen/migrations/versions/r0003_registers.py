"""Outgoing registers (numbering tables), issued documents and their final files.

Revision ID: docgen_0003
Revises: docgen_0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.types import UTCDateTime
from shared.numbering.migration import create_numbering_tables, drop_numbering_tables

revision: str = "docgen_0003"
down_revision: str | None = "docgen_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_numbering_tables("docgen")
    op.create_table(
        "docgen_documents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("draft_id", sa.String(36), nullable=False),
        sa.Column("register_id", sa.String(36), nullable=False),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("notation", sa.String(30), nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("issued_at", UTCDateTime, nullable=False),
        sa.Column("template_id", sa.String(60), nullable=False),
        sa.Column("version_id", sa.String(60), nullable=False),
        sa.Column("type_name", sa.String(100), nullable=False),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("organ_name", sa.String(200), nullable=False),
        sa.Column("signer_position", sa.String(100), nullable=False),
        sa.Column("signer_name", sa.String(50), nullable=False),
        sa.Column("recipients", sa.Text, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("issued_amount", sa.Integer, nullable=True),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("request_hash", sa.String(64), nullable=True),
        sa.Column("created_by", sa.String(16), nullable=False),
        sa.UniqueConstraint("draft_id", name="uq_docgen_documents_draft"),
        sa.UniqueConstraint("organ_id", "idempotency_key", name="uq_docgen_documents_idempotency"),
    )
    op.create_table(
        "docgen_document_files",
        sa.Column("document_id", sa.String(36), nullable=False),
        sa.Column("format", sa.String(4), nullable=False),
        sa.Column("organ_id", sa.String(13), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("rendered_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("document_id", "format", name="pk_docgen_document_files"),
    )


def downgrade() -> None:
    op.drop_table("docgen_document_files")
    op.drop_table("docgen_documents")
    drop_numbering_tables("docgen")
