"""Database access: engines, sessions and a unit of work (SQLAlchemy 2)."""

from shared.db.engine import make_engine, ping, reading, upsert_insert
from shared.db.uow import UnitOfWork, session_factory

__all__ = ["UnitOfWork", "make_engine", "ping", "reading", "session_factory", "upsert_insert"]
