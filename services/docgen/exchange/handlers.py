"""The worker's side of the exchange: send signed (or rendered) documents, record statuses."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.docgen.exchange.outbound import record_status, send_document
from shared.bus import Envelope, Outbox
from shared.bus.consumer import Handler


def sender(outbox: Outbox, *, when_signed: bool) -> Handler:
    """Send on ``document.signed`` (``when_signed``) or on ``document.rendered`` (not)."""

    def handle(session: Session, envelope: Envelope) -> None:
        signed = bool(envelope.payload.get("signed"))
        if signed == when_signed:
            send_document(session, outbox, envelope.organ_id, envelope.payload)

    return handle


__all__ = ["record_status", "sender"]
