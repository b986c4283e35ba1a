"""Helpers for the edXML tests: the sample packets and a small valid document."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from shared.edxml import (
    Code,
    Organization,
    Packet,
    SignerInfo,
    StaffInfo,
    build_packet,
    document_packet,
    new_attachment,
)

SENDER = Organization(
    organ_id="000.00.32.H43",
    organ_name="UBND huyện Tuy An",
    organization_in_charge="UBND tỉnh Phú Yên",
    email="vanthu@tuyan.gov.vn",
    website="tuyan.gov.vn",
)
RECIPIENT = Organization(organ_id="000.00.00.H41", organ_name="UBND tỉnh Nghệ An")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def samples(reference_dir: Path) -> Path:
    """The sample packets folder of the reference notes."""
    return reference_dir / "fixtures" / "edxml"


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def sample_document(**overrides: object) -> Packet:
    """A valid công văn with one PDF attachment."""
    arguments: dict[str, object] = {
        "sender": SENDER,
        "recipients": [RECIPIENT],
        "code": Code("123", "UBND-VP"),
        "promulgation_date": "2024-03-05",
        "subject": "V/v tổ chức hội nghị tổng kết",
        "place": "Tuy An",
        "signer": SignerInfo("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"),
        "staff_info": StaffInfo("Văn phòng", "Trần Thị B", "b@tuyan.gov.vn", "0912000000"),
        "attachments": [new_attachment("cong-van-123.pdf", PDF)],
        "sent_at": "2024-03-05T09:15:00",
    }
    arguments.update(overrides)
    return document_packet(**arguments)  # type: ignore[arg-type]


def sample_bytes(**overrides: object) -> bytes:
    return build_packet(sample_document(**overrides))
