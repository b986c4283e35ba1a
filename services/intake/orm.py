"""intake's tables. Every table holding a body's data carries its OrganId."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table, Text

from shared.db.types import UTCDateTime, organ_id_column
from shared.numbering import NumberingTables
from shared.runtime import ServiceTables

metadata = MetaData()

submissions = Table(
    "intake_submissions",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(),
    Column("kind", String(40), nullable=False),
    Column("payload", Text, nullable=False),
    Column("submitted_by", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# The incoming registers (sổ văn bản đến): one số đến sequence per year.
numbering = NumberingTables("intake", metadata)

tables = ServiceTables("intake", metadata)
