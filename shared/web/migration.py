"""Alembic operations for the audit log every service carries (see ``shared.web.audit``).

Used by the service's migration that introduces it; a later change to the table
gets a migration of its own in each service, never an edit here.
"""

from __future__ import annotations

from alembic import op

from shared.web.audit import audit_columns


def create_audit_table(service: str) -> None:
    name = f"{service}_audit_log"
    columns = audit_columns()
    for column in columns:
        column.index = None  # the indexes are made below, with their conventional names
    op.create_table(name, *columns)
    op.create_index(f"ix_{name}_at", name, ["at"])
    op.create_index(f"ix_{name}_organ_id", name, ["organ_id"])


def drop_audit_table(service: str) -> None:
    op.drop_table(f"{service}_audit_log")
