"""Packets that failed: kept for the clerk, who retries or rejects them.

The inbound consumer dead-letters a packet it refuses (malformed, hostile,
over a limit, addressed to no body here) or that still fails after every
retry. A second consumer reads that dead-letter queue into a table — so the
clerk sees each failed packet with its reason — and, where the sender and the
DocumentId can be read from the raw bytes, answers 02 with the reason.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from kombu import Message
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.intake.exchange.inbound import Inbound
from services.intake.orm import failed_packets
from shared.bus import Envelope, Outbox
from shared.bus.messages import ATTEMPT_HEADER, ERROR_HEADER, FAILED_AT_HEADER
from shared.bus.topology import INBOUND_QUEUE
from shared.clock import Clock
from shared.db import upsert_insert
from shared.edxml import DocumentId, Limits, ResponseFor
from shared.exchange.inbound import PACKET_EVENT, identify, packet_id
from shared.exchange.packets import packet_message_id

FAILED_EVENT = "edxml.failed"


def decode_failure(message: Message) -> Envelope:
    """A dead-lettered packet, with the reason and attempts from its headers."""
    headers = message.headers or {}
    original = Envelope.from_json(message.body)
    failed_at = str(headers.get(FAILED_AT_HEADER) or "")
    return Envelope(
        FAILED_EVENT,
        original.organ_id,
        {
            **original.payload,
            "packet_id": original.id,
            "error": str(headers.get(ERROR_HEADER) or "không rõ lý do"),
            "attempts": int(headers.get(ATTEMPT_HEADER) or 1),
        },
        # Each failure its own id: a packet retried and failing again is shown again.
        id=packet_message_id(original.id, failed_at),
    )


def recorder(outbox: Outbox, clock: Clock) -> Callable[[Session, Envelope], None]:
    inbound = Inbound(outbox, clock, Limits())

    def record(session: Session, envelope: Envelope) -> None:
        raw = base64.b64decode(envelope.payload.get("packet_b64", ""))
        who = identify(raw)
        values = {
            "organ_id": envelope.organ_id,
            "packet": raw,
            "error": str(envelope.payload["error"])[:4000],
            "attempts": int(envelope.payload["attempts"]),
            "sender_organ_id": who[0][:35] if who else None,
            "packet_document_id": who[1][:200] if who else None,
            "state": "failed",
            "failed_at": clock(),
            "decided_at": None,
        }
        stmt = upsert_insert(session, failed_packets).values(
            id=envelope.payload["packet_id"], **values
        )
        session.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=values))
        if who and inbound.incoming_register(session, envelope.organ_id) is not None:
            reject(session, outbox, clock, envelope.organ_id, who, str(values["error"]))

    return record


def reject(  # noqa: PLR0917 - the packet, who sent it, and why
    session: Session,
    outbox: Outbox,
    clock: Clock,
    organ_id: str,
    who: tuple[str, str],
    reason: str,
) -> None:
    """Status 02 to the sender of a packet we could not take, with the reason."""
    sender, document_id = who
    Inbound(outbox, clock, Limits()).answer_to(
        session,
        organ_id,
        ResponseFor(organ_id=sender, document_id=DocumentId.parse(document_id)),
        "02",
        f"Từ chối tiếp nhận: {reason}"[:1000],
    )


def retry(session: Session, outbox: Outbox, clock: Clock, row_id: str) -> bool:
    """Put a failed packet back on the inbound queue, once; False if it is not failed."""
    row = session.execute(select(failed_packets).where(failed_packets.c.id == row_id)).first()
    if row is None or row.state != "failed" or "too_large" in row.error:
        return False
    envelope = Envelope(
        PACKET_EVENT,
        row.organ_id,
        {"packet_b64": base64.b64encode(bytes(row.packet)).decode("ascii")},
        id=packet_id(bytes(row.packet)),
    )
    outbox.add_to_queue(session, INBOUND_QUEUE, envelope, {ATTEMPT_HEADER: 1}, clock())
    session.execute(
        update(failed_packets)
        .where(failed_packets.c.id == row_id)
        .values(state="retried", decided_at=clock())
    )
    return True
