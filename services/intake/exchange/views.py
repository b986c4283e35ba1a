"""Incoming documents from the e-office system, and failed packets, for the văn thư."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any

from flask import Blueprint, Response, current_app, request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select, update

from services.intake.exchange import failed
from services.intake.exchange.inbound import ACCEPTED_EVENT, Inbound
from services.intake.orm import failed_packets, incoming, incoming_files
from shared.auth.roles import CLERKS, OFFICE
from shared.bus import Envelope
from shared.db import reading
from shared.edxml import DocumentId, ResponseFor
from shared.runtime import ServiceContext
from shared.web.api import current_principal, endpoint
from shared.web.problems import Problem

bp = Blueprint("incoming", __name__)
EXTENSION = "vanthu.inbound"


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: Annotated[str, Field(min_length=1, max_length=1000)]


def _context() -> ServiceContext:
    context: ServiceContext = current_app.extensions["vanthu"]
    return context


def _inbound() -> Inbound:
    inbound: Inbound = current_app.extensions[EXTENSION]
    return inbound


def _mine(table: Any, row_id: str) -> Any:
    with reading(_context().engine) as conn:
        row = conn.execute(select(table).where(table.c.id == row_id)).first()
    if row is None:
        raise Problem("not_found")
    if row.organ_id != current_principal().organ_id:
        raise Problem("wrong_body")
    return row


def _incoming_out(row: Any, files: list[Any] | None = None) -> dict[str, Any]:
    out = {
        "id": row.id,
        "sender": {"organ_id": row.sender_organ_id, "name": row.sender_name},
        "document_id": row.packet_document_id,
        "business_doc_type": row.business_doc_type,
        "arrival_number": row.arrival_number,
        "arrival_date": row.arrival_date.isoformat() if row.arrival_date else None,
        "code": row.code,
        "issued_on": row.issued_on.isoformat() if row.issued_on else None,
        "type_name": row.type_name,
        "subject": row.subject,
        "state": row.state,
        "answered": row.answered,
        "version": row.version,
        "target_id": row.target_id,
        "reason": row.reason,
        "warnings": json.loads(row.summary).get("warnings", []),
        "received_at": row.received_at.isoformat(),
    }
    if files is not None:
        out["files"] = [
            {
                "id": f.id,
                "name": f.name,
                "media_type": f.media_type,
                "size": f.size,
                "sha256": f.sha256,
                "version": f.version,
            }
            for f in files
        ]
    return out


@bp.get("/v1/incoming")
@endpoint(
    "Văn bản đến qua trục liên thông (?state=registered|accepted|…)",
    roles=OFFICE,
    tags=["incoming"],
)
def list_incoming() -> dict[str, Any]:
    query = select(incoming).where(incoming.c.organ_id == current_principal().organ_id)
    state = request.args.get("state")
    if state:
        query = query.where(incoming.c.state == state[:12])
    else:  # a recalled document is withdrawn from use and search (Phụ lục VI, item 8)
        query = query.where(incoming.c.state != "recalled")
    with reading(_context().engine) as conn:
        rows = conn.execute(query.order_by(incoming.c.received_at.desc()).limit(500)).all()
    return {"incoming": [_incoming_out(r) for r in rows]}


@bp.get("/v1/incoming/<incoming_id>")
@endpoint("Xem một văn bản đến và các tệp của nó", roles=OFFICE, tags=["incoming"])
def show_incoming(incoming_id: str) -> dict[str, Any]:
    row = _mine(incoming, incoming_id)
    with reading(_context().engine) as conn:
        files = conn.execute(
            select(
                incoming_files.c.id,
                incoming_files.c.name,
                incoming_files.c.media_type,
                incoming_files.c.size,
                incoming_files.c.sha256,
                incoming_files.c.version,
            )
            .where(incoming_files.c.incoming_id == incoming_id)
            .order_by(incoming_files.c.version, incoming_files.c.name)
        ).all()
    return _incoming_out(row, list(files))


@bp.get("/v1/incoming/<incoming_id>/files/<file_id>")
@endpoint("Tải một tệp của văn bản đến", roles=OFFICE, tags=["incoming"])
def download_file(incoming_id: str, file_id: str) -> Response:
    if _mine(incoming, incoming_id).state == "recalled":
        raise Problem(
            "recalled", "Văn bản đã bị nơi gửi thu hồi; tệp không còn được sử dụng.", status=410
        )
    with reading(_context().engine) as conn:
        file = conn.execute(
            select(incoming_files).where(
                incoming_files.c.id == file_id, incoming_files.c.incoming_id == incoming_id
            )
        ).first()
    if file is None:
        raise Problem("not_found")
    response = Response(bytes(file.content), mimetype="application/octet-stream")
    response.headers["Content-Disposition"] = "attachment"
    return response


def _decide(incoming_id: str, state: str, code: str, reason: str | None) -> dict[str, Any]:
    row = _mine(incoming, incoming_id)
    if row.state != "registered":
        raise Problem(
            "conflict", f"Văn bản đang ở trạng thái '{row.state}'; chỉ xử lý văn bản vừa đến."
        )
    context = _context()
    principal = current_principal()
    with context.uow() as uow:
        done = uow.session.execute(
            update(incoming)
            .where(incoming.c.id == incoming_id, incoming.c.state == "registered")
            .values(
                state=state,
                answered=code,
                reason=reason,
                decided_at=context.clock(),
                decided_by=principal.token_id,
            )
            .returning(incoming.c.id)
        ).first()
        if done is None:
            raise Problem("conflict", "Văn bản vừa được người khác xử lý.")
        _inbound().answer_to(
            uow.session,
            row.organ_id,
            ResponseFor(
                organ_id=row.sender_organ_id,
                document_id=DocumentId.parse(row.packet_document_id),
                code=row.code,
                promulgation_date=row.issued_on.isoformat() if row.issued_on else None,
            ),
            code,
            reason,
        )
        if state == "accepted":
            files = uow.session.execute(
                select(incoming_files).where(
                    incoming_files.c.incoming_id == incoming_id,
                    incoming_files.c.version == row.version,
                )
            ).all()
            context.outbox.add_event(
                uow.session,
                Envelope(
                    ACCEPTED_EVENT,
                    row.organ_id,
                    {
                        "incoming_id": row.id,
                        "arrival_number": row.arrival_number,
                        "arrival_date": row.arrival_date.isoformat() if row.arrival_date else None,
                        "sender": {"organ_id": row.sender_organ_id, "name": row.sender_name},
                        "code": row.code,
                        "issued_on": row.issued_on.isoformat() if row.issued_on else None,
                        "type_name": row.type_name,
                        "subject": row.subject,
                        "files": [
                            {
                                "name": f.name,
                                "media_type": f.media_type,
                                "size": f.size,
                                "sha256": f.sha256,
                                "content_b64": base64.b64encode(bytes(f.content)).decode("ascii"),
                            }
                            for f in files
                        ],
                    },
                ),
            )
        uow.commit()
    return _incoming_out(_mine(incoming, incoming_id))


@bp.post("/v1/incoming/<incoming_id>/accept")
@endpoint(
    "Tiếp nhận văn bản đến (trạng thái 03; tệp chuyển sang lưu trữ)",
    roles=CLERKS,
    tags=["incoming"],
)
def accept(incoming_id: str) -> dict[str, Any]:
    return _decide(incoming_id, "accepted", "03", None)


@bp.post("/v1/incoming/<incoming_id>/reject")
@endpoint(
    "Từ chối tiếp nhận văn bản đến, kèm lý do (trạng thái 02)",
    body=Decision,
    roles=CLERKS,
    tags=["incoming"],
)
def reject(incoming_id: str, payload: Decision) -> dict[str, Any]:
    return _decide(incoming_id, "rejected", "02", payload.reason)


@bp.get("/v1/failed-packets")
@endpoint("Gói tin không xử lý được (lý do, số lần thử)", roles=CLERKS, tags=["incoming"])
def list_failed() -> dict[str, Any]:
    with reading(_context().engine) as conn:
        rows = conn.execute(
            select(
                failed_packets.c.id,
                failed_packets.c.error,
                failed_packets.c.attempts,
                failed_packets.c.sender_organ_id,
                failed_packets.c.packet_document_id,
                failed_packets.c.state,
                failed_packets.c.failed_at,
            )
            .where(failed_packets.c.organ_id == current_principal().organ_id)
            .order_by(failed_packets.c.failed_at.desc())
            .limit(500)
        ).all()
    return {
        "failed": [
            {
                "id": r.id,
                "error": r.error,
                "attempts": r.attempts,
                "sender": r.sender_organ_id,
                "document_id": r.packet_document_id,
                "state": r.state,
                "failed_at": r.failed_at.isoformat(),
            }
            for r in rows
        ]
    }


@bp.post("/v1/failed-packets/<packet_id>/retry")
@endpoint("Xử lý lại một gói tin lỗi", status=202, roles=CLERKS, tags=["incoming"])
def retry_failed(packet_id: str) -> dict[str, Any]:
    _mine(failed_packets, packet_id)
    context = _context()
    with context.uow() as uow:
        if not failed.retry(uow.session, context.outbox, context.clock, packet_id):
            raise Problem("conflict", "Gói tin này đã được xử lý lại hoặc đã từ chối.")
        uow.commit()
    return {"id": packet_id, "state": "retried"}


@bp.post("/v1/failed-packets/<packet_id>/reject")
@endpoint(
    "Từ chối một gói tin lỗi (trả trạng thái 02 nếu biết nơi gửi)",
    body=Decision,
    roles=CLERKS,
    tags=["incoming"],
)
def reject_failed(packet_id: str, payload: Decision) -> dict[str, Any]:
    row = _mine(failed_packets, packet_id)
    if row.state != "failed":
        raise Problem("conflict", "Gói tin này đã được xử lý lại hoặc đã từ chối.")
    context = _context()
    with context.uow() as uow:
        uow.session.execute(
            update(failed_packets)
            .where(failed_packets.c.id == packet_id)
            .values(state="rejected", decided_at=context.clock())
        )
        if row.sender_organ_id and row.packet_document_id:
            who = (row.sender_organ_id, row.packet_document_id)
            failed.reject(
                uow.session, context.outbox, context.clock, row.organ_id, who, payload.reason
            )
        uow.commit()
    return {"id": packet_id, "state": "rejected"}
