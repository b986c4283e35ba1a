"""Small công văn files built in the tests: one laid out to the rules, and its variants.

``build_docx`` writes a DOCX with python-docx; ``build_pdf`` a PDF with
WeasyPrint from an HTML string in Liberation Serif. Every keyword changes one
thing from the compliant document, so a test can break exactly one rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Any

import weasyprint
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
BODY = [
    "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về chuyển đổi số năm 2024, Ủy ban nhân "
    "dân huyện đề nghị các cơ quan, đơn vị thực hiện tốt một số nội dung sau:",
    "1. Ký số tất cả văn bản đi thuộc thẩm quyền, trừ văn bản mật theo quy định; văn bản "
    "điện tử ký số được gửi qua hệ thống quản lý văn bản và điều hành.",
    "2. Phân công công chức theo dõi, tiếp nhận văn bản đến trên hệ thống hằng ngày, kịp "
    "thời trình lãnh đạo xử lý; không để văn bản tồn đọng quá 01 ngày làm việc./.",
]


@dataclass(frozen=True)
class Spec:
    """What the test document says and how it is laid out; defaults follow the decree."""

    parent: str | None = "UBND TỈNH AN GIANG"
    issuer: tuple[str, ...] = ("ỦY BAN NHÂN DÂN", "HUYỆN CHÂU THÀNH")
    so: str = "Số: 152/UBND-VP"
    subject: str = "V/v tăng cường sử dụng chữ ký số"
    quoc_hieu: str | None = QUOC_HIEU
    quoc_hieu_bold: bool = True
    tieu_ngu: str = TIEU_NGU
    date: str = "Châu Thành, ngày 07 tháng 3 năm 2024"
    recipients: str = "Kính gửi: Các cơ quan, ban, ngành huyện."
    body: tuple[str, ...] = tuple(BODY)
    noi_nhan: tuple[str, ...] = ("- Như trên;", "- Chủ tịch, các PCT UBND huyện;",
                                 "- Lưu: VT, VP.")
    noi_nhan_item_size: float = 11
    authority: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    signer: str = "Lê Thị Thu Hà"
    # DOCX only
    margins_mm: dict[str, float] = field(
        default_factory=lambda: {"top": 20, "bottom": 20, "left": 30, "right": 15}
    )
    page_mm: tuple[float, float] = (210, 297)
    landscape_section: bool = False
    normal_font: str | None = "Times New Roman"
    body_run_font: str | None = None
    title_page: bool = True
    page_number: bool = True
    first_page_number: bool = False
    first_page_header: str | None = None  # e.g. "DỰ THẢO", printed in the top margin
    first_page_footer: str | None = None  # e.g. the address line (ô 13)
    body_align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY
    body_indent_cm: float = 1.27
    body_space_after_pt: float = 6
    body_size: float = 14

    def but(self, **changes: Any) -> Spec:
        return replace(self, **changes)


COMPLIANT = Spec()


# ---------------------------------------------------------------- DOCX


def _para(container: Any, text: str, *, size: float, bold: bool = False,
          italic: bool = False, align: Any = WD_ALIGN_PARAGRAPH.CENTER,
          first: bool = False) -> Any:
    p = container.paragraphs[0] if first else container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    return p


def _page_field(paragraph: Any, size: float = 13) -> None:
    """A PAGE field as Word writes it: w:fldSimple around a result run."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.append(sz)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _page_setup(section: Any, spec: Spec) -> None:
    section.page_width, section.page_height = Mm(spec.page_mm[0]), Mm(spec.page_mm[1])
    section.top_margin = Mm(spec.margins_mm["top"])
    section.bottom_margin = Mm(spec.margins_mm["bottom"])
    section.left_margin = Mm(spec.margins_mm["left"])
    section.right_margin = Mm(spec.margins_mm["right"])
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = spec.title_page
    if spec.page_number:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(header)
    if spec.first_page_number:
        first = section.first_page_header.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(first)
    if spec.first_page_header:
        _para(section.first_page_header, spec.first_page_header, size=13, bold=True,
              align=WD_ALIGN_PARAGRAPH.RIGHT, first=True)
    if spec.first_page_footer:
        section.footer_distance = Mm(8)
        _para(section.first_page_footer, spec.first_page_footer, size=11, first=True)


def build_docx(path: Path, spec: Spec = COMPLIANT) -> Path:
    doc = Document()
    normal = doc.styles["Normal"]
    if spec.normal_font is not None:
        normal.font.name = spec.normal_font
    normal.font.size = Pt(14)

    _page_setup(doc.sections[0], spec)

    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    lines: list[tuple[str, float, bool, bool]] = []
    if spec.parent:
        lines.append((spec.parent, 12, False, False))
    lines += [(name, 12, True, False) for name in spec.issuer]
    lines += [(spec.so, 13, False, False), (spec.subject, 12, False, False)]
    for i, (text, size, bold, italic) in enumerate(lines):
        _para(left, text, size=size, bold=bold, italic=italic, first=i == 0)
    right_lines: list[tuple[str, float, bool, bool]] = []
    if spec.quoc_hieu:
        right_lines.append((spec.quoc_hieu, 12, spec.quoc_hieu_bold, False))
    right_lines += [(spec.tieu_ngu, 13, True, False), (spec.date, 13, False, True)]
    for i, (text, size, bold, italic) in enumerate(right_lines):
        _para(right, text, size=size, bold=bold, italic=italic, first=i == 0)

    _para(doc, spec.recipients, size=14)
    for text in spec.body:
        p = doc.add_paragraph()
        p.alignment = spec.body_align
        p.paragraph_format.first_line_indent = Cm(spec.body_indent_cm)
        p.paragraph_format.space_after = Pt(spec.body_space_after_pt)
        run = p.add_run(text)
        run.font.size = Pt(spec.body_size)
        if spec.body_run_font:
            run.font.name = spec.body_run_font

    signature = doc.add_table(rows=1, cols=2)
    left, right = signature.rows[0].cells
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True,
          align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for item in spec.noi_nhan:
        _para(left, item, size=spec.noi_nhan_item_size, align=WD_ALIGN_PARAGRAPH.LEFT)
    for i, line in enumerate(spec.authority):
        _para(right, line, size=14, bold=True, first=i == 0)
    _para(right, "", size=14)
    _para(right, spec.signer, size=14, bold=True)

    if spec.landscape_section:
        new = doc.add_section()
        new.orientation = WD_ORIENT.LANDSCAPE
        new.page_width, new.page_height = Mm(297), Mm(210)
        doc.add_paragraph("Phụ lục không có bảng.")
    doc.save(str(path))
    return path


# ---------------------------------------------------------------- PDF

_CSS = """
@page {{
  size: {page};
  margin: {top}mm {right}mm {bottom}mm {left}mm;
  {number}
  {mark}
}}
{first_page}
body {{ font-family: '{font}'; font-size: 14pt; margin: 0; }}
p {{ margin: 0; }}
table {{ width: 100%; border-collapse: collapse; }}
td {{ vertical-align: top; text-align: center; padding: 0; }}
.h12 {{ font-size: 12pt; }} .h13 {{ font-size: 13pt; }} .b {{ font-weight: bold; }}
.i {{ font-style: italic; }}
.body p {{ text-align: justify; text-indent: 1.27cm; margin-bottom: 6pt; }}
.nn {{ text-align: left; }} .nn p {{ font-size: 11pt; }}
.nn p.label {{ font-size: 12pt; font-weight: bold; font-style: italic; }}
.sig p {{ font-weight: bold; }}
.break {{ break-before: page; }}
"""


_DRAFT_MARK = (
    "@top-right { content: 'DỰ THẢO'; font: bold 13pt 'Liberation Serif'; border: 1px solid; }"
)
_NUMBER = "@{box} {{ content: counter(page); font: {size}pt '{font}'; vertical-align: middle; }}"
_NO_NUMBER_ON_PAGE_1 = "@page :first {{ @{box} {{ content: none; }} }}"


@dataclass(frozen=True)
class PdfSpec:
    text: Spec = COMPLIANT
    font: str = "Liberation Serif"
    page: str = "A4"
    margins_mm: dict[str, float] = field(
        default_factory=lambda: {"top": 20, "bottom": 20, "left": 30, "right": 15}
    )
    first_page_number: bool = False
    page_numbers: bool = True
    number_box: str = "top-center"  # the page-margin box holding the page number
    number_size: float = 13
    draft_mark: bool = False  # "DỰ THẢO" in the top margin, as drafts carry it
    pages: int = 2  # the signature block is pushed onto page 2

    def but(self, **changes: Any) -> PdfSpec:
        return replace(self, **changes)


def cong_van_html(spec: PdfSpec = PdfSpec()) -> str:
    t = spec.text
    css = _CSS.format(
        page=spec.page,
        font=spec.font,
        number=_NUMBER.format(box=spec.number_box, size=spec.number_size, font=spec.font)
        if spec.page_numbers
        else "",
        mark=_DRAFT_MARK if spec.draft_mark else "",
        first_page=""
        if spec.first_page_number or not spec.page_numbers
        else _NO_NUMBER_ON_PAGE_1.format(box=spec.number_box),
        **spec.margins_mm,
    )
    left = []
    if t.parent:
        left.append(f'<p class="h12">{escape(t.parent)}</p>')
    left += [f'<p class="h12 b">{escape(name)}</p>' for name in t.issuer]
    left += [f'<p class="h13">{escape(t.so)}</p>', f'<p class="h12">{escape(t.subject)}</p>']
    right = []
    if t.quoc_hieu:
        bold = " b" if t.quoc_hieu_bold else ""
        right.append(f'<p class="h12{bold}">{escape(t.quoc_hieu)}</p>')
    right += [
        f'<p class="h13 b">{escape(t.tieu_ngu)}</p>',
        f'<p class="h13 i">{escape(t.date)}</p>',
    ]
    body = "".join(f"<p>{escape(p)}</p>" for p in t.body)
    items = "".join(
        f'<p style="font-size: {t.noi_nhan_item_size}pt">{escape(i)}</p>' for i in t.noi_nhan
    )
    sig = "".join(f"<p>{escape(a)}</p>" for a in t.authority)
    brk = ' class="break"' if spec.pages > 1 else ""
    return f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
<style>{css}</style></head><body>
<table><tr><td style="width: 40%">{"".join(left)}</td>
<td style="width: 60%">{"".join(right)}</td></tr></table>
<p style="text-align: center; margin: 12pt 0">{escape(t.recipients)}</p>
<div class="body">{body}</div>
<table{brk}><tr><td class="nn" style="width: 45%"><p class="label">Nơi nhận:</p>{items}</td>
<td class="sig">{sig}<p>&nbsp;</p><p>{escape(t.signer)}</p></td></tr></table>
</body></html>"""


def build_pdf(path: Path, spec: PdfSpec = PdfSpec()) -> Path:
    weasyprint.HTML(string=cong_van_html(spec)).write_pdf(str(path))
    return path


def minimal_pdf(path: Path, lines: list[str], *, base_font: str = "Times-Roman") -> Path:
    """A one-page A4 PDF written by hand, its font referenced but not embedded."""
    y = 760
    ops = []
    for line in lines:
        ops.append(f"BT /F1 13 Tf 100 {y} Td ({line}) Tj ET")
        y -= 20
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        f"<< /Type /Font /Subtype /Type1 /BaseFont /{base_font} >>".encode(),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref
    )
    path.write_bytes(bytes(out))
    return path
