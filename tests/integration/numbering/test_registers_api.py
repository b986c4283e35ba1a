"""Printing the registers, the incoming register at intake, and ``vanthu registers``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pdfplumber
from openpyxl import load_workbook

from services.intake.app import create_app as create_intake
from shared.clock import VIETNAM, fixed_clock
from tests.conftest import REPO, ClientFor, Stack
from tests.integration.numbering.test_issue_api import Desk
from tests.support.organs import fresh_organ_id


def test_outgoing_register_prints_every_number_for_what_it_is(desk: Desk) -> None:
    register = desk.setup()
    desk.client.application.extensions["vanthu"].clock = fixed_clock(
        datetime(2024, 3, 4, 9, 0, tzinfo=VIETNAM)
    )
    desk.issue(desk.draft(), {"unit": "VP"})
    held = desk.client.post(
        f"/v1/registers/{register}/reservations",
        json={"until": "2024-03-05T17:00:00+07:00", "reserved_for": "Quyết định khen thưởng"},
        headers=desk.clerk,
    ).json
    desk.issue(desk.draft("ke-hoach", notation="KH-UBND"))
    desk.client.post(
        f"/v1/registers/{register}/entries/{held['id']}/cancel",
        json={"reason": "Không ban hành nữa"},
        headers=desk.clerk,
    )
    pdf = desk.client.get(f"/v1/registers/{register}/print.pdf?year=2024", headers=desk.clerk)
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        cover = document.pages[0].extract_text()
        table = "\n".join(page.extract_text() for page in document.pages[1:])
        landscape = document.pages[1].width > document.pages[1].height
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in cover
    assert "ỦY BAN NHÂN DÂN HUYỆN SÔNG HÌNH" in cover
    assert "Năm: 2024" in cover
    assert "Từ số 01 đến số 03" in cover
    assert landscape
    for text in ("01/UBND-VP", "03/KH-UBND", "Đã hủy", "04/03/2024"):
        assert text in table, text

    xlsx = desk.client.get(
        f"/v1/registers/{register}/print.xlsx?from=2024-03-01&to=2024-03-31", headers=desk.clerk
    )
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data))["Sổ"]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    flat = [str(v) for row in values for v in row]
    assert "01/UBND-VP" in flat
    assert "03/KH-UBND" in flat
    assert "Đã hủy: Không ban hành nữa" in flat  # number 02, reserved then cancelled
    headings = next(row for row in values if "Số, ký hiệu văn bản" in " ".join(map(str, row)))
    assert len(headings) == 10

    bad = desk.client.get(
        f"/v1/registers/{register}/print.pdf?from=2024-12-01&to=2025-01-31", headers=desk.clerk
    )
    assert bad.status_code == 422
    assert bad.json["code"] == "validation_failed"


def test_incoming_register_gives_so_den_in_arrival_order(
    stack: Stack, client_for: ClientFor
) -> None:
    intake = client_for(create_intake, stack.config("intake"))
    organ_id = fresh_organ_id()
    admin = {"Authorization": f"Bearer {stack.token(('admin',), organ_id)}"}
    clerk = {"Authorization": f"Bearer {stack.token(('clerk',), organ_id)}"}
    intake.application.extensions["vanthu"].clock = fixed_clock(
        datetime(2024, 7, 1, 8, 0, tzinfo=VIETNAM)
    )
    made = intake.post(
        "/v1/registers",
        json={"code": "den", "name": "Văn bản đến", "series": "incoming"},
        headers=admin,
    )
    assert made.status_code == 201, made.json
    register = made.json["id"]
    wrong = intake.post(
        "/v1/registers",
        json={"code": "di", "name": "Văn bản đi", "series": "administrative"},
        headers=admin,
    )
    assert wrong.status_code == 422
    assert wrong.json["code"] == "wrong_series"
    arrival = {
        "author": "Sở Tài chính tỉnh Phú Yên",
        "number_notation": "1234/STC-QLNS",
        "document_date": "2024-06-28",
        "type_name": "Công văn",
        "subject": "V/v báo cáo tình hình giải ngân vốn đầu tư công",
        "recipient_unit": "Phòng Tài chính - Kế hoạch",
    }
    first = intake.post(f"/v1/registers/{register}/entries", json=arrival, headers=clerk)
    second = intake.post(
        f"/v1/registers/{register}/entries",
        json={**arrival, "number_notation": "88/BC-SKHĐT"},
        headers=clerk,
    )
    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json["number"], second.json["number"]) == (1, 2)
    assert first.json["state"] == "registered"
    assert first.json["entry_date"] == "2024-07-01"
    # Outgoing fields are not incoming ones: refused, nothing recorded.
    confused = intake.post(
        f"/v1/registers/{register}/entries",
        json={"notation": "QĐ-UBND", "issued_on": "2024-06-01"},
        headers=clerk,
    )
    assert confused.status_code == 422
    listed = intake.get(f"/v1/registers/{register}/entries", headers=clerk).json["entries"]
    assert [e["number"] for e in listed] == [1, 2]
    pdf = intake.get(f"/v1/registers/{register}/print.pdf?year=2024", headers=clerk)
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text
    assert "1234/STC-QLNS" in text


def test_registers_cli(embedded: Stack, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VANTHU_")}
    env.update(embedded.environ)
    organ_id = fresh_organ_id()

    def vanthu(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "shared.cli", "registers", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    settings = vanthu(
        "settings",
        "--body",
        organ_id,
        "--name",
        "UBND xã Ea Bia",
        "--abbreviation",
        "UBND",
        "--unit",
        "VP=Văn phòng",
    )
    assert settings.returncode == 0, settings.stderr
    created = vanthu(
        "create", "--body", organ_id, "--code", "hanh-chinh", "--name", "Văn bản hành chính"
    )
    assert created.returncode == 0, created.stderr
    register = json.loads(created.stdout)
    assert register["series"] == "administrative"
    again = vanthu("create", "--body", organ_id, "--code", "hanh-chinh", "--name", "x")
    assert again.returncode == 1
    assert "register_exists" in again.stderr
    listed = json.loads(vanthu("list", "--body", organ_id).stdout)
    assert [r["code"] for r in listed] == ["hanh-chinh"]
    shown = json.loads(vanthu("show", register["id"], "--year", "2024").stdout)
    assert shown["year"]["last_number"] == 0
    out = tmp_path / "so.xlsx"
    printed = vanthu(
        "print", register["id"], "--format", "xlsx", "--year", "2024", "--output", str(out)
    )
    assert printed.returncode == 0, printed.stderr
    assert load_workbook(out)["Bìa"] is not None
    bad = vanthu("create", "--body", "32.H43", "--code", "x", "--name", "x")
    assert bad.returncode == 1
    assert "invalid_organ_id" in bad.stderr
