"""The signed copy of an issued document: check it is that document, signed intact, keep it.

The leader and the văn thư sign the issued (numbered) PDF with their own tools
and the clerk uploads the result. It is kept only if every signature is intact
and the file is the issued PDF signed — the issued bytes as its first part
(incremental signing), or, where a tool rewrote the file, the same text on
every page. Then ``document.signed`` carries it to the archive and the exchange.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.docgen.issuing.service import IssueError, IssueService, file_payload, issued_payload
from services.docgen.orm import signed_files
from shared.bus import Envelope
from shared.db import reading
from shared.db.types import new_id

SIGNED_EVENT = "document.signed"


@dataclass(frozen=True)
class Signed:
    row: Any
    created: bool


class SignedCopies:
    def __init__(self, issuing: IssueService, trust_roots: Sequence[bytes] = ()) -> None:
        self.issuing = issuing
        self.context = issuing.context
        self.trust_roots = tuple(trust_roots)

    def accept(self, *, organ_id: str, actor: str, document_id: str, content: bytes) -> Signed:
        from shared.signatures import (  # noqa: PLC0415 - pyHanko loads on first upload
            InvalidPdf,
            compare_with_issued,
            verify_pdf,
        )

        document = self.issuing.document(organ_id, document_id)
        if document.state != "issued":
            raise IssueError("not_issued", "Văn bản đã bị hủy số; không nhận bản ký.", status=409)
        digest = hashlib.sha256(content).hexdigest()
        existing = self._find(document_id, digest)
        if existing is not None:
            return Signed(existing, created=False)
        try:
            report = verify_pdf(content, trust_roots=self.trust_roots, max_bytes=len(content))
        except InvalidPdf as exc:
            raise IssueError(f"pdf_{exc.code}", exc.reason, field="file") from None
        if report.status == "unsigned":
            raise IssueError("not_signed", "Tệp PDF chưa có chữ ký số nào.", field="file")
        if report.status == "broken":
            reasons = "; ".join(r for s in report.signatures for r in s.reasons)
            raise IssueError(
                "signature_broken",
                f"Chữ ký số không còn nguyên vẹn: {reasons}",
                field="file",
                report=report.to_dict(),
            )
        if self.trust_roots and report.status != "valid":
            # Trust roots configured: they are enforced, not only reported.
            raise IssueError(
                "signature_untrusted",
                "Chữ ký số không được xác minh theo các chứng thư gốc tin cậy của cơ quan: "
                + "; ".join(_whose(s) for s in report.signatures if s.status != "valid"),
                field="file",
                report=report.to_dict(),
            )
        issued = self.issuing.final_file(organ_id, document_id, "pdf")
        match = compare_with_issued(content, issued)
        if not match.matches:
            raise IssueError(
                "not_the_issued_document",
                f"Tệp đã ký không phải văn bản đã ban hành số {document.number:02d}/"
                f"{document.notation}: {match.reason}",
                field="file",
            )
        row = {
            "id": new_id(),
            "document_id": document_id,
            "organ_id": organ_id,
            "sha256": digest,
            "size": len(content),
            "content": content,
            "match": match.method,
            "report": json.dumps(report.to_dict(), ensure_ascii=False),
            "uploaded_by": actor,
            "uploaded_at": self.context.clock(),
        }
        payload = {
            **issued_payload(document._mapping),
            "signed": True,
            "signatures": [
                {
                    "signer": s.signer_name,
                    "subject": s.subject,
                    "signing_time": s.signing_time,
                    "trusted": s.trusted,
                }
                for s in report.signatures
            ],
            "file": file_payload(f"{document.number:02d}-{document.notation}-signed.pdf", content),
        }
        with self.context.uow() as uow:
            try:
                uow.session.execute(signed_files.insert().values(**row))
                self.context.outbox.add_event(
                    uow.session, Envelope(SIGNED_EVENT, organ_id, payload)
                )
                uow.commit()
            except IntegrityError:  # the same file, uploaded twice at once
                uow.rollback()
                again = self._find(document_id, digest)
                if again is None:  # pragma: no cover - the constraint names this row
                    raise
                return Signed(again, created=False)
        found = self._find(document_id, digest)
        return Signed(found, created=True)

    def latest(self, organ_id: str, document_id: str) -> Any:
        self.issuing.document(organ_id, document_id)
        with reading(self.context.engine) as conn:
            row = conn.execute(
                select(signed_files)
                .where(signed_files.c.document_id == document_id)
                .order_by(signed_files.c.uploaded_at.desc())
                .limit(1)
            ).first()
        if row is None:
            raise IssueError("not_found", "Văn bản chưa có bản đã ký.", status=404)
        return row

    def _find(self, document_id: str, digest: str) -> Any:
        with reading(self.context.engine) as conn:
            return conn.execute(
                select(signed_files).where(
                    signed_files.c.document_id == document_id, signed_files.c.sha256 == digest
                )
            ).first()


def _whose(signature: Any) -> str:
    """ "chữ ký của Nguyễn Văn A, chứng thư do CA X cấp: <reasons>" for a refusal."""
    who = signature.signer_name or signature.subject_cn or signature.subject or "không rõ người ký"
    issuer = signature.issuer or "không rõ"
    reasons = ", ".join(signature.reasons) or "không xác minh được"
    return f"chữ ký của {who}, chứng thư do {issuer} cấp: {reasons}"
