"""Submissions forwarded to docgen, reporting obligations and reminders.

Revision ID: intake_0004
Revises: intake_0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db.types import UTCDateTime

revision: str = "intake_0004"
down_revision: str | None = "intake_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SUBMISSION_COLUMNS = (
    ("template_id", sa.String(60)),
    ("draft_id", sa.String(36)),
    ("drafted_at", UTCDateTime),
    ("converted", sa.Text),
    ("obligation_id", sa.String(100)),
    ("reporter", sa.String(60)),
    ("period", sa.String(10)),
    ("submitted_on", sa.Date),
    ("late", sa.Boolean),
    ("days_late", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("intake_submissions") as batch:
        for name, kind in _SUBMISSION_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    op.create_table(
        "intake_obligation_assignments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("obligation_id", sa.String(100), nullable=False),
        sa.Column("since", sa.Date, nullable=False),
        sa.Column("reporters", sa.Text, nullable=False),
        sa.Column("letter", sa.Text, nullable=False),
        sa.Column("updated_by", sa.String(16), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("organ_id", "obligation_id", name="uq_intake_obligation_assignment"),
    )
    op.create_table(
        "intake_reminders",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("organ_id", sa.String(13), nullable=False, index=True),
        sa.Column("obligation_id", sa.String(100), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("reporters", sa.Text, nullable=False),
        sa.Column("draft_id", sa.String(36), nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("drafted_at", UTCDateTime, nullable=True),
        sa.UniqueConstraint(
            "organ_id", "obligation_id", "period", name="uq_intake_reminder_period"
        ),
    )


def downgrade() -> None:
    op.drop_table("intake_reminders")
    op.drop_table("intake_obligation_assignments")
    with op.batch_alter_table("intake_submissions") as batch:
        for name, _ in reversed(_SUBMISSION_COLUMNS):
            batch.drop_column(name)
