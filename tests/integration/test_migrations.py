"""Each service's migrations build exactly the tables its code declares."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared.config import SERVICES
from shared.db import make_engine, migrate
from tests.conftest import Stack

pytestmark = pytest.mark.integration


def _differences(url: str, metadata: Any) -> list[Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    # Alembic's own version tables are not in the services' metadata.
    return [d for d in diffs if not (d[0] == "remove_table" and d[1].name.startswith("alembic"))]


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_match_the_models(service: str, stack: Stack, tmp_path: Path) -> None:
    orm = importlib.import_module(f"services.{service}.orm")
    url = stack.config(service).database_url
    if stack.kind == "embedded":
        url = f"sqlite:///{tmp_path / f'{service}.db'}"
        migrate.upgrade(service, url)
    # On the shared PostgreSQL database the other services' tables are there too.
    mine = [d for d in _differences(url, orm.metadata) if _table(d).startswith(f"{service}_")]
    assert mine == []


def _table(diff: Any) -> str:
    """The table a difference is about (alembic's tuples differ by kind)."""
    if isinstance(diff, list):  # column modifications come as a list of tuples
        return str(diff[0][2])
    subject = diff[1]
    if diff[0].endswith("_table"):
        return str(subject.name)
    table = getattr(subject, "table", None)
    if table is not None:
        return str(table.name)
    return str(diff[2]) if len(diff) > 2 and isinstance(diff[2], str) else ""
