"""GET /v1/templates and GET /v1/templates/<id>/schema."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from pydantic import BaseModel

from services.docgen.catalogue import UnknownTemplate, default_catalogue
from shared.auth import ROLES
from shared.web.api import endpoint
from shared.web.problems import Problem

bp = Blueprint("templates", __name__, url_prefix="/v1/templates")


class TemplateVersionInfo(BaseModel):
    id: str
    legal_basis: str
    valid_from: str
    valid_to: str | None


class TemplateInfo(BaseModel):
    id: str
    title: str
    kind: str
    type_name: str | None
    abbreviation: str | None
    example: str
    versions: list[TemplateVersionInfo]


class TemplateList(BaseModel):
    templates: list[TemplateInfo]


@bp.get("")
@endpoint("Danh mục mẫu văn bản", response=TemplateList, roles=ROLES, tags=["templates"])
def index() -> TemplateList:
    catalogue = default_catalogue()
    return TemplateList(templates=[TemplateInfo.model_validate(t.describe()) for t in catalogue])


@bp.get("/<template_id>/schema")
@endpoint("JSON Schema của dữ liệu một mẫu văn bản", roles=ROLES, tags=["templates"])
def schema(template_id: str) -> dict[str, Any]:
    try:
        template = default_catalogue().get(template_id)
    except UnknownTemplate as exc:
        raise Problem("not_found", str(exc)) from None
    return template.model.model_json_schema()
