"""/v1/obligations (the catalogue; a body's reporters, set by its admin) and /v1/reminders."""

from __future__ import annotations

import json

from flask import Blueprint, current_app
from sqlalchemy import select

from services.docgen.documents.models import CongVanDonDoc
from services.intake.deadlines import MonthlyRule
from services.intake.orm import obligation_assignments
from services.intake.reminders.catalogue import obligations
from services.intake.reminders.models import (
    Assignment,
    ObligationInfo,
    ObligationList,
    ReminderList,
    ReportersRequest,
)
from services.intake.reminders.store import Assigned, assignment, assignments, body_reminders
from shared.auth.roles import ADMINS, OFFICE, REPORT_READERS
from shared.clock import vietnam_date
from shared.db.types import new_id
from shared.runtime import ServiceContext
from shared.web.api import current_principal, endpoint
from shared.web.problems import Problem

bp = Blueprint("obligations", __name__, url_prefix="/v1")


def _context() -> ServiceContext:
    context: ServiceContext = current_app.extensions["vanthu"]
    return context


def _view(assigned: Assigned, title: str) -> Assignment:
    return Assignment(
        obligation_id=assigned.obligation_id,
        organ_id=assigned.organ_id,
        title=title,
        since=assigned.since,
        letter=assigned.letter,
        reporters=list(assigned.reporters),
        updated_at=assigned.row.updated_at,
    )


def _obligation(obligation_id: str) -> tuple[str, MonthlyRule]:
    obligation = obligations().get(obligation_id)
    if obligation is None:
        raise Problem("not_found", "Không có nghĩa vụ báo cáo này trong danh mục.")
    if not isinstance(obligation.rule, MonthlyRule):
        raise Problem(
            "validation_failed",
            errors=[
                {
                    "field": "obligation_id",
                    "code": "not_monthly",
                    "message": "Hiện chỉ theo dõi được nghĩa vụ báo cáo hằng tháng.",
                }
            ],
        )
    return obligation.title, obligation.rule


@bp.get("/obligations")
@endpoint(
    "Danh mục nghĩa vụ báo cáo", response=ObligationList, roles=REPORT_READERS, tags=["deadlines"]
)
def catalogue() -> ObligationList:
    organ_id = current_principal().organ_id
    with _context().uow() as uow:
        followed = {a.obligation_id for a in assignments(uow.session, organ_id)}
    return ObligationList(
        items=[
            ObligationInfo(
                id=o.id,
                title=o.title,
                issuer=o.issuer,
                province=o.province,
                programme=o.programme,
                legal_basis=o.legal_basis,
                rule=o.rule.model_dump(mode="json"),
                assigned=o.id in followed,
            )
            for o in obligations().values()
        ]
    )


@bp.put("/obligations/<obligation_id>/reporters")
@endpoint(
    "Giao nghĩa vụ báo cáo cho cơ quan: các đơn vị báo cáo (chủ đầu tư, dự án) và mẫu "
    "công văn đôn đốc",
    body=ReportersRequest,
    response=Assignment,
    roles=ADMINS,
    tags=["deadlines"],
)
def assign(obligation_id: str, payload: ReportersRequest) -> Assignment:
    title, _ = _obligation(obligation_id)
    principal = current_principal()
    context = _context()
    now = context.clock()
    today = vietnam_date(now)
    since = payload.since or today.replace(day=1)
    # The letterhead must make a valid letter: try it on a placeholder row now, not
    # when the first reminder is due.
    try:
        CongVanDonDoc.model_validate(
            {
                **payload.letter.model_dump(mode="json", exclude={"subject", "closing"}),
                "issued_on": today.isoformat(),
                "subject": payload.letter.subject or "đôn đốc gửi báo cáo",
                "recipients": [payload.reporters[0].name],
                "paragraphs": ["…"],
                "deadline": title,
                "overdue": [
                    {"reporter": payload.reporters[0].name, "report": "…", "due_on": today}
                ],
            }
        )
    except ValueError as exc:
        raise Problem(
            "validation_failed",
            errors=[{"field": "letter", "code": "invalid_letter", "message": str(exc)[:500]}],
        ) from None
    values = {
        "since": since.replace(day=1),
        "reporters": json.dumps(
            [r.model_dump(mode="json") for r in payload.reporters], ensure_ascii=False
        ),
        "letter": json.dumps(payload.letter.model_dump(mode="json"), ensure_ascii=False),
        "updated_by": principal.token_id,
        "updated_at": now,
    }
    with context.uow() as uow:
        existing = uow.session.execute(
            select(obligation_assignments.c.id).where(
                obligation_assignments.c.organ_id == principal.organ_id,
                obligation_assignments.c.obligation_id == obligation_id,
            )
        ).scalar()
        if existing is None:
            uow.session.execute(
                obligation_assignments.insert().values(
                    id=new_id(),
                    organ_id=principal.organ_id,
                    obligation_id=obligation_id,
                    **values,
                )
            )
        else:
            uow.session.execute(
                obligation_assignments.update()
                .where(obligation_assignments.c.id == existing)
                .values(**values)
            )
        uow.commit()
        stored = assignment(uow.session, principal.organ_id, obligation_id)
    assert stored is not None
    return _view(stored, title)


@bp.get("/obligations/<obligation_id>/reporters")
@endpoint(
    "Các đơn vị báo cáo của một nghĩa vụ báo cáo",
    response=Assignment,
    roles=REPORT_READERS,
    tags=["deadlines"],
)
def reporters(obligation_id: str) -> Assignment:
    title, _ = _obligation(obligation_id)
    with _context().uow() as uow:
        stored = assignment(uow.session, current_principal().organ_id, obligation_id)
    if stored is None:
        raise Problem("not_found", "Cơ quan chưa được giao nghĩa vụ báo cáo này.")
    return _view(stored, title)


@bp.get("/reminders")
@endpoint(
    "Các công văn đôn đốc đã lập (một cho mỗi nghĩa vụ và kỳ báo cáo)",
    response=ReminderList,
    roles=OFFICE,
    tags=["deadlines"],
)
def reminder_list() -> ReminderList:
    with _context().uow() as uow:
        return ReminderList(items=body_reminders(uow.session, current_principal().organ_id))
