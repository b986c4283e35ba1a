"""The numbering tables a service carries: ``<service>_registers`` and friends.

Each service that keeps registers (docgen: văn bản đi; intake: văn bản đến)
installs these in its own metadata and creates them in its own migration with
``shared.numbering.migration``; services never read each other's registers.

- ``registers``: a series of a body (administrative, one per legal type,
  secret, a council's, a custom one) in one direction.
- ``register_years``: the counter of a series in one calendar year
  (Asia/Ho_Chi_Minh): the last number given, where the system's range starts
  and the volume (quyển số). Its row is the lock every issue takes, briefly.
- ``register_entries``: one row per number ever given — issued, recorded from
  paper, reserved or cancelled. Numbers are never deleted nor reused.
- ``numbering_settings``: a body's names (for the registers' cover) and
  abbreviations (its own, its units', any type abbreviations it overrides).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shared.db.types import UTCDateTime, organ_id_column

DIRECTIONS = ("out", "in")


@dataclass(frozen=True)
class IndexSpec:
    """An index by column names, usable both in metadata and in a migration."""

    name: str
    columns: tuple[str, ...]


ENTRY_STATES = ("issued", "recorded", "reserved", "cancelled", "registered", "recalled")


def schema(service: str) -> dict[str, list[Any]]:
    """Table name → its columns and constraints (fresh objects on each call)."""
    p = service
    return {
        f"{p}_registers": [
            Column("id", String(36), primary_key=True),
            organ_id_column(),
            Column("direction", String(3), nullable=False),
            Column("code", String(40), nullable=False),
            Column("name", String(200), nullable=False),
            Column("series", String(20), nullable=False),
            Column("document_types", Text, nullable=False),  # JSON list; [] = every type
            Column("issuer_abbreviation", String(30), nullable=True),
            Column("active", Boolean, nullable=False),
            Column("created_at", UTCDateTime, nullable=False),
            UniqueConstraint("organ_id", "direction", "code", name=f"uq_{p}_registers_code"),
            CheckConstraint("direction IN ('out', 'in')", name=f"ck_{p}_registers_direction"),
        ],
        f"{p}_register_years": [
            Column("register_id", String(36), nullable=False),
            Column("year", Integer, nullable=False),
            organ_id_column(index=False),
            Column("last_number", Integer, nullable=False),
            Column("first_number", Integer, nullable=False),
            Column("volume", Integer, nullable=False),
            PrimaryKeyConstraint("register_id", "year", name=f"pk_{p}_register_years"),
            ForeignKeyConstraint(
                ["register_id"], [f"{p}_registers.id"], name=f"fk_{p}_register_years_register"
            ),
        ],
        f"{p}_register_entries": [
            Column("id", String(36), primary_key=True),
            Column("register_id", String(36), nullable=False),
            organ_id_column(index=False),
            Column("year", Integer, nullable=False),
            Column("number", Integer, nullable=False),
            Column("notation", String(30), nullable=True),
            Column("state", String(10), nullable=False),
            Column("source", String(10), nullable=False),  # system | typed
            Column("document_id", String(36), nullable=True),
            Column("entry_date", Date, nullable=True),
            Column("details", Text, nullable=False),  # JSON: the register's columns
            Column("reserved_until", UTCDateTime, nullable=True),
            Column("reserved_for", Text, nullable=True),
            Column("cancelled_at", UTCDateTime, nullable=True),
            Column("cancelled_by", String(16), nullable=True),
            Column("cancel_reason", Text, nullable=True),
            Column("created_by", String(16), nullable=False),
            Column("created_at", UTCDateTime, nullable=False),
            UniqueConstraint("register_id", "year", "number", name=f"uq_{p}_entries_number"),
            # Số + ký hiệu unique in the body's year (R9); NULL notations (arrival
            # numbers, open reservations) are exempt, as SQL unique constraints allow.
            UniqueConstraint("organ_id", "year", "number", "notation", name=f"uq_{p}_entries_code"),
            ForeignKeyConstraint(
                ["register_id"], [f"{p}_registers.id"], name=f"fk_{p}_entries_register"
            ),
            IndexSpec(f"ix_{p}_entries_document", ("document_id",)),
            IndexSpec(f"ix_{p}_entries_date", ("register_id", "entry_date")),
        ],
        f"{p}_numbering_settings": [
            organ_id_column(primary_key=True, index=False),
            Column("name", String(200), nullable=False),  # TÊN CƠ QUAN, TỔ CHỨC
            Column("parent_name", String(200), nullable=True),  # cơ quan chủ quản trực tiếp
            Column("abbreviation", String(30), nullable=False),
            Column("units", Text, nullable=False),  # JSON {"VP": "Văn phòng", …}
            Column("type_overrides", Text, nullable=False),  # JSON {"Kế hoạch": "KH", …}
            Column("updated_at", UTCDateTime, nullable=False),
        ],
    }


@dataclass
class NumberingTables:
    """The four tables, bound to a service's metadata."""

    service: str
    metadata: MetaData
    registers: Table = field(init=False)
    years: Table = field(init=False)
    entries: Table = field(init=False)
    settings: Table = field(init=False)

    def __post_init__(self) -> None:
        made = {}
        for name, items in schema(self.service).items():
            table = Table(name, self.metadata, *(i for i in items if not isinstance(i, IndexSpec)))
            for spec in (i for i in items if isinstance(i, IndexSpec)):
                Index(spec.name, *(table.c[c] for c in spec.columns))
            made[name] = table
        p = self.service
        self.registers = made[f"{p}_registers"]
        self.years = made[f"{p}_register_years"]
        self.entries = made[f"{p}_register_entries"]
        self.settings = made[f"{p}_numbering_settings"]
