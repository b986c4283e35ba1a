"""docgen's tables. Every table holding a body's data carries its OrganId."""

from __future__ import annotations

from sqlalchemy import Column, LargeBinary, MetaData, String, Table, Text

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

# Unnumbered drafts a clerk previews before issuing; both renderings kept with the data.
drafts = Table(
    "docgen_drafts",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(),
    Column("template_id", String(60), nullable=False),
    Column("version_id", String(60), nullable=False),
    Column("data", Text, nullable=False),
    Column("created_by", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("docx", LargeBinary, nullable=False),
    Column("pdf", LargeBinary, nullable=False),
)

tables = ServiceTables("docgen", metadata)
