"""The "form" profile: page rules everywhere, the other groups where the form has them."""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint

from services.docgen.layout_lint import lint, main
from services.docgen.layout_lint.docx_rules import is_not_body
from services.docgen.layout_lint.rules import PROFILES

_ROWS = "".join(
    f"<tr><td>{i}</td><td>Hạng mục công việc số {i}</td><td>m³</td><td>1.250,5</td></tr>"
    for i in range(1, 61)
)


def landscape_form(path: Path, *, centred_on_page: bool = True) -> Path:
    """A two-page A4 landscape form: title, a table on both pages; no Quốc hiệu, no Nơi nhận."""
    shift = "padding-right: 15mm;" if centred_on_page else ""
    html = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 20mm 15mm 20mm 30mm;
  @top-center {{ content: counter(page); font: 13pt "Liberation Serif"; {shift} }} }}
@page :first {{ @top-center {{ content: none; }} }}
body {{ font: 13pt "Liberation Serif"; margin: 0; }} p {{ margin: 0; }}
.r {{ margin-left: 50%; text-align: center; font-weight: bold; }}
table {{ width: 100%; border-collapse: collapse; font-size: 11pt; }}
td {{ border: 0.5pt solid #000; padding: 2pt; }}
</style></head><body>
<p class="r" style="font-size: 12pt">Mẫu số 03.a/TT</p>
<p style="text-align: center; font-weight: bold; margin: 12pt 0">BẢNG XÁC ĐỊNH GIÁ TRỊ</p>
<table>{_ROWS}</table>
</body></html>"""
    weasyprint.HTML(string=html).write_pdf(str(path))
    return path


def _ids(report: object) -> set[str]:
    return {f.rule for f in report.errors}  # type: ignore[attr-defined]


def test_compliant_landscape_form_passes(tmp_path: Path) -> None:
    report = lint(landscape_form(tmp_path / "form.pdf"), profile="form")
    assert report.errors == [], report.format_text()
    assert report.profile == "form"


def test_page_number_off_centre_on_a_landscape_page_fails(tmp_path: Path) -> None:
    path = landscape_form(tmp_path / "form.pdf", centred_on_page=False)
    assert "R2.so-trang-position" in _ids(lint(path, profile="form"))


def test_form_without_noi_nhan_passes_as_form_fails_as_document(tmp_path: Path) -> None:
    path = landscape_form(tmp_path / "form.pdf")
    assert "R7.noi-nhan-missing" not in _ids(lint(path, profile="form"))
    assert "R7.noi-nhan-missing" in _ids(lint(path, profile="document"))
    assert "R7.noi-nhan-missing" in _ids(lint(path))  # "document" is the default


def test_cli_takes_the_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = landscape_form(tmp_path / "form.pdf")
    assert main([str(path), "--profile", "form"]) == 0
    assert main([str(path)]) == 1
    capsys.readouterr()


def test_unknown_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        lint(tmp_path / "x.pdf", profile="letter")


def test_profiles_are_data() -> None:
    form = PROFILES["form"]
    assert form.applies("R1")
    assert not form.conditional("R1")
    assert form.applies("R7")
    assert form.conditional("R7")
    assert not PROFILES["document"].conditional("R7")


@pytest.mark.parametrize(
    "text", ["Đơn vị tính: đồng", "(Ký, ghi rõ họ tên)",
             "(Ký, ghi rõ họ tên, chức vụ và đóng dấu)", "Phú Bình, ngày 10 tháng 3 năm 2025"],
)
def test_captions_are_not_body_text_in_any_profile(text: str) -> None:
    assert is_not_body(text, PROFILES["document"])
    assert is_not_body(text, PROFILES["form"])


@pytest.mark.parametrize(
    "text", ["Tên dự án: Đường giao thông nông thôn", "- Thuế giá trị gia tăng: 0 đồng",
             "1. Giá trị hợp đồng (giá trị dự toán được duyệt): 150.000.000 đồng"],
)
def test_form_fields_are_not_body_text_in_a_form_only(text: str) -> None:
    assert is_not_body(text, PROFILES["form"])
    assert not is_not_body(text, PROFILES["document"])


def test_a_sentence_is_body_text_in_a_form() -> None:
    text = "Căn cứ hợp đồng số 08/2024/HĐ-XD ngày 12/4/2024 giữa hai bên, chúng tôi đề nghị."
    assert not is_not_body(text, PROFILES["form"])
