"""Printing the registers (sổ đăng ký văn bản đi/đến, NĐ 30/2020/NĐ-CP Phụ lục IV).

A register kept in the system is printed with every column of the book
template and bound, so both outputs carry the decree's cover fields and its
ten columns in order:

- :func:`register_pdf` — a portrait cover, then A4 landscape table pages with
  the column headings and the (1)…(10) row repeated on every page, numbered
  in the top margin (not on the cover);
- :func:`register_xlsx` — a "Bìa" sheet with the cover fields and a "Sổ" sheet
  with the table: real dates and numbers, frozen and repeated header rows.

Everything the user typed is text: the HTML template autoescapes it inside a
sandboxed Jinja, WeasyPrint is given a URL fetcher that refuses every URL,
and spreadsheet cells are written as strings, never as formulas.

WeasyPrint is imported inside :func:`register_pdf`, never at module import:
the web app imports modules before gunicorn forks, and WeasyPrint's native
state (Pango, fontconfig) belongs in the process that renders.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal, NoReturn

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from shared.text import nfc
from shared.vn import upper

__all__ = [
    "INCOMING_COLUMNS",
    "OUTGOING_COLUMNS",
    "IncomingRow",
    "OutgoingRow",
    "RefusedURL",
    "RegisterCover",
    "register_pdf",
    "register_xlsx",
]

TEMPLATES = Path(__file__).parent / "templates"

# Phụ lục IV, mẫu sổ đăng ký văn bản đi: columns (1)…(10), in order.
OUTGOING_COLUMNS: tuple[str, ...] = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)

# Phụ lục IV, mẫu sổ đăng ký văn bản đến: columns (1)…(10), in order.
INCOMING_COLUMNS: tuple[str, ...] = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)

_TITLES = {"out": "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "in": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"}

# Per column: share of the table width in the PDF (percent), width in the
# spreadsheet (characters), horizontal alignment.
_OUTGOING_LAYOUT: tuple[tuple[float, float, str], ...] = (
    (10.0, 16, "left"),
    (8.0, 12, "center"),
    (19.0, 44, "left"),
    (9.0, 18, "left"),
    (13.0, 28, "left"),
    (9.0, 18, "left"),
    (5.5, 9, "center"),
    (8.0, 12, "center"),
    (6.5, 10, "left"),
    (12.0, 28, "left"),
)
_INCOMING_LAYOUT: tuple[tuple[float, float, str], ...] = (
    (8.0, 12, "center"),
    (5.5, 9, "center"),
    (13.0, 28, "left"),
    (11.5, 18, "left"),
    (8.0, 12, "center"),
    (19.0, 44, "left"),
    (11.0, 22, "left"),
    (8.0, 12, "center"),
    (6.5, 10, "left"),
    (9.5, 28, "left"),
)

# A row that is not an ordinary entry is printed in italics; with no note of
# its own it gets this one, so the paper says why.
_STATE_NOTES = {
    "reserved": "Số giữ trước",
    "cancelled": "Đã hủy",
    "recalled": "Đã thu hồi",
}
_MARKED_STATES = frozenset(_STATE_NOTES)

# Characters XML 1.0 (so both the HTML parser and the xlsx) cannot carry.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# What a spreadsheet would read as the start of a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RegisterCover:
    """The cover (bìa) of one volume of a register."""

    direction: Literal["out", "in"]
    parent_name: str | None
    body_name: str
    register_name: str | None
    year: int
    date_from: date
    date_to: date
    number_from: int | None
    number_to: int | None
    volume: int


@dataclass(frozen=True)
class OutgoingRow:
    """One line of the sổ đăng ký văn bản đi, columns (1)…(10) in order."""

    number_notation: str
    issued_on: date | None
    type_and_subject: str
    signer: str
    recipients: str
    archive_holder: str
    copies: int | None
    transferred_on: date | None
    receipt: str
    note: str
    state: Literal["issued", "recorded", "reserved", "cancelled"]


@dataclass(frozen=True)
class IncomingRow:
    """One line of the sổ đăng ký văn bản đến, columns (1)…(10) in order."""

    arrival_date: date
    arrival_number: int
    author: str
    number_notation: str
    document_date: date | None
    type_and_subject: str
    recipient_unit: str
    transferred_on: date | None
    receipt: str
    note: str
    state: Literal["registered", "recalled", "cancelled"]


Cell = str | int | date | None
Rows = Sequence[OutgoingRow] | Sequence[IncomingRow]


# ------------------------------------------------------------------ values


def _text(value: str | None) -> str:
    """NFC, without the control characters neither HTML nor xlsx can carry."""
    return _ILLEGAL.sub("", nfc(value or ""))


def _number(n: int) -> str:
    """Register numbers below 10 take a leading zero (01 … 09, 10, 11 …)."""
    return f"{n:02d}"


def _dmy(d: date | None) -> str:
    return "" if d is None else f"{d.day:02d}/{d.month:02d}/{d.year}"


def _note(note: str, state: str) -> str:
    text = _text(note)
    if text.strip() or state not in _STATE_NOTES:
        return text
    return _STATE_NOTES[state]


def _columns(direction: str) -> tuple[str, ...]:
    return OUTGOING_COLUMNS if direction == "out" else INCOMING_COLUMNS


def _layout(direction: str) -> tuple[tuple[float, float, str], ...]:
    return _OUTGOING_LAYOUT if direction == "out" else _INCOMING_LAYOUT


def _cells(row: OutgoingRow | IncomingRow) -> list[Cell]:
    """The ten values of a row, typed: text, int, date or None (blank)."""
    if isinstance(row, OutgoingRow):
        return [
            _text(row.number_notation),
            row.issued_on,
            _text(row.type_and_subject),
            _text(row.signer),
            _text(row.recipients),
            _text(row.archive_holder),
            row.copies,
            row.transferred_on,
            _text(row.receipt),
            _note(row.note, row.state),
        ]
    return [
        row.arrival_date,
        row.arrival_number,
        _text(row.author),
        _text(row.number_notation),
        row.document_date,
        _text(row.type_and_subject),
        _text(row.recipient_unit),
        row.transferred_on,
        _text(row.receipt),
        _note(row.note, row.state),
    ]


def _checked_rows(cover: RegisterCover, rows: Rows) -> list[OutgoingRow | IncomingRow]:
    if cover.direction not in _TITLES:
        raise ValueError(f"Chiều của sổ phải là 'out' hoặc 'in', không phải {cover.direction!r}")
    expected = OutgoingRow if cover.direction == "out" else IncomingRow
    checked: list[OutgoingRow | IncomingRow] = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, expected):
            raise TypeError(
                f"Dòng {index} của {_TITLES[cover.direction].lower()} phải là "
                f"{expected.__name__}, không phải {type(row).__name__}"
            )
        checked.append(row)
    return checked


def _stamp(cover: RegisterCover) -> datetime:
    """A fixed creation time derived from the cover, for reproducible files."""
    return datetime.combine(cover.date_to, time(0, 0))


def _cover_lines(cover: RegisterCover) -> dict[str, Any]:
    title = _TITLES[cover.direction]
    body = upper(_text(cover.body_name))
    series = _text(cover.register_name).strip()
    running = f"{body} – {title.capitalize()}"
    if series:
        running += f" ({series})"
    running += f" – Năm {cover.year} – Quyển số {cover.volume}"
    return {
        "title": title,
        "title_plain": f"{title} – {body} – NĂM {cover.year} – QUYỂN SỐ {cover.volume}",
        "parent_name": upper(_text(cover.parent_name)).strip(),
        "body_name": body,
        "register_name": series,
        "year": str(cover.year),
        "date_from": _dmy(cover.date_from),
        "date_to": _dmy(cover.date_to),
        "number_from": "" if cover.number_from is None else _number(cover.number_from),
        "number_to": "" if cover.number_to is None else _number(cover.number_to),
        "volume": str(cover.volume),
        "running": running,
    }


# --------------------------------------------------------------------- PDF


class RefusedURL(ValueError):
    """A render asked for a URL: registers load nothing from anywhere."""


def _refuse(url: str) -> NoReturn:
    raise RefusedURL(f"a printed register loads no resource: {url[:200]!r}")


def _no_fetcher() -> Any:
    """A WeasyPrint URL fetcher that refuses every URL (built on demand, lazily)."""
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 - see the module docstring

    class NoFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__(allowed_protocols=(), allow_redirects=False)

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            _refuse(url)

    return NoFetcher()


@functools.cache
def _environment() -> ImmutableSandboxedEnvironment:
    """Sandboxed, autoescaping, strict about names; built once, templates compiled once."""
    return ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _pdf_cell(value: Cell, column: int, direction: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return _dmy(value)
    if isinstance(value, int):
        # Số đến takes the leading zero; số lượng bản is a plain count.
        return _number(value) if (direction, column) == ("in", 1) else str(value)
    return value


def register_html(cover: RegisterCover, rows: Rows) -> str:
    """The HTML :func:`register_pdf` lays out (autoescaped, no external resource)."""
    checked = _checked_rows(cover, rows)
    layout = _layout(cover.direction)
    context = {
        "direction": cover.direction,
        "cover": _cover_lines(cover),
        "columns": _columns(cover.direction),
        "widths": [f"{width:g}" for width, _, _ in layout],
        "aligns": [align for _, _, align in layout],
        "rows": [
            {
                "state": row.state,
                "marked": row.state in _MARKED_STATES,
                "cells": [
                    _pdf_cell(value, i, cover.direction) for i, value in enumerate(_cells(row))
                ],
            }
            for row in checked
        ],
        "stamp": _stamp(cover).date().isoformat(),
    }
    return _environment().get_template("register.html").render(context)


def register_pdf(cover: RegisterCover, rows: Rows) -> bytes:
    """The register as a PDF: the cover, then the table on A4 landscape pages."""
    html = register_html(cover, rows)
    import weasyprint  # noqa: PLC0415 - see the module docstring

    fetcher = _no_fetcher()
    css = weasyprint.CSS(
        string=(TEMPLATES / "register.css").read_text("utf-8"), url_fetcher=fetcher
    )
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[css])
    return pdf


# -------------------------------------------------------------------- XLSX

_DATE_FORMAT = "dd/mm/yyyy"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _put(ws: Any, row: int, column: int, value: Cell) -> Any:
    """Write a value with its own type; text is always text, never a formula."""
    cell = ws.cell(row=row, column=column)
    if value is None or value == "":
        return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True  # stays text when edited in a spreadsheet
    elif isinstance(value, date):
        cell.number_format = _DATE_FORMAT
    return cell


def _cover_sheet(ws: Any, cover: RegisterCover, lines: Mapping[str, Any]) -> None:
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415

    ws.title = "Bìa"
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 60
    title = _put(ws, 1, 1, lines["title"])
    title.font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
    title.alignment = Alignment(horizontal="center")
    fields: list[tuple[str, Cell]] = [
        ("Tên cơ quan chủ quản trực tiếp", lines["parent_name"] or None),
        ("Tên cơ quan, tổ chức", lines["body_name"]),
        ("Sổ", lines["register_name"] or None),
        ("Năm", cover.year),
        ("Từ ngày", cover.date_from),
        ("Đến ngày", cover.date_to),
        ("Từ số", cover.number_from),
        ("Đến số", cover.number_to),
        ("Quyển số", cover.volume),
    ]
    for offset, (label, value) in enumerate(fields):
        row = 3 + offset
        _put(ws, row, 1, label).font = Font(bold=True)
        cell = _put(ws, row, 2, value)
        cell.alignment = Alignment(horizontal="left", wrap_text=True)
        if label in ("Từ số", "Đến số"):
            cell.number_format = "00"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _register_sheet(
    ws: Any, cover: RegisterCover, lines: Mapping[str, Any], rows: Sequence[Any]
) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415
    from openpyxl.worksheet.page import PageMargins  # noqa: PLC0415

    columns = _columns(cover.direction)
    layout = _layout(cover.direction)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    last = get_column_letter(len(columns))

    title = _put(ws, 1, 1, lines["title_plain"])
    title.font = Font(bold=True, size=13)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 24

    for index, heading in enumerate(columns, start=1):
        cell = _put(ws, 2, index, heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        number = _put(ws, 3, index, f"({index})")
        number.font = Font(italic=True)
        number.alignment = Alignment(horizontal="center")
        number.border = border
        ws.column_dimensions[get_column_letter(index)].width = layout[index - 1][1]
    ws.row_dimensions[2].height = 32

    for offset, row in enumerate(rows):
        line = 4 + offset
        marked = row.state in _MARKED_STATES
        for index, value in enumerate(_cells(row), start=1):
            cell = _put(ws, line, index, value)
            cell.border = border
            cell.alignment = Alignment(
                horizontal=layout[index - 1][2], vertical="top", wrap_text=True
            )
            if marked:
                cell.font = Font(italic=True)
            if isinstance(value, int) and (cover.direction, index) == ("in", 2):
                cell.number_format = "00"

    ws.freeze_panes = "A4"
    ws.print_title_rows = "2:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.8, right=0.5, top=0.8, bottom=0.6)
    ws.print_options.horizontalCentered = True
    ws.oddHeader.center.text = "&P"
    ws.oddFooter.left.text = _footer_text(lines["running"])


def _footer_text(text: str) -> str:
    """Header/footer codes start with "&": a literal one is written "&&"."""
    return text.replace("&", "&&")[:200]


def _reproducible_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times, so equal registers give equal bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def register_xlsx(cover: RegisterCover, rows: Rows) -> bytes:
    """The register as a workbook: sheet "Bìa" (cover fields), sheet "Sổ" (the table)."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415

    checked = _checked_rows(cover, rows)
    lines = _cover_lines(cover)
    wb = Workbook()
    _cover_sheet(wb.active, cover, lines)
    _register_sheet(wb.create_sheet("Sổ"), cover, lines, checked)
    stamp = _stamp(cover)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.title = lines["title_plain"]
    wb.properties.creator = "vanthu"
    buffer = io.BytesIO()
    # ExcelWriter, not Workbook.save: save() stamps the modification time with now().
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return _reproducible_zip(buffer.getvalue())
