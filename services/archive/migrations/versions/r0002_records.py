"""Records, staging, dossiers and the access log.

Revision ID: archive_0002
Revises: archive_0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.types import UTCDateTime

revision: str = "archive_0002"
down_revision: str | None = "archive_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archive_records",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("dedup_key", sa.String(200), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("source_id", sa.String(64), nullable=True, index=True),
        sa.Column("supersedes", sa.String(36), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(120), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("object_key", sa.String(300), nullable=False),
        sa.Column("version_id", sa.String(200), nullable=True),
        sa.Column("state", sa.String(10), nullable=False, index=True),
        sa.Column("validation", sa.String(16), nullable=False),
        sa.Column("validation_report", sa.Text, nullable=False),
        sa.Column("type_name", sa.String(100), nullable=False),
        sa.Column("code_number", sa.String(11), nullable=True),
        sa.Column("code_notation", sa.String(30), nullable=True),
        sa.Column("issued_date", sa.Date, nullable=True, index=True),
        sa.Column("organ_name", sa.String(200), nullable=True),
        sa.Column("subject", sa.String(500), nullable=False),
        sa.Column("language", sa.String(30), nullable=False),
        sa.Column("page_amount", sa.Integer, nullable=True),
        sa.Column("description", sa.String(500), nullable=True),
        sa.Column("signer_position", sa.String(100), nullable=True),
        sa.Column("signer_name", sa.String(50), nullable=True),
        sa.Column("priority", sa.Integer, nullable=True),
        sa.Column("arrival_number", sa.Integer, nullable=True),
        sa.Column("arrival_date", sa.Date, nullable=True),
        sa.Column("extra", sa.Text, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("retention_years", sa.Integer, nullable=True),
        sa.Column("permanent", sa.Boolean, nullable=False),
        sa.Column("retain_until", UTCDateTime, nullable=True),
        sa.Column("retention_applied", sa.Boolean, nullable=False),
        sa.Column("dossier_id", sa.String(36), nullable=True, index=True),
        sa.Column("doc_ordinal", sa.Integer, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("created_by", sa.String(36), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("stored_at", UTCDateTime, nullable=True),
        sa.Column("last_fixity_at", UTCDateTime, nullable=True),
        sa.Column("last_fixity", sa.String(20), nullable=True),
        sa.UniqueConstraint("organ_id", "dedup_key", name="uq_archive_records_dedup"),
    )
    op.create_table(
        "archive_staging",
        sa.Column(
            "record_id", sa.String(36), sa.ForeignKey("archive_records.id"), primary_key=True
        ),
        sa.Column("organ_id", sa.String(13), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "archive_dossiers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("file_catalog", sa.Integer, nullable=False),
        sa.Column("file_notation", sa.String(20), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("maintenance", sa.String(30), nullable=False),
        sa.Column("rights", sa.String(30), nullable=False),
        sa.Column("language", sa.String(50), nullable=False),
        sa.Column("start_date", sa.Date, nullable=True),
        sa.Column("end_date", sa.Date, nullable=True),
        sa.Column("description", sa.String(500), nullable=True),
        sa.Column("creator", sa.String(30), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("closed_at", UTCDateTime, nullable=True),
        sa.UniqueConstraint(
            "organ_id", "file_catalog", "file_notation", name="uq_archive_dossiers_code"
        ),
    )
    op.create_table(
        "archive_access_log",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("record_id", sa.String(36), nullable=False, index=True),
        sa.Column("token_id", sa.String(36), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("archive_access_log")
    op.drop_table("archive_dossiers")
    op.drop_table("archive_staging")
    op.drop_table("archive_records")
