"""docgen's tables. Every table holding a body's data carries its OrganId."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shared.db.types import UTCDateTime, organ_id_column
from shared.numbering import NumberingTables
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

# Drafts asked for over the bus (an accepted submission, a reminder due): one draft
# per request key ("submission:<id>", "reminder:<id>"), however often it is delivered.
draft_requests = Table(
    "docgen_draft_requests",
    metadata,
    Column("key", String(80), primary_key=True),
    organ_id_column(),
    Column("draft_id", String(36), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


# The outgoing registers (sổ văn bản đi): registers, counters, entries, settings.
numbering = NumberingTables("docgen", metadata)

# Issued documents: the Phụ lục VI fields of a văn bản đi, recorded with its number.
documents = Table(
    "docgen_documents",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(),
    Column("draft_id", String(36), nullable=False),
    Column("register_id", String(36), nullable=False),
    Column("entry_id", String(36), nullable=False),
    Column("year", Integer, nullable=False),
    Column("number", Integer, nullable=False),  # CodeNumber
    Column("notation", String(30), nullable=False),  # CodeNotation
    Column("issued_on", Date, nullable=False),  # IssuedDate (Asia/Ho_Chi_Minh)
    Column("issued_at", UTCDateTime, nullable=False),
    Column("template_id", String(60), nullable=False),
    Column("version_id", String(60), nullable=False),
    Column("type_name", String(100), nullable=False),  # TypeName
    Column("subject", String(500), nullable=False),  # Subject
    Column("organ_name", String(200), nullable=False),  # OrganName
    Column("signer_position", String(100), nullable=False),  # SignerInfo/Position
    Column("signer_name", String(50), nullable=False),  # SignerInfo/FullName
    Column("recipients", Text, nullable=False),  # To: JSON [{"organ_id", "name"}]
    Column("priority", Integer, nullable=False),  # Priority (0 thường … 3 hỏa tốc)
    Column("issued_amount", Integer, nullable=True),  # IssuedAmount
    Column("due_date", Date, nullable=True),  # DueDate
    Column("data", Text, nullable=False),  # the validated document data, numbered
    Column("state", String(10), nullable=False),  # issued | cancelled
    Column("idempotency_key", String(200), nullable=True),
    Column("request_hash", String(64), nullable=True),
    Column("created_by", String(16), nullable=False),
    UniqueConstraint("draft_id", name="uq_docgen_documents_draft"),
    UniqueConstraint("organ_id", "idempotency_key", name="uq_docgen_documents_idempotency"),
)

# The final renderings, made after the issuing transaction (by the worker, or on
# first download); the first stored wins, so a document has one final file per format.
document_files = Table(
    "docgen_document_files",
    metadata,
    Column("document_id", String(36), nullable=False),
    Column("format", String(4), nullable=False),
    organ_id_column(index=False),
    Column("content", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("rendered_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("document_id", "format", name="pk_docgen_document_files"),
)


# Signed copies of issued documents (the leader's and the văn thư's signatures),
# checked against the issued PDF before they are kept; one row per distinct file.
signed_files = Table(
    "docgen_signed_files",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("document_id", String(36), nullable=False, index=True),
    organ_id_column(index=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("match", String(12), nullable=False),  # incremental | text
    Column("report", Text, nullable=False),  # the signature report, JSON
    Column("uploaded_by", String(16), nullable=False),
    Column("uploaded_at", UTCDateTime, nullable=False),
    UniqueConstraint("document_id", "sha256", name="uq_docgen_signed_files_content"),
)


# The e-office exchange: one row per packet we send (a document to one recipient
# body, or a recall/update of it), with where its recipient's line stands now …
exchange_sends = Table(
    "docgen_exchange_sends",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(),
    Column("document_id", String(36), nullable=False, index=True),
    Column("recipient_organ_id", String(35), nullable=False),
    Column("recipient_name", String(200), nullable=False),
    Column("business_doc_type", Integer, nullable=False),  # 0 new, 2 update, 3 replacement
    Column("packet_document_id", String(200), nullable=False),  # edXML DocumentId
    Column("message_id", String(36), nullable=False),
    Column("delivery_status", String(2), nullable=True),  # 01 … 06, 02
    Column("recall_status", String(2), nullable=True),  # 13, 15, 16
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint(
        "document_id",
        "recipient_organ_id",
        "business_doc_type",
        name="uq_docgen_exchange_sends_once",
    ),
)

# … and every status packet received about it, applied or not (the history).
exchange_statuses = Table(
    "docgen_exchange_statuses",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(index=False),
    Column("send_id", String(36), nullable=False, index=True),
    Column("status_code", String(2), nullable=False),
    Column("description", Text, nullable=True),
    Column("timestamp", String(19), nullable=True),  # as the packet says (ISO)
    Column("received_at", UTCDateTime, nullable=False),
    Column("applied", Integer, nullable=False),  # 1 changed the line, 0 history only
    Column("note", Text, nullable=True),
    Column("event_id", String(36), nullable=False),
)

tables = ServiceTables("docgen", metadata)
