"""The audit log: who changed what, when and from where.

Revision ID: archive_0004
Revises: archive_0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from shared.web.migration import create_audit_table, drop_audit_table

revision: str = "archive_0004"
down_revision: str | None = "archive_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_table("archive")


def downgrade() -> None:
    drop_audit_table("archive")
