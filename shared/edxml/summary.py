"""``packet_summary``: the JSON-ready digest the CLI prints."""

from __future__ import annotations

from typing import Any

from shared.edxml import codes
from shared.edxml.model import Organization, Packet

__all__ = ["packet_summary"]


def _organ_id(organ: Organization | None) -> str | None:
    return None if organ is None else organ.organ_id


def packet_summary(packet: Packet) -> dict[str, Any]:
    """Kind, ids, dates (ISO), status or business type, attachments and warnings."""
    business = packet.business
    target = packet.response_for[0] if packet.response_for else None
    summary: dict[str, Any] = {
        "kind": packet.kind,
        "document_id": packet.document_id.raw if packet.document_id else None,
        "from": _organ_id(packet.sender),
        "to": [organ.organ_id for organ in packet.recipients],
        "code": None if packet.code is None else str(packet.code),
        "promulgation_date": packet.promulgation.date if packet.promulgation else None,
        "due_date": packet.due_date,
        "subject": packet.subject,
        "business_doc_type": None if business is None else business.business_doc_type,
        "business_doc_type_name": None
        if business is None
        else codes.BUSINESS_DOC_TYPES.get(business.business_doc_type),
        "status_code": packet.status_code,
        "status_name": None
        if packet.status_code is None or packet.status_code not in codes.STATUS_CODES
        else codes.STATUS_CODES[packet.status_code].name,
        "timestamp": packet.timestamp,
        "response_for": None
        if target is None
        else {
            "organ_id": target.organ_id,
            "document_id": target.document_id.raw if target.document_id else None,
            "code": target.code,
            "promulgation_date": target.promulgation_date,
        },
        "trace": []
        if packet.trace is None
        else [
            {"organ_id": hop.organ_id, "timestamp": hop.timestamp}
            for hop in packet.trace.trace_headers
        ],
        "attachments": [
            {
                "content_id": item.content_id,
                "name": item.name,
                "content_type": item.content_type,
                "size": item.size,
                "sha256": item.sha256,
            }
            for item in packet.attachments
        ],
        "warnings": [
            {"code": w.code, "message": w.message, "path": w.path} for w in packet.warnings
        ],
    }
    return summary
