"""document.rendered / document.signed / incoming.accepted become records, once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from services.archive.app import create_app as archive_app
from services.archive.handlers import (
    INCOMING,
    RECALLED,
    RENDERED,
    SIGNED,
    mark_recalled,
    preparer,
)
from services.archive.orm import records, tables
from services.archive.service import ArchiveService
from services.archive.worker import ArchiveWorker, create_worker
from shared import storage
from shared.bus import Envelope
from shared.bus.consumer import PermanentError
from shared.db import reading
from shared.devstack.seaweed import SeaweedFS
from shared.runtime import ServiceContext
from tests.conftest import ClientFor, Stack
from tests.integration.archive.conftest import (
    Pdfs,
    archive_config,
    document_payload,
    file_payload,
)
from tests.support.organs import fresh_organ_id

pytestmark = pytest.mark.integration


@pytest.fixture
def worker(
    stack: Stack, seaweed: SeaweedFS, trust_roots: Path
) -> Iterator[tuple[ServiceContext, ArchiveWorker]]:
    config = archive_config(stack, seaweed.endpoint, trust_roots)
    context, made = create_worker(config)
    assert isinstance(made, ArchiveWorker)
    yield context, made
    context.dispose()


def _count(context: ServiceContext, organ: str) -> int:
    with reading(context.engine) as conn:
        return int(
            conn.execute(select(func.count()).where(records.c.organ_id == organ)).scalar() or 0
        )


def test_rendered_then_signed_are_two_linked_records(
    worker: tuple[ServiceContext, ArchiveWorker], pdfs: Pdfs
) -> None:
    context, made = worker
    organ = fresh_organ_id()
    rendered = Envelope(RENDERED, organ, document_payload("doc-1", pdfs.unsigned, signed=False))
    signed = Envelope(SIGNED, organ, document_payload("doc-1", pdfs.signed, signed=True))
    for envelope in (rendered, signed, rendered):
        made.consumer._handle(envelope)
    # The same event again under a new id (a republish) adds nothing either.
    made.consumer._handle(Envelope(SIGNED, organ, signed.payload))
    service = ArchiveService(context)
    found = {r.validation: r for r in service.search(organ)}
    assert set(found) == {"unsigned", "valid"}
    assert found["valid"].supersedes == found["unsigned"].id
    assert {r.state for r in found.values()} == {"stored"}
    assert found["valid"].code_number == "5"
    assert found["valid"].code_notation == "UBND-VP"
    assert found["valid"].signer_name == "Nguyễn Văn A"
    assert found["unsigned"].object_key != found["valid"].object_key
    assert _count(context, organ) == 2


def _incoming(
    incoming_id: str, number: int, files: list[dict[str, Any]], subject: str = "Về việc rà soát"
) -> dict[str, Any]:
    """An incoming.accepted payload: a công văn from the province, with ``files``."""
    return {
        "incoming_id": incoming_id,
        "arrival_number": number,
        "arrival_date": "2026-11-21",
        "sender": {"organ_id": "000.00.00.H43", "name": "UBND tỉnh Phú Yên"},
        "code": "45/UBND-KT",
        "issued_on": "2026-11-19",
        "type_name": "Công văn",
        "subject": subject,
        "files": files,
    }


def test_incoming_files_are_kept_as_received(
    embedded: Stack, seaweed: SeaweedFS, trust_roots: Path, pdfs: Pdfs
) -> None:
    context = ServiceContext(archive_config(embedded, seaweed.endpoint, trust_roots), tables)
    service = ArchiveService(context)
    organ = fresh_organ_id()
    payload = _incoming(
        "in-9",
        118,
        [
            file_payload("cv.pdf", pdfs.other_signed),
            file_payload("phu-luc.xml", b"<a/>", "application/xml"),
        ],
        subject="Về việc rà soát hồ sơ đất đai",
    )
    preparer(service)(Envelope(INCOMING, organ, payload))
    kept = {r.file_name: r for r in service.search(organ)}
    assert kept["cv.pdf"].validation == "valid"
    assert kept["phu-luc.xml"].validation == "not_applicable"
    assert kept["cv.pdf"].direction == "in"
    assert kept["cv.pdf"].arrival_number == 118
    assert kept["cv.pdf"].organ_name == "UBND tỉnh Phú Yên"
    assert kept["phu-luc.xml"].object_key.endswith(".xml")

    broken = dict(payload, incoming_id="in-10", files=[file_payload("x.pdf", pdfs.broken)])
    with pytest.raises(PermanentError, match="signature_broken"):
        preparer(service)(Envelope(INCOMING, organ, broken))
    lying = dict(payload, files=[{**file_payload("x.pdf", pdfs.signed), "sha256": "0" * 64}])
    with pytest.raises(PermanentError, match="sha256"):
        preparer(service)(Envelope(INCOMING, organ, lying))
    with pytest.raises(PermanentError, match="malformed"):
        preparer(service)(Envelope(RENDERED, organ, {"document_id": "d"}))
    assert len(service.search(organ)) == 2

    # The sender recalls it: both files stay under retention, marked recalled.
    with context.uow() as uow:
        mark_recalled(uow.session, Envelope(RECALLED, organ, {"incoming_id": "in-9"}))
        mark_recalled(uow.session, Envelope(RECALLED, fresh_organ_id(), {"incoming_id": "in-9"}))
        uow.commit()
    kept = {r.file_name: r for r in service.search(organ)}
    assert len(kept) == 2
    assert all(r.recalled_at is not None for r in kept.values())

    signed_only = ArchiveService(
        ServiceContext(context.config.replace(archive_signed_only=True), tables)
    )
    organ2 = fresh_organ_id()
    preparer(signed_only)(
        Envelope(RENDERED, organ2, document_payload("d2", pdfs.unsigned, signed=False))
    )
    # An event that says "signed" but carries an unsigned PDF is not kept either.
    preparer(signed_only)(
        Envelope(SIGNED, organ2, document_payload("d2", pdfs.unsigned, signed=True))
    )
    assert signed_only.search(organ2) == []
    preparer(signed_only)(
        Envelope(SIGNED, organ2, document_payload("d2", pdfs.signed, signed=True))
    )
    assert [r.validation for r in signed_only.search(organ2)] == ["valid"]
    context.dispose()


@pytest.mark.parametrize(
    ("sent", "offered"),
    [
        ("../../../../etc/x.xml", "x.xml"),
        ("..\\..\\..\\windows\\x.xml", "x.xml"),
        ("cong\r\nvan.xml", "congvan.xml"),
        ("Phụ lục số 5.xml", "Phụ lục số 5.xml"),
    ],
)
def test_attachment_names_are_kept_and_offered_safely(
    embedded: Stack,
    seaweed: SeaweedFS,
    *,
    trust_roots: Path,
    client_for: ClientFor,
    sent: str,
    offered: str,
) -> None:
    config = archive_config(embedded, seaweed.endpoint, trust_roots)
    storage.ensure_bucket(storage.make_client(config), config.s3_bucket)
    service = ArchiveService(ServiceContext(config, tables))
    organ = fresh_organ_id()
    payload = _incoming("in-1", 1, [file_payload(sent, b"<a/>", "application/xml")])
    preparer(service)(Envelope(INCOMING, organ, payload))
    (record,) = service.search(organ)
    assert record.file_name == sent  # the name as sent stays in the metadata
    client = client_for(archive_app, config)
    headers = {"Authorization": f"Bearer {embedded.token(('archivist',), organ)}"}
    response = client.get(f"/v1/records/{record.id}/file", headers=headers)
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "/" not in disposition.replace("%2F", "")
    assert "\\" not in disposition
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert disposition.isascii()
    assert f"filename*=UTF-8''{quote(offered)}" in disposition
