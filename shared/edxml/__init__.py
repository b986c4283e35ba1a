"""edXML packets (QCVN 102:2016/BTTTT): a strict writer and a tolerant, safe reader.

``parse_packet``/``parse_file`` read what real senders emit and report oddities
as warnings; ``build_packet`` writes only what ``schema/edxml.xsd`` accepts.
"""

from __future__ import annotations

from shared.edxml.errors import PacketInvalid, PacketRefused, PacketWarning, Refusal, Warn
from shared.edxml.model import (
    Attachment,
    Business,
    BusinessDocumentInfo,
    Code,
    DocumentId,
    DocumentType,
    Limits,
    Organization,
    OtherInfo,
    Packet,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    TraceHeader,
    TraceHeaderList,
)
from shared.edxml.reader import parse_file, parse_packet
from shared.edxml.summary import packet_summary
from shared.edxml.writer import (
    build_packet,
    document_packet,
    new_attachment,
    status_packet,
    validate_packet,
)

__all__ = [
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
    "PacketInvalid",
    "PacketRefused",
    "PacketWarning",
    "PromulgationInfo",
    "Receiver",
    "Refusal",
    "ReplacementInfo",
    "ResponseFor",
    "SignerInfo",
    "StaffInfo",
    "TraceHeader",
    "TraceHeaderList",
    "Warn",
    "build_packet",
    "document_packet",
    "new_attachment",
    "packet_summary",
    "parse_file",
    "parse_packet",
    "status_packet",
    "validate_packet",
]
