"""The archive against a real SeaweedFS: apps, tokens and real signed PDFs."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import weasyprint
from flask.testing import FlaskClient
from minio import Minio
from werkzeug.test import TestResponse

from services.archive.app import create_app
from services.archive.service import ArchiveService
from shared import storage
from shared.config import Config
from shared.devstack.seaweed import SeaweedFS
from tests.conftest import ClientFor, Stack
from tests.support.organs import fresh_organ_id
from tests.support.pki import default_pki, sign_pdf

BUCKET = "vanthu-archive-it"


def render_pdf(text: str) -> bytes:
    html = f"<html lang='vi'><body><p>{text}</p></body></html>"
    return weasyprint.HTML(string=html).write_pdf()


@dataclass(frozen=True)
class Pdfs:
    unsigned: bytes
    signed: bytes  # leader, then body
    broken: bytes  # signed bytes altered inside the signed range
    other_unsigned: bytes
    other_signed: bytes


@pytest.fixture(scope="session")
def pdfs() -> Pdfs:
    unsigned = render_pdf("QUYẾT ĐỊNH Về việc ban hành quy chế văn thư, lưu trữ")
    signed = sign_pdf(sign_pdf(unsigned, "leader"), "body")
    broken = bytearray(signed)
    broken[11] ^= 0x01  # inside the binary comment: parses, but the digest no longer matches
    other = render_pdf("CÔNG VĂN Về việc báo cáo tình hình")
    return Pdfs(unsigned, signed, bytes(broken), other, sign_pdf(other, "leader"))


@pytest.fixture(scope="session")
def trust_roots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pki") / "roots.pem"
    path.write_bytes(default_pki().root.pem)
    return path


def archive_config(stack: Stack, endpoint: str, trust_roots: Path, **changes: Any) -> Config:
    return stack.config("archive").replace(
        s3_endpoint=endpoint,
        s3_bucket=BUCKET,
        signature_trust_roots=str(trust_roots),
        **changes,
    )


@dataclass
class Archive:
    stack: Stack
    config: Config
    client: FlaskClient
    organ: str
    token: str

    @property
    def service(self) -> ArchiveService:
        service: ArchiveService = self.client.application.extensions["vanthu.archive"]
        return service

    @property
    def s3(self) -> Minio:
        return self.service.store.client

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def upload(
        self,
        content: bytes,
        meta: dict[str, Any] | None = None,
        *,
        name: str = "van-ban.pdf",
        media_type: str = "application/pdf",
        token: str | None = None,
    ) -> TestResponse:
        metadata = {
            "TypeName": "Quyết định",
            "Subject": "Về việc ban hành quy chế văn thư",
            "Direction": "out",
            **(meta or {}),
        }
        return self.client.post(
            "/v1/records",
            data={
                "file": (io.BytesIO(content), name, media_type),
                "metadata": json.dumps(metadata, ensure_ascii=False),
            },
            headers=self.auth(token),
            content_type="multipart/form-data",
        )


@pytest.fixture
def make_archive(stack: Stack, seaweed: SeaweedFS, client_for: ClientFor, trust_roots: Path) -> Any:
    storage.ensure_bucket(seaweed.client(), BUCKET)

    def make(**changes: Any) -> Archive:
        config = archive_config(stack, seaweed.endpoint, trust_roots, **changes)
        organ = fresh_organ_id()
        client = client_for(create_app, config)
        token = stack.token(("archivist", "clerk"), organ_id=organ)
        return Archive(stack, config, client, organ, token)

    return make


@pytest.fixture
def archive(make_archive: Any) -> Archive:
    result: Archive = make_archive()
    return result


def file_payload(name: str, content: bytes, media_type: str = "application/pdf") -> dict[str, Any]:
    return {
        "name": name,
        "media_type": media_type,
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "content_b64": base64.b64encode(content).decode("ascii"),
    }


def document_payload(document_id: str, content: bytes, *, signed: bool) -> dict[str, Any]:
    """A ``document.rendered`` / ``document.signed`` payload as docgen writes it."""
    return {
        "document_id": document_id,
        "register_id": "reg-1",
        "year": 2026,
        "number": 5,
        "notation": "UBND-VP",
        "code": "05/UBND-VP",
        "issued_on": "2026-11-20",
        "issued_at": "2026-11-20T03:00:00+00:00",
        "template": "cong-van",
        "type_name": "Công văn",
        "subject": "Về việc báo cáo tình hình thực hiện kế hoạch",
        "organ_name": "UBND huyện Sông Hình",
        "signer": {"position": "Chủ tịch", "full_name": "Nguyễn Văn A"},
        "to": [{"organ_id": "000.00.00.H43", "name": "UBND tỉnh Phú Yên"}],
        "priority": 0,
        "issued_amount": 3,
        "due_date": None,
        "signed": signed,
        "file": file_payload(f"{document_id}.pdf", content),
    }
