"""Alembic, driven from code: one migration history per owner of tables.

Each owner (the ``auth`` token store and each service) keeps its own history
and its own version table, so services sharing one PostgreSQL database in a
small deployment never step on each other's migrations.
"""

from __future__ import annotations

from importlib import resources

from alembic import command, context
from alembic.config import Config as AlembicConfig
from sqlalchemy import MetaData

from shared.db.engine import make_engine

OWNERS = {
    "auth": "shared.auth",
    "intake": "services.intake",
    "docgen": "services.docgen",
    "archive": "services.archive",
}


def version_table(owner: str) -> str:
    return f"alembic_version_{owner}"


def alembic_config(owner: str, url: str) -> AlembicConfig:
    if owner not in OWNERS:
        raise ValueError(f"unknown migration owner {owner!r}; expected one of {sorted(OWNERS)}")
    location = resources.files(OWNERS[owner]) / "migrations"
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(location))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["owner"] = owner
    return cfg


def upgrade(owner: str, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(owner, url), revision)


def downgrade(owner: str, url: str, revision: str) -> None:
    command.downgrade(alembic_config(owner, url), revision)


def run_env(metadata: MetaData) -> None:
    """Body of every ``migrations/env.py``: migrate online with our engine settings."""
    cfg = context.config
    owner = cfg.attributes["owner"]
    url = cfg.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("sqlalchemy.url not set for migrations")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                version_table=version_table(owner),
                render_as_batch=engine.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
