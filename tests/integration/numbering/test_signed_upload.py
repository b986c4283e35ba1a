"""POST /v1/documents/<id>/signed: the issued PDF, signed intact, is kept and announced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from services.docgen.app import create_app
from services.docgen.orm import exchange_sends, signed_files, tables
from services.docgen.worker import create_worker as docgen_worker
from shared.bus import Envelope
from shared.db import make_engine
from tests.conftest import ClientFor, Stack
from tests.integration.numbering.test_issue_api import Desk
from tests.support.pki import default_pki, sign_pdf, stranger_pki

pytestmark = pytest.mark.integration


def _issued_pdf(desk: Desk) -> tuple[str, bytes]:
    doc = desk.issue(desk.draft(), {"unit": "VP"}).json
    pdf = desk.client.get(doc["links"]["pdf"], headers=desk.clerk).data
    return doc["id"], pdf


def _upload(desk: Desk, document_id: str, content: bytes, **kwargs: Any) -> Any:
    return desk.client.post(
        f"/v1/documents/{document_id}/signed",
        data=content,
        content_type=kwargs.get("content_type", "application/pdf"),
        headers=desk.clerk,
    )


def _signed_events(desk: Desk) -> list[Envelope]:
    engine = make_engine(desk.stack.config("docgen").database_url)
    try:
        with engine.connect() as conn:
            outbox = tables.outbox
            bodies = conn.execute(
                select(outbox.c.body).where(
                    outbox.c.organ_id == desk.organ_id, outbox.c.routing_key == "document.signed"
                )
            ).scalars()
            return [Envelope.from_json(b) for b in bodies]
    finally:
        engine.dispose()


def test_the_signed_issued_pdf_is_kept_once_and_announced(desk: Desk) -> None:
    desk.setup()
    document_id, issued = _issued_pdf(desk)
    signed = sign_pdf(sign_pdf(issued, signer="leader"), signer="body")
    first = _upload(desk, document_id, signed)
    assert first.status_code == 201, first.json
    assert first.json["match"] == "incremental"
    assert len(first.json["signatures"]) == 2
    again = _upload(desk, document_id, signed)
    assert again.status_code == 200
    assert again.json["id"] == first.json["id"]
    events = _signed_events(desk)
    assert len(events) == 1
    assert events[0].payload["signed"] is True
    assert events[0].payload["code"] == "01/UBND-VP"
    assert events[0].payload["file"]["sha256"] == first.json["sha256"]
    kept = desk.client.get(f"/v1/documents/{document_id}/signed.pdf", headers=desk.clerk)
    assert kept.data == signed


def test_refusals_keep_nothing(desk: Desk) -> None:
    desk.setup()
    document_id, issued = _issued_pdf(desk)
    other_id, other = _issued_pdf(desk)
    signed = sign_pdf(issued, signer="leader")

    tampered = bytearray(signed)
    at = signed.index(b"UBND") if b"UBND" in signed[: len(issued)] else len(issued) // 2
    tampered[at] ^= 0x01
    cases = [
        (bytes(tampered), 422, "signature_broken"),
        (sign_pdf(other, signer="leader"), 422, "not_the_issued_document"),
        (issued, 422, "not_signed"),
        (b"%PDF-1.7\n not really", 422, "pdf_truncated"),
        (b"PK\x03\x04 a zip, not a pdf", 422, "pdf_not_pdf"),
    ]
    for content, status, code in cases:
        answer = _upload(desk, document_id, content)
        assert answer.status_code == status, (code, answer.json)
        assert answer.json["code"] == code
        assert answer.mimetype == "application/problem+json"
    form = _upload(desk, document_id, signed, content_type="text/plain")
    assert form.status_code == 415
    other_body = Desk(desk.stack, desk.client)
    theirs = desk.client.post(
        f"/v1/documents/{document_id}/signed",
        data=signed,
        content_type="application/pdf",
        headers=other_body.clerk,
    )
    assert theirs.status_code == 403
    assert _signed_events(desk) == []
    engine = make_engine(desk.stack.config("docgen").database_url)
    try:
        with engine.connect() as conn:
            kept = conn.execute(
                select(signed_files.c.id).where(signed_files.c.organ_id == desk.organ_id)
            ).all()
    finally:
        engine.dispose()
    assert kept == []
    assert other_id != document_id


def _trusting_desk(stack: Stack, client_for: ClientFor, tmp_path: Path) -> Desk:
    """A body whose docgen trusts the test PKI's root (VANTHU_SIGNATURE_TRUST_ROOTS)."""
    root = tmp_path / "root.pem"
    root.write_bytes(default_pki().root.pem)
    config = stack.config("docgen").replace(signature_trust_roots=str(root))
    desk = Desk(stack, client_for(create_app, config))
    desk.setup()
    return desk


def test_signed_copies_are_trusted_when_their_root_is_configured(
    stack: Stack, client_for: ClientFor, tmp_path: Path
) -> None:
    desk = _trusting_desk(stack, client_for, tmp_path)
    document_id, issued = _issued_pdf(desk)
    signed = sign_pdf(sign_pdf(issued, signer="leader"), signer="body")
    kept = _upload(desk, document_id, signed)
    assert kept.status_code == 201, kept.json
    assert kept.json["status"] == "valid"
    assert all(s["trusted"] for s in kept.json["signatures"])


@pytest.mark.parametrize("stranger_signs", ["leader", "body"])
def test_with_trust_roots_a_signature_from_an_unknown_ca_is_refused(
    stack: Stack, client_for: ClientFor, tmp_path: Path, stranger_signs: str
) -> None:
    desk = _trusting_desk(stack, client_for, tmp_path)
    document_id, issued = _issued_pdf(desk)
    # A trusted signature followed by an untrusted one, or an untrusted one alone.
    first = "leader" if stranger_signs == "body" else None
    signed = issued if first is None else sign_pdf(issued, signer="leader")
    signed = sign_pdf(signed, signer=stranger_signs, pki=stranger_pki())  # type: ignore[arg-type]
    refused = _upload(desk, document_id, signed)
    assert refused.status_code == 422, refused.json
    assert refused.json["code"] == "signature_untrusted"
    assert "Stranger" in refused.json["detail"]  # which issuer
    assert _signed_events(desk) == []
    # The same file is accepted as "untrusted" where no trust roots are configured.
    open_desk = Desk(stack, client_for(create_app, stack.config("docgen")))
    open_desk.organ_id = desk.organ_id
    open_desk.clerk = desk.clerk
    accepted = _upload(open_desk, document_id, signed)
    assert accepted.status_code == 201, accepted.json
    assert accepted.json["status"] == "untrusted"


def _cancel_number(desk: Desk, register: str, document_id: str) -> None:
    entries = desk.client.get(f"/v1/registers/{register}/entries", headers=desk.clerk).json
    (entry,) = [e for e in entries["entries"] if e.get("document_id") == document_id]
    cancelled = desk.client.post(
        f"/v1/registers/{register}/entries/{entry['id']}/cancel",
        json={"reason": "Ban hành nhầm"},
        headers=desk.clerk,
    )
    assert cancelled.status_code == 200, cancelled.json


def test_a_cancelled_number_can_be_neither_signed_nor_sent(desk: Desk) -> None:
    register = desk.setup()
    to = [{"organ_id": "000.00.12.H41", "name": "UBND huyện Anh Sơn"}]
    doc = desk.issue(desk.draft(), {"unit": "VP", "to": to}).json
    pdf = desk.client.get(doc["links"]["pdf"], headers=desk.clerk).data
    _cancel_number(desk, register, doc["id"])
    shown = desk.client.get(f"/v1/documents/{doc['id']}", headers=desk.clerk).json
    assert shown["state"] == "cancelled"  # in the same transaction as the register entry
    refused = _upload(desk, doc["id"], sign_pdf(pdf, signer="leader"))
    assert refused.status_code == 409
    assert refused.json["code"] == "not_issued"
    for action in ("update", "replace"):
        body: dict[str, Any] = {"reason": "Sửa lỗi"}
        if action == "replace":
            body["replaces"] = [doc["id"]]
        sent = desk.client.post(
            f"/v1/documents/{doc['id']}/{action}", json=body, headers=desk.clerk
        )
        assert sent.status_code == 409, sent.json
        assert sent.json["reason"] == "document_cancelled"
    assert _signed_events(desk) == []


@pytest.mark.parametrize("require_signed", [True, False])
def test_update_and_replace_ask_the_same_gate_as_the_worker(
    stack: Stack, client_for: ClientFor, require_signed: bool
) -> None:
    config = stack.config("docgen").replace(exchange_require_signed=require_signed)
    desk = Desk(stack, client_for(create_app, config))
    desk.setup()
    to = [{"organ_id": "000.00.12.H41", "name": "UBND huyện Anh Sơn"}]
    doc = desk.issue(desk.draft(), {"unit": "VP", "to": to}).json
    sent = desk.client.post(
        f"/v1/documents/{doc['id']}/update", json={"reason": "Sửa lỗi"}, headers=desk.clerk
    )
    if require_signed:  # no signed copy yet: nothing leaves, the unsigned final above all
        assert sent.status_code == 409, sent.json
        assert sent.json["reason"] == "not_signed"
    else:
        assert sent.status_code == 202, sent.json
        assert sent.json["queued"] == 1


def test_the_worker_sends_no_document_whose_number_was_cancelled(desk: Desk) -> None:
    register = desk.setup()
    to = [{"organ_id": "000.00.12.H41", "name": "UBND huyện Anh Sơn"}]
    kept, dropped = (desk.issue(desk.draft(), {"unit": "VP", "to": to}).json for _ in range(2))
    for doc in (kept, dropped):
        pdf = desk.client.get(doc["links"]["pdf"], headers=desk.clerk).data
        assert _upload(desk, doc["id"], sign_pdf(pdf, signer="leader")).status_code == 201
    _cancel_number(desk, register, dropped["id"])  # after its signed copy was announced
    context, worker = docgen_worker(desk.stack.config("docgen"))
    try:
        handle = worker.consumer.handlers["document.signed"]
        with context.uow() as uow:
            for event in _signed_events(desk):
                handle(uow.session, event)
            uow.commit()
        with context.uow() as uow:
            sent = uow.session.execute(select(exchange_sends.c.document_id)).scalars().all()
    finally:
        context.dispose()
    assert kept["id"] in sent
    assert dropped["id"] not in sent
