"""PDF layout rules on WeasyPrint output in Liberation Serif: compliant and violating."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.docgen.layout_lint import lint
from tests.unit.docgen_lint.builders import COMPLIANT, PdfSpec, build_pdf, minimal_pdf

BASE = PdfSpec()


def _ids(findings: list) -> set[str]:
    return {f.rule for f in findings}


@pytest.fixture(scope="module")
def compliant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pdf(tmp_path_factory.mktemp("pdf") / "cong-van.pdf")


def test_compliant_cong_van_passes(compliant: Path) -> None:
    report = lint(compliant)
    assert report.format == "pdf"
    assert report.errors == []
    assert report.warnings == []


def test_one_page_document_needs_no_page_number(tmp_path: Path) -> None:
    report = lint(build_pdf(tmp_path / "one.pdf", BASE.but(pages=1)))
    assert report.errors == []


VIOLATIONS = [
    pytest.param(BASE.but(font="Arial"), {"R1.font"}, id="arial"),
    pytest.param(BASE.but(font="DejaVu Serif"), {"R1.font"}, id="dejavu-serif"),
    pytest.param(BASE.but(page="A5"), {"R1.page-size"}, id="a5-page"),
    pytest.param(BASE.but(page="letter"), {"R1.page-size"}, id="letter-page"),
    pytest.param(BASE.but(margins_mm={"top": 20, "bottom": 20, "left": 20, "right": 15}),
                 {"R1.margin-left"}, id="left-margin-20mm"),
    pytest.param(BASE.but(margins_mm={"top": 15, "bottom": 20, "left": 30, "right": 15}),
                 {"R1.margin-top"}, id="top-margin-15mm"),
    pytest.param(BASE.but(margins_mm={"top": 20, "bottom": 20, "left": 30, "right": 10}),
                 {"R1.margin-right"}, id="right-margin-10mm"),
    pytest.param(BASE.but(first_page_number=True), {"R2.first-page-number"},
                 id="page-number-on-page-1"),
    pytest.param(BASE.but(page_numbers=False), {"R2.so-trang-missing"}, id="no-page-numbers"),
    pytest.param(BASE.but(number_box="top-left"), {"R2.so-trang-position"},
                 id="page-number-top-left"),
    pytest.param(BASE.but(number_size=10), {"R2.so-trang-size"}, id="page-number-10pt"),
    pytest.param(BASE.but(text=COMPLIANT.but(tieu_ngu="Độc lập – Tự do – Hạnh phúc")),
                 {"R3.tieu-ngu-dash"}, id="en-dash-in-tieu-ngu"),
    pytest.param(BASE.but(text=COMPLIANT.but(quoc_hieu=None)), {"R3.quoc-hieu-missing"},
                 id="no-quoc-hieu"),
    pytest.param(BASE.but(text=COMPLIANT.but(so="Số: 79 /UBND")), {"R4.so-format"},
                 id="space-in-number"),
    pytest.param(BASE.but(text=COMPLIANT.but(date="Châu Thành, ngày 5 tháng 1 năm 2020")),
                 {"R5.ngay-format"}, id="date-not-padded"),
    pytest.param(BASE.but(text=COMPLIANT.but(noi_nhan=("- Như trên;", "- Lưu VT."))),
                 {"R7.luu-format"}, id="luu-without-colon"),
    pytest.param(BASE.but(text=COMPLIANT.but(noi_nhan_item_size=12)),
                 {"R7.noi-nhan-item-size"}, id="noi-nhan-items-12pt"),
]


@pytest.mark.parametrize(("spec", "errors"), VIOLATIONS)
def test_each_violation_reports_its_rule(tmp_path: Path, spec: PdfSpec, errors: set[str]) -> None:
    report = lint(build_pdf(tmp_path / "v.pdf", spec))
    assert _ids(report.errors) == errors
    assert report.warnings == []


def test_font_names_lose_their_subset_prefix(tmp_path: Path) -> None:
    report = lint(build_pdf(tmp_path / "arial.pdf", BASE.but(font="Arial")))
    fonts = {f.message_en.split()[1].rstrip(",") for f in report.errors}
    assert fonts == {
        "Liberation-Sans",
        "Liberation-Sans-Bold",
        "Liberation-Sans-Italic",
        "Liberation-Sans-Bold-Italic",  # "Nơi nhận:", first used on page 2
    }
    assert {f.location.page for f in report.errors} == {1, 2}


def test_header_styles_read_from_font_names(tmp_path: Path) -> None:
    report = lint(build_pdf(tmp_path / "qh.pdf",
                            BASE.but(text=COMPLIANT.but(quoc_hieu_bold=False))))
    assert report.errors == []
    assert _ids(report.warnings) == {"R3.quoc-hieu-bold"}


def test_draft_number_needs_the_draft_flag(tmp_path: Path) -> None:
    path = build_pdf(tmp_path / "draft.pdf", BASE.but(text=COMPLIANT.but(so="Số:      /UBND-VP")))
    assert _ids(lint(path).errors) == {"R4.so-format"}
    assert lint(path, draft=True).errors == []


def test_draft_mark_may_sit_in_the_top_margin_of_a_draft(tmp_path: Path) -> None:
    path = build_pdf(tmp_path / "mark.pdf", BASE.but(draft_mark=True))
    report = lint(path)
    assert _ids(report.errors) == {"R1.margin-top"}
    assert {f.text for f in report.errors} == {"DỰ THẢO"}
    assert lint(path, draft=True).errors == []


def test_margin_findings_name_the_page(tmp_path: Path) -> None:
    spec = BASE.but(margins_mm={"top": 20, "bottom": 20, "left": 20, "right": 15})
    report = lint(build_pdf(tmp_path / "m.pdf", spec))
    assert {f.location.page for f in report.errors} == {1, 2}
    assert all("mm" in f.message_en for f in report.errors)


def test_unembedded_font_is_an_error(tmp_path: Path) -> None:
    path = minimal_pdf(tmp_path / "bare.pdf", ["CONG HOA", "Hello"])
    report = lint(path)
    assert "R1.font-embedded" in _ids(report.errors)
    assert "R1.font" not in _ids(report.errors)  # Times-Roman itself is accepted


def test_wrong_unembedded_font(tmp_path: Path) -> None:
    report = lint(minimal_pdf(tmp_path / "h.pdf", ["Hello"], base_font="Helvetica"))
    assert {"R1.font", "R1.font-embedded"} <= _ids(report.errors)
