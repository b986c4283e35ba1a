"""Drafts asked for over the bus: an accepted submission, a reminder that is due.

``submission.accepted`` and ``reminder.requested`` carry a template id and its data.
The preparer renders the draft (DOCX and PDF) before the message's transaction, so
no database lock is held while rendering, and stores it in a short transaction of its
own together with a ``docgen_draft_requests`` row keyed by the request
("submission:<id>", "reminder:<id>"): a redelivery finds the key and renders nothing,
and two deliveries racing cannot both commit. The handler, in the inbox transaction,
announces ``draft.created`` with the draft's id.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.docgen.catalogue import NoVersionInForce, UnknownTemplate, default_catalogue
from services.docgen.orm import draft_requests, drafts
from services.docgen.rendering import Renderer
from shared.bus import Envelope, Outbox
from shared.bus.consumer import Handler, PermanentError, Preparer
from shared.db.types import new_id, utcnow
from shared.runtime import ServiceContext

SUBMISSION_ACCEPTED = "submission.accepted"
REMINDER_REQUESTED = "reminder.requested"
DRAFT_CREATED = "draft.created"

_SOURCES = {SUBMISSION_ACCEPTED: "submission", REMINDER_REQUESTED: "reminder"}


def _source(envelope: Envelope) -> tuple[str, str]:
    """("submission" | "reminder", its id)."""
    source = _SOURCES.get(envelope.type)
    if source is None:
        raise PermanentError(f"no draft is made for {envelope.type!r}")
    key = envelope.payload.get(f"{source}_id")
    if not isinstance(key, str) or not key or len(key) > 60:
        raise PermanentError(f"{envelope.type} without {source}_id")
    return source, key


def request_key(envelope: Envelope) -> str:
    source, key = _source(envelope)
    return f"{source}:{key}"


def _existing(session: Session, key: str) -> Any:
    return session.execute(select(draft_requests).where(draft_requests.c.key == key)).first()


def draft_preparer(context: ServiceContext, renderer: Renderer) -> Preparer:
    """Render and store the requested draft, once per request key."""

    def prepare(envelope: Envelope) -> None:
        key = request_key(envelope)
        with context.uow() as uow:
            if _existing(uow.session, key) is not None:
                return
        template_id = envelope.payload.get("template")
        data = envelope.payload.get("data")
        if not isinstance(template_id, str) or not isinstance(data, dict):
            raise PermanentError(f"{envelope.type} without template and data")
        try:
            template = default_catalogue().get(template_id)
            document = template.model.model_validate(data)
            version = template.version_on(document.issued_on)  # type: ignore[attr-defined]
        except (UnknownTemplate, NoVersionInForce, ValidationError) as exc:
            raise PermanentError(f"cannot draft {template_id!r}: {exc}"[:1000]) from None
        rendered = {fmt: renderer.render(template.id, document, fmt) for fmt in ("docx", "pdf")}
        draft_id = new_id()
        now = utcnow()
        submitted_by = envelope.payload.get("submitted_by")
        with context.uow() as uow:
            try:
                uow.session.execute(
                    drafts.insert().values(
                        id=draft_id,
                        organ_id=envelope.organ_id,
                        template_id=template.id,
                        version_id=version.id,
                        data=json.dumps(document.model_dump(mode="json"), ensure_ascii=False),
                        created_by=(submitted_by if isinstance(submitted_by, str) else "bus")[:16],
                        created_at=now,
                        **rendered,
                    )
                )
                uow.session.execute(
                    draft_requests.insert().values(
                        key=key, organ_id=envelope.organ_id, draft_id=draft_id, created_at=now
                    )
                )
                uow.commit()
            except IntegrityError:
                # A concurrent delivery stored it first; its draft is the one.
                return

    return prepare


def draft_announcer(outbox: Outbox) -> Handler:
    """In the inbox transaction: announce the stored draft as ``draft.created``."""

    def handle(session: Session, envelope: Envelope) -> None:
        source, source_id = _source(envelope)
        row = _existing(session, f"{source}:{source_id}")
        if row is None:  # the preparer did not store it: retry the whole message
            raise RuntimeError(f"draft for {source} {source_id} not stored")
        outbox.add_event(
            session,
            Envelope(
                type=DRAFT_CREATED,
                organ_id=envelope.organ_id,
                payload={
                    f"{source}_id": source_id,
                    "draft_id": row.draft_id,
                    "template": envelope.payload.get("template"),
                },
            ),
        )

    return handle
