"""The audit log: who changed what, when and from where.

Revision ID: docgen_0007
Revises: docgen_0006
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from shared.web.migration import create_audit_table, drop_audit_table

revision: str = "docgen_0007"
down_revision: str | None = "docgen_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_audit_table("docgen")


def downgrade() -> None:
    drop_audit_table("docgen")
