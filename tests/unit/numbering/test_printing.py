"""Printed registers: the PDF (cover + landscape table) and the XLSX."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pdfplumber
import pytest

from shared.numbering import printing
from shared.numbering.printing import (
    INCOMING_COLUMNS,
    OUTGOING_COLUMNS,
    IncomingRow,
    OutgoingRow,
    RegisterCover,
    register_pdf,
    register_xlsx,
)

ROOT = Path(__file__).resolve().parents[3]
MM = 72 / 25.4

OUT_COVER = RegisterCover(
    direction="out",
    parent_name="Ủy ban nhân dân tỉnh Phú Yên",
    body_name="Sở Nội vụ",
    register_name="Văn bản hành chính",
    year=2024,
    date_from=date(2024, 1, 1),
    date_to=date(2024, 3, 31),
    number_from=1,
    number_to=4,
    volume=2,
)
IN_COVER = RegisterCover(
    direction="in",
    parent_name=None,
    body_name="Ủy ban nhân dân huyện Tuy An",
    register_name=None,
    year=2023,
    date_from=date(2023, 1, 3),
    date_to=date(2023, 12, 29),
    number_from=1,
    number_to=3,
    volume=1,
)

HOSTILE_IMG = '<img src="http://127.0.0.1:9/x">'
HOSTILE_FILE = '<img src="file:///etc/passwd">'
HOSTILE_SCRIPT = "<script>alert(1)</script>"

# Decomposed on purpose ("e" + combining marks): the output must be NFC.
DECOMPOSED_SIGNER = unicodedata.normalize("NFD", "Nguyễn Thị Hường")

OUT_ROWS = [
    OutgoingRow(
        number_notation="01/SNV-VP",
        issued_on=date(2024, 1, 5),
        type_and_subject="Công văn về việc hướng dẫn báo cáo thống kê năm 2024",
        signer="Nguyễn Văn An",
        recipients="- Như trên;\n- UBND các huyện;\n- Lưu: VT, VP.",
        archive_holder="Văn phòng",
        copies=12,
        transferred_on=date(2024, 1, 8),
        receipt="",
        note="",
        state="issued",
    ),
    OutgoingRow(
        number_notation="02/QĐ-SNV",
        issued_on=date(2024, 2, 9),
        type_and_subject=f"Quyết định nâng bậc lương {HOSTILE_IMG} {HOSTILE_SCRIPT}",
        signer=DECOMPOSED_SIGNER,
        recipients=HOSTILE_FILE,
        archive_holder="Phòng Tổ chức",
        copies=3,
        transferred_on=None,
        receipt="",
        note="",
        state="recorded",
    ),
    OutgoingRow(
        number_notation="03/SNV-TCCB",
        issued_on=None,
        type_and_subject="Tờ trình đề nghị khen thưởng",
        signer="Lê Văn Cường",
        recipients="UBND tỉnh",
        archive_holder="Phòng TCCB",
        copies=None,
        transferred_on=None,
        receipt="",
        note="Số giữ trước, hết hạn 20/03/2024, không sử dụng",
        state="reserved",
    ),
    OutgoingRow(
        number_notation="04/SNV-VP",
        issued_on=date(2024, 3, 1),
        type_and_subject="Thông báo kết luận cuộc họp",
        signer="Nguyễn Văn An",
        recipients="Các phòng",
        archive_holder="Văn phòng",
        copies=5,
        transferred_on=date(2024, 3, 1),
        receipt="",
        note="Đã hủy: ký nhầm người",
        state="cancelled",
    ),
]

IN_ROWS = [
    IncomingRow(
        arrival_date=date(2023, 1, 3),
        arrival_number=1,
        author="Ủy ban nhân dân tỉnh Phú Yên",
        number_notation="15/UBND-KT",
        document_date=date(2022, 12, 30),
        type_and_subject="Công văn về việc triển khai kế hoạch năm 2023",
        recipient_unit="Phòng Tài chính - Kế hoạch",
        transferred_on=date(2023, 1, 4),
        receipt="",
        note="",
        state="registered",
    ),
    IncomingRow(
        arrival_date=date(2023, 6, 12),
        arrival_number=2,
        author="Sở Nội vụ",
        number_notation="210/SNV-CCVC",
        document_date=None,
        type_and_subject=f"Hướng dẫn thi đua {HOSTILE_SCRIPT}",
        recipient_unit="Phòng Nội vụ",
        transferred_on=None,
        receipt="",
        note="",
        state="recalled",
    ),
    IncomingRow(
        arrival_date=date(2023, 12, 29),
        arrival_number=3,
        author="Sở Tài chính",
        number_notation="88/STC-NS",
        document_date=date(2023, 12, 27),
        type_and_subject="Thông báo thẩm định quyết toán",
        recipient_unit="Chủ tịch UBND huyện",
        transferred_on=date(2023, 12, 29),
        receipt="",
        note="Đã hủy: đăng ký trùng",
        state="cancelled",
    ),
]


def dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def squash(text: str) -> str:
    """Without any white space: wrapped lines compare equal to the one-line value."""
    return "".join(unicodedata.normalize("NFC", text).split())


def pages_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def header_rows(pdf: bytes, index: int) -> list[list[str]]:
    """The first two rows of the table on page ``index`` (cells without white space)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        table = doc.pages[index].extract_table()
    assert table is not None
    return [[" ".join((cell or "").split()) for cell in row] for row in table[:2]]


def body_rows(pdf: bytes) -> list[list[str]]:
    """Every table row after the two header rows, on every table page, cells squashed."""
    rows = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages[1:]:
            table = page.extract_table()
            assert table is not None
            rows += [[squash(cell or "") for cell in row] for row in table[2:]]
    return rows


def dmy_or_blank(d: date | None) -> str:
    return "" if d is None else dmy(d)


def expected_out_cells(row: OutgoingRow, note: str | None = None) -> list[str]:
    cells = [
        row.number_notation,
        dmy_or_blank(row.issued_on),
        row.type_and_subject,
        row.signer,
        row.recipients,
        row.archive_holder,
        "" if row.copies is None else str(row.copies),
        dmy_or_blank(row.transferred_on),
        row.receipt,
        row.note if note is None else note,
    ]
    return [squash(cell) for cell in cells]


def expected_in_cells(row: IncomingRow, note: str | None = None) -> list[str]:
    cells = [
        dmy(row.arrival_date),
        f"{row.arrival_number:02d}",
        row.author,
        row.number_notation,
        dmy_or_blank(row.document_date),
        row.type_and_subject,
        row.recipient_unit,
        dmy_or_blank(row.transferred_on),
        row.receipt,
        row.note if note is None else note,
    ]
    return [squash(cell) for cell in cells]


@pytest.fixture(scope="module")
def out_pdf() -> bytes:
    return register_pdf(OUT_COVER, OUT_ROWS)


@pytest.fixture(scope="module")
def in_pdf() -> bytes:
    return register_pdf(IN_COVER, IN_ROWS)


# ---------------------------------------------------------------- columns


def test_columns_are_the_decree_s_ten_in_order() -> None:
    assert len(OUTGOING_COLUMNS) == 10
    assert len(INCOMING_COLUMNS) == 10
    assert OUTGOING_COLUMNS[0] == "Số, ký hiệu văn bản"
    assert OUTGOING_COLUMNS[-1] == "Ghi chú"
    assert INCOMING_COLUMNS[:2] == ("Ngày đến", "Số đến")
    for heading in OUTGOING_COLUMNS + INCOMING_COLUMNS:
        assert heading == unicodedata.normalize("NFC", heading)


def test_importing_the_module_does_not_import_weasyprint() -> None:
    code = (
        "import sys, shared.numbering.printing; sys.exit(1 if 'weasyprint' in sys.modules else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert result.returncode == 0


# -------------------------------------------------------------------- PDF


def test_pdf_cover_holds_the_cover_fields(out_pdf: bytes) -> None:
    lines = [" ".join(line.split()) for line in pages_text(out_pdf)[0].splitlines()]
    assert lines == [
        "ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN",
        "SỞ NỘI VỤ",
        "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
        "(Văn bản hành chính)",
        "Năm: 2024",
        "Từ ngày 01/01/2024 đến ngày 31/03/2024",
        "Từ số 01 đến số 04",
        "Quyển số: 2",
    ]


def test_pdf_cover_is_portrait_and_table_pages_landscape(out_pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(out_pdf)) as doc:
        sizes = [(page.width, page.height) for page in doc.pages]
    assert len(sizes) >= 2
    assert sizes[0][0] < sizes[0][1]
    assert sizes[0] == pytest.approx((210 * MM, 297 * MM), abs=1)
    for width, height in sizes[1:]:
        assert width > height
        assert (width, height) == pytest.approx((297 * MM, 210 * MM), abs=1)


def test_pdf_table_headings_in_order_with_column_numbers(out_pdf: bytes) -> None:
    headings, numbers = header_rows(out_pdf, 1)
    assert headings == list(OUTGOING_COLUMNS)
    assert numbers == [f"({i})" for i in range(1, 11)]


def test_pdf_holds_every_row_value_in_order_in_nfc(out_pdf: bytes) -> None:
    text = "".join(pages_text(out_pdf)[1:])
    assert text == unicodedata.normalize("NFC", text)
    assert body_rows(out_pdf) == [expected_out_cells(row) for row in OUT_ROWS]
    assert body_rows(out_pdf)[1][3] == "NguyễnThịHường"  # composed although given decomposed


def test_pdf_marks_reserved_and_cancelled_rows(out_pdf: bytes) -> None:
    html = printing.register_html(OUT_COVER, OUT_ROWS)
    assert '<tr class="reserved marked">' in html
    assert '<tr class="cancelled marked">' in html
    assert '<tr class="issued">' in html
    with pdfplumber.open(io.BytesIO(out_pdf)) as doc:
        words = doc.pages[1].extract_words(extra_attrs=["fontname"])
    fonts = {w["text"]: w["fontname"] for w in words}
    assert "Italic" in fonts["03/SNV-TCCB"]
    assert "Italic" in fonts["04/SNV-VP"]
    assert "Italic" not in fonts["01/SNV-VP"]


def test_pdf_default_note_for_a_marked_row_without_one() -> None:
    row = replace(OUT_ROWS[2], note="")
    assert body_rows(register_pdf(OUT_COVER, [row])) == [
        expected_out_cells(row, note="Số giữ trước")
    ]


def test_pdf_uses_times_then_liberation_serif() -> None:
    css = (printing.TEMPLATES / "register.css").read_text("utf-8")
    stacks = re.findall(r"font-family:\s*([^;]+);", css)
    assert stacks
    for stack in stacks:
        assert stack.startswith('"Times New Roman", "Liberation Serif"')


def test_pdf_page_numbers_on_table_pages_only(out_pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(out_pdf)) as doc:
        tops = [
            (page.crop((0, 0, page.width, 18 * MM)).extract_text() or "").strip()
            for page in doc.pages
        ]
    assert tops[0] == ""
    assert tops[1:] == [str(n) for n in range(2, len(tops) + 1)]


def long_rows(count: int) -> list[OutgoingRow]:
    return [
        replace(
            OUT_ROWS[0],
            number_notation=f"{n:02d}/SNV-VP",
            type_and_subject=f"Công văn số thứ tự {n} về việc triển khai nhiệm vụ trọng tâm",
        )
        for n in range(1, count + 1)
    ]


def test_pdf_long_register_repeats_the_header_on_every_page() -> None:
    rows = long_rows(90)
    cover = replace(OUT_COVER, number_to=90)
    pdf = register_pdf(cover, rows)
    texts = pages_text(pdf)
    assert len(texts) >= 4
    for index in range(1, len(texts)):
        assert header_rows(pdf, index) == [list(OUTGOING_COLUMNS), [f"({i})" for i in range(1, 11)]]
    assert body_rows(pdf) == [expected_out_cells(row) for row in rows]


def test_pdf_hostile_text_stays_text_and_nothing_is_fetched(
    out_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched: list[str] = []
    real_refuse = printing._refuse

    def spy(url: str) -> None:
        fetched.append(url)
        real_refuse(url)

    monkeypatch.setattr(printing, "_refuse", spy)
    pdf = register_pdf(OUT_COVER, OUT_ROWS)
    assert fetched == []
    second = body_rows(pdf)[1]
    assert second[2] == squash(OUT_ROWS[1].type_and_subject)
    assert squash(HOSTILE_IMG) in second[2]
    assert squash(HOSTILE_SCRIPT) in second[2]
    assert second[4] == squash(HOSTILE_FILE)
    html = printing.register_html(OUT_COVER, OUT_ROWS)
    assert "<img" not in html
    assert "<script" not in html
    assert "&lt;img src=&#34;http://127.0.0.1:9/x&#34;&gt;" in html


def test_the_fetcher_refuses_what_a_document_asks_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """Positive control for the test above: the spy does see a fetch when there is one."""
    import weasyprint

    fetched: list[str] = []
    real_refuse = printing._refuse

    def spy(url: str) -> None:
        fetched.append(url)
        real_refuse(url)

    monkeypatch.setattr(printing, "_refuse", spy)
    html = weasyprint.HTML(string=HOSTILE_IMG, url_fetcher=printing._no_fetcher())
    assert html.write_pdf().startswith(b"%PDF")
    assert fetched == ["http://127.0.0.1:9/x"]
    with pytest.raises(printing.RefusedURL):
        printing._no_fetcher().fetch("file:///etc/passwd")


def test_pdf_incoming_register(in_pdf: bytes) -> None:
    texts = pages_text(in_pdf)
    cover = [" ".join(line.split()) for line in texts[0].splitlines()]
    assert cover == [
        "ỦY BAN NHÂN DÂN HUYỆN TUY AN",
        "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
        "Năm: 2023",
        "Từ ngày 03/01/2023 đến ngày 29/12/2023",
        "Từ số 01 đến số 03",
        "Quyển số: 1",
    ]
    headings, numbers = header_rows(in_pdf, 1)
    assert headings == list(INCOMING_COLUMNS)
    assert numbers == [f"({i})" for i in range(1, 11)]
    assert body_rows(in_pdf) == [
        expected_in_cells(IN_ROWS[0]),
        expected_in_cells(IN_ROWS[1], note="Đã thu hồi"),  # the recalled row's default note
        expected_in_cells(IN_ROWS[2]),
    ]


@pytest.mark.parametrize("cover", [OUT_COVER, IN_COVER], ids=["out", "in"])
def test_pdf_empty_register(cover: RegisterCover) -> None:
    empty = replace(cover, number_from=None, number_to=None)
    pdf = register_pdf(empty, [])
    texts = pages_text(pdf)
    assert len(texts) == 2
    lines = [" ".join(line.split()) for line in texts[0].splitlines()]
    assert "Từ số đến số" in lines
    assert f"Năm: {cover.year}" in lines
    columns = OUTGOING_COLUMNS if cover.direction == "out" else INCOMING_COLUMNS
    headings, numbers = header_rows(pdf, 1)
    assert headings == list(columns)
    assert numbers == [f"({i})" for i in range(1, 11)]


def test_rows_of_the_other_direction_are_refused() -> None:
    with pytest.raises(TypeError, match="OutgoingRow"):
        register_pdf(OUT_COVER, IN_ROWS)
    with pytest.raises(TypeError, match="IncomingRow"):
        register_xlsx(IN_COVER, OUT_ROWS)


def test_pdf_pages_render_to_png(out_pdf: bytes, tmp_path: Path) -> None:
    """Pages 1 and 2 as PNG, to look at (the layout was checked by eye)."""
    source = tmp_path / "register.pdf"
    source.write_bytes(out_pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "2", "-png", str(source), str(tmp_path / "p")],
        check=True,
    )
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert [p.name for p in pngs] == ["p-1.png", "p-2.png"]
    for png in pngs:
        assert png.read_bytes().startswith(b"\x89PNG")


def test_pdf_is_reproducible(out_pdf: bytes) -> None:
    assert register_pdf(OUT_COVER, OUT_ROWS) == out_pdf


# ------------------------------------------------------------------- XLSX


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_cover_sheet() -> None:
    wb = load(register_xlsx(OUT_COVER, OUT_ROWS))
    assert wb.sheetnames == ["Bìa", "Sổ"]
    ws = wb["Bìa"]
    assert ws["A1"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    fields = {row[0]: row[1] for row in ws.iter_rows(min_row=3, values_only=True)}
    assert fields == {
        "Tên cơ quan chủ quản trực tiếp": "ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN",
        "Tên cơ quan, tổ chức": "SỞ NỘI VỤ",
        "Sổ": "Văn bản hành chính",
        "Năm": 2024,
        "Từ ngày": datetime(2024, 1, 1),
        "Đến ngày": datetime(2024, 3, 31),
        "Từ số": 1,
        "Đến số": 4,
        "Quyển số": 2,
    }
    assert ws["B7"].number_format == "dd/mm/yyyy"


def test_xlsx_register_sheet_headings_and_layout() -> None:
    wb = load(register_xlsx(OUT_COVER, OUT_ROWS))
    ws = wb["Sổ"]
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in ws["A1"].value
    assert [c.value for c in ws[2]] == list(OUTGOING_COLUMNS)
    assert [c.value for c in ws[3]] == [f"({i})" for i in range(1, 11)]
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$2:$3"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    for letter in "ABCDEFGHIJ":
        assert ws.column_dimensions[letter].width > 5
    assert ws["C4"].alignment.wrap_text is True
    assert ws["B2"].alignment.wrap_text is True


def test_xlsx_outgoing_values_and_types() -> None:
    ws = load(register_xlsx(OUT_COVER, OUT_ROWS))["Sổ"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == len(OUT_ROWS)
    first = rows[0]
    assert first == (
        "01/SNV-VP",
        datetime(2024, 1, 5),
        "Công văn về việc hướng dẫn báo cáo thống kê năm 2024",
        "Nguyễn Văn An",
        "- Như trên;\n- UBND các huyện;\n- Lưu: VT, VP.",
        "Văn phòng",
        12,
        datetime(2024, 1, 8),
        None,
        None,
    )
    assert ws["B4"].number_format == "dd/mm/yyyy"
    assert ws["H4"].number_format == "dd/mm/yyyy"
    assert ws["G4"].data_type == "n"
    assert rows[1][3] == "Nguyễn Thị Hường"  # NFC
    assert rows[1][2] == f"Quyết định nâng bậc lương {HOSTILE_IMG} {HOSTILE_SCRIPT}"
    assert rows[2][1] is None  # a reserved number never issued
    assert rows[2][6] is None
    assert rows[2][9] == "Số giữ trước, hết hạn 20/03/2024, không sử dụng"
    assert rows[3][9] == "Đã hủy: ký nhầm người"
    assert ws["A6"].font.italic is True
    assert not ws["A4"].font.italic


def test_xlsx_incoming_values_and_types() -> None:
    wb = load(register_xlsx(IN_COVER, IN_ROWS))
    ws = wb["Sổ"]
    assert [c.value for c in ws[2]] == list(INCOMING_COLUMNS)
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert rows[0] == (
        datetime(2023, 1, 3),
        1,
        "Ủy ban nhân dân tỉnh Phú Yên",
        "15/UBND-KT",
        datetime(2022, 12, 30),
        "Công văn về việc triển khai kế hoạch năm 2023",
        "Phòng Tài chính - Kế hoạch",
        datetime(2023, 1, 4),
        None,
        None,
    )
    assert ws["B4"].data_type == "n"
    assert ws["B4"].number_format == "00"
    assert ws["A4"].number_format == "dd/mm/yyyy"
    assert rows[1][4] is None
    assert rows[1][9] == "Đã thu hồi"
    assert rows[2][9] == "Đã hủy: đăng ký trùng"
    fields = {row[0]: row[1] for row in wb["Bìa"].iter_rows(min_row=3, values_only=True)}
    assert fields["Tên cơ quan chủ quản trực tiếp"] is None
    assert fields["Sổ"] is None


def test_xlsx_text_never_becomes_a_formula() -> None:
    formulas = {
        "type_and_subject": '=HYPERLINK("http://evil.example/x","Bấm vào đây")',
        "signer": "+1+1",
        "recipients": "-2+3",
        "archive_holder": "@SUM(A1:A9)",
        "note": "=1+1",
    }
    row = replace(
        OUT_ROWS[0],
        type_and_subject=formulas["type_and_subject"],
        signer=formulas["signer"],
        recipients=formulas["recipients"],
        archive_holder=formulas["archive_holder"],
        note=formulas["note"],
    )
    data = register_xlsx(OUT_COVER, [row])
    ws = load(data)["Sổ"]
    cells = {
        "type_and_subject": "C4",
        "signer": "D4",
        "recipients": "E4",
        "archive_holder": "F4",
        "note": "J4",
    }
    for field, ref in cells.items():
        assert ws[ref].data_type == "s", field
        assert ws[ref].value == formulas[field]
        assert ws[ref].quotePrefix is True
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)
                assert b"<f " not in archive.read(name)


@pytest.mark.parametrize("cover", [OUT_COVER, IN_COVER], ids=["out", "in"])
def test_xlsx_empty_register(cover: RegisterCover) -> None:
    empty = replace(cover, number_from=None, number_to=None)
    wb = load(register_xlsx(empty, []))
    fields = {row[0]: row[1] for row in wb["Bìa"].iter_rows(min_row=3, values_only=True)}
    assert fields["Từ số"] is None
    assert fields["Đến số"] is None
    ws = wb["Sổ"]
    columns = OUTGOING_COLUMNS if cover.direction == "out" else INCOMING_COLUMNS
    assert [c.value for c in ws[2]] == list(columns)
    assert ws.max_row == 3


def test_xlsx_is_reproducible_with_properties_from_the_cover() -> None:
    data = register_xlsx(OUT_COVER, OUT_ROWS)
    assert register_xlsx(OUT_COVER, OUT_ROWS) == data
    props = load(data).properties
    assert props.created == datetime(2024, 3, 31)
    assert props.modified == datetime(2024, 3, 31)


def test_control_characters_are_dropped() -> None:
    row = replace(OUT_ROWS[0], type_and_subject="Công văn\x00 số\x07 một\x1b")
    ws = load(register_xlsx(OUT_COVER, [row]))["Sổ"]
    assert ws["C4"].value == "Công văn số một"
    assert body_rows(register_pdf(OUT_COVER, [row]))[0][2] == "Côngvănsốmột"
