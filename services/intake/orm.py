"""intake's tables. Every table holding a body's data carries its OrganId."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shared.db.types import UTCDateTime, organ_id_column
from shared.numbering import NumberingTables
from shared.runtime import ServiceTables
from shared.web.audit import audit_columns

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
    # Forwarded to docgen: the template, and the draft once docgen announces it.
    Column("template_id", String(60), nullable=True),
    Column("draft_id", String(36), nullable=True),
    Column("drafted_at", UTCDateTime, nullable=True),
    # Text fields converted from TCVN3/VNI at the door (JSON list of {field, encoding}).
    Column("converted", Text, nullable=True),
    # Monthly reports: which obligation, reporter and period; late after the deadline.
    Column("obligation_id", String(100), nullable=True),
    Column("reporter", String(60), nullable=True),
    Column("period", String(10), nullable=True),
    Column("submitted_on", Date, nullable=True),
    Column("late", Boolean, nullable=True),
    Column("days_late", Integer, nullable=True),
)

# The incoming registers (sổ văn bản đến): one số đến sequence per year.
numbering = NumberingTables("intake", metadata)

# Documents received from the e-office system: one row per packet and recipient
# body (new, recall, update, replacement), unique on the de-duplication key.
incoming = Table(
    "intake_incoming",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(),  # the receiving body (ours)
    Column("dedupe_key", String(64), nullable=False),
    Column("sender_organ_id", String(35), nullable=False),
    Column("sender_name", String(200), nullable=True),
    Column("packet_document_id", String(200), nullable=False),
    Column("business_doc_type", Integer, nullable=False),
    Column("target_id", String(36), nullable=True),  # the incoming row a recall/update is about
    Column("entry_id", String(36), nullable=True),  # its số đến (new and replacements)
    Column("arrival_number", Integer, nullable=True),
    Column("arrival_date", Date, nullable=True),
    Column("code", String(60), nullable=True),
    Column("issued_on", Date, nullable=True),
    Column("type_name", String(100), nullable=True),
    Column("subject", Text, nullable=True),
    Column("summary", Text, nullable=False),  # the parsed packet (JSON), warnings included
    Column("state", String(12), nullable=False),  # registered accepted rejected recalled …
    Column("answered", String(2), nullable=True),  # the last status we answered
    Column("version", Integer, nullable=False),
    Column("reason", Text, nullable=True),
    Column("received_at", UTCDateTime, nullable=False),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("decided_by", String(16), nullable=True),
    UniqueConstraint("organ_id", "dedupe_key", name="uq_intake_incoming_dedupe"),
)

incoming_files = Table(
    "intake_incoming_files",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("incoming_id", String(36), nullable=False, index=True),
    organ_id_column(index=False),
    Column("version", Integer, nullable=False),
    Column("name", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

# Packets that could not be handled (refused, or failing after every retry), for the
# clerk to retry or reject; one row per packet.
failed_packets = Table(
    "intake_failed_packets",
    metadata,
    Column("id", String(36), primary_key=True),  # the packet's message id
    organ_id_column(),  # the body it was addressed to ("" when unknown)
    Column("packet", LargeBinary, nullable=False),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("sender_organ_id", String(35), nullable=True),
    Column("packet_document_id", String(200), nullable=True),
    Column("state", String(10), nullable=False),  # failed retried rejected
    Column("failed_at", UTCDateTime, nullable=False),
    Column("decided_at", UTCDateTime, nullable=True),
)

# Reporting obligations a body follows, with its reporters (investors and their
# projects) and the letterhead of its reminder letters; one row per body and obligation.
obligation_assignments = Table(
    "intake_obligation_assignments",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(),
    Column("obligation_id", String(100), nullable=False),
    Column("since", Date, nullable=False),  # first period covered (its first day)
    Column("reporters", Text, nullable=False),  # JSON list of {id, name, projects}
    Column("letter", Text, nullable=False),  # JSON letterhead of the reminder letter
    Column("updated_by", String(16), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("organ_id", "obligation_id", name="uq_intake_obligation_assignment"),
)

# One reminder letter (công văn đôn đốc) per body, obligation and period — never two.
reminders = Table(
    "intake_reminders",
    metadata,
    Column("id", String(36), primary_key=True),
    organ_id_column(),
    Column("obligation_id", String(100), nullable=False),
    Column("period", String(10), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("reporters", Text, nullable=False),  # JSON list of the late reporters' ids
    Column("draft_id", String(36), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("drafted_at", UTCDateTime, nullable=True),
    UniqueConstraint("organ_id", "obligation_id", "period", name="uq_intake_reminder_period"),
)

# Who changed what, when and from where (append-only; see services/intake/web/audit.py).
audit_log = Table("intake_audit_log", metadata, *audit_columns())

tables = ServiceTables("intake", metadata)
