"""Consuming ``draft.created``: link docgen's draft to the submission or reminder it was for."""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.intake.orm import reminders, submissions
from shared.bus import Envelope
from shared.bus.consumer import PermanentError
from shared.db.types import utcnow

DRAFT_CREATED = "draft.created"


def record_draft(session: Session, envelope: Envelope) -> None:
    """Record the draft once (a repeated announcement changes nothing)."""
    payload = envelope.payload
    draft_id = payload.get("draft_id")
    if not isinstance(draft_id, str):
        raise PermanentError("draft.created without draft_id")
    if isinstance(payload.get("submission_id"), str):
        table, key = submissions, payload["submission_id"]
    elif isinstance(payload.get("reminder_id"), str):
        table, key = reminders, payload["reminder_id"]
    else:
        raise PermanentError("draft.created for neither a submission nor a reminder")
    session.execute(
        table.update()
        .where(
            table.c.id == key,
            table.c.organ_id == envelope.organ_id,
            table.c.draft_id.is_(None),
        )
        .values(draft_id=draft_id, drafted_at=utcnow())
    )
