"""Hồ sơ: filing extends retention (never shortens), closing, BagIt export."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import bagit
import pytest

from tests.integration.archive.conftest import Archive, Pdfs

pytestmark = pytest.mark.integration


def _dossier(archive: Archive, **fields: Any) -> dict[str, Any]:
    body = {
        "FileCatalog": 2026,
        "FileNotation": "HS-07",
        "Title": "Hồ sơ xây dựng trường mầm non xã Ea Bá",
        "Maintenance": "Vĩnh viễn",
        "Creator": "Lê Thị B",
        **fields,
    }
    response = archive.client.post("/v1/dossiers", json=body, headers=archive.auth())
    assert response.status_code == 201, response.json
    result: dict[str, Any] = response.json
    return result


def test_filing_extends_retention_and_export_is_a_valid_bag(
    archive: Archive, pdfs: Pdfs, tmp_path: Path
) -> None:
    later = archive.upload(
        pdfs.other_signed,
        {"TypeName": "Công văn", "IssuedDate": "2026-06-01", "PageAmount": 1},
        name="../../etc/cong-van.pdf",
    ).json
    earlier = archive.upload(
        b"phu luc",
        {"TypeName": "Giấy mời", "IssuedDate": "2026-02-01", "PageAmount": 2},
        name="giay moi.txt",
        media_type="text/plain",
    ).json
    assert later["retention"]["legal_hold"] is False
    dossier = _dossier(archive)
    assert dossier["FileCode"] == f"{archive.organ}.2026.HS-07"
    duplicate = archive.client.post(
        "/v1/dossiers",
        json={k: dossier[k] for k in ("FileCatalog", "FileNotation", "Title", "Creator")}
        | {"Maintenance": "5"},
        headers=archive.auth(),
    )
    assert duplicate.status_code == 409

    filed = archive.client.post(
        f"/v1/dossiers/{dossier['id']}/records",
        json={"RecordIds": [later["id"], earlier["id"]]},
        headers=archive.auth(),
    )
    assert filed.status_code == 200, filed.json
    assert (filed.json["DocTotal"], filed.json["PageTotal"]) == (2, 3)
    bucket = archive.config.s3_bucket
    for record in (later, earlier):
        shown = archive.client.get(f"/v1/records/{record['id']}", headers=archive.auth()).json
        assert shown["retention"] == {**shown["retention"], "legal_hold": True, "applied": True}
        key, version = record["file"]["object_key"], record["file"]["version_id"]
        assert archive.s3.is_object_legal_hold_enabled(bucket, key, version_id=version)

    early = archive.client.get(f"/v1/dossiers/{dossier['id']}/export.zip", headers=archive.auth())
    assert early.status_code == 409
    assert early.json["code"] == "dossier_open"
    closed = archive.client.post(f"/v1/dossiers/{dossier['id']}/close", headers=archive.auth())
    assert closed.json["state"] == "closed"
    assert (closed.json["StartDate"], closed.json["EndDate"]) == ("2026-02-01", "2026-06-01")

    response = archive.client.get(
        f"/v1/dossiers/{dossier['id']}/export.zip", headers=archive.auth()
    )
    assert response.status_code == 200, response.json
    with zipfile.ZipFile(io.BytesIO(response.data)) as bundle:
        names = bundle.namelist()
        assert all(".." not in n and not n.startswith("/") for n in names)
        bundle.extractall(tmp_path / "export")
    (root,) = list((tmp_path / "export").iterdir())
    bag = bagit.Bag(str(root))
    bag.validate()
    assert "sha256" in bag.algorithms
    data = sorted(p.name for p in (root / "data").iterdir())
    assert len(data) == 3
    assert data[0].startswith("001_")
    assert data[0].endswith(".txt")
    assert data[1].startswith("002_")
    assert data[2] == "metadata.xml"
    assert (root / "data" / data[1]).read_bytes() == pdfs.other_signed  # chronological: 2nd
    xml = ET.fromstring((root / "data" / "metadata.xml").read_bytes())  # noqa: S314 - our own output
    assert xml.findtext("File/FileCode") == dossier["FileCode"]
    assert xml.findtext("File/Maintenance") == "Vĩnh viễn"
    assert xml.findtext("File/DocTotal") == "2"
    subjects = [d.findtext("TypeName") for d in xml.iter("Document")]
    assert subjects == ["Giấy mời", "Công văn"]
    assert xml.findtext("Documents/Document/ArchiveFile/OriginalName") == "giay moi.txt"
    log = archive.client.get(f"/v1/records/{later['id']}/access-log", headers=archive.auth())
    assert [e["action"] for e in log.json["entries"]] == ["export"]

    more = archive.client.post(
        f"/v1/dossiers/{dossier['id']}/records",
        json={"RecordIds": [later["id"]]},
        headers=archive.auth(),
    )
    assert more.json["code"] == "dossier_closed"


def test_shorter_maintenance_never_shortens(archive: Archive, pdfs: Pdfs) -> None:
    record = archive.upload(pdfs.other_signed, {"TypeName": "Báo cáo"}).json  # 20 years
    dossier = _dossier(archive, FileNotation="HS-08", Maintenance="5 năm")
    filed = archive.client.post(
        f"/v1/dossiers/{dossier['id']}/records",
        json={"RecordIds": [record["id"]]},
        headers=archive.auth(),
    )
    assert filed.status_code == 200
    shown = archive.client.get(f"/v1/records/{record['id']}", headers=archive.auth()).json
    assert shown["retention"]["Maintenance"] == "20 năm"
    longer = _dossier(archive, FileNotation="HS-09", Maintenance="50")
    other = archive.upload(
        b"bien ban", {"TypeName": "Công văn"}, name="b.txt", media_type="text/plain"
    ).json
    archive.client.post(
        f"/v1/dossiers/{longer['id']}/records",
        json={"RecordIds": [other["id"]]},
        headers=archive.auth(),
    )
    retention = archive.s3.get_object_retention(
        archive.config.s3_bucket,
        other["file"]["object_key"],
        version_id=other["file"]["version_id"],
    )
    assert retention is not None
    assert retention.retain_until_date > dt.datetime.now(dt.UTC) + dt.timedelta(days=49 * 365)
    bad = archive.client.post(
        "/v1/dossiers",
        json={
            "FileCatalog": 2026,
            "FileNotation": "X",
            "Title": "T",
            "Maintenance": "mãi",
            "Creator": "B",
        },
        headers=archive.auth(),
    )
    assert bad.status_code == 422
    assert bad.json["errors"][0]["field"] == "Maintenance"


def test_dossiers_are_the_archivists_and_clerks_file_into_open_ones(
    archive: Archive, pdfs: Pdfs
) -> None:
    clerk = archive.auth(archive.stack.token(("clerk",), archive.organ))
    body = {
        "FileCatalog": 2026,
        "FileNotation": "HS-09",
        "Title": "Hồ sơ thử",
        "Maintenance": "10",
        "Creator": "Lê Thị B",
    }
    assert archive.client.post("/v1/dossiers", json=body, headers=clerk).status_code == 403
    dossier = _dossier(archive, FileNotation="HS-10")  # an archivist opens it
    record = archive.upload(
        b"bien ban", {"TypeName": "Biên bản"}, name="bb.txt", media_type="text/plain"
    ).json
    filed = archive.client.post(
        f"/v1/dossiers/{dossier['id']}/records", json={"RecordIds": [record["id"]]}, headers=clerk
    )
    assert filed.status_code == 200, filed.json  # clerks file records into open dossiers
    closing = f"/v1/dossiers/{dossier['id']}/close"
    assert archive.client.post(closing, headers=clerk).status_code == 403
    assert archive.client.post(closing, headers=archive.auth()).status_code == 200
