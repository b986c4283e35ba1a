"""The worker's side of the exchange: send signed (or rendered) documents, record statuses."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from services.docgen.exchange.outbound import (
    document_state,
    record_status,
    refusal,
    send_document,
)
from shared.bus import Envelope, Outbox
from shared.bus.consumer import Handler

log = logging.getLogger(__name__)


def sender(outbox: Outbox, *, require_signed: bool) -> Handler:
    """Send on ``document.signed``, and on ``document.rendered`` where the body lets
    unsigned finals go; never a document whose number was cancelled (``refusal``)."""

    def handle(session: Session, envelope: Envelope) -> None:
        payload = envelope.payload
        state = document_state(session, str(payload.get("document_id", ""))) or "issued"
        refused = refusal(
            state=state, signed=bool(payload.get("signed")), require_signed=require_signed
        )
        if refused is None:
            send_document(session, outbox, envelope.organ_id, payload)
        elif refused[0] != "not_signed":  # unsigned finals wait for their signed copy
            log.warning(
                "not sent to the e-office system",
                extra={"document_id": payload.get("document_id"), "reason": refused[0]},
            )

    return handle


__all__ = ["record_status", "sender"]
