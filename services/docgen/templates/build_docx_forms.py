"""Build the DOCX templates of the forms (run it after changing a form's layout).

    .venv/bin/python services/docgen/templates/build_docx_forms.py

The page, fonts, headers and paragraph primitives are those of ``build_docx.py``
(loaded from its file, as the tests load it), so a form and a công văn share one
grid; this file only adds what forms have of their own: a heading without the
place/date line, tables of figures with a totals row, signature blocks side by
side, and a landscape section for wide tables.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.table import Table

from services.docgen.rendering import layout
from services.docgen.rendering.forms import (
    HANDOVER_COLUMNS,
    PAYMENT_COLUMNS,
    RECONCILIATION_COLUMNS,
    REPORT_COLUMNS,
    WIDE_CLOSING,
    WIDE_SIGNATURES,
    WORK_COLUMNS,
)

HERE = Path(__file__).resolve().parent
SIZE_FORM_TABLE = 12  # figures of a form's table: 12 pt keeps "532.000.000" on one line
SIZE_REPORT_TABLE = 10  # the landscape report: twelve columns, "46.250.000.000" on one line


def _load_base() -> ModuleType:
    path = HERE / "build_docx.py"
    spec = importlib.util.spec_from_file_location("build_docx", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


base: Any = _load_base()
para = base.para
tag = base.tag


# ---------------------------------------------------------------- parts


def form_header(document: DocxDocument, *, place_date: bool = False) -> None:
    """Body left, Quốc hiệu and Tiêu ngữ right; then the number, and the place/date line
    when the form has one (a biên bản, Mẫu 1.9, has none: its text opens with them)."""
    widths = (layout.HEADER_LEFT, layout.HEADER_RIGHT)
    grid = base.table(document, widths, borders=False)
    left, right = grid.rows[0].cells
    base.set_cell_widths([left, right], widths)

    tag(left, "if header.parent", reuse=True)
    para(left, "{{ header.parent }}", size=layout.SIZE_PARENT)
    tag(left, "endif")
    para(left, '{{ header.issuer|join("\\n") }}', size=layout.SIZE_ISSUER, bold=True)
    base.rule(left, "header.issuer_rule.indent_mm")
    if not place_date:
        para(left, "{{ header.number_line }}", size=layout.SIZE_NUMBER, before=6)

    para(right, "{{ header.national }}", size=layout.SIZE_NATIONAL, bold=True, reuse=True)
    para(right, "{{ header.motto }}", size=layout.SIZE_MOTTO, bold=True)
    base.rule(right, "header.motto_rule.indent_mm")
    if place_date:
        left, right = base.add_row(grid, widths)
        para(left, "{{ header.number_line }}", size=layout.SIZE_NUMBER, before=6, reuse=True)
        para(right, "{{ header.place_date }}", size=layout.SIZE_PLACE_DATE, italic=True,
             before=6, reuse=True)  # fmt: skip


def form_title(document: DocxDocument) -> None:
    """Ô 5a: type name, trích yếu, a short rule."""
    para(document, "{{ title.type_name }}", size=14, bold=True, before=18, keep_next=True)
    para(document, '{{ title.subject|join("\\n") }}', size=14, bold=True, keep_next=True)
    base.rule(document, "title.rule.indent_mm")
    para(document, size=12)


def body(document: DocxDocument, items: str, *, bold: bool = False, italic: bool = False) -> None:
    tag(document, f"for text in {items}")
    body_line(document, "{{ text }}", bold=bold, italic=italic)
    tag(document, "endfor")


def body_line(
    document: DocxDocument, text: str, *, bold: bool = False, italic: bool = False
) -> None:
    para(
        document,
        text,
        size=layout.SIZE_BODY,
        bold=bold,
        italic=italic,
        align="both",
        first_line=layout.BODY_INDENT,
        after=layout.BODY_AFTER_PT,
        line_pt=layout.BODY_LINE_PT,
    )


def heading_cells(grid: Table, widths: tuple[float, ...], titles: tuple[str, ...]) -> None:
    heading = grid.rows[0]
    base.row_props(heading, header=True)
    base.set_cell_widths(heading.cells, widths)
    for cell, title in zip(heading.cells, titles, strict=True):
        cell._tc.get_or_add_tcPr().append(base._el("w:vAlign", val="center"))
        para(cell, title, size=SIZE_FORM_TABLE, bold=True, before=3, after=3, reuse=True)


def loop_rows(
    grid: Table,
    widths: tuple[float, ...],
    loop: str,
    fields: tuple[str, ...],
    aligns: tuple[str, ...],
    *,
    bold: bool = False,
    size: float = 12,
    pad: float = 3,
) -> None:
    """``{%tr for … %}``, one row of ``{{ row.<field> }}``, ``{%tr endfor %}``."""
    cells = base.add_row(grid, widths)
    para(cells[0], "{%tr " + loop + " %}", reuse=True)
    row = base.add_row(grid, widths)
    for cell, field, align in zip(row, fields, aligns, strict=True):
        text = "{{ row." + field + " }}" if field else ""
        para(cell, text, size=size, align=align, bold=bold, before=pad, after=pad,
             reuse=True)  # fmt: skip
    base.row_props(grid.rows[-1])
    cells = base.add_row(grid, widths)
    para(cells[0], "{%tr endfor %}", reuse=True)


def fixed_row(
    grid: Table, widths: tuple[float, ...], texts: tuple[str, ...], aligns: tuple[str, ...]
) -> None:
    row = base.add_row(grid, widths)
    for cell, text, align in zip(row, texts, aligns, strict=True):
        para(cell, text, size=SIZE_FORM_TABLE, align=align, bold=True, before=3, after=3,
             reuse=True)  # fmt: skip
    base.row_props(grid.rows[-1])


def signature_cell(cell: Any, block: str, *, reuse: bool) -> None:
    para(cell, "{{ " + block + ".label }}", size=13, bold=True, before=6, reuse=reuse)
    para(cell, "{{ " + block + ".caption }}", size=13, italic=True)
    para(cell, "{{ " + block + ".name }}", size=layout.SIZE_SIGNER, bold=True, before=70)


def signatures_side_by_side(document: DocxDocument, left: str, right: str) -> None:
    half = layout.TEXT_WIDTH / 2
    widths = (half, half)
    grid = base.table(document, widths, borders=False)
    base.row_props(grid.rows[0])
    cells = grid.rows[0].cells
    base.set_cell_widths(cells, widths)
    signature_cell(cells[0], left, reuse=True)
    signature_cell(cells[1], right, reuse=True)


def closing_wide(document: DocxDocument) -> None:
    """Nơi nhận and the signature on a landscape page: the signature keeps its 93 mm."""
    widths = WIDE_CLOSING
    grid = base.table(document, widths, borders=False)
    base.row_props(grid.rows[0])
    left, right = grid.rows[0].cells
    base.set_cell_widths([left, right], widths)
    para(left, "{{ noi_nhan.label }}", size=layout.SIZE_NOI_NHAN_LABEL, bold=True,
         italic=True, align="left", before=6, reuse=True)  # fmt: skip
    tag(left, "for entry in noi_nhan.entries")
    para(left, "{{ entry }}", size=layout.SIZE_NOI_NHAN, align="left")
    tag(left, "endfor")
    size = layout.SIZE_SIGNER
    para(right, '{{ signer.heading|join("\\n") }}', size=size, bold=True, before=6, reuse=True)
    para(right, "{{ signer.name }}", size=size, bold=True, before=layout.SIGNATURE_SPACE_PT)


def merge_heading(
    grid: Table, widths: tuple[float, ...], spans: list[tuple[int, int, int, int, str]]
) -> None:
    """Two heading rows; each span (row, col, to_row, to_col, title) becomes one cell."""
    second = grid.add_row()
    base.set_cell_widths(second.cells, widths)
    for row in grid.rows[:2]:
        base.row_props(row, header=True)
    for top, left, bottom, right, title in spans:
        cell = grid.cell(top, left)
        if (bottom, right) != (top, left):
            cell = cell.merge(grid.cell(bottom, right))
        for extra in cell.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        cell._tc.get_or_add_tcPr().append(base._el("w:vAlign", val="center"))
        para(cell, title, size=SIZE_REPORT_TABLE, bold=True, before=2, after=2, reuse=True)


def landscape_from_here(document: DocxDocument) -> None:
    """End the portrait section here: what follows is on A4 landscape pages.

    WordprocessingML keeps a section's properties at its end, so the portrait
    section's are copied into this paragraph and the document's last section
    (the body's ``sectPr``, made landscape in ``build``) holds the table.
    """
    paragraph = para(document, size=1)
    portrait = deepcopy(document.element.body.find(qn("w:sectPr")))
    paragraph._p.get_or_add_pPr().append(portrait)


def make_last_section_landscape(document: DocxDocument) -> None:
    section = document.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.different_first_page_header_footer = False


# ---------------------------------------------------------------- templates


def bien_ban_ban_giao(document: DocxDocument) -> None:
    form_header(document)
    form_title(document)
    tag(document, "for text in bases")
    para(document, "{{ text }}", size=layout.SIZE_BODY, italic=True, align="both",
         first_line=layout.BODY_INDENT, after=layout.BODY_AFTER_PT,
         line_pt=layout.BODY_LINE_PT)  # fmt: skip
    tag(document, "endfor")
    body_line(document, "{{ opening }}")
    tag(document, "for side in parties")
    body_line(document, "{{ side.heading }}", bold=True)
    body(document, "side.lines")
    tag(document, "endfor")
    body_line(document, "{{ items_intro }}")

    widths = HANDOVER_COLUMNS
    grid = base.table(document, widths, borders=True)
    titles = ("STT", "Tên giống, vật tư", "Đơn vị tính", "Số lượng", "Đơn giá (đồng)",
              "Thành tiền (đồng)", "Ghi chú")  # fmt: skip
    heading_cells(grid, widths, titles)
    fields = ("stt", "name", "unit", "quantity", "unit_price", "amount", "note")
    aligns = ("center", "left", "center", "right", "right", "right", "left")
    loop_rows(grid, widths, "for row in items", fields, aligns)
    fixed_row(grid, widths, ("", "Tổng cộng", "", "", "", "{{ total }}", ""), aligns)
    para(document, size=6)

    body_line(document, "{{ total_words }}", italic=True)
    tag(document, "if condition")
    body_line(document, "Tình trạng khi bàn giao:", bold=True)
    body(document, "condition")
    tag(document, "endif")
    tag(document, "if commitments")
    body_line(document, "Cam kết của các bên:", bold=True)
    body(document, "commitments")
    tag(document, "endif")
    body(document, "closing")
    signatures_side_by_side(document, "giver_signature", "receiver_signature")
    tag(document, "for block in witness_signatures")
    para(document, "{{ block.label }}", size=13, bold=True, before=18, keep_next=True)
    para(document, "{{ block.caption }}", size=13, italic=True, keep_next=True)
    para(document, "{{ block.name }}", size=layout.SIZE_SIGNER, bold=True, before=70)
    tag(document, "endfor")


def bao_cao_giai_ngan(document: DocxDocument) -> None:
    form_header(document, place_date=True)
    form_title(document)
    tag(document, "if kinh_gui")
    base.kinh_gui(document)
    tag(document, "endif")
    body(document, "paragraphs")
    body(document, "summary")
    landscape_from_here(document)

    para(document, "{{ table_title }}", size=14, bold=True, keep_next=True)
    para(document, "{{ unit }}", size=12, italic=True, align="right", before=3, after=3,
         keep_next=True)  # fmt: skip
    widths = REPORT_COLUMNS
    grid = base.table(document, widths, borders=True)
    base.set_cell_widths(grid.rows[0].cells, widths)
    spans = [
        (0, 0, 1, 0, "STT"),
        (0, 1, 1, 1, "Danh mục dự án"),
        (0, 2, 1, 2, "Địa điểm xây dựng"),
        (0, 3, 1, 3, "Quyết định đầu tư (số, ngày)"),
        (0, 4, 1, 4, "Tổng mức đầu tư"),
        (0, 5, 1, 5, "Kế hoạch vốn năm"),
        (0, 6, 1, 6, "Lũy kế giải ngân đến hết tháng trước"),
        (0, 7, 0, 8, "Giải ngân tháng báo cáo"),
        (1, 7, 1, 7, "Số tiền"),
        (1, 8, 1, 8, "Tỷ lệ (%)"),
        (0, 9, 0, 10, "Lũy kế giải ngân từ đầu năm"),
        (1, 9, 1, 9, "Số tiền"),
        (1, 10, 1, 10, "Tỷ lệ (%)"),
        (0, 11, 1, 11, "Ghi chú"),
    ]
    merge_heading(grid, widths, spans)
    fields = ("stt", "name", "location", "decision", "total_investment", "plan", "previous",
              "this_month", "month_rate", "cumulative", "cumulative_rate", "note")  # fmt: skip
    aligns = ("center", "left", "left", "left", *("right",) * 7, "left")
    loop_rows(grid, widths, "for row in rows", fields, aligns, size=SIZE_REPORT_TABLE, pad=2)
    total = base.add_row(grid, widths)
    for cell, field, align in zip(total, fields, aligns, strict=True):
        para(cell, "{{ totals." + field + " }}", size=SIZE_REPORT_TABLE, align=align,
             bold=True, before=2, after=2, reuse=True)  # fmt: skip
    base.row_props(grid.rows[-1])
    para(document, size=3)
    body(document, "closing")
    closing_wide(document)


# ---------------------------------------------------------------- NĐ 99/2021, TT 96/2021

SIZE_WIDE_TABLE = 9  # thirteen columns on A4 landscape: "1.066.060.100" on one line
SIZE_PAYMENT_TABLE = 11


def form_code(document: DocxDocument) -> None:
    para(document, "{{ form_code }}", size=12, bold=True, align="right")


def payment_title(document: DocxDocument, *, before: float = 6) -> None:
    para(document, '{{ title.lines|join("\\n") }}', size=14, bold=True, before=before,
         keep_next=True)  # fmt: skip
    base.rule(document, "title.rule.indent_mm")


def line(document: DocxDocument, text: str, *, italic: bool = False, indent: bool = False,
         size: float = 13) -> None:  # fmt: skip
    para(document, text, size=size, italic=italic, align="both", after=3,
         first_line=layout.BODY_INDENT if indent else 0)  # fmt: skip


def lines(document: DocxDocument, items: str, text: str = "{{ text }}", *,
          size: float = 13) -> None:  # fmt: skip
    tag(document, f"for text in {items}")
    line(document, text, size=size)
    tag(document, "endfor")


def unit_line(document: DocxDocument) -> None:
    para(document, "{{ unit }}", size=12, italic=True, align="right", before=3, after=3,
         keep_next=True)  # fmt: skip


def heading_rows(
    grid: Table,
    widths: tuple[float, ...],
    rows: int,
    spans: list[tuple[int, int, int, int, str]],
    *,
    size: float,
    numbers: tuple[str, ...] = (),
) -> None:
    """``rows`` heading rows whose spans (row, col, to_row, to_col, title) are merged,
    then, when given, a row of column numbers; all repeat on each page."""
    for _ in range(rows - 1):
        base.set_cell_widths(grid.add_row().cells, widths)
    for top, left, bottom, right, title in spans:
        cell = grid.cell(top, left)
        if (bottom, right) != (top, left):
            cell = cell.merge(grid.cell(bottom, right))
        for extra in cell.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        cell._tc.get_or_add_tcPr().append(base._el("w:vAlign", val="center"))
        para(cell, title, size=size, bold=True, before=2, after=2, reuse=True)
    if numbers:
        cells = base.add_row(grid, widths)
        for cell, number in zip(cells, numbers, strict=True):
            para(cell, number, size=size, italic=True, before=1, after=1, reuse=True)
    for row in grid.rows:
        base.row_props(row, header=True)


def data_row(grid: Table, widths: tuple[float, ...], fields: tuple[str, ...],
             aligns: tuple[str, ...], *, size: float, bold: bool = False,
             italic: bool = False, prefix: str = "row.") -> None:  # fmt: skip
    row = base.add_row(grid, widths)
    for cell, field, align in zip(row, fields, aligns, strict=True):
        text = "{{ " + prefix + field + " }}" if field else ""
        para(cell, text, size=size, align=align, bold=bold, italic=italic, before=2,
             after=2, reuse=True)  # fmt: skip
    base.row_props(grid.rows[-1])


def row_tag(grid: Table, widths: tuple[float, ...], statement: str) -> None:
    cells = base.add_row(grid, widths)
    para(cells[0], "{%tr " + statement + " %}", reuse=True)


def signatures_wide(document: DocxDocument, widths: tuple[float, float]) -> None:
    """Two signature blocks, side by side (``signatures[0]`` left, ``[1]`` right)."""
    grid = base.table(document, widths, borders=False)
    base.row_props(grid.rows[0])
    cells = grid.rows[0].cells
    base.set_cell_widths(cells, widths)
    for index, cell in enumerate(cells):
        block = f"signatures[{index}]"
        para(cell, "{{ " + block + ".label }}", size=13, bold=True, before=6, reuse=True)
        para(cell, "{{ " + block + ".caption }}", size=12, italic=True)
        para(cell, "{{ " + block + ".name }}", size=layout.SIZE_SIGNER, bold=True, before=64)


def sign_date(document: DocxDocument) -> None:
    para(document, "{{ place_date }}", size=13, italic=True, align="right", before=6,
         keep_next=True)  # fmt: skip


def mau_03a_tt(document: DocxDocument) -> None:
    form_code(document)
    payment_title(document)
    para(document, size=12)
    lines(document, "head", "{{ text.label }}: {{ text.value }}")
    unit_line(document)
    widths = WORK_COLUMNS
    grid = base.table(document, widths, borders=True)
    base.set_cell_widths(grid.rows[0].cells, widths)
    money = "Theo hợp đồng hoặc dự toán", "Lũy kế đến hết kỳ trước", "Thực hiện kỳ này", \
        "Lũy kế đến hết kỳ này"  # fmt: skip
    spans = [
        (0, 0, 1, 0, "STT"),
        (0, 1, 1, 1, "Tên công việc"),
        (0, 2, 1, 2, "Đơn vị tính"),
        (0, 3, 0, 6, "Khối lượng"),
        *((1, 3 + i, 1, 3 + i, title) for i, title in enumerate(money)),
        (0, 7, 1, 7, "Đơn giá thanh toán theo hợp đồng hoặc dự toán"),
        (0, 8, 0, 11, "Thành tiền"),
        *((1, 8 + i, 1, 8 + i, title) for i, title in enumerate(money)),
        (0, 12, 1, 12, "Ghi chú"),
    ]
    numbers = tuple(str(n) for n in range(1, 14))
    heading_rows(grid, widths, 2, spans, size=SIZE_WIDE_TABLE, numbers=numbers)
    fields = ("stt", "name", "unit", *(f"c{n}" for n in range(4, 13)), "note")
    aligns = ("center", "left", "center", *("right",) * 9, "left")
    row_tag(grid, widths, "for row in rows")
    data_row(grid, widths, fields, aligns, size=SIZE_WIDE_TABLE)
    row_tag(grid, widths, "endfor")
    data_row(grid, widths, fields, aligns, size=SIZE_WIDE_TABLE, bold=True, prefix="totals.")
    para(document, size=3)
    lines(document, "summary")
    line(document, "{{ requested_words }}", italic=True, indent=True)
    line(document, "{{ requested_parts }}", indent=True)
    line(document, "{{ disbursed }}")
    line(document, "{{ disbursed_parts }}", indent=True)
    sign_date(document)
    signatures_wide(document, WIDE_SIGNATURES)


def mau_04a_tt(document: DocxDocument) -> None:
    form_code(document)
    widths: tuple[float, ...] = (layout.HEADER_LEFT, layout.HEADER_RIGHT)
    grid = base.table(document, widths, borders=False)
    left, right = grid.rows[0].cells
    base.set_cell_widths([left, right], widths)
    para(left, "{{ header.owner }}", size=layout.SIZE_ISSUER, bold=True, reuse=True)
    para(left, "{{ header.number_line }}", size=layout.SIZE_NUMBER, before=6)
    para(right, "{{ header.national }}", size=layout.SIZE_NATIONAL, bold=True, reuse=True)
    para(right, "{{ header.motto }}", size=layout.SIZE_MOTTO, bold=True)
    base.rule(right, "header.motto_rule.indent_mm")
    para(right, "{{ header.place_date }}", size=layout.SIZE_PLACE_DATE, italic=True, before=6)
    payment_title(document, before=18)
    para(document, "{{ recipient }}", size=14, before=6, after=9)
    lines(document, "head", "{{ text.label }}: {{ text.value }}")
    # The căn cứ are prose, not fields: body paragraphs (R6), indented, 6 pt apart.
    tag(document, "for text in bases")
    para(document, "{{ text }}", size=13, align="both", first_line=layout.BODY_INDENT,
         after=layout.BODY_AFTER_PT)  # fmt: skip
    tag(document, "endfor")
    line(document, "{{ funding }}")
    unit_line(document)
    widths = PAYMENT_COLUMNS
    grid = base.table(document, widths, borders=True)
    base.set_cell_widths(grid.rows[0].cells, widths)
    spans = [
        (0, 0, 1, 0, "Nội dung thanh toán"),
        (0, 1, 1, 1, "Dự toán được duyệt hoặc giá trị hợp đồng"),
        (0, 2, 0, 3, "Lũy kế số vốn đã thanh toán từ khởi công đến cuối kỳ trước (gồm cả "
                     "tạm ứng)"),
        (0, 4, 0, 5, "Số đề nghị tạm ứng, thanh toán khối lượng hoàn thành kỳ này"),
        (1, 2, 1, 2, "Vốn trong nước"),
        (1, 3, 1, 3, "Vốn ngoài nước"),
        (1, 4, 1, 4, "Vốn trong nước"),
        (1, 5, 1, 5, "Vốn ngoài nước"),
    ]  # fmt: skip
    numbers = ("1", "2", "3", "", "4", "")
    heading_rows(grid, widths, 2, spans, size=SIZE_PAYMENT_TABLE, numbers=numbers)
    cells = grid.rows[-1].cells
    cells[2].merge(cells[3])
    cells[4].merge(cells[5])
    fields = ("content", "budget", "paid_domestic", "paid_foreign", "request_domestic",
              "request_foreign")  # fmt: skip
    aligns = ("left", *("right",) * 5)
    row_tag(grid, widths, "for row in rows")
    data_row(grid, widths, fields, aligns, size=SIZE_PAYMENT_TABLE)
    row_tag(grid, widths, "endfor")
    data_row(grid, widths, fields, aligns, size=SIZE_PAYMENT_TABLE, bold=True,
             prefix="totals.")  # fmt: skip
    para(document, size=3)
    line(document, "{{ amount }}")
    line(document, "{{ amount_words }}", italic=True)
    lines(document, "parts")
    lines(document, "payee")
    half = layout.TEXT_WIDTH / 2
    signatures_wide(document, (half, half))


def mau_03_qtda(document: DocxDocument) -> None:
    form_code(document)
    widths: tuple[float, ...] = (layout.HEADER_LEFT, layout.HEADER_RIGHT)
    grid = base.table(document, widths, borders=False)
    left, right = grid.rows[0].cells
    base.set_cell_widths([left, right], widths)
    para(left, "{{ header.owner_label }}", size=layout.SIZE_ISSUER, bold=True, reuse=True)
    para(left, "{{ header.owner }}", size=layout.SIZE_ISSUER, bold=True)
    base.rule(left, "header.issuer_rule.indent_mm")
    para(right, "{{ header.national }}", size=layout.SIZE_NATIONAL, bold=True, reuse=True)
    para(right, "{{ header.motto }}", size=layout.SIZE_MOTTO, bold=True)
    base.rule(right, "header.motto_rule.indent_mm")
    payment_title(document, before=18)
    para(document, size=12)
    lines(document, "head", "{{ text.label }}: {{ text.value }}")
    para(document, "{{ section_one }}", size=13, bold=True, align="left", before=6)
    unit_line(document)
    widths = RECONCILIATION_COLUMNS
    grid = base.table(document, widths, borders=True)
    base.set_cell_widths(grid.rows[0].cells, widths)
    spent = ("Tổng số", "Thanh toán khối lượng hoàn thành", "Tạm ứng")
    spans = [
        (0, 0, 2, 0, "Số TT"),
        (0, 1, 2, 1, "Nội dung"),
        (0, 2, 0, 5, "Số liệu của chủ đầu tư"),
        (1, 2, 2, 2, "Vốn kế hoạch"),
        (1, 3, 1, 5, "Số vốn đã giải ngân"),
        *((2, 3 + i, 2, 3 + i, title) for i, title in enumerate(spent)),
        (0, 6, 0, 9, "Số liệu của cơ quan kiểm soát, thanh toán"),
        (1, 6, 2, 6, "Vốn kế hoạch"),
        (1, 7, 1, 9, "Số vốn đã giải ngân"),
        *((2, 7 + i, 2, 7 + i, title) for i, title in enumerate(spent)),
        (0, 10, 2, 10, "Chênh lệch"),
        (0, 11, 2, 11, "Ghi chú"),
    ]
    numbers = ("1", "2", "3", "4 = 5 + 6", "5", "6", "7", "8 = 9 + 10", "9", "10", "11 = 8 - 4",
               "12")  # fmt: skip
    heading_rows(grid, widths, 3, spans, size=SIZE_WIDE_TABLE, numbers=numbers)
    fields = ("stt", "name", *(f"c{n}" for n in range(3, 12)), "note")
    aligns = ("center", "left", *("right",) * 9, "left")
    row_tag(grid, widths, "for row in rows")
    row_tag(grid, widths, "if row.detail")
    data_row(grid, widths, fields, aligns, size=SIZE_WIDE_TABLE, italic=True)
    row_tag(grid, widths, "else")
    data_row(grid, widths, fields, aligns, size=SIZE_WIDE_TABLE, bold=True)
    row_tag(grid, widths, "endif")
    row_tag(grid, widths, "endfor")
    para(document, size=3)
    para(document, "{{ section_two }}", size=13, bold=True, align="left", before=6)
    body(document, "remarks")
    sign_date(document)
    signatures_wide(document, WIDE_SIGNATURES)


# Pages: all portrait; the last section (the table) landscape; or all landscape.
Pages = Literal["portrait", "landscape-last", "landscape"]

# folder under templates/ → (builder, pages)
TEMPLATES: dict[str, tuple[Callable[[DocxDocument], None], Pages]] = {
    "nd30-2020/bien-ban-ban-giao": (bien_ban_ban_giao, "portrait"),
    "tt15-2021/bao-cao-giai-ngan": (bao_cao_giai_ngan, "landscape-last"),
    "nd99-2021/mau-03a-tt": (mau_03a_tt, "landscape"),
    "nd99-2021/mau-04a-tt": (mau_04a_tt, "portrait"),
    "tt96-2021/mau-03-qtda": (mau_03_qtda, "landscape"),
}


def build(name: str) -> bytes:
    """The template in folder ``name`` as DOCX bytes; the same bytes on every run."""
    builder, pages = TEMPLATES[name]
    document = base.setup_document()
    body_element = document.element.body
    for child in list(body_element):  # python-docx's blank first paragraph
        if child.tag == qn("w:p"):
            body_element.remove(child)
    base.headers_and_footers(document)
    builder(document)
    para(document, size=1)
    section_props = body_element.find(qn("w:sectPr"))
    body_element.remove(section_props)
    body_element.append(section_props)
    if pages == "landscape-last":
        make_last_section_landscape(document)
    elif pages == "landscape":  # one section: page 1 keeps its own header (no number)
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    raw = io.BytesIO()
    document.save(raw)
    data: bytes = base._stable_zip(raw.getvalue())
    return data


def main(argv: list[str] | None = None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or list(TEMPLATES)
    for name in names:
        target = HERE / name / "document.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = build(name)
        target.write_bytes(data)
        print(f"{target.relative_to(HERE)}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
