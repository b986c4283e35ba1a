"""POST /v1/submissions and GET /v1/submissions/<id>."""

from __future__ import annotations

import json

from flask import Blueprint, current_app
from sqlalchemy import select

from services.intake.orm import submissions
from services.intake.submissions.models import SubmissionAccepted, SubmissionRequest
from shared.auth import Role
from shared.bus import Envelope
from shared.db.types import new_id, utcnow
from shared.runtime import ServiceContext
from shared.web.api import current_principal, endpoint, require_body
from shared.web.problems import Problem

bp = Blueprint("submissions", __name__, url_prefix="/v1/submissions")

SUBMITTERS = (Role.CLERK, Role.INVESTOR, Role.ADMIN, Role.PEER)


def _context() -> ServiceContext:
    context: ServiceContext = current_app.extensions["vanthu"]
    return context


@bp.post("")
@endpoint(
    "Nộp một hồ sơ, báo cáo hoặc yêu cầu (submission)",
    body=SubmissionRequest,
    response=SubmissionAccepted,
    status=202,
    roles=SUBMITTERS,
    tags=["submissions"],
)
def create(payload: SubmissionRequest) -> SubmissionAccepted:
    principal = current_principal()
    submission = payload.root
    submission_id = new_id()
    created_at = utcnow()
    data = submission.model_dump(mode="json")
    context = _context()
    with context.uow() as uow:
        uow.session.execute(
            submissions.insert().values(
                id=submission_id,
                organ_id=principal.organ_id,
                kind=submission.kind,
                payload=json.dumps(data, ensure_ascii=False),
                submitted_by=principal.token_id,
                created_at=created_at,
            )
        )
        context.outbox.add_event(
            uow.session,
            Envelope(
                type=f"submission.{submission.kind}",
                organ_id=principal.organ_id,
                payload={"submission_id": submission_id, **data},
            ),
        )
        uow.commit()
    return SubmissionAccepted(
        id=submission_id,
        kind=submission.kind,
        organ_id=principal.organ_id,
        status="accepted",
        created_at=created_at,
    )


@bp.get("/<submission_id>")
@endpoint(
    "Xem một submission đã nộp",
    response=SubmissionAccepted,
    roles=SUBMITTERS,
    tags=["submissions"],
)
def show(submission_id: str) -> SubmissionAccepted:
    with _context().uow() as uow:
        row = uow.session.execute(
            select(submissions).where(submissions.c.id == submission_id)
        ).first()
    if row is None:
        raise Problem("not_found", "Không tìm thấy submission này.")
    require_body(row.organ_id)
    return SubmissionAccepted(
        id=row.id,
        kind=row.kind,
        organ_id=row.organ_id,
        status="accepted",
        created_at=row.created_at,
    )
