"""Issuing a draft: number, record, announce — in one short transaction.

Everything that can be checked or computed is done before the transaction
(the draft, the template version in force today, the ký hiệu, the document's
validation); the transaction itself takes the register's next number, records
the document with its Phụ lục VI fields and writes the ``document.issued``
event, then commits. The final DOCX and PDF (with the number and date) are
rendered afterwards — by the worker, or on the first download — and stored
once per document and format.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Row, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.docgen.catalogue import Catalogue, NoVersionInForce, Template, default_catalogue
from services.docgen.issuing.models import IssueRequest, Recipient
from services.docgen.orm import document_files, documents, drafts, numbering
from services.docgen.rendering import Format, Renderer
from shared.bus import Envelope
from shared.clock import vietnam_date
from shared.db import reading, upsert_insert
from shared.db.types import new_id
from shared.numbering import (
    CONG_VAN,
    Entry,
    NumberingError,
    Register,
    Registers,
    code,
    compose,
)
from shared.runtime import ServiceContext

ISSUED_EVENT = "document.issued"
# The final (numbered, unsigned) PDF, carried in the event: the archive keeps it.
RENDERED_EVENT = "document.rendered"
FORMATS: tuple[Format, ...] = ("docx", "pdf")
# Phụ lục VI Priority (độ khẩn), as the edXML exchange codes it (0 thường … 3 hỏa tốc).
PRIORITY = {None: 0, "KHẨN": 1, "THƯỢNG KHẨN": 2, "HỎA TỐC": 3}
SUBJECT_LENGTH = 500  # Phụ lục VI: Subject String(500)


_ADD_DOCUMENT = documents.insert()  # built once; the row goes as parameters


class IssueError(NumberingError):
    """A refusal of the issuing step (same shape as the numbering library's)."""


@dataclass(frozen=True)
class Issued:
    row: Row[Any]
    created: bool  # False when an Idempotency-Key replay returned the first result


def links(document_id: str) -> dict[str, str]:
    base = f"/v1/documents/{document_id}"
    return {"self": base, "docx": f"{base}/document.docx", "pdf": f"{base}/document.pdf"}


class IssueService:
    """Issues drafts of one service context (docgen) into its outgoing registers."""

    def __init__(
        self,
        context: ServiceContext,
        *,
        renderer: Renderer | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.context = context
        self.catalogue = catalogue or default_catalogue()
        # Engines load on first use, in the process that renders (never before a fork).
        self.renderer = renderer or Renderer(
            font_cache_dir=context.config.var_dir / "cache" / "fonts"
        )
        # Late-bound: a test may set context.clock after the service is made.
        self.registers = Registers(numbering, clock=lambda: context.clock())  # noqa: PLW0108

    # ------------------------------------------------------------------ issue

    def issue(
        self,
        *,
        organ_id: str,
        actor: str,
        draft_id: str,
        request: IssueRequest,
        idempotency_key: str | None = None,
    ) -> Issued:
        fingerprint = _fingerprint(draft_id, request)
        if idempotency_key is not None:
            replay = self._replay(organ_id, idempotency_key, fingerprint)
            if replay is not None:
                return replay
        draft = self._draft(organ_id, draft_id)
        template = self.catalogue.get(draft.template_id)
        now = self.context.clock()
        issued_on = vietnam_date(now)
        # Reads and checks first, without the write lock (SQLite takes it at BEGIN).
        with reading(self.context.engine) as conn, Session(bind=conn) as session:
            register = self._register(session, organ_id, request.register_id)
            _check_series(register, template)
            notation = self._notation(session, register, template, draft, request)
        document, version = self._validate(template, draft, notation, issued_on)
        record = _record(template, document, request, issued_on)
        document_id = new_id()
        details = {
            "type_and_subject": f"{record['type_name']} {record['subject']}".strip(),
            "signer": record["signer_name"],
            "recipients": "; ".join(r["name"] for r in record["to"]),
            "archive_holder": ", ".join(
                getattr(getattr(document, "distribution", None), "archive", None) or ["VT"]
            ),
            "copies": record["issued_amount"],
        }
        data = document.model_dump(mode="json")
        with self.context.uow() as uow:
            session = uow.session
            # From here to the commit the register's counter row is held: keep it short.
            if request.reservation:
                entry = self.registers.use_reservation(
                    session,
                    register,
                    request.reservation,
                    year=issued_on.year,
                    notation=notation,
                    entry_date=issued_on,
                    details=details,
                    document_id=document_id,
                )
            else:
                entry = self.registers.take_next(
                    session,
                    register,
                    year=issued_on.year,
                    notation=notation,
                    state="issued",
                    entry_date=issued_on,
                    details=details,
                    created_by=actor,
                    document_id=document_id,
                )
            data["number"] = entry.number
            row = {
                "id": document_id,
                "organ_id": organ_id,
                "draft_id": draft.id,
                "register_id": register.id,
                "entry_id": entry.id,
                "year": entry.year,
                "number": entry.number,
                "notation": notation,
                "issued_on": issued_on,
                "issued_at": now,
                "template_id": template.id,
                "version_id": version,
                "type_name": record["type_name"],
                "subject": record["subject"],
                "organ_name": record["organ_name"],
                "signer_position": record["signer_position"],
                "signer_name": record["signer_name"],
                "recipients": json.dumps(record["to"], ensure_ascii=False),
                "priority": record["priority"],
                "issued_amount": record["issued_amount"],
                "due_date": request.due_date,
                "data": json.dumps(data, ensure_ascii=False),
                "state": "issued",
                "idempotency_key": idempotency_key,
                "request_hash": fingerprint,
                "created_by": actor,
            }
            try:
                session.execute(_ADD_DOCUMENT, row)
                self.context.outbox.add_event(
                    session, Envelope(ISSUED_EVENT, organ_id, issued_payload(row))
                )
                uow.commit()
            except IntegrityError:
                uow.rollback()  # the number goes back with it: no gap
                return self._lost_race(organ_id, draft.id, idempotency_key, fingerprint)
        return Issued(self.document(organ_id, document_id), created=True)

    # ------------------------------------------------------------------ reading

    def document(self, organ_id: str, document_id: str) -> Row[Any]:
        with reading(self.context.engine) as conn:
            row = conn.execute(select(documents).where(documents.c.id == document_id)).first()
        if row is None:
            raise IssueError("not_found", "Không tìm thấy văn bản này.", status=404)
        if row.organ_id != organ_id:
            raise IssueError("wrong_body", "Văn bản này thuộc cơ quan, tổ chức khác.", status=403)
        return row

    def files_ready(self, document_id: str) -> bool:
        with reading(self.context.engine) as conn:
            found = conn.execute(
                select(document_files.c.format).where(document_files.c.document_id == document_id)
            ).all()
        return len(found) == len(FORMATS)

    # ------------------------------------------------------------------ final files

    def final_file(self, organ_id: str, document_id: str, fmt: str) -> bytes:
        """The final rendering; made (and stored) now if the worker has not yet."""
        self.document(organ_id, document_id)
        stored = self._stored(document_id, fmt)
        if stored is None:
            self.render_final(document_id)
            stored = self._stored(document_id, fmt)
        if stored is None:  # pragma: no cover - render_final stores or raises
            raise IssueError("not_found", "Chưa có tệp văn bản.", status=404)
        return stored

    def render_final(self, document_id: str) -> None:
        """Render the numbered DOCX and PDF of an issued document and store each once.

        Safe to run twice or concurrently: whichever stores a format first wins,
        the other's rendering is discarded (keyed by document and format).
        """
        with reading(self.context.engine) as conn:
            row = conn.execute(select(documents).where(documents.c.id == document_id)).first()
            have = {
                f
                for (f,) in conn.execute(
                    select(document_files.c.format).where(
                        document_files.c.document_id == document_id
                    )
                )
            }
        if row is None:
            raise IssueError("not_found", "Không tìm thấy văn bản này.", status=404)
        missing = [fmt for fmt in FORMATS if fmt not in have]
        if not missing:
            return
        data = json.loads(row.data)
        rendered = {fmt: self.renderer.render(row.template_id, data, fmt) for fmt in missing}
        with self.context.uow() as uow:
            for fmt, content in rendered.items():
                stored = uow.session.execute(
                    upsert_insert(uow.session, document_files)
                    .values(
                        document_id=document_id,
                        format=fmt,
                        organ_id=row.organ_id,
                        content=content,
                        sha256=hashlib.sha256(content).hexdigest(),
                        size=len(content),
                        rendered_at=self.context.clock(),
                    )
                    .on_conflict_do_nothing()
                    .returning(document_files.c.format)
                ).first()
                if fmt == "pdf" and stored is not None:  # announced once, by who stored it
                    self.context.outbox.add_event(
                        uow.session,
                        Envelope(
                            RENDERED_EVENT,
                            row.organ_id,
                            {
                                **issued_payload(row._mapping),
                                "signed": False,
                                "file": file_payload(
                                    f"{row.number:02d}-{row.notation}.pdf", content
                                ),
                            },
                        ),
                    )
            uow.commit()

    def _stored(self, document_id: str, fmt: str) -> bytes | None:
        with reading(self.context.engine) as conn:
            content = conn.execute(
                select(document_files.c.content).where(
                    document_files.c.document_id == document_id, document_files.c.format == fmt
                )
            ).scalar_one_or_none()
        return bytes(content) if content is not None else None

    # ------------------------------------------------------------------ steps

    def _replay(self, organ_id: str, key: str, fingerprint: str) -> Issued | None:
        with reading(self.context.engine) as conn:
            row = conn.execute(
                select(documents).where(
                    documents.c.organ_id == organ_id, documents.c.idempotency_key == key
                )
            ).first()
        if row is None:
            return None
        if row.request_hash != fingerprint:
            raise IssueError(
                "idempotency_key_reused",
                "Khóa Idempotency-Key này đã dùng cho một yêu cầu khác; hãy dùng khóa mới.",
                status=422,
            )
        return Issued(row, created=False)

    def _lost_race(self, organ_id: str, draft_id: str, key: str | None, fingerprint: str) -> Issued:
        """Another request recorded this draft (or this key) first: answer as it did."""
        if key is not None:
            replay = self._replay(organ_id, key, fingerprint)
            if replay is not None:
                return replay
        raise self._already_issued(draft_id)

    def _already_issued(self, draft_id: str) -> IssueError:
        with reading(self.context.engine) as conn:
            row = conn.execute(
                select(documents.c.id, documents.c.number, documents.c.notation).where(
                    documents.c.draft_id == draft_id
                )
            ).first()
        where = f" (số {code(row.number, row.notation)})" if row else ""
        return IssueError(
            "already_issued",
            f"Bản dự thảo này đã được ban hành{where}.",
            status=409,
            document=row.id if row else None,
        )

    def _draft(self, organ_id: str, draft_id: str) -> Any:
        with reading(self.context.engine) as conn:
            draft = conn.execute(
                select(drafts.c.id, drafts.c.organ_id, drafts.c.template_id, drafts.c.data).where(
                    drafts.c.id == draft_id
                )
            ).first()
            issued = conn.execute(
                select(documents.c.id).where(documents.c.draft_id == draft_id)
            ).first()
        if draft is None:
            raise IssueError("not_found", "Không tìm thấy bản dự thảo này.", status=404)
        if draft.organ_id != organ_id:
            raise IssueError(
                "wrong_body", "Bản dự thảo này thuộc cơ quan, tổ chức khác.", status=403
            )
        if issued is not None:
            raise self._already_issued(draft_id)
        return draft

    def _register(self, session: Session, organ_id: str, register_id: str | None) -> Register:
        if register_id is None:
            return self.registers.default(session, organ_id, "out")
        register = self.registers.get(session, register_id, organ_id)
        if register.direction != "out":
            raise IssueError(
                "wrong_register",
                "Sổ này là sổ văn bản đến; văn bản ban hành vào sổ văn bản đi.",
                field="register",
            )
        return register

    def _notation(
        self,
        session: Session,
        register: Register,
        template: Template,
        draft: Row[Any],
        request: IssueRequest,
    ) -> str:
        data = json.loads(draft.data)
        drafted = str(data.get("notation", ""))
        settings = self.registers.settings(session, register.organ_id)
        issuer = (
            register.issuer_abbreviation
            or (settings.abbreviation if settings else None)
            or str(data.get("issuer", {}).get("abbreviation", ""))
        )
        try:
            if template.kind == "cong-van":
                unit = request.unit or (drafted.split("-", 1)[1] if "-" in drafted else None)
                if settings and settings.units and unit not in settings.units:
                    raise IssueError(
                        "unknown_unit",
                        f"Đơn vị soạn thảo {unit!r} không có trong danh mục của cơ quan "
                        f"({', '.join(settings.units)}).",
                        field="unit",
                    )
                notation = compose(type_abbreviation=None, issuer=issuer, unit=unit)
            elif template.abbreviation:
                overrides = settings.type_overrides if settings else {}
                abbreviation = overrides.get(template.title, template.abbreviation)
                notation = compose(type_abbreviation=abbreviation, issuer=issuer)
            else:
                notation = drafted
        except ValueError as exc:
            raise IssueError("invalid_notation", str(exc), field="unit") from None
        if len(notation) > 30:  # Phụ lục VI: CodeNotation String(30)
            raise IssueError(
                "invalid_notation", f"Ký hiệu quá 30 ký tự: {notation!r}", field="unit"
            )
        return notation

    def _validate(
        self, template: Template, draft: Row[Any], notation: str, issued_on: date
    ) -> tuple[BaseModel, str]:
        data = {
            **json.loads(draft.data),
            "number": 1,  # the real number is set once taken; the model needs one here
            "notation": notation,
            "issued_on": issued_on.isoformat(),
            "draft": False,
        }
        try:
            document = template.model.model_validate(data)
            version = template.version_on(issued_on)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise IssueError(
                "draft_invalid",
                f"Bản dự thảo không còn hợp lệ khi ban hành: {first['msg']}",
                field=".".join(str(p) for p in first["loc"]),
            ) from None
        except NoVersionInForce as exc:
            raise IssueError("no_version_in_force", str(exc)) from None
        return document, version.id


def cancel_document(session: Session, entry: Entry) -> None:
    """A cancelled number cancels the document issued under it (Registers' on_cancel):
    it can then be neither signed nor sent."""
    if entry.document_id:
        session.execute(
            update(documents)
            .where(documents.c.id == entry.document_id, documents.c.state == "issued")
            .values(state="cancelled")
        )


def issuable(template: Template) -> bool:
    """Documents that carry the body's Số/ký hiệu (not the investors' payment forms)."""
    fields = template.model.model_fields
    return all(name in fields for name in ("issuer", "number", "notation", "issued_on"))


def type_key(template: Template) -> str:
    """How a register names the types it takes: the abbreviation, or 'cong-van'."""
    if template.kind == "cong-van":
        return CONG_VAN
    return template.abbreviation or template.id


def _check_series(register: Register, template: Template) -> None:
    if not issuable(template):
        raise IssueError(
            "not_issuable",
            f"Mẫu '{template.title}' không đăng ký vào sổ văn bản đi của cơ quan.",
            field="template",
        )
    key = type_key(template)
    if not register.accepts(key):
        raise IssueError(
            "wrong_series",
            f"Sổ '{register.name}' chỉ nhận {', '.join(register.document_types)}; "
            f"văn bản loại {key} phải vào sổ khác.",
            field="register",
        )


def _record(
    template: Template, document: BaseModel, request: IssueRequest, issued_on: date
) -> dict[str, Any]:
    """The Phụ lục VI fields of the document, from its data and the request."""
    subject = str(getattr(document, "subject", "") or template.title)
    signer = getattr(document, "signer", None)
    distribution = getattr(document, "distribution", None)
    issuer = getattr(document, "issuer")  # noqa: B009 - checked by issuable()
    if request.to:
        to = [r.model_dump(mode="json") for r in request.to]
    else:
        names = list(getattr(document, "recipients", None) or []) or list(
            getattr(distribution, "recipients", None) or []
        )
        to = [Recipient(name=name[:200]).model_dump(mode="json") for name in names]
    type_name = template.type_name or "Công văn"
    return {
        "type_name": " ".join(type_name.split()).capitalize() if type_name.isupper() else type_name,
        "subject": " ".join(subject.split())[:SUBJECT_LENGTH],
        "organ_name": " ".join(str(issuer.name).split())[:200],
        "signer_position": str(getattr(signer, "title", ""))[:100],
        "signer_name": str(getattr(signer, "name", ""))[:50],
        "to": to,
        "priority": PRIORITY.get(getattr(document, "urgency", None), 0),
        "issued_amount": getattr(distribution, "copies", None),
        "issued_on": issued_on,
    }


def file_payload(name: str, content: bytes) -> dict[str, Any]:
    """A file carried inside an event: name, type, size, SHA-256 and the bytes (base64)."""
    return {
        "name": name,
        "media_type": "application/pdf",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "content_b64": base64.b64encode(content).decode("ascii"),
    }


def _fingerprint(draft_id: str, request: IssueRequest) -> str:
    body = json.dumps(
        {"draft": draft_id, **request.model_dump(mode="json")}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(body.encode()).hexdigest()


def issued_payload(row: Mapping[Any, Any]) -> dict[str, Any]:
    """What ``document.issued`` consumers need: the Phụ lục VI fields and where the files are."""
    issued_at: datetime = row["issued_at"]
    return {
        "document_id": row["id"],
        "register_id": row["register_id"],
        "year": row["year"],
        "number": row["number"],
        "notation": row["notation"],
        "code": code(row["number"], row["notation"]),
        "issued_on": row["issued_on"].isoformat(),
        "issued_at": issued_at.isoformat(),
        "template": row["template_id"],
        "type_name": row["type_name"],
        "subject": row["subject"],
        "organ_name": row["organ_name"],
        "place": json.loads(row["data"]).get("issuer", {}).get("place"),
        "signer": {"position": row["signer_position"], "full_name": row["signer_name"]},
        "to": json.loads(row["recipients"]),
        "priority": row["priority"],
        "issued_amount": row["issued_amount"],
        "due_date": row["due_date"].isoformat() if row["due_date"] else None,
        "files": {
            "service": "docgen",
            "docx": links(row["id"])["docx"],
            "pdf": links(row["id"])["pdf"],
        },
    }
