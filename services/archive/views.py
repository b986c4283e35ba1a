"""HTTP: /v1/records (ingest, search, file, access log) and /v1/dossiers (hồ sơ, export)."""

from __future__ import annotations

import mimetypes
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, request
from sqlalchemy import Row

from services.archive.export import export_zip
from services.archive.models import DossierCreate, FileInto, RecordMetadata
from services.archive.service import (
    ArchiveService,
    Conflict,
    DocumentFields,
    FileToKeep,
    IngestRefused,
    NotFound,
)
from shared.auth.roles import ARCHIVISTS, DOCUMENT_READERS, FILERS
from shared.web.api import current_principal, endpoint, parse_json
from shared.web.downloads import attachment
from shared.web.problems import Problem, problem_response
from shared.web.validation import parse_model

EXTENSION = "vanthu.archive"
# Multipart framing and the metadata part on top of the file itself.
MULTIPART_SLACK = 256 * 1024

records_bp = Blueprint("records", __name__, url_prefix="/v1/records")
dossiers_bp = Blueprint("dossiers", __name__, url_prefix="/v1/dossiers")


def install(app: Any, service: ArchiveService) -> None:
    app.extensions[EXTENSION] = service
    # Flask refuses larger bodies before reading them (413 problem+json).
    limit = service.context.config.archive_max_upload_bytes + MULTIPART_SLACK
    app.config["MAX_CONTENT_LENGTH"] = max(app.config.get("MAX_CONTENT_LENGTH") or 0, limit)

    @app.errorhandler(IngestRefused)
    def _refused(exc: IngestRefused) -> Response:
        status = 413 if exc.code == "file_too_large" else 422
        problem = Problem(exc.code, exc.reason, status=status)
        if exc.report:
            problem.extra["report"] = exc.report
        return problem_response(problem)

    @app.errorhandler(NotFound)
    def _missing(exc: NotFound) -> Response:
        return problem_response(Problem("not_found"))

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict) -> Response:
        return problem_response(Problem(exc.code, exc.reason, status=409))


def _service() -> ArchiveService:
    service: ArchiveService = current_app.extensions[EXTENSION]
    return service


def record_out(row: Row[Any]) -> dict[str, Any]:
    code = "/".join(p for p in (row.code_number, row.code_notation) if p) or None
    return {
        "id": row.id,
        "OrganId": row.organ_id,
        "Direction": row.direction,
        "Source": row.source,
        "SourceId": row.source_id,
        "Supersedes": row.supersedes,
        "TypeName": row.type_name,
        "CodeNumber": row.code_number,
        "CodeNotation": row.code_notation,
        "Code": code,
        "IssuedDate": row.issued_date.isoformat() if row.issued_date else None,
        "OrganName": row.organ_name,
        "Subject": row.subject,
        "Language": row.language,
        "PageAmount": row.page_amount,
        "Description": row.description,
        "SignerInfo": {"Position": row.signer_position, "FullName": row.signer_name},
        "Priority": row.priority,
        "ArrivalNumber": row.arrival_number,
        "ArrivalDate": row.arrival_date.isoformat() if row.arrival_date else None,
        "file": {
            "name": row.file_name,
            "media_type": row.media_type,
            "size": row.size,
            "sha256": row.sha256,
            "object_key": row.object_key,
            "version_id": row.version_id,
        },
        "state": row.state,
        "recalled_at": row.recalled_at.isoformat() if row.recalled_at else None,
        "validation": row.validation,
        "retention": {
            "Maintenance": "Vĩnh viễn" if row.permanent else f"{row.retention_years} năm",
            "legal_hold": row.permanent,
            "retain_until": row.retain_until.isoformat() if row.retain_until else None,
            "applied": row.retention_applied,
        },
        "dossier_id": row.dossier_id,
        "DocOrdinal": row.doc_ordinal,
        "created_at": row.created_at.isoformat(),
        "stored_at": row.stored_at.isoformat() if row.stored_at else None,
        "links": {"file": f"/v1/records/{row.id}/file"},
    }


def dossier_out(service: ArchiveService, row: Row[Any]) -> dict[str, Any]:
    doc_total, page_total = service.dossier_totals(row.id)
    return {
        "id": row.id,
        "FileCode": f"{row.organ_id}.{row.file_catalog}.{row.file_notation}",
        "OrganId": row.organ_id,
        "FileCatalog": row.file_catalog,
        "FileNotation": row.file_notation,
        "Title": row.title,
        "Maintenance": row.maintenance,
        "Rights": row.rights,
        "Language": row.language,
        "StartDate": row.start_date.isoformat() if row.start_date else None,
        "EndDate": row.end_date.isoformat() if row.end_date else None,
        "DocTotal": doc_total,
        "PageTotal": page_total,
        "Description": row.description,
        "Creator": row.creator,
        "state": row.state,
        "links": {"export": f"/v1/dossiers/{row.id}/export.zip"},
    }


def _invalid(field: str, code: str, message: str) -> Problem:
    return Problem("validation_failed", errors=[{"field": field, "code": code, "message": message}])


def _too_large(limit: int) -> Problem:
    return Problem(
        "file_too_large",
        f"Tệp vượt quá dung lượng cho phép ({limit} byte).",
        status=413,
    )


# ---------------------------------------------------------------- records


@records_bp.post("")
@endpoint(
    "Lưu một tệp văn bản vào kho lưu trữ (multipart: file + metadata JSON)",
    status=201,
    roles=FILERS,
    tags=["archive"],
)
def ingest() -> Any:
    service = _service()
    limit = service.context.config.archive_max_upload_bytes
    length = request.content_length
    if length is not None and length > limit + MULTIPART_SLACK:
        raise _too_large(limit)  # refused from the header, before the body is read
    if not (request.mimetype or "").startswith("multipart/form-data"):
        raise Problem("unsupported_media_type", "Hãy gửi multipart/form-data (file, metadata).")
    upload = request.files.get("file")
    if upload is None:
        raise _invalid("file", "missing", "Thiếu tệp (trường file).")
    raw = request.form.get("metadata")
    if raw is None:
        raise _invalid("metadata", "missing", "Thiếu dữ liệu đặc tả (trường metadata, JSON).")
    data = parse_json(raw, "Trường metadata không phải JSON hợp lệ.")
    meta = parse_model(RecordMetadata, data)
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        raise _too_large(limit)
    if not content:
        raise _invalid("file", "empty_file", "Tệp rỗng.")
    name = (upload.filename or "tep").replace("\\", "/").rsplit("/", 1)[-1][:255] or "tep"
    media_type = upload.mimetype
    if not media_type or media_type == "application/octet-stream":
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    principal = current_principal()
    signer = meta.signer_info or None
    fields = DocumentFields(
        type_name=meta.type_name,
        subject=meta.subject,
        code_number=meta.code_number,
        code_notation=meta.code_notation,
        issued_date=meta.issued_date,
        organ_name=meta.organ_name,
        language=meta.language,
        page_amount=meta.page_amount,
        description=meta.description,
        signer_position=signer.position if signer else None,
        signer_name=signer.full_name if signer else None,
        priority=meta.priority,
        arrival_number=meta.arrival_number,
        arrival_date=meta.arrival_date,
    )
    result = service.ingest(
        FileToKeep(
            organ_id=principal.organ_id,
            direction=meta.direction,
            source="upload",
            source_id=meta.source_id,
            file_name=name,
            media_type=media_type,
            content=content,
            fields=fields,
            actor=principal.token_id,
        )
    )
    status = 201 if result.created else 200
    if result.record.state == "pending":
        status = 202  # kept, waiting for S3
    headers = {"Location": f"/v1/records/{result.record.id}"}
    return record_out(result.record), status, headers


def _query_date(name: str) -> date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _invalid(name, "invalid_query", f"'{name}' phải là ngày dạng YYYY-MM-DD.") from None


@records_bp.get("")
@endpoint("Tìm văn bản lưu trữ theo trường và nội dung", roles=DOCUMENT_READERS, tags=["archive"])
def search() -> dict[str, Any]:
    args = request.args
    found = _service().search(
        current_principal().organ_id,
        q=args.get("q"),
        type_name=args.get("type_name"),
        code=args.get("code"),
        issued_from=_query_date("from"),
        issued_to=_query_date("to"),
        dossier_id=args.get("dossier_id"),
    )
    return {"records": [record_out(r) for r in found], "count": len(found)}


@records_bp.get("/<record_id>")
@endpoint("Xem dữ liệu đặc tả của một văn bản lưu trữ", roles=DOCUMENT_READERS, tags=["archive"])
def show(record_id: str) -> dict[str, Any]:
    return record_out(_service().record(current_principal().organ_id, record_id))


@records_bp.get("/<record_id>/file")
@endpoint(
    "Tải tệp văn bản lưu trữ (ghi nhật ký truy cập)", roles=DOCUMENT_READERS, tags=["archive"]
)
def download(record_id: str) -> Response:
    principal = current_principal()
    row, content = _service().read_file(principal.organ_id, record_id, principal.token_id)
    response = Response(content, mimetype=row.media_type)
    response.headers["Content-Disposition"] = attachment(row.file_name)
    response.headers["X-Content-SHA256"] = row.sha256
    return response


@records_bp.get("/<record_id>/access-log")
@endpoint("Nhật ký truy cập một văn bản lưu trữ", roles=ARCHIVISTS, tags=["archive"])
def access(record_id: str) -> dict[str, Any]:
    rows = _service().access_entries(current_principal().organ_id, record_id)
    return {
        "record_id": record_id,
        "entries": [
            {"token_id": r.token_id, "action": r.action, "at": r.at.isoformat()} for r in rows
        ],
    }


# ---------------------------------------------------------------- dossiers


@dossiers_bp.post("")
@endpoint("Lập hồ sơ", body=DossierCreate, status=201, roles=ARCHIVISTS, tags=["archive"])
def create_dossier(payload: DossierCreate) -> dict[str, Any]:
    service = _service()
    row = service.create_dossier(current_principal().organ_id, payload.model_dump())
    return dossier_out(service, row)


@dossiers_bp.get("/<dossier_id>")
@endpoint("Xem hồ sơ và các văn bản trong hồ sơ", roles=DOCUMENT_READERS, tags=["archive"])
def show_dossier(dossier_id: str) -> dict[str, Any]:
    service = _service()
    organ_id = current_principal().organ_id
    row = service.dossier(organ_id, dossier_id)
    members = service.search(organ_id, dossier_id=dossier_id, limit=10_000)
    members.sort(key=lambda r: r.doc_ordinal or 0)
    return {**dossier_out(service, row), "records": [record_out(r) for r in members]}


@dossiers_bp.post("/<dossier_id>/records")
@endpoint("Đưa văn bản vào hồ sơ", body=FileInto, roles=FILERS, tags=["archive"])
def file_into(dossier_id: str, payload: FileInto) -> dict[str, Any]:
    service = _service()
    row = service.file_records(current_principal().organ_id, dossier_id, payload.record_ids)
    return dossier_out(service, row)


@dossiers_bp.post("/<dossier_id>/close")
@endpoint("Đóng hồ sơ", roles=ARCHIVISTS, tags=["archive"])
def close_dossier(dossier_id: str) -> dict[str, Any]:
    service = _service()
    return dossier_out(service, service.close_dossier(current_principal().organ_id, dossier_id))


@dossiers_bp.get("/<dossier_id>/export.zip")
@endpoint("Xuất hồ sơ đã đóng (gói BagIt, ZIP)", roles=ARCHIVISTS, tags=["archive"])
def export(dossier_id: str) -> Response:
    service = _service()
    principal = current_principal()
    name, data = export_zip(service, principal.organ_id, dossier_id)
    members = service.search(principal.organ_id, dossier_id=dossier_id, limit=10_000)
    service.log_access(principal.organ_id, [m.id for m in members], principal.token_id, "export")
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
