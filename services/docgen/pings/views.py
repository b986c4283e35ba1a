"""GET /v1/pings/<submission_id>: what the worker recorded."""

from __future__ import annotations

from flask import Blueprint, current_app
from sqlalchemy import select

from services.docgen.orm import pings
from services.docgen.pings.models import PingRecord
from shared.auth import ROLES
from shared.runtime import ServiceContext
from shared.web.api import endpoint, require_body
from shared.web.problems import Problem

bp = Blueprint("pings", __name__, url_prefix="/v1/pings")


@bp.get("/<submission_id>")
@endpoint("Xem một ping đã được docgen ghi nhận", response=PingRecord, roles=ROLES, tags=["pings"])
def show(submission_id: str) -> PingRecord:
    context: ServiceContext = current_app.extensions["vanthu"]
    with context.uow() as uow:
        query = select(pings).where(pings.c.submission_id == submission_id)
        row = uow.session.execute(query).first()
    if row is None:
        raise Problem("not_found", "Chưa có bản ghi ping cho submission này.")
    require_body(row.organ_id)
    return PingRecord(
        submission_id=row.submission_id,
        organ_id=row.organ_id,
        message=row.message,
        received_at=row.received_at,
    )
