"""The exchange of one issued document: where each recipient stands; recall, update, replace."""

from __future__ import annotations

from typing import Annotated, Any

from flask import Blueprint, current_app
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from services.docgen.exchange.outbound import refusal, request_recall, send_document
from services.docgen.issuing.service import (
    IssueError,
    IssueService,
    file_payload,
    issued_payload,
)
from services.docgen.issuing.signing import SignedCopies
from services.docgen.orm import exchange_sends, exchange_statuses
from shared.auth.roles import CLERKS, OFFICE
from shared.db import reading
from shared.edxml import DocumentId
from shared.edxml.codes import BusinessDocType
from shared.exchange.status import NAMES
from shared.runtime import ServiceContext
from shared.web.api import current_principal, endpoint
from shared.web.problems import Problem

bp = Blueprint("exchange", __name__)

Reason = Annotated[str, Field(min_length=1, max_length=500)]


class ReasonRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: Reason


class ReplaceRequest(ReasonRequest):
    replaces: list[Annotated[str, Field(min_length=1, max_length=36)]] = Field(
        min_length=1, max_length=20, description="Ids of our issued documents this one replaces"
    )


class Queued(BaseModel):
    queued: int = Field(description="Packets (or status requests) newly queued for sending")


def _context() -> ServiceContext:
    context: ServiceContext = current_app.extensions["vanthu"]
    return context


def _issued(document_id: str, *, leaving: bool = False) -> dict[str, Any]:
    """The issued payload of one of the caller's documents, with its current file: the
    signed copy, else the final PDF. ``leaving``: refused with a problem unless that file
    may go to the e-office system (``refusal``)."""
    organ_id = current_principal().organ_id
    issuing: IssueService = current_app.extensions["vanthu.issuing"]
    row = issuing.document(organ_id, document_id)
    signed: SignedCopies = current_app.extensions["vanthu.signed"]
    try:
        latest = signed.latest(organ_id, document_id)
    except IssueError as exc:
        if exc.code != "not_found":
            raise
        latest = None
    if leaving:  # decided before any file is read or rendered
        refused = refusal(
            state=row.state,
            signed=latest is not None,
            require_signed=_context().config.exchange_require_signed,
        )
        if refused is not None:
            raise Problem("conflict", refused[1], reason=refused[0])
    if latest is not None:
        content, name = bytes(latest.content), f"{row.number:02d}-{row.notation}-signed.pdf"
    else:
        content = issuing.final_file(organ_id, document_id, "pdf")
        name = f"{row.number:02d}-{row.notation}.pdf"
    return {**issued_payload(row._mapping), "file": file_payload(name, content)}


@bp.get("/v1/documents/<document_id>/exchange")
@endpoint(
    "Tình trạng gửi văn bản đến từng cơ quan nhận (trạng thái edXML)",
    roles=OFFICE,
    tags=["exchange"],
)
def show(document_id: str) -> dict[str, Any]:
    issuing: IssueService = current_app.extensions["vanthu.issuing"]
    issuing.document(current_principal().organ_id, document_id)
    with reading(_context().engine) as conn:
        sends = conn.execute(
            select(exchange_sends).where(exchange_sends.c.document_id == document_id)
        ).all()
        history = conn.execute(
            select(exchange_statuses)
            .where(exchange_statuses.c.send_id.in_([s.id for s in sends]))
            .order_by(exchange_statuses.c.received_at)
        ).all()
    return {
        "recipients": [
            {
                "organ_id": s.recipient_organ_id,
                "name": s.recipient_name,
                "business_doc_type": s.business_doc_type,
                "document_id": s.packet_document_id,
                "status": s.delivery_status,
                "status_name": NAMES.get(s.delivery_status or ""),
                "recall": s.recall_status,
                "history": [
                    {
                        "code": h.status_code,
                        "description": h.description,
                        "timestamp": h.timestamp,
                        "applied": bool(h.applied),
                        "note": h.note,
                    }
                    for h in history
                    if h.send_id == s.id
                ],
            }
            for s in sends
        ]
    }


@bp.post("/v1/documents/<document_id>/recall")
@endpoint(
    "Yêu cầu lấy lại văn bản đã gửi (trạng thái 13 đến từng cơ quan nhận)",
    body=ReasonRequest,
    response=Queued,
    status=202,
    roles=CLERKS,
    tags=["exchange"],
)
def recall(document_id: str, payload: ReasonRequest) -> Queued:
    organ_id = current_principal().organ_id
    _issued(document_id)
    context = _context()
    with context.uow() as uow:
        queued = request_recall(uow.session, context.outbox, organ_id, document_id, payload.reason)
        uow.commit()
    if not queued:
        raise Problem("conflict", "Không có cơ quan nhận nào để yêu cầu lấy lại (hoặc đã yêu cầu).")
    return Queued(queued=queued)


@bp.post("/v1/documents/<document_id>/update")
@endpoint(
    "Gửi bản cập nhật của văn bản (BussinessDocType 2) đến các cơ quan nhận",
    body=ReasonRequest,
    response=Queued,
    status=202,
    roles=CLERKS,
    tags=["exchange"],
)
def send_update(document_id: str, payload: ReasonRequest) -> Queued:
    issued = _issued(document_id, leaving=True)
    context = _context()
    with context.uow() as uow:
        queued = send_document(
            uow.session,
            context.outbox,
            current_principal().organ_id,
            issued,
            business_doc_type=BusinessDocType.UPDATE,
            reason=payload.reason,
        )
        uow.commit()
    return Queued(queued=queued)


@bp.post("/v1/documents/<document_id>/replace")
@endpoint(
    "Gửi văn bản này thay thế các văn bản đã gửi (BussinessDocType 3)",
    body=ReplaceRequest,
    response=Queued,
    status=202,
    roles=CLERKS,
    tags=["exchange"],
)
def send_replacement(document_id: str, payload: ReplaceRequest) -> Queued:
    issued = _issued(document_id, leaving=True)
    old = [_issued(old_id) for old_id in payload.replaces]
    organ_id = current_principal().organ_id
    replaces = tuple(
        DocumentId.compose(organ_id, o["issued_on"], f"{o['number']:02d}", o["notation"])
        for o in old
    )
    context = _context()
    with context.uow() as uow:
        queued = send_document(
            uow.session,
            context.outbox,
            organ_id,
            issued,
            business_doc_type=BusinessDocType.REPLACE,
            reason=payload.reason,
            replaces=replaces,
        )
        uow.commit()
    return Queued(queued=queued)
