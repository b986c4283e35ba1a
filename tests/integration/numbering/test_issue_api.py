"""Issuing drafts into the outgoing register over HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from services.docgen.issuing.handlers import render_preparer
from services.docgen.orm import document_files, documents, numbering, tables
from shared.bus import Envelope
from shared.clock import VIETNAM, fixed_clock
from shared.db import make_engine
from tests.conftest import REPO, Stack
from tests.support.organs import fresh_organ_id

UNITS = {"VP": "Văn phòng", "TCKH": "Phòng Tài chính - Kế hoạch"}


class Desk:
    """A body's văn thư at the docgen API: tokens, settings, a default register."""

    def __init__(self, stack: Stack, client: FlaskClient) -> None:
        self.stack = stack
        self.client = client
        self.organ_id = fresh_organ_id()
        self.clerk = {"Authorization": f"Bearer {stack.token(('clerk',), self.organ_id)}"}
        self.admin = {"Authorization": f"Bearer {stack.token(('admin',), self.organ_id)}"}

    def setup(self) -> str:
        saved = self.client.put(
            "/v1/registers/settings",
            json={
                "name": "Ủy ban nhân dân huyện Sông Hình",
                "parent_name": "Ủy ban nhân dân tỉnh Phú Yên",
                "abbreviation": "UBND",
                "units": UNITS,
            },
            headers=self.admin,
        )
        assert saved.status_code == 200, saved.json
        return self.register("hanh-chinh", "Văn bản hành chính", "administrative")

    def register(self, code: str, name: str, series: str, **extra: Any) -> str:
        made = self.client.post(
            "/v1/registers",
            json={"code": code, "name": name, "series": series, **extra},
            headers=self.admin,
        )
        assert made.status_code == 201, made.json
        return str(made.json["id"])

    def draft(self, template: str = "cong-van", **changes: Any) -> str:
        path = REPO / f"services/docgen/templates/examples/{template}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("number", None)
        data.update(changes)
        made = self.client.post(
            "/v1/drafts", json={"template": template, "data": data}, headers=self.clerk
        )
        assert made.status_code == 201, made.json
        return str(made.json["id"])

    def issue(self, draft_id: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.post(
            f"/v1/drafts/{draft_id}/issue", json=body or {}, headers={**self.clerk, **headers}
        )


def _stand(client: FlaskClient, instant: datetime) -> None:
    client.application.extensions["vanthu"].clock = fixed_clock(instant)


def _count(stack: Stack, table: Any, **where: Any) -> int:
    engine = make_engine(stack.config("docgen").database_url)
    try:
        with engine.connect() as conn:
            query = select(func.count()).select_from(table)
            for name, value in where.items():
                query = query.where(table.c[name] == value)
            return int(conn.execute(query).scalar_one())
    finally:
        engine.dispose()


def test_issue_numbers_records_and_announces(desk: Desk, tmp_path: Path) -> None:
    register = desk.setup()
    _stand(desk.client, datetime(2024, 3, 4, 9, 30, tzinfo=VIETNAM))
    first = desk.issue(
        desk.draft(),
        {"unit": "VP", "to": [{"organ_id": "000.00.33.H44", "name": "UBND xã Ea Bia"}]},
    )
    assert first.status_code == 201, first.json
    doc = first.json
    assert (doc["number"], doc["notation"], doc["code"]) == (1, "UBND-VP", "01/UBND-VP")
    assert doc["issued_on"] == "2024-03-04"
    assert doc["register_id"] == register
    assert doc["type_name"] == "Công văn"
    assert doc["to"] == [{"organ_id": "000.00.33.H44", "name": "UBND xã Ea Bia"}]
    assert first.headers["Location"] == f"/v1/documents/{doc['id']}"

    second = desk.issue(desk.draft("ke-hoach", notation="KH-UBND")).json
    assert (second["number"], second["code"]) == (2, "02/KH-UBND")
    assert second["type_name"] == "Kế hoạch"

    # The event carries what consumers need, written with the document.
    engine = make_engine(desk.stack.config("docgen").database_url)
    try:
        with engine.connect() as conn:
            outbox = tables.outbox
            query = select(outbox.c.body).where(outbox.c.organ_id == desk.organ_id)
            bodies = conn.execute(query.order_by(outbox.c.created_at)).scalars().all()
    finally:
        engine.dispose()
    events = [Envelope.from_json(b) for b in bodies]
    issued = [e for e in events if e.type == "document.issued"]
    assert [e.payload["code"] for e in issued] == ["01/UBND-VP", "02/KH-UBND"]
    assert issued[0].payload["files"]["pdf"] == f"/v1/documents/{doc['id']}/document.pdf"
    assert issued[0].payload["signer"]["full_name"]

    # The worker renders the final files once; the download is the numbered document.
    assert not doc["files_ready"]
    prepare = render_preparer(desk.client.application.extensions["vanthu.issuing"])
    prepare(issued[0])
    prepare(issued[0])  # redelivery: nothing rendered twice
    assert _count(desk.stack, document_files, document_id=doc["id"]) == 2
    # … and announces the final PDF once, with its bytes, for the archive.
    engine = make_engine(desk.stack.config("docgen").database_url)
    try:
        with engine.connect() as conn:
            outbox = tables.outbox
            rendered = [
                Envelope.from_json(b)
                for b in conn.execute(
                    select(outbox.c.body).where(
                        outbox.c.organ_id == desk.organ_id,
                        outbox.c.routing_key == "document.rendered",
                    )
                ).scalars()
            ]
    finally:
        engine.dispose()
    assert len(rendered) == 1
    carried = base64.b64decode(rendered[0].payload["file"]["content_b64"])
    assert hashlib.sha256(carried).hexdigest() == rendered[0].payload["file"]["sha256"]
    assert rendered[0].payload["signed"] is False
    shown = desk.client.get(f"/v1/documents/{doc['id']}", headers=desk.clerk).json
    assert shown["files_ready"] is True
    pdf = desk.client.get(doc["links"]["pdf"], headers=desk.clerk)
    assert pdf.status_code == 200
    assert pdf.data == carried
    (tmp_path / "final.pdf").write_bytes(pdf.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "final.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Số: 01/UBND-VP" in text
    assert "ngày 04 tháng 3 năm 2024" in text
    assert "DỰ THẢO" not in text
    lint = subprocess.run(
        [str(REPO / ".venv/bin/vanthu"), "lint-layout", str(tmp_path / "final.pdf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr

    # On demand, before any worker: the download renders and stores it.
    docx = desk.client.get(second["links"]["docx"], headers=desk.clerk)
    assert docx.status_code == 200
    assert docx.data[:2] == b"PK"
    assert _count(desk.stack, document_files, document_id=second["id"]) == 2


def test_same_idempotency_key_gives_one_number(desk: Desk) -> None:
    desk.setup()
    draft = desk.draft()
    first = desk.issue(draft, {"unit": "VP"}, **{"Idempotency-Key": "req-7f3a"})
    again = desk.issue(draft, {"unit": "VP"}, **{"Idempotency-Key": "req-7f3a"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["id"] == first.json["id"]
    assert again.json["number"] == 1
    # The same key for something else is a client error, not a second document.
    other = desk.issue(desk.draft(), {"unit": "VP"}, **{"Idempotency-Key": "req-7f3a"})
    assert other.status_code == 422
    assert other.json["code"] == "idempotency_key_reused"
    # Without a key, issuing the same draft twice is refused: one draft, one number.
    twice = desk.issue(draft, {"unit": "VP"})
    assert twice.status_code == 409
    assert twice.json["code"] == "already_issued"
    assert twice.json["document"] == first.json["id"]
    assert _count(desk.stack, documents, organ_id=desk.organ_id) == 1
    assert _count(desk.stack, numbering.entries, organ_id=desk.organ_id) == 1


def test_new_years_eve_in_ha_noi(desk: Desk) -> None:
    desk.setup()
    drafts = [desk.draft() for _ in range(3)]
    _stand(desk.client, datetime(2024, 12, 31, 23, 59, 58, tzinfo=VIETNAM))
    assert desk.issue(drafts[0], {"unit": "VP"}).json["code"] == "01/UBND-VP"
    _stand(desk.client, datetime(2024, 12, 31, 23, 59, 59, tzinfo=VIETNAM))
    late = desk.issue(drafts[1], {"unit": "VP"}).json
    assert (late["year"], late["number"], late["issued_on"]) == (2024, 2, "2024-12-31")
    # 00:00:00 on 1 January in Hà Nội is still 31 December in UTC: Vietnam's date counts.
    midnight = datetime(2025, 1, 1, 0, 0, 0, tzinfo=VIETNAM)
    assert midnight.astimezone(UTC).day == 31
    _stand(desk.client, midnight)
    new = desk.issue(drafts[2], {"unit": "VP"}).json
    assert (new["year"], new["number"], new["code"], new["issued_on"]) == (
        2025,
        1,
        "01/UBND-VP",
        "2025-01-01",
    )


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"register_id": "00000000-0000-0000-0000-000000000000"}, 404, "unknown_register"),
        ({"unit": "KHONGCO"}, 422, "unknown_unit"),
        ({"unit": "V P"}, 422, "validation_failed"),
        ({"to": [{"organ_id": "32.H43", "name": "x"}]}, 422, "validation_failed"),
        ({"surprise": 1}, 422, "validation_failed"),
    ],
)
def test_bad_issue_requests_record_nothing(
    desk: Desk, body: dict[str, Any], status: int, code: str
) -> None:
    desk.setup()
    answer = desk.issue(desk.draft(), body)
    assert answer.status_code == status, answer.json
    assert answer.mimetype == "application/problem+json"
    assert answer.json["code"] == code
    assert _count(desk.stack, documents, organ_id=desk.organ_id) == 0
    assert _count(desk.stack, numbering.entries, organ_id=desk.organ_id) == 0


def test_wrong_series_and_another_bodys_register(desk: Desk, stack: Stack) -> None:
    desk.setup()
    legal = desk.register("qppl-qd", "Quyết định quy phạm", "legal", document_types=["QĐ"])
    refused = desk.issue(desk.draft(), {"register_id": legal, "unit": "VP"})
    assert refused.status_code == 422
    assert refused.json["code"] == "wrong_series"

    other = Desk(stack, desk.client)
    other_register = other.setup()
    theirs = desk.issue(desk.draft(), {"register_id": other_register, "unit": "VP"})
    assert theirs.status_code == 403
    assert theirs.json["code"] == "wrong_body"
    peek = desk.client.get(f"/v1/registers/{other_register}/entries", headers=desk.clerk)
    assert peek.status_code == 403
    assert _count(desk.stack, numbering.entries, organ_id=desk.organ_id) == 0
    # A decision goes to the legal series when asked, numbered there from 01.
    decided = desk.issue(desk.draft("quyet-dinh", notation="QĐ-UBND"), {"register_id": legal})
    assert decided.status_code == 201, decided.json
    assert decided.json["code"] == "01/QĐ-UBND"


def test_no_register_yet_is_a_clear_error(desk: Desk) -> None:
    answer = desk.issue(desk.draft(), {"unit": "VP"})
    assert answer.status_code == 409
    assert answer.json["code"] == "no_default_register"
    assert "tạo sổ" in answer.json["detail"]


def test_reserve_use_expire_and_cancel(desk: Desk) -> None:
    register = desk.setup()
    now = datetime(2024, 5, 6, 8, 0, tzinfo=VIETNAM)
    _stand(desk.client, now)
    until = (now + timedelta(days=2)).isoformat()
    held = desk.client.post(
        f"/v1/registers/{register}/reservations",
        json={"until": until, "reserved_for": "Quyết định khen thưởng"},
        headers=desk.clerk,
    ).json
    short = desk.client.post(
        f"/v1/registers/{register}/reservations",
        json={"until": (now + timedelta(hours=1)).isoformat(), "reserved_for": "Tờ trình"},
        headers=desk.clerk,
    ).json
    assert (held["number"], held["state"], short["number"]) == (1, "reserved", 2)
    # Meanwhile the register moves on.
    assert desk.issue(desk.draft(), {"unit": "VP"}).json["number"] == 3
    _stand(desk.client, now + timedelta(hours=3))
    used = desk.issue(desk.draft(), {"unit": "VP", "reservation": held["id"]})
    assert used.status_code == 201, used.json
    assert used.json["number"] == 1
    late = desk.issue(desk.draft(), {"unit": "VP", "reservation": short["id"]})
    assert late.status_code == 409
    assert late.json["code"] == "reservation_expired"
    again = desk.issue(desk.draft(), {"unit": "VP", "reservation": held["id"]})
    assert again.status_code == 409
    assert again.json["code"] == "reservation_not_open"

    cancelled = desk.client.post(
        f"/v1/registers/{register}/entries/{held['id']}/cancel",
        json={"reason": "Văn bản ban hành nhầm đối tượng"},
        headers=desk.clerk,
    )
    assert cancelled.status_code == 200
    assert cancelled.json["state"] == "cancelled"
    no_reason = desk.client.post(
        f"/v1/registers/{register}/entries/{short['id']}/cancel",
        json={"reason": " "},
        headers=desk.clerk,
    )
    assert no_reason.status_code == 422
    listed = desk.client.get(
        f"/v1/registers/{register}/entries?year=2024", headers=desk.clerk
    ).json["entries"]
    assert [(e["number"], e["state"], e["expired"]) for e in listed] == [
        (1, "cancelled", False),
        (2, "reserved", True),
        (3, "issued", False),
    ]
    # Never reused: the next issue is 04.
    assert desk.issue(desk.draft(), {"unit": "VP"}).json["number"] == 4


def test_paper_documents_and_typed_numbers(desk: Desk) -> None:
    register = desk.setup()
    _stand(desk.client, datetime(2024, 2, 1, 10, 0, tzinfo=VIETNAM))
    # The body numbered on paper until 57 this year: the system starts at 58.
    opened = desk.client.put(
        f"/v1/registers/{register}/years/2024",
        json={"first_number": 58, "volume": 1},
        headers=desk.admin,
    )
    assert opened.status_code == 200
    assert opened.json["last_number"] == 57
    paper = {
        "notation": "QĐ-UBND",
        "issued_on": "2024-01-15",
        "type_name": "Quyết định",
        "subject": "Về việc thành lập Tổ công tác",
        "signer": "Nguyễn Văn A",
        "recipients": "Như Điều 3",
    }
    typed = desk.client.post(
        f"/v1/registers/{register}/entries", json={**paper, "number": 12}, headers=desk.clerk
    )
    assert typed.status_code == 201
    assert typed.json["code"] == "12/QĐ-UBND"
    again = desk.client.post(
        f"/v1/registers/{register}/entries", json={**paper, "number": 12}, headers=desk.clerk
    )
    assert again.status_code == 409
    assert again.json["code"] == "number_taken"
    ahead = desk.client.post(
        f"/v1/registers/{register}/entries", json={**paper, "number": 60}, headers=desk.clerk
    )
    assert ahead.status_code == 422
    assert ahead.json["code"] == "number_in_system_range"
    given = desk.client.post(f"/v1/registers/{register}/entries", json=paper, headers=desk.clerk)
    assert given.status_code == 201
    assert given.json["number"] == 58
    issued = desk.issue(desk.draft(), {"unit": "VP"}).json
    assert issued["number"] == 59
    # A system number typed back by a clerk collides and is refused.
    clash = desk.client.post(
        f"/v1/registers/{register}/entries",
        json={**paper, "number": 59, "notation": "UBND-VP"},
        headers=desk.clerk,
    )
    assert clash.status_code == 409
    assert clash.json["code"] == "number_taken"
    future = desk.client.post(
        f"/v1/registers/{register}/entries",
        json={**paper, "issued_on": "2024-02-02"},
        headers=desk.clerk,
    )
    assert future.status_code == 422
    assert future.json["code"] == "date_in_future"
    assert _count(desk.stack, numbering.entries, organ_id=desk.organ_id) == 3


def test_setting_up_registers_is_the_admins(desk: Desk) -> None:
    desk.setup()
    made = desk.client.post(
        "/v1/registers",
        json={"code": "mat", "name": "Văn bản mật", "series": "secret"},
        headers=desk.clerk,
    )
    assert made.status_code == 403
    register = desk.register("mat", "Văn bản mật", "secret")
    moved = desk.client.put(
        f"/v1/registers/{register}/years/2027",
        json={"first_number": 500, "volume": 1},
        headers=desk.clerk,
    )
    assert moved.status_code == 403
    settings = {"name": "UBND", "abbreviation": "UBND", "units": UNITS}
    assert (
        desk.client.put("/v1/registers/settings", json=settings, headers=desk.clerk).status_code
        == 403
    )
