"""``edxml parse`` / ``edxml validate``: output and exit codes."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from shared.edxml.cli import add_arguments, parse_command, validate_command
from tests.unit.edxml.conftest import PDF, sample_bytes


@pytest.fixture
def packet_file(tmp_path: Path) -> Path:
    path = tmp_path / "cong-van.edxml"
    path.write_bytes(sample_bytes())
    return path


def run_parse(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return parse_command(path, out=out, err=err), out.getvalue(), err.getvalue()


def test_parse_prints_the_summary(packet_file: Path) -> None:
    code, out, err = run_parse(packet_file)
    assert (code, err) == (0, "")
    summary = json.loads(out)
    assert summary["kind"] == "document"
    assert summary["document_id"] == "000.00.32.H43,2024/03/05,123/UBND-VP"
    assert summary["from"] == "000.00.32.H43"
    assert summary["to"] == ["000.00.00.H41"]
    assert summary["code"] == "123/UBND-VP"
    assert summary["promulgation_date"] == "2024-03-05"
    assert summary["business_doc_type"] == 0
    assert summary["status_code"] is None
    (attachment,) = summary["attachments"]
    assert attachment["name"] == "cong-van-123.pdf"
    assert attachment["content_type"] == "application/pdf"
    assert attachment["size"] == len(PDF)
    assert len(attachment["sha256"]) == 64
    assert summary["warnings"] == []


def test_parse_refused_exits_1_with_reason(tmp_path: Path) -> None:
    path = tmp_path / "bad.edxml"
    path.write_bytes(b"1212<?xml version='1.0'?><edXML/>")
    code, out, err = run_parse(path)
    assert (code, out) == (1, "")
    assert "NOT_XML" in err
    assert "1212" in err
    code, _, err = run_parse(tmp_path / "missing.edxml")
    assert code == 1
    assert "missing.edxml" in err


@pytest.mark.reference
def test_parse_sample_status_with_warnings(reference_dir: Path) -> None:
    code, out, _ = run_parse(reference_dir / "fixtures/edxml/status_acceptance_03.edxml")
    assert code == 0
    summary = json.loads(out)
    assert summary["kind"] == "status"
    assert summary["status_code"] == "03"
    assert summary["timestamp"] == "2015-09-20T11:08:36"
    assert summary["response_for"]["document_id"] == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert {w["code"] for w in summary["warnings"]} == {
        "TIMESTAMP_BEFORE_PROMULGATION",
        "STATUS_DESCRIPTION_TYPO",
    }


def test_validate_ok_and_errors_with_line_numbers(packet_file: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    assert validate_command(packet_file, out=out) == 0
    assert "hợp lệ" in out.getvalue()
    broken = tmp_path / "broken.edxml"
    broken.write_text(
        packet_file.read_text().replace("<edXML:Type>2", "<edXML:Type>hai"), encoding="utf-8"
    )
    out = io.StringIO()
    assert validate_command(broken, out=out) == 1
    assert "dòng " in out.getvalue()
    assert "Type" in out.getvalue()
    not_xml = tmp_path / "x.edxml"
    not_xml.write_bytes(b"")
    out = io.StringIO()
    assert validate_command(not_xml, out=out) == 1
    assert "EMPTY" in out.getvalue()


@pytest.mark.reference
def test_validate_sample_reports_the_misordered_element(reference_dir: Path) -> None:
    out = io.StringIO()
    assert validate_command(reference_dir / "fixtures/edxml/status.edxml", out=out) == 1
    assert "dòng 20" in out.getvalue()
    assert "PromulgationDate" in out.getvalue()
    out = io.StringIO()
    assert validate_command(reference_dir / "fixtures/edxml/status_inbox_01.edxml", out=out) == 0


def test_add_arguments_registers_both_commands(
    packet_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["edxml", "parse", str(packet_file)])
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "document"
    args = parser.parse_args(["edxml", "validate", str(packet_file)])
    assert args.func(args) == 0
