"""Packets vanthu sends: an issued document to one recipient, and status answers.

Built from what the services already hold (the ``document.issued`` payload and
the file) with the strict writer of ``shared.edxml``; every packet validates
against its XSD before it leaves.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.clock import VIETNAM
from shared.edxml import (
    Code,
    DocumentId,
    Organization,
    OtherInfo,
    Packet,
    ResponseFor,
    SignerInfo,
    build_packet,
    document_packet,
    new_attachment,
    status_packet,
)
from shared.edxml.codes import BusinessDocType

# The headers our packets carry on the broker (the body is the edXML itself).
KIND_HEADER = "x-edxml-kind"
XML = "application/xml"


def local_time(instant: datetime) -> str:
    """Packet timestamps are Vietnam's wall-clock time (the writer formats them)."""
    return instant.astimezone(VIETNAM).replace(tzinfo=None, microsecond=0).isoformat()


def packet_message_id(*parts: str) -> str:
    """A stable message id for a packet (so a re-built packet is a duplicate, not a new one)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "vanthu:" + "|".join(parts)))


def document_for(
    issued: Mapping[str, Any],
    *,
    sender: str,
    recipient: Mapping[str, str],
    sent_at: datetime,
    business_doc_type: int = BusinessDocType.NEW,
    reason: str | None = None,
    replaces: tuple[DocumentId, ...] = (),
) -> tuple[Packet, bytes]:
    """One recipient's packet of an issued document, with its file, as bytes."""
    file = issued["file"]
    content = base64.b64decode(file["content_b64"])
    if hashlib.sha256(content).hexdigest() != file["sha256"]:
        raise ValueError("the file carried in the event does not match its SHA-256")
    number = f"{int(issued['number']):02d}"
    own_id = DocumentId.compose(sender, issued["issued_on"], number, issued["notation"])
    kwargs: dict[str, Any] = {}
    if business_doc_type == BusinessDocType.UPDATE:
        kwargs["target_document_id"] = own_id
    if business_doc_type == BusinessDocType.REPLACE:
        from shared.edxml import ReplacementInfo  # noqa: PLC0415 - only for replacements

        kwargs["replacements"] = tuple(
            ReplacementInfo(document_id=old, organ_ids=(recipient["organ_id"],)) for old in replaces
        )
    packet = document_packet(
        sender=Organization(organ_id=sender, organ_name=issued.get("organ_name")),
        recipients=[Organization(organ_id=recipient["organ_id"], organ_name=recipient["name"])],
        code=Code(number=number, notation=issued["notation"]),
        promulgation_date=issued["issued_on"],
        place=issued.get("place"),
        subject=issued["subject"],
        type_name=issued["type_name"],
        signer=SignerInfo(
            position=issued["signer"]["position"] or None,
            full_name=issued["signer"]["full_name"] or None,
        ),
        due_date=issued.get("due_date"),
        other_info=OtherInfo(
            priority=int(issued.get("priority") or 0),
            promulgation_amount=issued.get("issued_amount"),
        ),
        business_doc_type=business_doc_type,
        business_doc_reason=reason,
        attachments=[new_attachment(file["name"], content, file.get("media_type"))],
        sent_at=local_time(sent_at),
        **kwargs,
    )
    return packet, build_packet(packet)


def status_for(
    *,
    sender: str,
    sender_name: str | None,
    about: Packet,
    code: str,
    at: datetime,
    description: str | None = None,
) -> bytes:
    """Our status packet about a document packet we received (01, 02, 03, 15, 16 …)."""
    if about.sender is None or about.document_id is None:
        raise ValueError("a status needs the document's sender and DocumentId")
    packet = status_packet(
        sender=Organization(organ_id=sender, organ_name=sender_name),
        response_for=ResponseFor(
            organ_id=about.sender.organ_id,
            document_id=about.document_id,
            code=f"{about.code.number}/{about.code.notation}" if about.code else None,
            promulgation_date=about.promulgation.date if about.promulgation else None,
        ),
        status_code=code,
        description=description,
        timestamp=local_time(at),
    )
    return build_packet(packet)
