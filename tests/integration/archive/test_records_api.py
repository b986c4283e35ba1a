"""POST /v1/records and reading back: WORM storage, idempotence, search, access log."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
import zipfile

import pytest
from minio.error import S3Error

from tests.integration.archive.conftest import Archive, Pdfs
from tests.support.organs import fresh_organ_id

pytestmark = pytest.mark.integration


def test_signed_pdf_is_kept_once_and_cannot_be_deleted(archive: Archive, pdfs: Pdfs) -> None:
    response = archive.upload(pdfs.signed, {"CodeNumber": "12", "CodeNotation": "QĐ-UBND"})
    assert response.status_code == 201, response.json
    record = response.json
    assert record["state"] == "stored"
    assert record["validation"] == "valid"
    assert record["retention"]["legal_hold"] is True  # Quyết định: Vĩnh viễn in the schedule
    key = record["file"]["object_key"]
    assert key.startswith(f"{archive.organ}/")
    assert key.endswith(f"/{record['id']}/{record['file']['sha256']}.pdf")

    again = archive.upload(pdfs.signed, {"CodeNumber": "12", "CodeNotation": "QĐ-UBND"})
    assert again.status_code == 200
    assert again.json["id"] == record["id"]

    s3, bucket, version = archive.s3, archive.config.s3_bucket, record["file"]["version_id"]
    stat = s3.stat_object(bucket, key, version_id=version)
    assert stat.metadata["X-Amz-Meta-sha256"] == record["file"]["sha256"]
    assert s3.is_object_legal_hold_enabled(bucket, key, version_id=version)
    with pytest.raises(S3Error):
        s3.remove_object(bucket, key, version_id=version)
    assert archive.service.store.read(key, version) == pdfs.signed

    download = archive.client.get(f"/v1/records/{record['id']}/file", headers=archive.auth())
    assert download.status_code == 200
    assert download.data == pdfs.signed
    log = archive.client.get(f"/v1/records/{record['id']}/access-log", headers=archive.auth())
    assert [e["action"] for e in log.json["entries"]] == ["download"]


def test_years_retention_is_compliance_mode(archive: Archive, pdfs: Pdfs) -> None:
    response = archive.upload(pdfs.other_signed, {"TypeName": "Công văn"})
    assert response.status_code == 201, response.json
    record = response.json
    assert record["retention"]["Maintenance"] == "10 năm"
    key, version = record["file"]["object_key"], record["file"]["version_id"]
    retention = archive.s3.get_object_retention(archive.config.s3_bucket, key, version_id=version)
    assert retention is not None
    assert retention.mode == "COMPLIANCE"
    assert retention.retain_until_date > dt.datetime.now(dt.UTC) + dt.timedelta(days=9 * 365)
    with pytest.raises(S3Error):
        archive.s3.remove_object(archive.config.s3_bucket, key, version_id=version)
    assert archive.service.store.read(key, version) == pdfs.other_signed


def test_search_by_fields_and_folded_text(archive: Archive) -> None:
    first = archive.upload(
        b"Noi dung cong van",
        {
            "TypeName": "Công văn",
            "CodeNumber": "05",
            "CodeNotation": "UBND-VP",
            "IssuedDate": "2026-03-02",
            "Subject": "Về việc Đầu tư xây dựng trường học",
        },
        name="cv.txt",
        media_type="text/plain",
    )
    assert first.status_code == 201, first.json
    assert first.json["validation"] == "not_applicable"
    second = archive.upload(
        b"Noi dung to trinh",
        {"TypeName": "Tờ trình", "IssuedDate": "2026-05-10", "Subject": "Về dự toán ngân sách"},
        name="tt.txt",
        media_type="text/plain",
    )
    assert second.status_code == 201

    def ids(query: str) -> set[str]:
        response = archive.client.get(f"/v1/records?{query}", headers=archive.auth())
        assert response.status_code == 200, response.json
        return {r["id"] for r in response.json["records"]}

    one, two = first.json["id"], second.json["id"]
    assert ids("q=dau+tu+TRUONG") == {one}  # without diacritics, any case
    assert ids("q=Đầu tư") == {one}
    assert ids("type_name=tờ trình") == {two}
    assert ids("code=05/ubnd-vp") == {one}
    assert ids("from=2026-04-01") == {two}
    assert ids("to=2026-04-01") == {one}
    assert ids("q=100%25") == set()
    bad = archive.client.get("/v1/records?from=hôm-qua", headers=archive.auth())
    assert bad.status_code == 422


def test_metadata_is_kept_in_nfc_whatever_was_sent(archive: Archive) -> None:
    subject = "Về việc Đầu tư xây dựng trường học"
    decomposed = unicodedata.normalize("NFD", subject)
    assert decomposed != subject
    sent = archive.upload(
        b"Noi dung",
        {"TypeName": unicodedata.normalize("NFD", "Công văn"), "Subject": decomposed},
        name="cv.txt",
        media_type="text/plain",
    )
    assert sent.status_code == 201, sent.json
    kept = archive.client.get(f"/v1/records/{sent.json['id']}", headers=archive.auth()).json
    assert kept["Subject"] == subject
    assert kept["TypeName"] == "Công văn"
    found = archive.client.get("/v1/records?type_name=Công văn", headers=archive.auth()).json
    assert [r["id"] for r in found["records"]] == [sent.json["id"]]


class _Unreadable(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, _buffer: object) -> int:
        raise AssertionError("the body was read")


def test_bad_input_is_refused_with_stable_codes(make_archive, pdfs: Pdfs) -> None:  # type: ignore[no-untyped-def]
    archive: Archive = make_archive(archive_max_upload_bytes=len(pdfs.signed) + 10)

    def refused(content: bytes, code: str, status: int = 422) -> dict[str, object]:
        response = archive.upload(content)
        assert response.status_code == status, response.json
        assert response.mimetype == "application/problem+json"
        assert response.json["code"] == code
        return response.json

    refused(b"<html>not a pdf</html>", "not_pdf")
    refused(pdfs.signed[: len(pdfs.signed) // 2], "pdf_truncated")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.bin", b"\0" * (20 << 20))
    refused(bomb.getvalue(), "not_pdf")
    problem = refused(pdfs.broken, "signature_broken")
    assert "Nội dung được ký đã bị thay đổi" in str(problem["detail"])
    refused(pdfs.signed + b" " * 100, "file_too_large", 413)

    # A declared length over the limit is refused from the header, before the body is read.
    response = archive.client.post(
        "/v1/records",
        headers=archive.auth(),
        environ_overrides={
            "wsgi.input": _Unreadable(),
            "CONTENT_TYPE": "multipart/form-data; boundary=x",
            "CONTENT_LENGTH": str(50 << 20),
        },
    )
    assert response.status_code == 413
    assert response.json["code"] == "file_too_large"

    bad_meta = archive.upload(pdfs.signed, {"Direction": "sideways", "PageAmount": 0})
    assert bad_meta.status_code == 422
    assert {e["field"] for e in bad_meta.json["errors"]} == {"Direction", "PageAmount"}
    records = archive.client.get("/v1/records", headers=archive.auth())
    assert records.json["count"] == 0  # a refused request leaves nothing behind


def test_other_bodies_and_roles_are_kept_out(archive: Archive) -> None:
    record = archive.upload(b"x", name="a.txt", media_type="text/plain").json
    dossier = archive.client.post(
        "/v1/dossiers",
        json={
            "FileCatalog": 2026,
            "FileNotation": "HS-01",
            "Title": "Hồ sơ thử",
            "Maintenance": "10 năm",
            "Creator": "Lê Thị B",
        },
        headers=archive.auth(),
    ).json
    stranger = archive.stack.token(("archivist", "clerk", "admin"), organ_id=fresh_organ_id())
    for path in (
        f"/v1/records/{record['id']}",
        f"/v1/records/{record['id']}/file",
        f"/v1/records/{record['id']}/access-log",
        f"/v1/dossiers/{dossier['id']}",
        f"/v1/dossiers/{dossier['id']}/export.zip",
    ):
        response = archive.client.get(path, headers=archive.auth(stranger))
        assert response.status_code == 404, path
    listed = archive.client.get("/v1/records", headers=archive.auth(stranger))
    assert listed.json["count"] == 0
    filed = archive.client.post(
        f"/v1/dossiers/{dossier['id']}/records",
        json={"RecordIds": [record["id"]]},
        headers=archive.auth(stranger),
    )
    assert filed.status_code == 404
    investor = archive.stack.token(("investor",), organ_id=archive.organ)
    assert archive.client.get("/v1/records", headers=archive.auth(investor)).status_code == 403
    assert archive.client.get("/v1/records").status_code == 401
    log = archive.client.get(f"/v1/records/{record['id']}/access-log", headers=archive.auth())
    assert json.loads(log.data)["entries"] == []
