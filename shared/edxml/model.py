"""Frozen dataclasses of a parsed (or to-be-built) edXML packet.

Dates are ISO strings (``2015-09-30``), timestamps ISO local date-times
(``2015-09-20T11:08:36``); the writer turns them back into the wire formats.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from shared.edxml.errors import PacketWarning
from shared.edxml.formats import Parsed, format_date, parse_date

__all__ = [
    "MIB",
    "Attachment",
    "Business",
    "BusinessDocumentInfo",
    "Code",
    "DocumentId",
    "DocumentType",
    "Limits",
    "Organization",
    "OtherInfo",
    "Packet",
    "PromulgationInfo",
    "Receiver",
    "ReplacementInfo",
    "ResponseFor",
    "SignerInfo",
    "StaffInfo",
    "TraceHeader",
    "TraceHeaderList",
]

MIB = 1024 * 1024
_DOCUMENT_ID_RE = re.compile(r"^([^,\s]+),(\d{4}/\d{2}/\d{2}|\d{4}-\d{2}-\d{2}),([^,/]+)/([^,]+)$")


@dataclass(frozen=True)
class Limits:
    """What the reader accepts before refusing a packet (sizes in bytes)."""

    max_packet_bytes: int = 80 * MIB
    max_attachments: int = 20
    max_attachment_bytes: int = 40 * MIB
    max_unzipped_bytes: int = 100 * MIB
    max_zip_members: int = 200


@dataclass(frozen=True)
class DocumentId:
    """Mã định danh văn bản: the raw string, and its parts when it has the standard form.

    ``date`` is ISO and only set for a real day; ``date_text`` keeps the written
    date (e.g. the impossible ``2014/02/30``).
    """

    raw: str
    organ_id: str | None = None
    date_text: str | None = None
    date: str | None = None
    number: str | None = None
    notation: str | None = None

    @property
    def is_standard(self) -> bool:
        """``<OrganId>,<yyyy/MM/dd>,<Số>/<Ký hiệu>`` with a real date."""
        return (
            self.organ_id is not None
            and self.date is not None
            and self.date_text is not None
            and parse_date(self.date_text)[1] is Parsed.STANDARD
        )

    @property
    def code(self) -> str | None:
        """``"7816/VPCP-TTĐT"`` when the id has the standard shape."""
        return None if self.number is None else f"{self.number}/{self.notation}"

    @classmethod
    def parse(cls, raw: str) -> DocumentId:
        """Split ``raw`` into its parts; anything else (a UUID …) keeps only ``raw``."""
        match = _DOCUMENT_ID_RE.match(raw)
        if not match:
            return cls(raw=raw)
        iso, _ = parse_date(match[2])
        return cls(
            raw=raw,
            organ_id=match[1],
            date_text=match[2],
            date=iso,
            number=match[3],
            notation=match[4],
        )

    @classmethod
    def compose(cls, organ_id: str, date: str, number: str, notation: str) -> DocumentId:
        """The canonical id from its parts (``date`` ISO)."""
        return cls.parse(f"{organ_id},{format_date(date)},{number}/{notation}")


@dataclass(frozen=True)
class Organization:
    """From / To: an organisation and its contact data."""

    organ_id: str
    organ_name: str | None = None
    organization_in_charge: str | None = None
    organ_add: str | None = None
    email: str | None = None
    telephone: str | None = None
    fax: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class Code:
    """Số và ký hiệu: ``CodeNumber`` / ``CodeNotation``."""

    number: str
    notation: str

    def __str__(self) -> str:
        return f"{self.number}/{self.notation}"


@dataclass(frozen=True)
class PromulgationInfo:
    """Place and (ISO) date of promulgation."""

    date: str | None
    place: str | None = None


@dataclass(frozen=True)
class DocumentType:
    """DocumentType: ``type`` (see codes.DOCUMENT_TYPES), detail, and its name."""

    type: int | None
    type_name: str | None
    type_detail: int | None = None


@dataclass(frozen=True)
class SignerInfo:
    """Người ký: quyền hạn (TL., KT. …), chức vụ, họ tên."""

    competence: str | None = None
    position: str | None = None
    full_name: str | None = None


@dataclass(frozen=True)
class OtherInfo:
    """OtherInfo: priority (codes.PRIORITIES), circulation, counts, appendixes."""

    priority: int | None = None
    sphere_of_promulgation: str | None = None
    typer_notation: str | None = None
    promulgation_amount: int | None = None
    page_amount: int | None = None
    reply_fors: str | None = None
    direction: bool | None = None
    reference_codes: str | None = None
    appendixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResponseFor:
    """The document a packet refers to (reply, recall target, status subject)."""

    organ_id: str | None
    document_id: DocumentId | None
    code: str | None = None
    promulgation_date: str | None = None


@dataclass(frozen=True)
class StaffInfo:
    """Người xử lý."""

    department: str | None = None
    staff: str | None = None
    email: str | None = None
    mobile: str | None = None


@dataclass(frozen=True)
class TraceHeader:
    """One hop: who handled the packet and when (ISO timestamp)."""

    organ_id: str
    timestamp: str | None


@dataclass(frozen=True)
class Receiver:
    """BussinessDocumentInfo/ReceiverList/Receiver."""

    organ_id: str
    receiver_type: int | None = None


@dataclass(frozen=True)
class BusinessDocumentInfo:
    """What an update (BussinessDocType 2) changes."""

    document_info: int | None = None
    document_receiver: int | None = None
    receivers: tuple[Receiver, ...] = ()


@dataclass(frozen=True)
class ReplacementInfo:
    """A replaced document and the recipients for which it is replaced."""

    document_id: DocumentId
    organ_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Business:
    """TraceHeaderList/Bussiness: new, revoke, update or replace (codes.BUSINESS_DOC_TYPES)."""

    business_doc_type: int
    business_doc_reason: str | None = None
    document_id: DocumentId | None = None
    paper: int | None = None
    document_info: BusinessDocumentInfo | None = None
    replacements: tuple[ReplacementInfo, ...] = ()
    staff_info: StaffInfo | None = None


@dataclass(frozen=True)
class TraceHeaderList:
    """Hops plus the business block."""

    trace_headers: tuple[TraceHeader, ...] = ()
    business: Business | None = None


@dataclass(frozen=True)
class Attachment:
    """A file carried in the packet; ``data`` is the base64-decoded content as sent."""

    content_id: str
    name: str
    content_type: str
    data: bytes = field(repr=False)
    description: str | None = None

    @property
    def size(self) -> int:
        """Decoded size in bytes."""
        return len(self.data)

    @cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the decoded file."""
        return hashlib.sha256(self.data).hexdigest()


Kind = Literal["document", "status"]


@dataclass(frozen=True)
class Packet:
    """A document or status packet.

    Document packets use the header fields, ``trace`` and ``attachments``; status
    packets use ``sender``, ``response_for`` (one entry), ``staff_info``,
    ``status_code``, ``status_description`` and ``timestamp``.
    """

    kind: Kind
    sender: Organization | None = None
    recipients: tuple[Organization, ...] = ()
    document_id: DocumentId | None = None
    code: Code | None = None
    promulgation: PromulgationInfo | None = None
    document_type: DocumentType | None = None
    subject: str | None = None
    content: str | None = None
    signer: SignerInfo | None = None
    due_date: str | None = None
    other_info: OtherInfo | None = None
    response_for: tuple[ResponseFor, ...] = ()
    steering_type: int | None = None
    to_places: tuple[str, ...] = ()
    trace: TraceHeaderList | None = None
    staff_info: StaffInfo | None = None
    status_code: str | None = None
    status_description: str | None = None
    timestamp: str | None = None
    attachments: tuple[Attachment, ...] = ()
    warnings: tuple[PacketWarning, ...] = ()

    @property
    def business(self) -> Business | None:
        """Shortcut to ``trace.business``."""
        return None if self.trace is None else self.trace.business

    def warning_codes(self) -> set[str]:
        """The set of warning codes (handy in checks and tests)."""
        return {w.code for w in self.warnings}
