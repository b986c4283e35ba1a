"""POST /v1/drafts/<id>/issue and the issued documents: GET /v1/documents…"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, current_app, request
from sqlalchemy import select

from services.docgen.issuing.models import (
    DocumentLinks,
    IssuedDocument,
    IssueRequest,
    Recipient,
    SignedCopy,
)
from services.docgen.issuing.service import IssueService, links
from services.docgen.issuing.signing import SignedCopies
from services.docgen.orm import documents
from services.docgen.rendering import MEDIA_TYPES
from shared.auth.roles import CLERKS, DOCUMENT_READERS
from shared.db import reading
from shared.numbering import code
from shared.web.api import current_principal, endpoint
from shared.web.problems import Problem

bp = Blueprint("issuing", __name__)

EXTENSION = "vanthu.issuing"
SIGNED_EXTENSION = "vanthu.signed"
# RFC 9110 token-ish: visible ASCII, no spaces; long enough for a UUID and a prefix.
_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


def service() -> IssueService:
    issuing: IssueService = current_app.extensions[EXTENSION]
    return issuing


def _out(row: Any) -> IssuedDocument:
    return IssuedDocument(
        id=row.id,
        organ_id=row.organ_id,
        draft=row.draft_id,
        register_id=row.register_id,
        year=row.year,
        number=row.number,
        notation=row.notation,
        code=code(row.number, row.notation),
        issued_on=row.issued_on,
        issued_at=row.issued_at,
        template=row.template_id,
        version=row.version_id,
        type_name=row.type_name,
        subject=row.subject,
        signer_position=row.signer_position,
        signer_name=row.signer_name,
        to=[Recipient(**r) for r in json.loads(row.recipients)],
        priority=row.priority,
        state=row.state,
        files_ready=service().files_ready(row.id),
        links=DocumentLinks(**links(row.id)),
    )


@bp.post("/v1/drafts/<draft_id>/issue")
@endpoint(
    "Ban hành bản dự thảo: cấp số tiếp theo của sổ văn bản đi, ghi sổ, phát sự kiện "
    "document.issued (tiêu đề Idempotency-Key: gửi lại cùng khóa nhận lại cùng số)",
    body=IssueRequest,
    response=IssuedDocument,
    status=201,
    roles=CLERKS,
    tags=["documents"],
)
def issue(draft_id: str, payload: IssueRequest) -> Any:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not _KEY.match(key):
        raise Problem(
            "validation_failed",
            errors=[
                {
                    "field": "Idempotency-Key",
                    "code": "invalid_header",
                    "message": "Idempotency-Key gồm 1–200 ký tự ASCII in được, không dấu cách.",
                }
            ],
        )
    principal = current_principal()
    issued = service().issue(
        organ_id=principal.organ_id,
        actor=principal.token_id,
        draft_id=draft_id,
        request=payload,
        idempotency_key=key,
    )
    headers = {"Location": links(issued.row.id)["self"]}
    if not issued.created:
        headers["Idempotent-Replayed"] = "true"
    return _out(issued.row), 201 if issued.created else 200, headers


@bp.get("/v1/documents")
@endpoint(
    "Văn bản đi đã ban hành của cơ quan (mới nhất trước; ?year=, ?limit=)",
    roles=DOCUMENT_READERS,
    tags=["documents"],
)
def list_documents() -> dict[str, Any]:
    organ_id = current_principal().organ_id
    query = select(documents).where(documents.c.organ_id == organ_id)
    year, limit = request.args.get("year", ""), request.args.get("limit", "100")
    if year and not (year.isdigit() and len(year) == 4):
        raise Problem("validation_failed", "'year' phải là năm, ví dụ 2024.")
    if not (limit.isdigit() and 1 <= int(limit) <= 500):
        raise Problem("validation_failed", "'limit' phải là số từ 1 đến 500.")
    if year:
        query = query.where(documents.c.year == int(year))
    with reading(current_app.extensions["vanthu"].engine) as conn:
        rows = conn.execute(
            query.order_by(documents.c.issued_at.desc(), documents.c.number.desc()).limit(
                int(limit)
            )
        ).all()
    return {"documents": [_out(r).model_dump(mode="json") for r in rows]}


@bp.get("/v1/documents/<document_id>")
@endpoint(
    "Xem một văn bản đã ban hành",
    response=IssuedDocument,
    roles=DOCUMENT_READERS,
    tags=["documents"],
)
def show(document_id: str) -> IssuedDocument:
    return _out(service().document(current_principal().organ_id, document_id))


@bp.get("/v1/documents/<document_id>/document.<fmt>")
@endpoint(
    "Tải văn bản đã ban hành (docx hoặc pdf, có số và ngày)",
    roles=DOCUMENT_READERS,
    tags=["documents"],
)
def download(document_id: str, fmt: str) -> Response:
    if fmt not in MEDIA_TYPES:
        raise Problem("not_found", "Chỉ có document.docx và document.pdf.")
    organ_id = current_principal().organ_id
    row = service().document(organ_id, document_id)
    content = service().final_file(organ_id, document_id, fmt)
    response = Response(content, mimetype=MEDIA_TYPES[fmt])
    name = f"{row.number:02d}-{row.notation}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _signed_out(row: Any) -> SignedCopy:
    report = json.loads(row.report)
    return SignedCopy(
        id=row.id,
        document_id=row.document_id,
        sha256=row.sha256,
        size=row.size,
        match=row.match,
        status=report["status"],
        signatures=report["signatures"],
        uploaded_at=row.uploaded_at,
        pdf=f"/v1/documents/{row.document_id}/signed.pdf",
    )


def _uploaded_pdf() -> bytes:
    """The PDF in the body (application/pdf) or in a multipart field named 'file'."""
    if request.mimetype == "application/pdf":
        return request.get_data(cache=False)
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is not None:
            return upload.read()
    raise Problem(
        "unsupported_media_type",
        "Gửi tệp PDF đã ký: Content-Type application/pdf, hoặc multipart với trường 'file'.",
    )


@bp.post("/v1/documents/<document_id>/signed")
@endpoint(
    "Nộp bản PDF đã ký số của văn bản đã ban hành (kiểm tra chữ ký và đúng văn bản, "
    "rồi phát sự kiện document.signed)",
    response=SignedCopy,
    status=201,
    roles=CLERKS,
    tags=["documents"],
)
def upload_signed(document_id: str) -> Any:
    principal = current_principal()
    signed = signed_copies().accept(
        organ_id=principal.organ_id,
        actor=principal.token_id,
        document_id=document_id,
        content=_uploaded_pdf(),
    )
    return _signed_out(signed.row), 201 if signed.created else 200


@bp.get("/v1/documents/<document_id>/signed.pdf")
@endpoint("Tải bản đã ký số mới nhất của văn bản", roles=DOCUMENT_READERS, tags=["documents"])
def download_signed(document_id: str) -> Response:
    row = signed_copies().latest(current_principal().organ_id, document_id)
    response = Response(bytes(row.content), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{document_id}-signed.pdf"'
    return response


def signed_copies() -> SignedCopies:
    copies: SignedCopies = current_app.extensions[SIGNED_EXTENSION]
    return copies
