"""Keeping files: validate, record, store under retention — S3 always outside transactions.

Ingest is three short steps: (1) validate the bytes and insert the record in
state ``pending`` (one transaction); (2) put the object under its COMPLIANCE
lock or legal hold (no transaction open); (3) mark the record ``stored`` with the
object's version id. If S3 refuses step 2 the bytes go to ``archive_staging``
and :meth:`ArchiveService.retry_pending` (the worker runs it) finishes the job
when S3 is back. The key is fixed when the row is made and a retry first looks
for the bytes at that key, so nothing is lost and nothing is stored twice.

Idempotence: one record per (body, source document id, SHA-256), or (body,
SHA-256) for a file without a source id. A signed file of a document that has
an unsigned record is a *new* record whose ``supersedes`` names the unsigned
one: both stay kept, nothing is overwritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import Row, and_, func, select, update
from sqlalchemy.exc import IntegrityError

from services.archive.orm import access_log, dossiers, records, staging
from services.archive.retention import Retention, Schedule, load_schedule
from services.archive.search import search_text, terms
from services.archive.store import ObjectStore
from shared import storage
from shared.clock import vietnam_date
from shared.db import reading
from shared.db.types import new_id
from shared.runtime import ServiceContext
from shared.signatures import InvalidPdf, PdfReport, verify_pdf

log = logging.getLogger(__name__)

PDF = "application/pdf"
KEPT_SIGNATURES = ("valid", "untrusted")
_EXTENSIONS = {PDF: ".pdf", "application/xml": ".xml", "text/xml": ".xml"}
_INVALID_PDF_CODES = {
    "not_pdf": "not_pdf",
    "truncated": "pdf_truncated",
    "too_large": "file_too_large",
    "unreadable": "pdf_unreadable",
}


class IngestRefused(Exception):
    """A file the archive will not keep; ``code`` is stable, ``reason`` Vietnamese."""

    def __init__(self, code: str, reason: str, *, report: dict[str, Any] | None = None) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.report = report


class NotFound(LookupError):
    """No such record or dossier for this body."""


class Conflict(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class DocumentFields:
    """The Phụ lục VI fields of a document (văn bản đi or đến)."""

    type_name: str
    subject: str
    code_number: str | None = None
    code_notation: str | None = None
    issued_date: date | None = None
    organ_name: str | None = None
    language: str = "Tiếng Việt"
    page_amount: int | None = None
    description: str | None = None
    signer_position: str | None = None
    signer_name: str | None = None
    priority: int | None = None
    arrival_number: int | None = None
    arrival_date: date | None = None


@dataclass(frozen=True)
class FileToKeep:
    organ_id: str
    direction: str  # out | in
    source: str  # docgen | intake | upload
    source_id: str | None
    file_name: str
    media_type: str
    content: bytes
    fields: DocumentFields
    actor: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ingested:
    record: Row[Any]
    created: bool


class ArchiveService:
    """The archive's use cases over one service context."""

    def __init__(self, context: ServiceContext, store: ObjectStore | None = None) -> None:
        self.context = context
        self._store = store

    # ------------------------------------------------------------------ collaborators

    @property
    def store(self) -> ObjectStore:
        if self._store is None:
            config = self.context.config
            self._store = ObjectStore(
                storage.make_client(config, timeout=5.0, retries=1), config.s3_bucket
            )
        return self._store

    @cached_property
    def trust_roots(self) -> list[bytes]:
        return [path.read_bytes() for path in self.context.config.trust_root_paths]

    @property
    def schedule(self) -> Schedule:
        config = self.context.config
        return load_schedule(
            config.archive_retention_schedule, config.archive_default_retention_years
        )

    # ------------------------------------------------------------------ validation

    def validate(self, content: bytes, media_type: str, file_name: str) -> tuple[str, str]:
        """(status, JSON report): a PDF's signature verdict, else ``not_applicable``."""
        limit = self.context.config.archive_max_upload_bytes
        if len(content) > limit:
            raise IngestRefused(
                "file_too_large",
                f"Tệp quá lớn: {len(content)} byte, giới hạn cho phép là {limit} byte.",
            )
        if not (media_type == PDF or file_name.lower().endswith(".pdf")):
            return "not_applicable", json.dumps({"status": "not_applicable"})
        try:
            report = verify_pdf(content, trust_roots=self.trust_roots, max_bytes=limit)
        except InvalidPdf as exc:
            code = _INVALID_PDF_CODES.get(exc.code, "pdf_invalid")
            raise IngestRefused(code, exc.reason) from None
        verdict = _report_dict(report)
        if report.status == "broken":
            reasons = [r for sig in report.signatures for r in sig.reasons]
            raise IngestRefused(
                "signature_broken",
                "Chữ ký số của tệp không hợp lệ: " + " ".join(dict.fromkeys(reasons)),
                report=verdict,
            )
        return report.status, json.dumps(verdict, ensure_ascii=False)

    # ------------------------------------------------------------------ ingest

    def ingest(self, item: FileToKeep) -> Ingested:
        """Keep ``item`` once; raise :class:`IngestRefused` for what must not be kept."""
        status, report = self.validate(item.content, item.media_type, item.file_name)
        if self.context.config.archive_signed_only and status == "unsigned":
            raise IngestRefused(
                "unsigned_refused",
                "Cơ quan chỉ lưu trữ văn bản đã ký số; tệp PDF này chưa có chữ ký số.",
            )
        # verify_pdf hashed the bytes already; its digest is the one recorded.
        verified = json.loads(report).get("sha256") if status != "not_applicable" else None
        sha256 = verified or hashlib.sha256(item.content).hexdigest()
        dedup = f"{item.source_id or ''}:{sha256}"
        existing = self._by_dedup(item.organ_id, dedup)
        if existing is None:
            existing = self._insert(item, sha256, dedup, status, report)
            if existing is None:
                raise RuntimeError("record vanished after insert")  # pragma: no cover
            created = True
        else:
            created = False
        if existing.state == "pending":
            existing = self._put(existing, item.content, check_existing=not created)
        return Ingested(existing, created)

    def _by_dedup(self, organ_id: str, dedup: str) -> Row[Any] | None:
        with reading(self.context.engine) as conn:
            return conn.execute(
                select(records).where(records.c.organ_id == organ_id, records.c.dedup_key == dedup)
            ).first()

    def _insert(
        self, item: FileToKeep, sha256: str, dedup: str, status: str, report: str
    ) -> Row[Any] | None:
        now = self.context.clock()
        record_id = new_id()
        retention = self.schedule.for_type(item.fields.type_name)
        ext = _EXTENSIONS.get(item.media_type) or Path(item.file_name).suffix.lower()[:10]
        if not ext[1:].isalnum():
            ext = ""
        key = f"{item.organ_id}/{vietnam_date(now).year}/{record_id}/{sha256}{ext}"
        fields = asdict(item.fields)
        row = {
            "id": record_id,
            "organ_id": item.organ_id,
            "dedup_key": dedup,
            "direction": item.direction,
            "source": item.source,
            "source_id": item.source_id,
            "supersedes": None,
            "file_name": item.file_name[:255],
            "media_type": item.media_type[:120],
            "size": len(item.content),
            "sha256": sha256,
            "object_key": key,
            "version_id": None,
            "state": "pending",
            "validation": status,
            "validation_report": report,
            **fields,
            "extra": json.dumps(item.extra, ensure_ascii=False, default=str),
            "search_text": _search_text(fields, item.file_name),
            "retention_years": retention.years,
            "permanent": retention.permanent,
            "retain_until": retention.until(now),
            "retention_applied": False,
            "dossier_id": None,
            "doc_ordinal": None,
            "attempts": 0,
            "last_error": None,
            "created_by": item.actor[:36],
            "created_at": now,
            "stored_at": None,
            "last_fixity_at": None,
            "last_fixity": None,
        }
        with self.context.uow() as uow:
            if item.source_id and status in KEPT_SIGNATURES:
                row["supersedes"] = uow.session.execute(
                    select(records.c.id)
                    .where(
                        records.c.organ_id == item.organ_id,
                        records.c.source_id == item.source_id,
                        records.c.validation == "unsigned",
                    )
                    .order_by(records.c.created_at)
                    .limit(1)
                ).scalar()
            try:
                uow.session.execute(records.insert().values(**row))
                uow.commit()
            except IntegrityError:
                uow.rollback()  # a concurrent ingest of the same bytes won
        return self._by_dedup(item.organ_id, dedup)

    def _put(self, row: Row[Any], content: bytes, *, check_existing: bool) -> Row[Any]:
        """Step 2 and 3: put (no transaction open), then mark stored — or stage the bytes."""
        try:
            stored = self.store.put(
                row.object_key,
                content,
                sha256=row.sha256,
                media_type=row.media_type,
                retain_until=row.retain_until,
                permanent=row.permanent,
                check_existing=check_existing,
            )
        except Exception as exc:
            log.warning(
                "S3 unavailable; record kept pending",
                extra={"record_id": row.id, "error": f"{type(exc).__name__}: {exc}"[:300]},
            )
            with self.context.uow() as uow:
                uow.session.execute(
                    update(records)
                    .where(records.c.id == row.id)
                    .values(attempts=records.c.attempts + 1, last_error=str(exc)[:2000])
                )
                have = uow.session.execute(
                    select(staging.c.record_id).where(staging.c.record_id == row.id)
                ).first()
                if have is None:
                    uow.session.execute(
                        staging.insert().values(
                            record_id=row.id, organ_id=row.organ_id, content=content
                        )
                    )
                uow.commit()
            return self._row(row.id)
        with self.context.uow() as uow:
            uow.session.execute(
                update(records)
                .where(records.c.id == row.id)
                .values(
                    state="stored",
                    version_id=stored.version_id,
                    stored_at=self.context.clock(),
                    retention_applied=True,
                    last_error=None,
                )
            )
            uow.session.execute(staging.delete().where(staging.c.record_id == row.id))
            uow.commit()
        current = self._row(row.id)
        if (current.retain_until, current.permanent) != (row.retain_until, row.permanent):
            self._apply_retention(current)  # a dossier lengthened it meanwhile
        return self._row(row.id)

    def retry_pending(self) -> dict[str, int]:
        """Store what S3 refused earlier and re-apply retention S3 has not taken yet."""
        done = {"stored": 0, "still_pending": 0, "retention_applied": 0}
        with reading(self.context.engine) as conn:
            pending = conn.execute(
                select(records.c.id).where(records.c.state == "pending").limit(1000)
            ).all()
            unapplied = conn.execute(
                select(records.c.id)
                .where(records.c.state == "stored", records.c.retention_applied.is_(False))
                .limit(1000)
            ).all()
        for (record_id,) in pending:
            with reading(self.context.engine) as conn:
                content = conn.execute(
                    select(staging.c.content).where(staging.c.record_id == record_id)
                ).scalar()
            row = self._row(record_id)
            if content is None or row.state != "pending":
                done["still_pending"] += row.state == "pending"
                continue
            after = self._put(row, bytes(content), check_existing=True)
            done["stored" if after.state == "stored" else "still_pending"] += 1
        for (record_id,) in unapplied:
            if self._apply_retention(self._row(record_id)):
                done["retention_applied"] += 1
        return done

    def _apply_retention(self, row: Row[Any]) -> bool:
        if row.state != "stored":
            return False
        try:
            self.store.apply_retention(
                row.object_key, row.version_id, row.retain_until, row.permanent
            )
        except Exception as exc:
            log.warning("retention not applied yet", extra={"record_id": row.id, "error": str(exc)})
            with self.context.uow() as uow:
                uow.session.execute(
                    update(records).where(records.c.id == row.id).values(retention_applied=False)
                )
                uow.commit()
            return False
        with self.context.uow() as uow:
            uow.session.execute(
                update(records).where(records.c.id == row.id).values(retention_applied=True)
            )
            uow.commit()
        return True

    # ------------------------------------------------------------------ reading

    def _row(self, record_id: str) -> Row[Any]:
        with reading(self.context.engine) as conn:
            row = conn.execute(select(records).where(records.c.id == record_id)).first()
        if row is None:
            raise NotFound(record_id)
        return row

    def record(self, organ_id: str, record_id: str) -> Row[Any]:
        row = self._row(record_id)
        if row.organ_id != organ_id:
            raise NotFound(record_id)  # another body's record does not exist for this caller
        return row

    def read_file(self, organ_id: str, record_id: str, token_id: str) -> tuple[Row[Any], bytes]:
        """The kept bytes (checked against the recorded SHA-256), with an access-log row."""
        row = self.record(organ_id, record_id)
        if row.state != "stored":
            raise Conflict("record_pending", "Tệp đang chờ ghi vào kho lưu trữ; hãy thử lại sau.")
        content = self.store.read(row.object_key, row.version_id)
        if hashlib.sha256(content).hexdigest() != row.sha256:
            raise Conflict("integrity_failed", "Tệp lưu trữ không khớp giá trị băm đã ghi nhận.")
        self.log_access(organ_id, [record_id], token_id, "download")
        return row, content

    def log_access(self, organ_id: str, record_ids: list[str], token_id: str, action: str) -> None:
        now = self.context.clock()
        with self.context.uow() as uow:
            for record_id in record_ids:
                uow.session.execute(
                    access_log.insert().values(
                        id=new_id(),
                        organ_id=organ_id,
                        record_id=record_id,
                        token_id=token_id,
                        action=action,
                        at=now,
                    )
                )
            uow.commit()

    def access_entries(self, organ_id: str, record_id: str) -> list[Row[Any]]:
        self.record(organ_id, record_id)
        with reading(self.context.engine) as conn:
            return list(
                conn.execute(
                    select(access_log)
                    .where(access_log.c.record_id == record_id, access_log.c.organ_id == organ_id)
                    .order_by(access_log.c.at, access_log.c.id)
                )
            )

    def search(
        self,
        organ_id: str,
        *,
        q: str | None = None,
        type_name: str | None = None,
        code: str | None = None,
        issued_from: date | None = None,
        issued_to: date | None = None,
        dossier_id: str | None = None,
        limit: int = 100,
    ) -> list[Row[Any]]:
        conditions: list[Any] = [records.c.organ_id == organ_id]
        for word in terms(q or ""):
            conditions.append(records.c.search_text.like(f"%{word}%", escape="\\"))
        if type_name:
            conditions.append(func.lower(records.c.type_name) == type_name.strip().lower())
        if code:
            number, _, notation = code.strip().partition("/")
            conditions.append(records.c.code_number == number.strip())
            if notation:
                conditions.append(func.upper(records.c.code_notation) == notation.strip().upper())
        if issued_from:
            conditions.append(records.c.issued_date >= issued_from)
        if issued_to:
            conditions.append(records.c.issued_date <= issued_to)
        if dossier_id:
            conditions.append(records.c.dossier_id == dossier_id)
        query = (
            select(records)
            .where(and_(*conditions))
            .order_by(records.c.issued_date.desc(), records.c.created_at.desc(), records.c.id)
            .limit(limit)
        )
        with reading(self.context.engine) as conn:
            return list(conn.execute(query))

    # ------------------------------------------------------------------ dossiers

    def create_dossier(self, organ_id: str, values: dict[str, Any]) -> Row[Any]:
        Retention.parse(values["maintenance"])
        dossier_id = new_id()
        with self.context.uow() as uow:
            try:
                uow.session.execute(
                    dossiers.insert().values(
                        id=dossier_id,
                        organ_id=organ_id,
                        state="open",
                        created_at=self.context.clock(),
                        closed_at=None,
                        **values,
                    )
                )
                uow.commit()
            except IntegrityError:
                uow.rollback()
                raise Conflict(
                    "dossier_exists",
                    "Cơ quan đã có hồ sơ với số và ký hiệu này trong năm này.",
                ) from None
        return self.dossier(organ_id, dossier_id)

    def dossier(self, organ_id: str, dossier_id: str) -> Row[Any]:
        with reading(self.context.engine) as conn:
            row = conn.execute(select(dossiers).where(dossiers.c.id == dossier_id)).first()
        if row is None or row.organ_id != organ_id:
            raise NotFound(dossier_id)
        return row

    def dossier_totals(self, dossier_id: str) -> tuple[int, int]:
        """(DocTotal, PageTotal)."""
        with reading(self.context.engine) as conn:
            found = conn.execute(
                select(func.count(), func.coalesce(func.sum(records.c.page_amount), 0)).where(
                    records.c.dossier_id == dossier_id
                )
            ).one()
        return int(found[0]), int(found[1])

    def file_records(self, organ_id: str, dossier_id: str, record_ids: list[str]) -> Row[Any]:
        """File records into an open dossier; a longer Maintenance extends their locks."""
        dossier = self.dossier(organ_id, dossier_id)
        if dossier.state != "open":
            raise Conflict("dossier_closed", "Hồ sơ đã đóng; không thể thêm văn bản.")
        keep = Retention.parse(dossier.maintenance)
        touched: list[str] = []
        with self.context.uow() as uow:
            session = uow.session
            rows = session.execute(
                select(records).where(records.c.id.in_(record_ids)).with_for_update()
            ).all()
            found = {r.id: r for r in rows if r.organ_id == organ_id}
            missing = [r for r in record_ids if r not in found]
            if missing:
                raise NotFound(missing[0])
            for record_id in dict.fromkeys(record_ids):
                row = found[record_id]
                if row.dossier_id not in (None, dossier_id):
                    raise Conflict("record_in_other_dossier", "Văn bản đã thuộc một hồ sơ khác.")
                values: dict[str, Any] = {}
                if row.dossier_id is None:
                    top = session.execute(
                        select(func.max(records.c.doc_ordinal)).where(
                            records.c.dossier_id == dossier_id
                        )
                    ).scalar()
                    values.update(dossier_id=dossier_id, doc_ordinal=(top or 0) + 1)
                if keep.longer_than(Retention(row.permanent, row.retention_years)):
                    values.update(
                        retention_years=keep.years,
                        permanent=keep.permanent,
                        retain_until=keep.until(row.created_at),
                        retention_applied=False,
                    )
                    touched.append(record_id)
                if values:
                    session.execute(
                        update(records).where(records.c.id == record_id).values(**values)
                    )
                    session.flush()
            uow.commit()
        for record_id in touched:
            self._apply_retention(self._row(record_id))
        return dossier

    def close_dossier(self, organ_id: str, dossier_id: str) -> Row[Any]:
        dossier = self.dossier(organ_id, dossier_id)
        if dossier.state == "closed":
            return dossier
        members = self.search(organ_id, dossier_id=dossier_id, limit=10_000)
        if not members:
            raise Conflict("dossier_empty", "Hồ sơ chưa có văn bản nào; không thể đóng.")
        dates = [m.issued_date for m in members if m.issued_date]
        with self.context.uow() as uow:
            uow.session.execute(
                update(dossiers)
                .where(dossiers.c.id == dossier_id, dossiers.c.state == "open")
                .values(
                    state="closed",
                    closed_at=self.context.clock(),
                    start_date=dossier.start_date or (min(dates) if dates else None),
                    end_date=dossier.end_date or (max(dates) if dates else None),
                )
            )
            uow.commit()
        return self.dossier(organ_id, dossier_id)

    def stored_records(self, organ_id: str | None = None) -> list[Row[Any]]:
        query = select(records).where(records.c.state == "stored")
        if organ_id:
            query = query.where(records.c.organ_id == organ_id)
        with reading(self.context.engine) as conn:
            return list(conn.execute(query.order_by(records.c.created_at, records.c.id)))

    def mark_fixity(self, verdicts: dict[str, str]) -> None:
        """Record each record's latest fixity verdict, in one transaction."""
        now = self.context.clock()
        with self.context.uow() as uow:
            for record_id, verdict in verdicts.items():
                uow.session.execute(
                    update(records)
                    .where(records.c.id == record_id)
                    .values(last_fixity=verdict, last_fixity_at=now)
                )
            uow.commit()


def _report_dict(report: PdfReport) -> dict[str, Any]:
    """``PdfReport.to_dict`` without its deep copies (they cost more than the validation)."""
    signatures = []
    for sig in report.signatures:
        entry = {f.name: getattr(sig, f.name) for f in fields(sig)}
        entry.update(status=sig.status, problems=list(sig.problems), reasons=list(sig.reasons))
        signatures.append(
            {k: v if v is None or isinstance(v, bool | int) else str(v) for k, v in entry.items()}
            | {"problems": list(sig.problems), "reasons": list(sig.reasons)}
        )
    return {
        "sha256": report.sha256,
        "size": report.size,
        "status": report.status,
        "signatures": signatures,
    }


def _search_text(fields: dict[str, Any], file_name: str) -> str:
    code = "/".join(p for p in (fields.get("code_number"), fields.get("code_notation")) if p)
    return search_text(
        [
            fields.get("type_name"),
            code,
            fields.get("subject"),
            fields.get("organ_name"),
            fields.get("signer_name"),
            fields.get("signer_position"),
            fields.get("description"),
            file_name,
        ]
    )
