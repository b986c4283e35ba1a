"""archive's tables. Every table holding a body's data carries its OrganId.

- ``archive_records``: one kept file with its Phụ lục VI document fields, its
  validation, where it lies in S3 (key + version id) and until when it is kept.
- ``archive_staging``: the bytes of a record S3 could not take yet (deleted once stored).
- ``archive_dossiers``: hồ sơ (Phụ lục VI "III. Hồ sơ"); membership is a column of the record.
- ``archive_access_log``: who read which record, and when.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shared.db.types import UTCDateTime, organ_id_column
from shared.runtime import ServiceTables

metadata = MetaData()

records = Table(
    "archive_records",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(),
    # "<source id>:<sha256>" or ":<sha256>": the same bytes of the same document are one record.
    Column("dedup_key", String(200), nullable=False),
    Column("direction", String(3), nullable=False),  # out | in
    Column("source", String(20), nullable=False),  # docgen | intake | upload
    Column("source_id", String(64), nullable=True, index=True),
    # The unsigned record of the same document this signed one follows (never overwritten).
    Column("supersedes", String(36), nullable=True),
    Column("file_name", String(255), nullable=False),
    Column("media_type", String(120), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("object_key", String(300), nullable=False),
    Column("version_id", String(200), nullable=True),
    Column("state", String(10), nullable=False, index=True),  # pending | stored
    # Recalled by its sender (edXML thu hồi): kept under retention, marked, never deleted.
    Column("recalled_at", UTCDateTime, nullable=True),
    Column("validation", String(16), nullable=False),  # unsigned|valid|untrusted|not_applicable
    Column("validation_report", Text, nullable=False),
    # Phụ lục VI document fields.
    Column("type_name", String(100), nullable=False),
    Column("code_number", String(11), nullable=True),
    Column("code_notation", String(30), nullable=True),
    Column("issued_date", Date, nullable=True, index=True),
    Column("organ_name", String(200), nullable=True),
    Column("subject", String(500), nullable=False),
    Column("language", String(30), nullable=False),
    Column("page_amount", Integer, nullable=True),
    Column("description", String(500), nullable=True),
    Column("signer_position", String(100), nullable=True),
    Column("signer_name", String(50), nullable=True),
    Column("priority", Integer, nullable=True),
    Column("arrival_number", Integer, nullable=True),
    Column("arrival_date", Date, nullable=True),
    Column("extra", Text, nullable=False),  # the rest of the source payload, JSON
    Column("search_text", Text, nullable=False),  # folded metadata text for search
    # Retention: permanent → legal hold; otherwise COMPLIANCE until retain_until.
    Column("retention_years", Integer, nullable=True),
    Column("permanent", Boolean, nullable=False),
    Column("retain_until", UTCDateTime, nullable=True),
    Column("retention_applied", Boolean, nullable=False),  # S3 matches the row
    Column("dossier_id", String(36), nullable=True, index=True),
    Column("doc_ordinal", Integer, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("created_by", String(36), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("stored_at", UTCDateTime, nullable=True),
    Column("last_fixity_at", UTCDateTime, nullable=True),
    Column("last_fixity", String(20), nullable=True),
    UniqueConstraint("organ_id", "dedup_key", name="uq_archive_records_dedup"),
)

staging = Table(
    "archive_staging",
    metadata,
    Column("record_id", String(36), ForeignKey("archive_records.id"), primary_key=True),
    organ_id_column(index=False),
    Column("content", LargeBinary, nullable=False),
)

dossiers = Table(
    "archive_dossiers",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(),
    Column("file_catalog", Integer, nullable=False),
    Column("file_notation", String(20), nullable=False),
    Column("title", String(500), nullable=False),
    Column("maintenance", String(30), nullable=False),
    Column("rights", String(30), nullable=False),
    Column("language", String(50), nullable=False),
    Column("start_date", Date, nullable=True),
    Column("end_date", Date, nullable=True),
    Column("description", String(500), nullable=True),
    Column("creator", String(30), nullable=False),
    Column("state", String(10), nullable=False),  # open | closed
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    UniqueConstraint("organ_id", "file_catalog", "file_notation", name="uq_archive_dossiers_code"),
)

access_log = Table(
    "archive_access_log",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(),
    Column("record_id", String(36), nullable=False, index=True),
    Column("token_id", String(36), nullable=False),
    Column("action", String(20), nullable=False),  # download | export
    Column("at", UTCDateTime, nullable=False),
)

tables = ServiceTables("archive", metadata)
