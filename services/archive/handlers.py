"""The archive's bus side: documents from docgen and intake become records.

All the work is in the *preparer* (before the inbox transaction, outside DB
locks): ingest is idempotent and talks to S3, which must never happen inside a
transaction. The handler itself only lets the inbox row be written.

Decisions:
- ``document.rendered`` (unsigned final) under ``VANTHU_ARCHIVE_SIGNED_ONLY``:
  acknowledged, nothing stored.
- A file the archive refuses (broken signature, not a PDF, SHA-256 not matching
  the event, oversized) is a :class:`PermanentError`: the message goes to
  ``vanthu.archive.dlq`` at once, with the reason in its last-error header. The
  producer must fix it; the archive keeps nothing it cannot vouch for.
- S3 down is *not* a failure of the message: the record waits in ``pending``
  with its bytes staged, and the worker stores it when S3 is back.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from services.archive.orm import records
from services.archive.service import (
    PDF,
    ArchiveService,
    DocumentFields,
    FileToKeep,
    IngestRefused,
)
from shared.bus import Envelope
from shared.bus.consumer import Handler, PermanentError, Preparer

log = logging.getLogger(__name__)

RENDERED = "document.rendered"
SIGNED = "document.signed"
INCOMING = "incoming.accepted"
RECALLED = "incoming.recalled"
EVENTS = (RENDERED, SIGNED, INCOMING)
ACTOR = "bus"


def _date(raw: Any) -> date | None:
    return date.fromisoformat(str(raw)[:10]) if raw else None


def _content(file: dict[str, Any]) -> bytes:
    try:
        content = base64.b64decode(file["content_b64"], validate=True)
    except (KeyError, TypeError, binascii.Error) as exc:
        raise PermanentError(f"file without readable content_b64: {exc}") from exc
    declared = file.get("sha256")
    if declared and hashlib.sha256(content).hexdigest() != declared:
        raise PermanentError("file bytes do not match the sha256 the event declares")
    return content


def _outgoing(envelope: Envelope) -> list[FileToKeep]:
    p = envelope.payload
    signer = p.get("signer") or {}
    file = p["file"]
    extra = {k: v for k, v in p.items() if k != "file"}
    return [
        FileToKeep(
            organ_id=envelope.organ_id,
            direction="out",
            source="docgen",
            source_id=str(p["document_id"]),
            file_name=str(file.get("name") or f"{p['document_id']}.pdf"),
            media_type=str(file.get("media_type") or PDF),
            content=_content(file),
            fields=DocumentFields(
                type_name=str(p["type_name"]),
                subject=str(p["subject"])[:500],
                code_number=str(p["number"]) if p.get("number") is not None else None,
                code_notation=p.get("notation"),
                issued_date=_date(p.get("issued_on")),
                organ_name=p.get("organ_name"),
                signer_position=signer.get("position"),
                signer_name=signer.get("full_name"),
                priority=p.get("priority"),
            ),
            actor=ACTOR,
            extra=extra,
        )
    ]


def _incoming(envelope: Envelope) -> list[FileToKeep]:
    p = envelope.payload
    number, _, notation = str(p.get("code") or "").partition("/")
    sender = p.get("sender") or {}
    extra = {k: v for k, v in p.items() if k != "files"}
    fields = DocumentFields(
        type_name=str(p["type_name"]),
        subject=str(p["subject"])[:500],
        code_number=number or None,
        code_notation=notation or None,
        issued_date=_date(p.get("issued_on")),
        organ_name=sender.get("name"),
        arrival_number=p.get("arrival_number"),
        arrival_date=_date(p.get("arrival_date")),
    )
    return [
        FileToKeep(
            organ_id=envelope.organ_id,
            direction="in",
            source="intake",
            source_id=str(p["incoming_id"]),
            file_name=str(file.get("name") or "tep"),
            media_type=str(file.get("media_type") or "application/octet-stream"),
            content=_content(file),
            fields=fields,
            actor=ACTOR,
            extra=extra,
        )
        for file in p["files"]
    ]


def preparer(service: ArchiveService) -> Preparer:
    def prepare(envelope: Envelope) -> None:
        if envelope.type == RENDERED and service.context.config.archive_signed_only:
            log.info("unsigned final not kept (signed-only body)", extra={"event_id": envelope.id})
            return
        try:
            items = _incoming(envelope) if envelope.type == INCOMING else _outgoing(envelope)
        except (KeyError, TypeError, ValueError) as exc:
            raise PermanentError(f"malformed {envelope.type} payload: {exc!r}") from exc
        for item in items:
            try:
                service.ingest(item)
            except IngestRefused as exc:
                if exc.code == "unsigned_refused":
                    log.info("unsigned file not kept", extra={"event_id": envelope.id})
                    continue
                raise PermanentError(f"{exc.code}: {exc.reason}") from exc

    return prepare


def recorded(session: Session, envelope: Envelope) -> None:
    """The preparer did the work; the inbox row written with this marks the message done."""


def mark_recalled(session: Session, envelope: Envelope) -> None:
    """``incoming.recalled``: the sender took an accepted document back. Its records stay
    under retention (WORM), marked recalled with the time."""
    incoming_id = envelope.payload.get("incoming_id")
    if not isinstance(incoming_id, str):
        raise PermanentError("incoming.recalled without incoming_id")
    session.execute(
        update(records)
        .where(
            records.c.organ_id == envelope.organ_id,
            records.c.source == "intake",
            records.c.source_id == incoming_id,
            records.c.recalled_at.is_(None),
        )
        .values(recalled_at=envelope.occurred_at)
    )


def handlers() -> dict[str, Handler]:
    return {**dict.fromkeys(EVENTS, recorded), RECALLED: mark_recalled}


def preparers(service: ArchiveService) -> dict[str, Preparer]:
    prepare = preparer(service)
    return dict.fromkeys(EVENTS, prepare)


Prepare = Callable[[Envelope], None]
