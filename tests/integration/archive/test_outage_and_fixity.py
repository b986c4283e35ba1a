"""S3 down during ingest (a real outage of a private SeaweedFS), and fixity audits."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from services.archive.fixity import main as fixity_main
from services.archive.fixity import run_fixity
from services.archive.orm import records, tables
from services.archive.service import ArchiveService, DocumentFields, FileToKeep
from services.archive.worker import Custodian
from shared import storage
from shared.devstack.ports import free_port
from shared.devstack.seaweed import SeaweedFS
from shared.runtime import ServiceContext
from tests.conftest import S3_KEYS, Stack
from tests.integration.archive.conftest import BUCKET, Pdfs, archive_config
from tests.support.organs import fresh_organ_id

pytestmark = pytest.mark.integration


def _item(organ: str, content: bytes, source_id: str, name: str = "vb.pdf") -> FileToKeep:
    return FileToKeep(
        organ_id=organ,
        direction="out",
        source="upload",
        source_id=source_id,
        file_name=name,
        media_type="application/pdf" if name.endswith(".pdf") else "text/plain",
        content=content,
        fields=DocumentFields(type_name="Công văn", subject="Về việc thử nghiệm"),
        actor="test",
    )


@pytest.fixture
def private_s3(tmp_path: Path) -> Iterator[SeaweedFS]:
    server = SeaweedFS(tmp_path / "weed", s3_port=free_port(), **S3_KEYS)
    server.start()
    storage.ensure_bucket(server.client(), BUCKET)
    yield server
    server.stop()


def test_s3_outage_leaves_records_pending_then_stored_once(
    embedded: Stack, private_s3: SeaweedFS, trust_roots: Path, pdfs: Pdfs
) -> None:
    context = ServiceContext(archive_config(embedded, private_s3.endpoint, trust_roots), tables)
    service = ArchiveService(context)
    organ = fresh_organ_id()
    assert service.ingest(_item(organ, pdfs.signed, "d-1")).record.state == "stored"

    private_s3.stop()
    waiting = service.ingest(_item(organ, pdfs.other_signed, "d-2")).record
    assert waiting.state == "pending"
    assert waiting.attempts == 1
    assert service.retry_pending() == {"stored": 0, "still_pending": 1, "retention_applied": 0}
    again = service.ingest(_item(organ, pdfs.other_signed, "d-2"))  # a client retry
    assert again.record.id == waiting.id
    assert not again.created

    private_s3.start()
    assert service.retry_pending()["stored"] == 1
    assert service.retry_pending() == {"stored": 0, "still_pending": 0, "retention_applied": 0}
    stored = service.record(organ, waiting.id)
    assert stored.state == "stored"
    assert service.store.read(stored.object_key, stored.version_id) == pdfs.other_signed
    versions = list(
        service.store.client.list_objects(BUCKET, prefix=stored.object_key, include_version=True)
    )
    assert len(versions) == 1  # stored once
    assert len(service.search(organ)) == 2
    context.dispose()


def test_fixity_finds_versions_written_behind_the_archive(
    embedded: Stack,
    seaweed: SeaweedFS,
    trust_roots: Path,
    pdfs: Pdfs,
    capsys: pytest.CaptureFixture[str],
) -> None:
    storage.ensure_bucket(seaweed.client(), BUCKET)
    config = archive_config(embedded, seaweed.endpoint, trust_roots)
    context = ServiceContext(config, tables)
    service = ArchiveService(context)
    organ = fresh_organ_id()
    first = service.ingest(_item(organ, pdfs.signed, "f-1")).record
    second = service.ingest(_item(organ, b"tep van ban", "f-2", name="b.txt")).record

    report = run_fixity(service, organ_id=organ)
    assert report.passed
    assert (report.checked, report.ok) == (2, 2)
    assert report.bytes_read == len(pdfs.signed) + len(b"tep van ban")

    # Someone with write access puts a new version on the archive's key.
    service.store.client.put_object(BUCKET, first.object_key, io.BytesIO(b"forged"), 6)
    report = run_fixity(service, organ_id=organ)
    assert not report.passed
    assert report.newer_version == 1
    assert report.problems[0]["record_id"] == first.id
    assert report.ok == 1  # the archive's own version is still intact

    # A record pointing at a version that is not there is reported missing.
    with context.uow() as uow:
        uow.session.execute(
            update(records).where(records.c.id == second.id).values(version_id="no-such-version")
        )
        uow.commit()
    assert fixity_main(config, organ_id=organ) == 1
    out, err = capsys.readouterr()
    assert "KHÔNG ĐẠT" in out
    assert "missing" in out
    assert "newer_version" in out
    assert "[##############################] 2/2" in err
    assert service.record(organ, first.id).last_fixity == "newer_version"
    context.dispose()


def test_the_worker_stores_pending_records_and_runs_fixity(
    embedded: Stack, seaweed: SeaweedFS, trust_roots: Path
) -> None:
    storage.ensure_bucket(seaweed.client(), BUCKET)
    config = archive_config(embedded, seaweed.endpoint, trust_roots)
    context = ServiceContext(config.replace(archive_fixity_interval_seconds=1), tables)
    down = ArchiveService(
        ServiceContext(config.replace(s3_endpoint=f"http://127.0.0.1:{free_port()}"), tables)
    )
    organ = fresh_organ_id()
    waiting = down.ingest(_item(organ, b"cho S3", "w-1", name="a.txt")).record
    assert waiting.state == "pending"
    service = ArchiveService(context)
    stop = threading.Event()
    custodian = Custodian(service, stop, retry_seconds=0.05)
    custodian.fixity_every = 0.1
    thread = threading.Thread(target=custodian.run)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while service.record(organ, waiting.id).last_fixity is None:
            assert time.monotonic() < deadline, "the worker never stored and checked the record"
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
    row = service.record(organ, waiting.id)
    assert (row.state, row.last_fixity) == ("stored", "ok")
    context.dispose()
    down.context.dispose()
