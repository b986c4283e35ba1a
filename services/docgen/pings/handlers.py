"""Consuming ``submission.ping``: record it, once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.docgen.orm import pings
from shared.bus import Envelope
from shared.bus.consumer import PermanentError
from shared.db.types import utcnow


def record_ping(session: Session, envelope: Envelope) -> None:
    try:
        submission_id = str(envelope.payload["submission_id"])
        message = str(envelope.payload["message"])
    except KeyError as exc:
        raise PermanentError(f"submission.ping without {exc}") from None
    session.execute(
        pings.insert().values(
            submission_id=submission_id,
            organ_id=envelope.organ_id,
            message=message,
            event_id=envelope.id,
            received_at=utcnow(),
        )
    )
