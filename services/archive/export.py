"""Export a closed dossier (hồ sơ) as a BagIt package, served as a ZIP.

``data/`` holds the documents in chronological order, named by the archive
(``001_<sha256 prefix>.pdf``: no user-supplied name reaches the file system or
the ZIP, so there is no path to slip through), and ``data/metadata.xml`` with
the dossier and document fields under their Phụ lục VI names. The bag's
manifest is SHA-256; each file is checked against the recorded hash as it is
written.
"""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import bagit

from services.archive.service import ArchiveService, Conflict
from shared.db.types import utcnow

_EXT = {"application/pdf": ".pdf", "application/xml": ".xml", "text/xml": ".xml"}


def _extension(media_type: str) -> str:
    return _EXT.get(media_type) or mimetypes.guess_extension(media_type) or ".bin"


def _sub(parent: ET.Element, name: str, value: Any) -> None:
    child = ET.SubElement(parent, name)
    if value is not None:
        child.text = value.isoformat() if isinstance(value, date) else str(value)


def _chronological(row: Any) -> tuple[Any, ...]:
    when = row.issued_date or row.arrival_date or row.created_at.date()
    return (when, row.doc_ordinal or 0, row.created_at)


def dossier_xml(
    dossier: Any, members: list[Any], names: list[str], totals: tuple[int, int]
) -> bytes:
    root = ET.Element("HoSo")
    file_code = f"{dossier.organ_id}.{dossier.file_catalog}.{dossier.file_notation}"
    head = ET.SubElement(root, "File")
    for name, value in (
        ("FileCode", file_code),
        ("OrganId", dossier.organ_id),
        ("FileCatalog", dossier.file_catalog),
        ("FileNotation", dossier.file_notation),
        ("Title", dossier.title),
        ("Maintenance", dossier.maintenance),
        ("Rights", dossier.rights),
        ("Creator", dossier.creator),
        ("Language", dossier.language),
        ("StartDate", dossier.start_date),
        ("EndDate", dossier.end_date),
        ("DocTotal", totals[0]),
        ("PageTotal", totals[1]),
        ("Description", dossier.description),
    ):
        _sub(head, name, value)
    docs = ET.SubElement(root, "Documents")
    for ordinal, (row, file_name) in enumerate(zip(members, names, strict=True), 1):
        doc = ET.SubElement(docs, "Document")
        for name, value in (
            ("FileCode", file_code),
            ("DocOrdinal", ordinal),
            ("TypeName", row.type_name),
            ("CodeNumber", row.code_number),
            ("CodeNotation", row.code_notation),
            ("IssuedDate", row.issued_date),
            ("OrganName", row.organ_name),
            ("Subject", row.subject),
            ("Language", row.language),
            ("PageAmount", row.page_amount),
            ("Description", row.description),
            ("ArrivalDate", row.arrival_date),
            ("ArrivalNumber", row.arrival_number),
            ("Priority", row.priority),
        ):
            _sub(doc, name, value)
        signer = ET.SubElement(doc, "SignerInfo")
        _sub(signer, "Position", row.signer_position)
        _sub(signer, "FullName", row.signer_name)
        kept = ET.SubElement(doc, "ArchiveFile")
        for name, value in (
            ("Path", f"data/{file_name}"),
            ("OriginalName", row.file_name),
            ("MediaType", row.media_type),
            ("Size", row.size),
            ("SHA256", row.sha256),
            ("Signature", row.validation),
            ("Direction", row.direction),
            ("RecordId", row.id),
        ):
            _sub(kept, name, value)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def build_bag(service: ArchiveService, organ_id: str, dossier_id: str, dest: Path) -> Path:
    """Write the bag of a closed dossier into ``dest`` (an empty folder); return it."""
    dossier = service.dossier(organ_id, dossier_id)
    if dossier.state != "closed":
        raise Conflict("dossier_open", "Chỉ xuất được hồ sơ đã đóng.")
    members = sorted(
        service.search(organ_id, dossier_id=dossier_id, limit=10_000), key=_chronological
    )
    if any(m.state != "stored" for m in members):
        raise Conflict("record_pending", "Hồ sơ còn văn bản đang chờ ghi vào kho lưu trữ.")
    names = []
    for ordinal, row in enumerate(members, 1):
        name = f"{ordinal:03d}_{row.sha256[:16]}{_extension(row.media_type)}"
        digest = hashlib.sha256()
        with (dest / name).open("wb") as out:
            for chunk in service.store.chunks(row.object_key, row.version_id):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != row.sha256:
            raise Conflict("integrity_failed", f"Tệp của văn bản {row.id} không khớp giá trị băm.")
        names.append(name)
    (dest / "metadata.xml").write_bytes(
        dossier_xml(dossier, members, names, service.dossier_totals(dossier_id))
    )
    bagit.make_bag(
        str(dest),
        {
            "Source-Organization": organ_id,
            "External-Identifier": f"{organ_id}.{dossier.file_catalog}.{dossier.file_notation}",
            "External-Description": dossier.title[:200],
            "Bagging-Date": utcnow().date().isoformat(),
        },
        checksums=["sha256"],
    )
    return dest


def _safe_arcname(root: Path, path: Path, prefix: str) -> str:
    relative = PurePosixPath(path.relative_to(root).as_posix())
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"unsafe path in bag: {relative}")
    return f"{prefix}/{relative}"


def export_zip(service: ArchiveService, organ_id: str, dossier_id: str) -> tuple[str, bytes]:
    """(file name, ZIP bytes) of the dossier's bag."""
    work = Path(tempfile.mkdtemp(prefix="vanthu-bag-"))
    try:
        bag = work / "bag"
        bag.mkdir()
        build_bag(service, organ_id, dossier_id, bag)
        dossier = service.dossier(organ_id, dossier_id)
        prefix = f"hoso-{dossier.file_catalog}-{dossier_id[:8]}"
        out = work / "bag.zip"
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(bag.rglob("*")):
                if path.is_file():
                    archive.write(path, _safe_arcname(bag, path, prefix))
        return f"{prefix}.zip", out.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
