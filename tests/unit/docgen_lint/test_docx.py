"""DOCX layout rules: a compliant công văn passes, each violation reports its rule id."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from services.docgen.layout_lint import RULES, Severity, lint
from tests.unit.docgen_lint.builders import COMPLIANT, Spec, build_docx


def _ids(findings: list) -> set[str]:
    return {f.rule for f in findings}


@pytest.fixture(scope="module")
def compliant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_docx(tmp_path_factory.mktemp("docx") / "cong-van.docx")


def test_compliant_cong_van_passes(compliant: Path) -> None:
    report = lint(compliant)
    assert report.format == "docx"
    assert report.errors == []
    assert report.warnings == []
    assert report.ok


VIOLATIONS = [
    pytest.param(COMPLIANT.but(margins_mm={"top": 20, "bottom": 20, "left": 25, "right": 15}),
                 {"R1.margin-left"}, id="left-margin-25mm"),
    pytest.param(COMPLIANT.but(margins_mm={"top": 27, "bottom": 20, "left": 30, "right": 21}),
                 {"R1.margin-top", "R1.margin-right"}, id="top-and-right-margins"),
    pytest.param(COMPLIANT.but(page_mm=(215.9, 279.4)), {"R1.page-size"}, id="letter-page"),
    pytest.param(COMPLIANT.but(first_page_footer="Địa chỉ: Số 12 đường Trần Hưng Đạo"),
                 {"R1.margin-bottom"}, id="address-in-the-footer-margin"),
    pytest.param(COMPLIANT.but(first_page_header="DỰ THẢO"), {"R1.margin-top"},
                 id="draft-mark-in-the-header-margin"),
    pytest.param(COMPLIANT.but(normal_font="Arial"), {"R1.font"}, id="arial-normal-style"),
    pytest.param(COMPLIANT.but(body_run_font="Arial"), {"R1.font"}, id="arial-on-a-run"),
    pytest.param(COMPLIANT.but(normal_font=None), {"R1.font"}, id="theme-font-cambria"),
    pytest.param(COMPLIANT.but(title_page=False), {"R2.title-page"}, id="no-titlePg"),
    pytest.param(COMPLIANT.but(first_page_number=True), {"R2.first-page-number"},
                 id="page-number-on-page-1"),
    pytest.param(COMPLIANT.but(quoc_hieu=None), {"R3.quoc-hieu-missing"}, id="no-quoc-hieu"),
    pytest.param(COMPLIANT.but(quoc_hieu="CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), set(),
                 id="hoa-spelling-is-fine"),
    pytest.param(COMPLIANT.but(parent=None), set(), id="no-parent-body-is-fine"),
    pytest.param(COMPLIANT.but(tieu_ngu="Độc lập – Tự do – Hạnh phúc"), {"R3.tieu-ngu-dash"},
                 id="en-dash-in-tieu-ngu"),
    pytest.param(COMPLIANT.but(tieu_ngu="Độc lập-Tự do-Hạnh phúc"), {"R3.tieu-ngu-dash"},
                 id="unspaced-hyphens-in-tieu-ngu"),
    pytest.param(COMPLIANT.but(so="Số: 79 /UBND"), {"R4.so-format"}, id="space-in-number"),
    pytest.param(COMPLIANT.but(so="Số: 5/UBND-VP"), {"R4.so-format"}, id="number-not-padded"),
    pytest.param(COMPLIANT.but(so="Số: 30/2020/NĐ-CP"), {"R4.so-format"}, id="number-with-year"),
    pytest.param(COMPLIANT.but(so="Số:      /UBND-VP"), {"R4.so-format"},
                 id="draft-number-without-draft-flag"),
    pytest.param(COMPLIANT.but(date="Châu Thành, ngày 5 tháng 1 năm 2020"), {"R5.ngay-format"},
                 id="date-not-padded"),
    pytest.param(COMPLIANT.but(date="Châu Thành, ngày 07 tháng 03 năm 2024"),
                 {"R5.ngay-format"}, id="month-3-padded"),
    pytest.param(COMPLIANT.but(body_align=WD_ALIGN_PARAGRAPH.LEFT), {"R6.noi-dung-align"},
                 id="body-not-justified"),
    pytest.param(COMPLIANT.but(body_indent_cm=0.5), {"R6.noi-dung-indent"}, id="indent-0.5cm"),
    pytest.param(COMPLIANT.but(body_indent_cm=1.0), set(), id="indent-1cm-is-fine"),
    pytest.param(COMPLIANT.but(body_space_after_pt=3), {"R6.noi-dung-spacing"},
                 id="spacing-3pt"),
    pytest.param(COMPLIANT.but(body_size=12), {"R6.noi-dung-size"}, id="body-12pt"),
    pytest.param(COMPLIANT.but(noi_nhan=("- Như trên;", "- Lưu VT.")), {"R7.luu-format"},
                 id="luu-without-colon"),
    pytest.param(COMPLIANT.but(noi_nhan=("- Như trên;", "Lưu: VT, VP.")),
                 {"R7.noi-nhan-item-dash", "R7.luu-format"}, id="luu-without-dash"),
    pytest.param(COMPLIANT.but(noi_nhan_item_size=12), {"R7.noi-nhan-item-size"},
                 id="noi-nhan-items-12pt"),
]


@pytest.mark.parametrize(("spec", "errors"), VIOLATIONS)
def test_each_violation_reports_its_rule(tmp_path: Path, spec: Spec, errors: set[str]) -> None:
    report = lint(build_docx(tmp_path / "v.docx", spec))
    assert _ids(report.errors) == errors
    assert report.warnings == []
    assert report.ok is (not errors)


WARNINGS = [
    pytest.param(COMPLIANT.but(quoc_hieu_bold=False), {"R3.quoc-hieu-bold"},
                 id="quoc-hieu-not-bold"),
    pytest.param(COMPLIANT.but(landscape_section=True), {"R1.orientation"},
                 id="landscape-without-table"),
    pytest.param(COMPLIANT.but(page_number=False), {"R2.so-trang-field"}, id="no-page-field"),
    pytest.param(COMPLIANT.but(noi_nhan=("- Như trên", "- Lưu: VT, VP.")),
                 {"R7.noi-nhan-item-end"}, id="item-without-semicolon"),
]


@pytest.mark.parametrize(("spec", "warnings"), WARNINGS)
def test_style_preferences_are_warnings(tmp_path: Path, spec: Spec, warnings: set[str]) -> None:
    report = lint(build_docx(tmp_path / "w.docx", spec))
    assert report.errors == []
    assert _ids(report.warnings) == warnings
    assert all(f.severity is Severity.WARNING for f in report.warnings)
    assert report.ok


@pytest.mark.parametrize(
    "date",
    ["Châu Thành, ngày      tháng      năm 2024", "Châu Thành, ngày      tháng 3 năm 2024"],
)
def test_draft_accepts_a_blank_day(tmp_path: Path, date: str) -> None:
    path = build_docx(tmp_path / "draft.docx", COMPLIANT.but(date=date))
    assert _ids(lint(path).errors) == {"R5.ngay-format"}
    assert lint(path, draft=True).errors == []


def test_draft_accepts_a_blank_number_and_date(tmp_path: Path) -> None:
    path = build_docx(
        tmp_path / "draft.docx",
        COMPLIANT.but(so="Số:      /UBND-VP", date="Châu Thành, ngày      tháng      năm 2024"),
    )
    assert _ids(lint(path).errors) == {"R4.so-format", "R5.ngay-format"}
    assert lint(path, draft=True).errors == []
    hint = next(f for f in lint(path).errors if f.rule == "R4.so-format")
    assert "--draft" in hint.message_en


def test_draft_mark_in_the_header_is_fine_on_a_draft(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "mark.docx", COMPLIANT.but(first_page_header="DỰ THẢO"))
    assert lint(path, draft=True).errors == []


def test_findings_say_where_and_what(tmp_path: Path) -> None:
    report = lint(build_docx(tmp_path / "so.docx", COMPLIANT.but(so="Số: 79 /UBND")))
    (item,) = report.errors
    assert item.location.paragraph == 4  # parent, two issuer lines, then Số
    assert item.location.part == "header table, left column"
    assert item.text == "Số: 79 /UBND"
    assert "Số: 79 /UBND" in item.message_vi
    assert "does not match" in item.message_en


def test_font_is_resolved_through_style_and_theme(tmp_path: Path) -> None:
    """No font set anywhere: Word shows the theme's minor font (Cambria here)."""
    report = lint(build_docx(tmp_path / "theme.docx", COMPLIANT.but(normal_font=None)))
    assert report.errors
    assert all(f.rule == "R1.font" and "Cambria" in f.message_en for f in report.errors)


def test_every_emitted_rule_is_catalogued() -> None:
    for rule_id, rule in RULES.items():
        assert rule_id.split(".")[0] in {f"R{n}" for n in range(1, 8)}
        assert rule.vi
        assert rule.en
