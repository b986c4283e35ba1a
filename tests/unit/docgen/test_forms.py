"""Forms with tables of figures: arithmetic checked, totals in words, DOCX and PDF alike."""

from __future__ import annotations

import copy
import importlib.util
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Length
from pydantic import ValidationError

from services.docgen.catalogue import NoVersionInForce, load_catalogue
from services.docgen.documents import forms
from services.docgen.rendering import Renderer, build_context
from tests.conftest import REPO
from tests.unit.docgen.conftest import example

FORMS = tuple(t.id for t in load_catalogue() if t.kind == "form")

def pdf_text(pdf: bytes, *args: str) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", *args, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def refused(model: type[Any], data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return str(caught.value)


# ---------------------------------------------------------------- catalogue


def test_every_form_is_in_the_catalogue_with_its_model() -> None:
    catalogue = load_catalogue()
    assert "bien-ban-ban-giao" in FORMS
    for template_id in FORMS:
        template = catalogue.get(template_id)
        assert template.model in forms.CATALOGUE_MODELS
        assert template.versions
        assert all(v.legal_basis for v in template.versions)
        template.model.model_validate(example(template_id))


# ---------------------------------------------------------------- biên bản bàn giao


def test_handover_amounts_and_total_are_computed() -> None:
    data = example("bien-ban-ban-giao")
    for row in data["items"]:
        row.pop("amount", None)
    data.pop("total")
    document = forms.BienBanBanGiao.model_validate(data)
    assert [r.computed_amount for r in document.items] == [
        Decimal(50_680_000),
        Decimal(1_875_000),
        Decimal(150_000),
    ]
    assert document.computed_total == Decimal(52_705_000)
    context = build_context(document)
    assert [r["amount"] for r in context["items"]] == ["50.680.000", "1.875.000", "150.000"]
    assert context["total"] == "52.705.000"
    assert context["total_words"] == "Bằng chữ: Năm mươi hai triệu bảy trăm linh năm nghìn đồng."


def test_handover_fractional_quantities_are_written_with_a_comma() -> None:
    data = example("bien-ban-ban-giao")
    data["items"] = [{"name": "Phân NPK", "unit": "kg", "quantity": "2.50", "unit_price": "12000"}]
    data.pop("total")
    context = build_context(forms.BienBanBanGiao.model_validate(data))
    assert context["items"][0]["quantity"] == "2,5"
    assert context["total"] == "30.000"


def test_handover_wrong_amount_names_the_row() -> None:
    data = example("bien-ban-ban-giao")
    data["items"][0]["amount"] = "50680001"
    message = refused(forms.BienBanBanGiao, data)
    assert "Dòng 1" in message
    assert "50.680.001" in message
    assert "50.680.000" in message


def test_handover_wrong_total_is_refused() -> None:
    data = example("bien-ban-ban-giao")
    data["total"] = "52700000"
    message = refused(forms.BienBanBanGiao, data)
    assert "Tổng cộng ghi 52.700.000 đồng" in message
    assert "52.705.000" in message


def test_handover_negative_quantity_and_price_are_refused() -> None:
    for field in ("quantity", "unit_price"):
        data = example("bien-ban-ban-giao")
        data["items"][1][field] = "-1"
        data["items"][1].pop("amount", None)
        data.pop("total")
        assert field in refused(forms.BienBanBanGiao, data)


def test_handover_amount_must_be_whole_dong() -> None:
    data = example("bien-ban-ban-giao")
    data["items"] = [{"name": "Phân", "unit": "kg", "quantity": "0.5", "unit_price": "12001"}]
    data.pop("total")
    assert "không phải số đồng nguyên" in refused(forms.BienBanBanGiao, data)


def test_handover_notation_is_a_bien_ban_one() -> None:
    data = example("bien-ban-ban-giao")
    data["notation"] = "UBND-VP"
    assert "BB-" in refused(forms.BienBanBanGiao, data)


def test_handover_extra_fields_are_refused() -> None:
    data = example("bien-ban-ban-giao")
    data["items"][0]["vat"] = "10"
    refused(forms.BienBanBanGiao, data)


def test_handover_text_is_nfc() -> None:
    data = example("bien-ban-ban-giao")
    data["receiver"]["representative"] = "Hoa\u0300ng Thi\u0323 Lu\u0323a"
    document = forms.BienBanBanGiao.model_validate(data)
    assert document.receiver.representative == "Hoàng Thị Lụa"


# ---------------------------------------------------------------- rendering


def test_docx_templates_are_what_the_builder_makes() -> None:
    path = REPO / "services/docgen/templates/build_docx_forms.py"
    spec = importlib.util.spec_from_file_location("build_docx_forms", path)
    assert spec is not None
    assert spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    for folder in builder.TEMPLATES:
        committed = path.parent / folder / "document.docx"
        assert builder.build(folder) == committed.read_bytes(), (
            f"{committed} is stale: run .venv/bin/python {path.relative_to(REPO)}"
        )


def expected_values(template_id: str, context: dict[str, Any]) -> list[str]:
    """Figures and words each form must print."""
    keys: tuple[str, ...]
    if template_id == "bien-ban-ban-giao":
        values = [row[k] for row in context["items"] for k in ("quantity", "amount")]
        return [*values, context["total"], context["total_words"]]
    if template_id == "bao-cao-giai-ngan":
        keys = ("plan", "this_month", "cumulative", "cumulative_rate")
        values = [row[k] for row in [*context["rows"], context["totals"]] for k in keys]
        return [*values, *context["summary"]]
    if template_id == "mau-03a-tt":
        keys = ("c7", "c9", "c10", "c11", "c12")
        values = [row[k] for row in [*context["rows"], context["totals"]] for k in keys if row[k]]
        return [*values, *context["summary"], context["requested_words"], context["disbursed"]]
    if template_id == "mau-04a-tt":
        keys = ("budget", "paid_domestic", "request_domestic")
        values = [row[k] for row in [*context["rows"], context["totals"]] for k in keys]
        return [*values, context["amount"], context["amount_words"], *context["parts"]]
    if template_id == "mau-03-qtda":
        keys = ("c4", "c8", "c11")
        values = [row[k] for row in context["rows"] for k in keys if row[k]]
        return [*values, *(f"{r['label']}: {r['value']}" for r in context["head"])]
    raise AssertionError(f"no expectations for {template_id}")


@pytest.mark.parametrize("template_id", FORMS)
def test_docx_has_the_values(renderer: Renderer, template_id: str) -> None:
    _, context = renderer.prepare(template_id, example(template_id))
    text = docx_text(renderer.render(template_id, example(template_id), "docx"))
    for value in expected_values(template_id, context):
        assert value in text, value


@pytest.mark.parametrize("template_id", FORMS)
def test_pdf_has_the_values_and_a_first_page_to_look_at(
    renderer: Renderer, template_id: str, tmp_path: Path
) -> None:
    _, context = renderer.prepare(template_id, example(template_id))
    pdf = renderer.render(template_id, example(template_id), "pdf")
    text = " ".join(pdf_text(pdf).split())
    for value in expected_values(template_id, context):
        assert " ".join(value.split()) in text, value
    (tmp_path / "document.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "document.pdf"),
         str(tmp_path / template_id)],
        check=True,
    )  # fmt: skip
    assert (tmp_path / f"{template_id}-1.png").read_bytes()[1:4] == b"PNG"


def test_handover_signatures_side_by_side(renderer: Renderer) -> None:
    data = renderer.render("bien-ban-ban-giao", example("bien-ban-ban-giao"), "docx")
    document = docx.Document(io.BytesIO(data))
    signatures = document.tables[-1].rows[0].cells
    assert signatures[0].paragraphs[0].text == "ĐẠI DIỆN BÊN GIAO"
    assert signatures[1].paragraphs[0].text == "ĐẠI DIỆN BÊN NHẬN"
    assert signatures[1].paragraphs[-1].text == "Hoàng Thị Lụa"


def test_handover_renders_without_optional_parts(renderer: Renderer) -> None:
    data = copy.deepcopy(example("bien-ban-ban-giao"))
    for key in ("bases", "witnesses", "condition", "commitments", "closing", "total"):
        data.pop(key)
    data["number"] = None
    data["draft"] = True
    for fmt in ("docx", "pdf"):
        assert renderer.render("bien-ban-ban-giao", data, fmt)


# ---------------------------------------------------------------- báo cáo giải ngân tháng


def test_report_cumulative_rates_and_totals_are_computed() -> None:
    data = example("bao-cao-giai-ngan")
    document = forms.BaoCaoGiaiNgan.model_validate(data)
    context = build_context(document)
    first, _, idle, _ = context["rows"]
    assert first["cumulative"] == "2.570.000.000"  # 1.850.000.000 + 720.000.000
    assert first["cumulative_rate"] == "42,83"  # 2.570 / 6.000 × 100
    assert first["month_rate"] == "12,00"
    assert idle["cumulative"] == "0"
    assert idle["cumulative_rate"] == "0,00"
    totals = context["totals"]
    assert totals["plan"] == "19.700.000.000"
    assert totals["previous"] == "4.910.000.000"
    assert totals["cumulative"] == "6.300.750.000"
    assert totals["cumulative_rate"] == "31,98"
    assert "Sáu tỷ ba trăm triệu bảy trăm năm mươi nghìn đồng" in context["summary"][2]


def test_report_rate_without_a_plan_is_a_dash() -> None:
    data = example("bao-cao-giai-ngan")
    data["projects"][2]["plan"] = "0"
    data.pop("totals")
    context = build_context(forms.BaoCaoGiaiNgan.model_validate(data))
    assert context["rows"][2]["cumulative_rate"] == "—"
    assert context["rows"][2]["month_rate"] == "—"


def test_report_wrong_cumulative_names_the_row() -> None:
    data = example("bao-cao-giai-ngan")
    data["projects"][1]["cumulative"] = "2555000000"
    message = refused(forms.BaoCaoGiaiNgan, data)
    assert "Dòng 2" in message
    assert "2.555.300.000" in message


def test_report_wrong_rate_and_wrong_total_are_refused() -> None:
    data = example("bao-cao-giai-ngan")
    data["projects"][0]["cumulative_rate"] = "43"
    assert "tỷ lệ giải ngân ghi 43%" in refused(forms.BaoCaoGiaiNgan, data)
    data = example("bao-cao-giai-ngan")
    data["totals"]["cumulative"] = "6300000000"
    message = refused(forms.BaoCaoGiaiNgan, data)
    assert "lũy kế giải ngân từ đầu năm" in message
    assert "6.300.750.000" in message


def test_report_negative_amount_and_early_date_are_refused() -> None:
    data = example("bao-cao-giai-ngan")
    data["projects"][0]["this_month"] = "-720000000"
    assert "this_month" in refused(forms.BaoCaoGiaiNgan, data)
    data = example("bao-cao-giai-ngan")
    data["issued_on"] = "2024-04-30"
    assert "trước tháng báo cáo" in refused(forms.BaoCaoGiaiNgan, data)


def test_report_docx_table_is_on_a_landscape_section(renderer: Renderer) -> None:
    data = renderer.render("bao-cao-giai-ngan", example("bao-cao-giai-ngan"), "docx")
    document = docx.Document(io.BytesIO(data))
    sizes = [(s.page_width or 0, s.page_height or 0) for s in document.sections]
    assert len(sizes) == 2
    assert sizes[0][0] < sizes[0][1]  # the text: portrait
    assert sizes[1][0] > sizes[1][1]  # the table: landscape
    assert round(Length(sizes[1][0]).mm) == 297
    heading = [cell.text for cell in document.tables[1].rows[1].cells]
    assert heading[7:11] == ["Số tiền", "Tỷ lệ (%)", "Số tiền", "Tỷ lệ (%)"]
    assert document.tables[1].rows[-1].cells[1].text == "Tổng cộng"


def test_report_pdf_table_is_on_a_landscape_page(renderer: Renderer, tmp_path: Path) -> None:
    pdf = renderer.render("bao-cao-giai-ngan", example("bao-cao-giai-ngan"), "pdf")
    (tmp_path / "report.pdf").write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9", str(tmp_path / "report.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    assert float(sizes[0][0]) < float(sizes[0][1])  # page 1: portrait text
    assert float(sizes[1][0]) > float(sizes[1][1])  # page 2: the table, landscape
    assert "Tổng cộng" in pdf_text(pdf, "-f", "2", "-l", "2")


def test_report_before_its_version_is_refused_with_the_catalogue_error(
    renderer: Renderer,
) -> None:
    data = example("bao-cao-giai-ngan")
    data.update({"issued_on": "2020-12-05", "month": 11, "year": 2020})
    with pytest.raises(NoVersionInForce, match="05/12/2020"):
        renderer.render("bao-cao-giai-ngan", data, "pdf")


# ---------------------------------------------------------------- NĐ 99/2021, TT 96/2021

PAYMENT_FORMS = ("mau-03a-tt", "mau-04a-tt", "mau-03-qtda")


def test_payment_forms_are_catalogued_from_2022_without_an_end() -> None:
    catalogue = load_catalogue()
    bases = {"mau-03a-tt": "99/2021/NĐ-CP", "mau-04a-tt": "99/2021/NĐ-CP",
             "mau-03-qtda": "96/2021/TT-BTC"}  # fmt: skip
    codes = {"mau-03a-tt": "03.a/TT", "mau-04a-tt": "04.a/TT", "mau-03-qtda": "03/QTDA"}
    for template_id in PAYMENT_FORMS:
        assert template_id in FORMS
        (version,) = catalogue.get(template_id).versions
        assert bases[template_id] in version.legal_basis
        assert codes[template_id] in version.legal_basis
        assert version.valid_from.isoformat() == "2022-01-01"
        assert version.valid_to is None


@pytest.mark.parametrize("template_id", PAYMENT_FORMS)
def test_payment_form_dated_before_its_decree_is_refused(
    renderer: Renderer, template_id: str
) -> None:
    data = example(template_id)
    data["issued_on"] = "2021-12-31"
    with pytest.raises(NoVersionInForce, match="31/12/2021"):
        renderer.render(template_id, data, "pdf")
    data["issued_on"] = "2022-01-01"
    assert renderer.render(template_id, data, "docx")


# ------------------------------------------------ Mẫu 03.a/TT


def test_work_values_are_computed() -> None:
    data = example("mau-03a-tt")
    for row in data["items"]:
        for key in ("qty_cumulative", "amount_contract", "amount_previous", "amount_this",
                    "amount_cumulative"):  # fmt: skip
            row.pop(key, None)
    for key in ("cumulative_value",):
        data.pop(key)
    data["requested"].pop("total")
    document = forms.BangXacDinhKhoiLuong.model_validate(data)
    context = build_context(document)
    last = context["rows"][3]  # 150 + 95,6 m at 612.345 đồng
    assert (last["c7"], last["c10"], last["c11"], last["c12"]) == (
        "245,6", "91.851.750", "58.540.182", "150.391.932",
    )  # fmt: skip
    totals = context["totals"]
    assert totals["c9"] == "1.066.060.100"
    assert totals["c12"] == "852.105.632"  # = Σ (10) + Σ (11)
    assert "852.105.632 đồng" in context["summary"][3]
    assert context["requested_words"] == (
        "Số tiền bằng chữ: Ba trăm tám mươi bảy triệu không trăm mười ba nghìn tám trăm tám "
        "mươi hai đồng."
    )
    assert "1.002.105.632" in context["disbursed"]


def test_work_amounts_are_rounded_to_whole_dong() -> None:
    row = forms.WorkItem.model_validate({
        "name": "Đắp đất", "unit": "m³", "qty_contract": "10.125", "qty_previous": "0",
        "qty_this": "10.125", "unit_price": "12345",
    })  # fmt: skip
    assert row.col11 == Decimal(124_993)  # 124.993,125 → 124.993


@pytest.mark.parametrize(
    ("field", "value", "column", "computed"),
    [
        ("qty_cumulative", "1250", "cột (7)", "1.250,5"),
        ("amount_contract", "106792000", "cột (9)", "106.792.700"),
        ("amount_previous", "68320001", "cột (10)", "68.320.000"),
        ("amount_this", "38472000", "cột (11)", "38.472.700"),
        ("amount_cumulative", "106792701", "cột (12)", "106.792.700"),
    ],
)
def test_work_wrong_column_names_row_and_column(
    field: str, value: str, column: str, computed: str
) -> None:
    data = example("mau-03a-tt")
    data["items"][0][field] = value
    message = refused(forms.BangXacDinhKhoiLuong, data)
    assert f"Dòng 1 (Đào nền đường, đất cấp III), {column}" in message
    assert computed in message


def test_work_wrong_summary_lines_are_refused() -> None:
    data = example("mau-03a-tt")
    data["cumulative_value"] = "852105000"
    message = refused(forms.BangXacDinhKhoiLuong, data)
    assert "Dòng 4" in message
    assert "852.105.632" in message
    data = example("mau-03a-tt")
    data["requested"]["total"] = "387013000"
    assert "Dòng 6" in refused(forms.BangXacDinhKhoiLuong, data)
    data = example("mau-03a-tt")
    data["disbursed"]["total"] = "1"
    assert "Dòng 7" in refused(forms.BangXacDinhKhoiLuong, data)


def test_work_needs_a_contract_or_an_estimate_and_not_both() -> None:
    data = example("mau-03a-tt")
    data["estimate_decision"] = "125/QĐ-UBND ngày 02/3/2024"
    assert "một trong hai" in refused(forms.BangXacDinhKhoiLuong, data)
    data.pop("contract")
    context = build_context(forms.BangXacDinhKhoiLuong.model_validate(data))
    assert context["signatures"][0]["label"] == "ĐẠI DIỆN ĐƠN VỊ THỰC HIỆN"
    assert "Đơn vị thực hiện" in [line["label"] for line in context["head"]]


def test_work_negative_quantity_extra_field_and_nfc() -> None:
    data = example("mau-03a-tt")
    data["items"][0]["qty_this"] = "-1"
    assert "qty_this" in refused(forms.BangXacDinhKhoiLuong, data)
    data = example("mau-03a-tt")
    data["items"][0]["vat"] = "10"
    refused(forms.BangXacDinhKhoiLuong, data)
    data = example("mau-03a-tt")
    data["contractor_signer"] = "Hoa\u0300ng Va\u0306n Long"
    document = forms.BangXacDinhKhoiLuong.model_validate(data)
    assert document.contractor_signer == "Hoàng Văn Long"


def test_whole_landscape_docx_keeps_page_one_without_a_number(renderer: Renderer) -> None:
    for template_id in ("mau-03a-tt", "mau-03-qtda"):
        data = renderer.render(template_id, example(template_id), "docx")
        document = docx.Document(io.BytesIO(data))
        (section,) = document.sections
        assert round(Length(section.page_width or 0).mm) == 297
        assert section.different_first_page_header_footer


def test_work_pdf_is_landscape(renderer: Renderer, tmp_path: Path) -> None:
    pdf = renderer.render("mau-03a-tt", example("mau-03a-tt"), "pdf")
    (tmp_path / "work.pdf").write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(tmp_path / "work.pdf")], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    width, height = re.findall(r"Page size:\s+([\d.]+) x ([\d.]+)", info)[0]
    assert float(width) > float(height)


# ------------------------------------------------ Mẫu 04.a/TT


def test_payment_request_total_and_payee_are_computed() -> None:
    data = example("mau-04a-tt")
    for key in ("total", "payee_domestic"):
        data.pop(key)
    document = forms.GiayDeNghiThanhToan.model_validate(data)
    assert document.computed_total == Decimal(387_013_882)
    assert document.computed_payee_domestic == Decimal(237_013_882)  # − 150.000.000 thu hồi
    context = build_context(document)
    assert context["totals"]["budget"] == "1.066.060.100"
    assert context["amount_words"] == (
        "Bằng chữ: Ba trăm tám mươi bảy triệu không trăm mười ba nghìn tám trăm tám mươi hai đồng."
    )


def test_payment_request_wrong_figures_are_refused() -> None:
    data = example("mau-04a-tt")
    data["total"] = "387013000"
    message = refused(forms.GiayDeNghiThanhToan, data)
    assert "Tổng số tiền đề nghị" in message
    assert "387.013.882" in message
    data = example("mau-04a-tt")
    data["vat"] = "10000000"
    message = refused(forms.GiayDeNghiThanhToan, data)
    assert "Số trả đơn vị thụ hưởng, vốn trong nước" in message
    assert "227.013.882" in message
    data = example("mau-04a-tt")
    data["payee_foreign"] = "5"
    assert "vốn ngoài nước" in refused(forms.GiayDeNghiThanhToan, data)
    data = example("mau-04a-tt")
    data.pop("payee_domestic")
    data["recovery_domestic"] = "400000000"
    assert "âm" in refused(forms.GiayDeNghiThanhToan, data)


def test_payment_request_with_one_signature_prints_it_on_the_right(renderer: Renderer) -> None:
    data = example("mau-04a-tt")
    for key in ("accountant_label", "accountant"):
        data.pop(key)
    rendered = renderer.render("mau-04a-tt", data, "docx")
    cells = docx.Document(io.BytesIO(rendered)).tables[-1].rows[0].cells
    assert cells[0].paragraphs[0].text == ""
    assert cells[1].paragraphs[0].text == "GIÁM ĐỐC BAN QUẢN LÝ DỰ ÁN"
    assert renderer.render("mau-04a-tt", data, "pdf")


# ------------------------------------------------ Mẫu 03/QTDA


def test_reconciliation_totals_and_difference_are_computed() -> None:
    context = build_context(forms.BangDoiChieuSoLieu.model_validate(example("mau-03-qtda")))
    first = context["rows"][0]
    assert first["name"] == "Lũy kế từ khởi công"
    assert (first["c4"], first["c8"], first["c11"]) == (
        "1.067.105.632", "1.052.105.632", "-15.000.000",
    )  # fmt: skip
    assert [row["stt"] for row in context["rows"] if row["stt"]] == ["1", "2", "2.1", "2.2"]


@pytest.mark.parametrize(
    ("field", "value", "column", "computed"),
    [
        ("owner_total", "286605000", "cột (4)", "286.605.632"),
        ("control_total", "286605632", "cột (8)", "271.605.632"),
        ("difference", "15000000", "cột (11)", "-15.000.000"),
    ],
)
def test_reconciliation_wrong_column_names_row_and_column(
    field: str, value: str, column: str, computed: str
) -> None:
    data = example("mau-03-qtda")
    data["years"][1]["rows"][1][field] = value
    message = refused(forms.BangDoiChieuSoLieu, data)
    assert f"Mục 2.2 (năm 2024), dòng 2 (Vốn ngân sách huyện), {column}" in message
    assert computed in message


def test_reconciliation_year_twice_is_refused() -> None:
    data = example("mau-03-qtda")
    data["years"][1]["year"] = 2023
    assert "mỗi năm" in refused(forms.BangDoiChieuSoLieu, data)
