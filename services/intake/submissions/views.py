"""POST /v1/submissions and GET /v1/submissions/<id>.

A submission is read as JSON, every text field NFC-normalised and converted from
TCVN3/VNI where it was typed so (the response names those fields), then validated
by its kind's model. An accepted submission is stored with one outbox event in the
same transaction: ``submission.ping`` for a ping, ``submission.accepted`` (template
id and data) for a document docgen drafts. A refused one leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from flask import Blueprint, current_app
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from services.docgen.catalogue import NoVersionInForce, default_catalogue
from services.intake.deadlines import MonthlyRule, MonthPeriod, deadline
from services.intake.orm import submissions
from services.intake.reminders.catalogue import obligations
from services.intake.reminders.store import assignment
from services.intake.submissions.models import (
    UNION_TAGS,
    Conversion,
    MonthlyReport,
    SubmissionAccepted,
    SubmissionRequest,
    document_date,
    template_of,
)
from services.intake.submissions.text import normalise_text
from shared.auth.roles import SUBMITTERS
from shared.bus import Envelope
from shared.clock import vietnam_date
from shared.db.types import new_id
from shared.runtime import ServiceContext
from shared.web.api import SPEC_ATTRIBUTE, current_principal, endpoint, json_body, require_body
from shared.web.problems import Problem
from shared.web.validation import field_errors

bp = Blueprint("submissions", __name__, url_prefix="/v1/submissions")

SUBMISSION_ACCEPTED = "submission.accepted"


def _context() -> ServiceContext:
    context: ServiceContext = current_app.extensions["vanthu"]
    return context


def _error(field: str, code: str, message: str) -> dict[str, str]:
    return {"field": field, "code": code, "message": message}


def _field(loc: tuple[int | str, ...]) -> str:
    """An error's location without the union tags pydantic puts in front."""
    parts = list(loc)
    while parts and isinstance(parts[0], str) and parts[0] in UNION_TAGS:
        parts.pop(0)
    return ".".join(str(p) for p in parts) or "(body)"


def parse_submission(raw: Any) -> tuple[BaseModel, list[Conversion]]:
    """Normalise the text of ``raw``, then validate it; a 422 problem names each bad field."""
    cleaned, converted = normalise_text(raw)
    try:
        submission = SubmissionRequest.model_validate(cleaned).root
    except ValidationError as exc:
        errors = field_errors(exc)
        for error, detail in zip(errors, exc.errors(include_url=False), strict=True):
            error["field"] = _field(detail["loc"])
        raise Problem("validation_failed", errors=errors) from None
    return submission, [Conversion.model_validate(c) for c in converted]


@dataclasses.dataclass
class _Report:
    """What intake records about a monthly report beside its data."""

    obligation_id: str
    reporter: str
    period: str
    submitted_on: date
    late: bool
    days_late: int


def _document_checks(submission: BaseModel, template: str) -> list[dict[str, str]]:
    errors: list[dict[str, str]] = []
    document = getattr(submission, "document", None)
    if getattr(document, "number", None) is not None:
        errors.append(
            _error(
                "document.number",
                "draft_numbered",
                "Văn bản gửi đến là bản dự thảo, chưa có số; bỏ trường number "
                "(số được cấp khi ban hành).",
            )
        )
    issued_on = document_date(submission)
    if issued_on is not None:
        try:
            default_catalogue().get(template).version_on(issued_on)
        except NoVersionInForce as exc:
            errors.append(_error("document.issued_on", "no_version_in_force", str(exc)))
    return errors


def _report_checks(
    context: ServiceContext, organ_id: str, report: MonthlyReport, today: date
) -> tuple[_Report | None, list[dict[str, str]]]:
    obligation = obligations().get(report.obligation_id)
    with context.uow() as uow:
        assigned = assignment(uow.session, organ_id, report.obligation_id)
    if obligation is None or assigned is None or not isinstance(obligation.rule, MonthlyRule):
        return None, [
            _error(
                "obligation_id",
                "unknown_obligation",
                "Cơ quan chưa được giao nghĩa vụ báo cáo hằng tháng này.",
            )
        ]
    errors = []
    reporter = assigned.reporter(report.reporter)
    if reporter is None:
        errors.append(
            _error(
                "reporter",
                "unknown_reporter",
                "Đơn vị báo cáo này không có trong danh sách đơn vị báo cáo của nghĩa vụ.",
            )
        )
    elif report.project and reporter.projects and report.project not in reporter.projects:
        errors.append(_error("project", "unknown_project", "Dự án này không thuộc đơn vị báo cáo."))
    period = MonthPeriod(*report.month)
    if (period.year, period.month) > (today.year, today.month):
        errors.append(
            _error("period", "period_in_future", "Chưa đến kỳ báo cáo này (tháng ở tương lai).")
        )
    if errors:
        return None, errors
    due = deadline(obligation.rule, period)
    days_late = max((today - due).days, 0)
    made = _Report(
        report.obligation_id, report.reporter, report.period, today, days_late > 0, days_late
    )
    return made, []


@bp.post("")
@endpoint(
    "Nộp một hồ sơ, báo cáo hoặc yêu cầu (submission)",
    response=SubmissionAccepted,
    status=202,
    roles=SUBMITTERS,
    tags=["submissions"],
)
def create() -> SubmissionAccepted:
    principal = current_principal()
    context = _context()
    submission, converted = parse_submission(json_body())
    kind: str = getattr(submission, "kind")  # noqa: B009 - every kind has one
    template = template_of(submission)
    now = context.clock()
    today = vietnam_date(now)
    errors = _document_checks(submission, template) if template is not None else []
    report: _Report | None = None
    if isinstance(submission, MonthlyReport):
        report, more = _report_checks(context, principal.organ_id, submission, today)
        errors.extend(more)
    if errors:
        raise Problem("validation_failed", errors=errors)
    submission_id = new_id()
    data = submission.model_dump(mode="json")
    row = {
        "id": submission_id,
        "organ_id": principal.organ_id,
        "kind": kind,
        "payload": json.dumps(data, ensure_ascii=False),
        "submitted_by": principal.token_id,
        "created_at": now,
        "template_id": template,
        "converted": json.dumps([c.model_dump() for c in converted]) if converted else None,
        **(dataclasses.asdict(report) if report is not None else {}),
    }
    if template is None:
        event = Envelope(
            type=f"submission.{kind}",
            organ_id=principal.organ_id,
            payload={"submission_id": submission_id, **data},
        )
    else:
        event = Envelope(
            type=SUBMISSION_ACCEPTED,
            organ_id=principal.organ_id,
            payload={
                "submission_id": submission_id,
                "kind": kind,
                "template": template,
                "data": data["document"],
                "submitted_by": principal.token_id,
            },
        )
    with context.uow() as uow:
        uow.session.execute(submissions.insert().values(**row))
        context.outbox.add_event(uow.session, event)
        uow.commit()
    return _view(row)


def _view(row: Any) -> SubmissionAccepted:
    def get(name: str) -> Any:
        return row.get(name) if isinstance(row, dict) else getattr(row, name)

    return SubmissionAccepted(
        id=get("id"),
        kind=get("kind"),
        organ_id=get("organ_id"),
        status="drafted" if get("draft_id") else "accepted",
        created_at=get("created_at"),
        template=get("template_id"),
        draft_id=get("draft_id"),
        converted=json.loads(get("converted") or "[]"),
        obligation_id=get("obligation_id"),
        reporter=get("reporter"),
        period=get("period"),
        late=get("late"),
        days_late=get("days_late"),
        data=json.loads(get("payload")),
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
    return _view(row)


# The body is read by the view (text is normalised before validation); the model
# still describes it in /openapi.json.
setattr(
    create,
    SPEC_ATTRIBUTE,
    dataclasses.replace(getattr(create, SPEC_ATTRIBUTE), body=SubmissionRequest),
)
