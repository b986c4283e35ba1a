"""docgen's tables. Every table holding a body's data carries its OrganId."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table, Text

from shared.db.types import UTCDateTime, organ_id_column
from shared.runtime import ServiceTables

metadata = MetaData()

# Pings recorded from intake's submissions: the foundation's end-to-end proof.
pings = Table(
    "docgen_pings",
    metadata,
    Column("submission_id", String(36), primary_key=True),
    organ_id_column(),
    Column("message", Text, nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

tables = ServiceTables("docgen", metadata)
