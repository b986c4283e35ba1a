"""Migrations and transactions on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select

from services.intake.orm import submissions
from shared.config import SERVICES
from shared.db import UnitOfWork, make_engine, migrate, session_factory
from shared.db.types import new_id, utcnow
from tests.conftest import ORGAN, Stack

pytestmark = pytest.mark.integration


def test_migrations_are_repeatable_and_reach_the_models(stack: Stack) -> None:
    stack.migrate()  # a second run changes nothing and does not fail
    for service in SERVICES:
        url = stack.config(service).database_url
        module = __import__(f"services.{service}.orm", fromlist=["metadata"])
        engine = make_engine(url)
        names = set(inspect(engine).get_table_names())
        assert set(module.metadata.tables) <= names
        assert f"alembic_version_{service}" in names
        engine.dispose()


def test_every_table_with_a_bodys_data_carries_its_organ_id(stack: Stack) -> None:
    for service in SERVICES:
        module = __import__(f"services.{service}.orm", fromlist=["metadata"])
        engine = make_engine(stack.config(service).database_url)
        inspector = inspect(engine)
        for table in module.metadata.tables:
            columns = {c["name"]: c for c in inspector.get_columns(table)}
            assert "organ_id" in columns, f"{table} has no organ_id"
            assert not columns["organ_id"]["nullable"], f"{table}.organ_id is nullable"
        engine.dispose()


def test_unit_of_work_rolls_back_unless_committed(stack: Stack) -> None:
    engine = make_engine(stack.config("intake").database_url)
    factory = session_factory(engine)

    def count() -> int:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(submissions)).scalar_one())

    before = count()
    row = {
        "organ_id": ORGAN,
        "kind": "ping",
        "payload": "{}",
        "submitted_by": "t",
        "created_at": utcnow(),
    }
    with UnitOfWork(factory) as uow:
        uow.session.execute(submissions.insert().values(id=new_id(), **row))
    def crash_half_way() -> None:
        with UnitOfWork(factory) as uow:
            uow.session.execute(submissions.insert().values(id=new_id(), **row))
            raise RuntimeError("crash after the first write")

    with pytest.raises(RuntimeError):
        crash_half_way()
    assert count() == before
    with UnitOfWork(factory) as uow:
        uow.session.execute(submissions.insert().values(id=new_id(), **row))
        uow.commit()
    assert count() == before + 1
    engine.dispose()


def test_times_come_back_aware_utc(stack: Stack) -> None:
    engine = make_engine(stack.config("intake").database_url)
    now = utcnow()
    row_id = new_id()
    with engine.begin() as conn:
        conn.execute(
            submissions.insert().values(
                id=row_id,
                organ_id=ORGAN,
                kind="ping",
                payload="{}",
                submitted_by="t",
                created_at=now,
            )
        )
        stored = conn.execute(
            select(submissions.c.created_at).where(
                submissions.c.id == row_id
            )
        ).scalar_one()
    assert stored == now
    assert stored.utcoffset() is not None
    engine.dispose()


def test_unknown_migration_owner_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown migration owner"):
        migrate.upgrade("billing", "sqlite:///:memory:")
