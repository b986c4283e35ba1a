"""The report's shapes (text, JSON) and the command line's exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from services.docgen.layout_lint import Location, Report, Severity, lint, main, rule_table
from services.docgen.layout_lint.report import MAX_PER_RULE, finding
from tests.unit.docgen_lint.builders import COMPLIANT, build_docx


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cli")
    return {
        "ok": build_docx(folder / "ok.docx"),
        "bad": build_docx(
            folder / "bad.docx",
            COMPLIANT.but(body_align=WD_ALIGN_PARAGRAPH.LEFT, quoc_hieu_bold=False),
        ),
    }


def test_exit_0_without_errors(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(files["ok"])]) == 0
    out = capsys.readouterr().out
    assert "Errors: 0" in out
    assert out.rstrip().endswith("Đạt / OK")


def test_exit_1_with_errors_and_text_separates_them(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(files["bad"])]) == 1
    out = capsys.readouterr().out
    errors, warnings = out.split("Cảnh báo / Warnings:")
    assert "Lỗi / Errors: 3" in errors
    assert errors.count("[R6.noi-dung-align]") == 3
    assert "[R3.quoc-hieu-bold]" in warnings
    assert "[R3.quoc-hieu-bold]" not in errors
    assert "Body paragraph aligned left, must be justified" in errors
    assert "Đoạn nội dung căn left, phải căn đều hai lề" in errors


def test_json_report(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", str(files["bad"])]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["format"] == "docx"
    assert {e["rule"] for e in data["errors"]} == {"R6.noi-dung-align"}
    assert [w["rule"] for w in data["warnings"]] == ["R3.quoc-hieu-bold"]
    first = data["errors"][0]
    assert first["severity"] == "error"
    assert first["location"]["part"] == "body"
    assert isinstance(first["location"]["paragraph"], int)
    assert first["message_vi"]
    assert first["message_en"]


def test_report_api(files: dict[str, Path]) -> None:
    report = lint(files["bad"])
    assert not report.ok
    assert json.loads(report.to_json())["errors"][0]["rule"] == "R6.noi-dung-align"
    assert report.rule_ids == {"R6.noi-dung-align", "R3.quoc-hieu-bold"}


def test_findings_past_the_cap_are_counted() -> None:
    report = Report(path="x.docx", format="docx")
    for _ in range(MAX_PER_RULE + 5):
        report.add(finding("R1.margin-left", Location(part="section 1"), found=25.0))
    assert len(report.errors) == MAX_PER_RULE
    assert report.omitted == {"R1.margin-left": 5}
    assert "5 more [R1.margin-left]" in report.format_text()
    assert report.errors[0].message_en == "Left margin 25 mm, required 30–35 mm"


def test_rule_table_lists_every_rule_with_its_severity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = rule_table()
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert {"R1.margin-left", "R2.first-page-number", "R4.so-format", "R7.luu-format"} <= set(
        ids
    )
    severities = {row["id"]: row["severity"] for row in rows}
    assert severities["R3.quoc-hieu-bold"] == Severity.WARNING
    assert severities["R3.quoc-hieu-size"] == Severity.ERROR
    assert main(["--rules"]) == 0
    assert "R7.luu-format" in capsys.readouterr().out
