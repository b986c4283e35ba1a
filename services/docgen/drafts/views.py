"""POST /v1/drafts, GET /v1/drafts/<id> and its two renderings."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from flask import Blueprint, Response, current_app
from pydantic import ValidationError
from sqlalchemy import select

from services.docgen.catalogue import NoVersionInForce, UnknownTemplate, default_catalogue
from services.docgen.drafts.models import Draft, DraftLinks, DraftRequest
from services.docgen.orm import drafts
from services.docgen.rendering import MEDIA_TYPES, Renderer
from shared.auth.roles import OFFICE
from shared.db.types import new_id, utcnow
from shared.runtime import ServiceContext
from shared.web.api import current_principal, endpoint, require_body
from shared.web.problems import Problem
from shared.web.validation import field_errors

bp = Blueprint("drafts", __name__, url_prefix="/v1/drafts")


def _context() -> ServiceContext:
    context: ServiceContext = current_app.extensions["vanthu"]
    return context


def _invalid(field: str, code: str, message: str) -> Problem:
    return Problem("validation_failed", errors=[{"field": field, "code": code, "message": message}])


def _draft(row: Any) -> Draft:
    base = f"/v1/drafts/{row.id}/document"
    return Draft(
        id=row.id,
        organ_id=row.organ_id,
        template=row.template_id,
        version=row.version_id,
        created_at=row.created_at,
        links=DraftLinks(docx=f"{base}.docx", pdf=f"{base}.pdf"),
    )


@bp.post("")
@endpoint(
    "Soạn thảo (dự thảo) một văn bản từ mẫu: DOCX và PDF chưa có số",
    body=DraftRequest,
    response=Draft,
    status=201,
    roles=OFFICE,
    tags=["drafts"],
)
def create(payload: DraftRequest) -> Draft:
    try:
        template = default_catalogue().get(payload.template)
    except UnknownTemplate as exc:
        raise _invalid("template", "unknown_template", str(exc)) from None
    if payload.data.get("number") is not None:
        raise _invalid("data.number", "draft_numbered", "Bản dự thảo chưa có số; bỏ trường number.")
    try:
        document = template.model.model_validate(payload.data)
        version = template.version_on(document.issued_on)  # type: ignore[attr-defined]
        engine: Renderer = current_app.extensions["vanthu.renderer"]
        rendered = {fmt: engine.render(template.id, document, fmt) for fmt in ("docx", "pdf")}
    except ValidationError as exc:
        errors = field_errors(exc)
        for error in errors:
            error["field"] = f"data.{error['field']}"
        raise Problem("validation_failed", errors=errors) from None
    except NoVersionInForce as exc:
        raise _invalid("data.issued_on", "no_version_in_force", str(exc)) from None
    principal = current_principal()
    row = {
        "id": new_id(),
        "organ_id": principal.organ_id,
        "template_id": template.id,
        "version_id": version.id,
        "data": json.dumps(document.model_dump(mode="json"), ensure_ascii=False),
        "created_by": principal.token_id,
        "created_at": utcnow(),
        **rendered,
    }
    with _context().uow() as uow:
        uow.session.execute(drafts.insert().values(**row))
        uow.commit()
    return _draft(SimpleNamespace(**row))


def _load(draft_id: str) -> Any:
    with _context().uow() as uow:
        row = uow.session.execute(select(drafts).where(drafts.c.id == draft_id)).first()
    if row is None:
        raise Problem("not_found", "Không tìm thấy bản dự thảo này.")
    require_body(row.organ_id)
    return row


@bp.get("/<draft_id>")
@endpoint("Xem một bản dự thảo", response=Draft, roles=OFFICE, tags=["drafts"])
def show(draft_id: str) -> Draft:
    return _draft(_load(draft_id))


@bp.get("/<draft_id>/document.<fmt>")
@endpoint("Tải bản dự thảo (docx hoặc pdf)", roles=OFFICE, tags=["drafts"])
def download(draft_id: str, fmt: str) -> Response:
    if fmt not in MEDIA_TYPES:
        raise Problem("not_found", "Chỉ có document.docx và document.pdf.")
    row = _load(draft_id)
    response = Response(getattr(row, fmt), mimetype=MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="du-thao-{row.id}.{fmt}"'
    return response
