"""Incoming registers (sổ văn bản đến): the numbering tables.

Revision ID: intake_0002
Revises: intake_0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

from shared.numbering.migration import create_numbering_tables, drop_numbering_tables

revision: str = "intake_0002"
down_revision: str | None = "intake_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_numbering_tables("intake")


def downgrade() -> None:
    drop_numbering_tables("intake")
