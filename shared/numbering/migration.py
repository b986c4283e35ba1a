"""Alembic operations creating a service's numbering tables (see ``tables``).

Used by the service's migration that introduces registers; a later change gets
a migration of its own in each service, never an edit here.
"""

from __future__ import annotations

from alembic import op

from shared.numbering.tables import IndexSpec, schema


def create_numbering_tables(service: str) -> None:
    for name, items in schema(service).items():
        op.create_table(name, *(item for item in items if not isinstance(item, IndexSpec)))
        for spec in (item for item in items if isinstance(item, IndexSpec)):
            op.create_index(spec.name, name, list(spec.columns))


def drop_numbering_tables(service: str) -> None:
    for name in reversed(list(schema(service))):
        op.drop_table(name)
