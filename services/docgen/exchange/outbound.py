"""Sending issued documents to the e-office system, and recording what comes back.

When a document is signed (or, where a body does not require signatures, when
its final PDF is rendered) the worker writes one packet per recipient body
into the outbox, in the transaction that records the send; the relay publishes
it with confirms. A send is unique per (document, recipient, business type),
so a redelivered event never sends twice. Statuses arrive from intake
(``edxml.status.received``) and move each recipient's line forward only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.docgen.orm import documents, exchange_sends, exchange_statuses
from shared.bus import Envelope, Outbox
from shared.bus.consumer import PermanentError
from shared.bus.topology import EOFFICE_OUT
from shared.db import upsert_insert
from shared.db.types import new_id, utcnow
from shared.edxml import DocumentId, Organization, ResponseFor, build_packet, status_packet
from shared.edxml.codes import BusinessDocType
from shared.exchange import status as lines
from shared.exchange.packets import KIND_HEADER, XML, document_for, local_time, packet_message_id

log = logging.getLogger(__name__)

STATUS_EVENT = "edxml.status.received"


def refusal(*, state: str, signed: bool, require_signed: bool) -> tuple[str, str] | None:
    """Why a document's file may not leave for the e-office system, or None: the one
    rule that every way out (the worker's send, update, replacement) asks.

    ``require_signed`` is VANTHU_EXCHANGE_REQUIRE_SIGNED; ``signed``, whether what
    would go is a signed copy.
    """
    if state != "issued":
        return "document_cancelled", "Số của văn bản đã bị hủy; văn bản không được gửi đi."
    if require_signed and not signed:
        return (
            "not_signed",
            "Văn bản chưa có bản ký số; cơ quan chỉ gửi đi văn bản đã ký số "
            "(VANTHU_EXCHANGE_REQUIRE_SIGNED).",
        )
    return None


def document_state(session: Session, document_id: str) -> str | None:
    return session.execute(
        select(documents.c.state).where(documents.c.id == document_id)
    ).scalar_one_or_none()


def send_document(
    session: Session,
    outbox: Outbox,
    organ_id: str,
    issued: Mapping[str, Any],
    *,
    business_doc_type: int = BusinessDocType.NEW,
    reason: str | None = None,
    replaces: tuple[DocumentId, ...] = (),
    now: datetime | None = None,
) -> int:
    """Queue one packet per recipient with an OrganId; return how many are new."""
    now = now or utcnow()
    sent = 0
    for recipient in issued.get("to", []):
        if not recipient.get("organ_id"):
            log.info("recipient without OrganId: not sent", extra={"name": recipient.get("name")})
            continue
        try:
            packet, xml = document_for(
                issued,
                sender=organ_id,
                recipient=recipient,
                sent_at=now,
                business_doc_type=business_doc_type,
                reason=reason,
                replaces=replaces,
            )
        except ValueError as exc:
            raise PermanentError(f"packet for {recipient['organ_id']}: {exc}") from None
        message_id = packet_message_id(
            issued["document_id"], recipient["organ_id"], str(business_doc_type)
        )
        assert packet.document_id is not None  # the writer composes it
        row = (
            session.execute(
                upsert_insert(session, exchange_sends)
                .values(
                    id=new_id(),
                    organ_id=organ_id,
                    document_id=issued["document_id"],
                    recipient_organ_id=recipient["organ_id"],
                    recipient_name=recipient["name"][:200],
                    business_doc_type=int(business_doc_type),
                    packet_document_id=packet.document_id.raw,
                    message_id=message_id,
                    created_at=now,
                    updated_at=now,
                )
                .on_conflict_do_nothing()
                .returning(exchange_sends.c.id)
            )
        ).first()
        if row is None:  # sent before: a redelivered event
            continue
        outbox.add_raw(
            session,
            organ_id=organ_id,
            exchange=EOFFICE_OUT.name,
            routing_key=recipient["organ_id"],
            message_id=message_id,
            body=xml.decode("utf-8"),
            content_type=XML,
            headers={KIND_HEADER: "document"},
        )
        sent += 1
    return sent


def request_recall(
    session: Session, outbox: Outbox, organ_id: str, document_id: str, reason: str
) -> int:
    """Status 13 to every recipient of a document: we ask to take it back."""
    now = utcnow()
    name = session.execute(
        select(documents.c.organ_name).where(documents.c.id == document_id)
    ).scalar_one()
    rows = session.execute(
        select(exchange_sends).where(
            exchange_sends.c.document_id == document_id,
            exchange_sends.c.business_doc_type == BusinessDocType.NEW,
        )
    ).all()
    asked = 0
    for send in rows:
        step = lines.apply(lines.Line(send.delivery_status, send.recall_status), "13")
        if not step.changed:
            continue
        xml = build_packet(
            status_packet(
                sender=Organization(organ_id=organ_id, organ_name=name),
                response_for=ResponseFor(
                    organ_id=send.recipient_organ_id,
                    document_id=DocumentId.parse(send.packet_document_id),
                ),
                status_code="13",
                description=reason,
                timestamp=local_time(now),
            )
        )
        _record(session, send, "13", reason, local_time(now), step, event_id=new_id())
        outbox.add_raw(
            session,
            organ_id=organ_id,
            exchange=EOFFICE_OUT.name,
            routing_key=send.recipient_organ_id,
            message_id=packet_message_id(send.id, "13"),
            body=xml.decode("utf-8"),
            content_type=XML,
            headers={KIND_HEADER: "status"},
        )
        asked += 1
    return asked


def record_status(session: Session, envelope: Envelope) -> None:
    """``edxml.status.received``: a recipient's status about one of our packets."""
    p = envelope.payload
    try:
        sender, about, code = p["from"], p["response_for"], p["status_code"]
    except KeyError as exc:
        raise PermanentError(f"status event without {exc}") from None
    send = session.execute(
        select(exchange_sends)
        .where(
            exchange_sends.c.packet_document_id == about,
            exchange_sends.c.recipient_organ_id == sender,
        )
        .order_by(exchange_sends.c.business_doc_type)
        .limit(1)
    ).first()
    if send is None:
        log.warning("status about a packet we did not send", extra={"about": about})
        return
    history = session.execute(
        select(exchange_statuses.c.status_code, exchange_statuses.c.timestamp).where(
            exchange_statuses.c.send_id == send.id
        )
    ).all()
    before = lines.replay([(c, t or "") for c, t in history])
    after = lines.replay([*((c, t or "") for c, t in history), (code, p.get("timestamp") or "")])
    note = None if after != before else lines.apply(before, code).note or "không đổi trạng thái"
    issued_on = session.execute(
        select(documents.c.issued_on).where(documents.c.id == send.document_id)
    ).scalar_one_or_none()
    stamp = p.get("timestamp") or ""
    if issued_on is not None and stamp and stamp[:10] < issued_on.isoformat():
        # Accepted all the same (senders' clocks and samples do this), with a warning.
        note = "; ".join(filter(None, [note, "thời điểm trạng thái trước ngày văn bản"]))
    step = lines.Applied(after, after != before, note)
    _record(session, send, code, p.get("description"), p.get("timestamp"), step, envelope.id)


def _record(  # noqa: PLR0917 - one status row, in reading order
    session: Session,
    send: Any,
    code: str,
    description: str | None,
    timestamp: str | None,
    step: lines.Applied,
    event_id: str,
) -> None:
    now = utcnow()
    session.execute(
        exchange_statuses.insert().values(
            id=new_id(),
            organ_id=send.organ_id,
            send_id=send.id,
            status_code=code,
            description=description,
            timestamp=timestamp,
            received_at=now,
            applied=1 if step.changed else 0,
            note=step.note,
            event_id=event_id,
        )
    )
    if step.changed:
        session.execute(
            update(exchange_sends)
            .where(exchange_sends.c.id == send.id)
            .values(
                delivery_status=step.line.delivery,
                recall_status=step.line.recall,
                updated_at=now,
            )
        )
