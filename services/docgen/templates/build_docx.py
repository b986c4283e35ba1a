"""Build the DOCX templates of ``nd30-2020/`` (run it after changing the layout).

    .venv/bin/python services/docgen/templates/build_docx.py

The templates are generated, not drawn by hand in Word, so that every size,
margin and rule is stated here once and the committed files can be checked
against a fresh build (tests/unit/docgen/test_rendering.py does). The layout
figures come from ``services/docgen/rendering/layout.py``, which the context
and the CSS of the PDF follow too.

Jinja tags for docxtpl go where python-docx writes text: ``{{ … }}`` in runs,
``{%p … %}`` alone in a paragraph (the paragraph is replaced by the tag),
``{%tr … %}`` alone in a table row. Lengths computed per document (the rule
under the issuing body, the Kính gửi indent) are tags inside attributes, in
millimetres, turned into twips by the ``twips`` filter at render time.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from services.docgen.rendering import layout
from services.docgen.rendering.context import NATIONAL_NAME
from services.docgen.rendering.fonts import text_width_mm

FONT = "Times New Roman"
HERE = Path(__file__).resolve().parent
VERSION_DIR = HERE / "nd30-2020"
FIXED_TIME = datetime(2020, 3, 5)  # the decree's date: keeps the files byte-stable
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
UNUSED_PARTS = frozenset({"stylesWithEffects", "customXml", "webSettings", "numbering"})
KEPT_STYLES = frozenset(
    {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "HeaderChar",
     "Footer", "FooterChar"}
)  # fmt: skip

Length = float | str  # millimetres, or a Jinja expression giving millimetres


class Container(Protocol):
    """What holds paragraphs: the document, a table cell, a header or footer."""

    @property
    def paragraphs(self) -> list[Paragraph]: ...

    def add_paragraph(self, text: str = "", style: Any = None) -> Paragraph: ...


# ---------------------------------------------------------------- low level


def _el(tag: str, **attrs: str) -> BaseOxmlElement:
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _twips(value: Length) -> str:
    if isinstance(value, str):
        return "{{ " + value + "|twips }}"
    return str(layout.twips(value))


def _half_points(size: float) -> str:
    return str(round(size * 2))


def _run_props(size: float, *, bold: bool = False, italic: bool = False, color: str = "") -> list:
    props = []
    if bold:
        props.append(_el("w:b"))
    if italic:
        props.append(_el("w:i"))
    if color:
        props.append(_el("w:color", val=color))
    props += [_el("w:sz", val=_half_points(size)), _el("w:szCs", val=_half_points(size))]
    return props


def add_run(paragraph: Paragraph, text: str, size: float, **style: object) -> None:
    run = _el("w:r")
    rpr = _el("w:rPr")
    for prop in _run_props(size, **style):  # type: ignore[arg-type]
        rpr.append(prop)
    run.append(rpr)
    t = _el("w:t")
    t.text = text
    # Keep every space: "Số:      /UBND-VP" leaves room for the number by hand.
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    paragraph._p.append(run)


def para(
    container: Container,
    text: str = "",
    *,
    size: float = layout.SIZE_BODY,
    bold: bool = False,
    italic: bool = False,
    color: str = "",
    align: str = "center",
    before: float = 0,
    after: float = 0,
    line_pt: float | None = None,
    left: Length = 0,
    right: Length = 0,
    first_line: Length = 0,
    hanging: Length = 0,
    border: str = "",  # "top", "box"
    border_color: str = "auto",
    keep_next: bool = False,
    reuse: bool = False,
) -> Paragraph:
    """One paragraph, direct formatting only (what a careful clerk would set)."""
    paragraph = container.paragraphs[0] if reuse else container.add_paragraph()
    ppr = paragraph._p.get_or_add_pPr()
    if keep_next:
        ppr.append(_el("w:keepNext"))
    if border:
        bdr = _el("w:pBdr")
        sides = ("top",) if border == "top" else ("top", "left", "bottom", "right")
        for side in sides:
            space = "1" if border == "top" else "2"
            bdr.append(_el(f"w:{side}", val="single", sz="6", space=space, color=border_color))
        ppr.append(bdr)
    spacing = _el("w:spacing", before=str(round(before * 20)), after=str(round(after * 20)))
    if line_pt is None:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    else:
        spacing.set(qn("w:line"), str(round(line_pt * 20)))
        spacing.set(qn("w:lineRule"), "exact")
    ppr.append(spacing)
    ind = _el("w:ind", left=_twips(left), right=_twips(right))
    if hanging:
        ind.set(qn("w:hanging"), _twips(hanging))
    elif first_line:
        ind.set(qn("w:firstLine"), _twips(first_line))
    ppr.append(ind)
    ppr.append(_el("w:jc", val=align))
    if text:
        add_run(paragraph, text, size, bold=bold, italic=italic, color=color)
    else:
        # An empty paragraph still has a size: keep its mark small where it only holds a rule.
        rpr = _el("w:rPr")
        for prop in _run_props(size):
            rpr.append(prop)
        ppr.append(rpr)
    return paragraph


def tag(container: Container, statement: str, *, reuse: bool = False) -> Paragraph:
    """A docxtpl paragraph tag, e.g. ``tag(doc, "for p in paragraphs")`` → ``{%p for … %}``."""
    return para(container, "{%p " + statement + " %}", reuse=reuse)


def rule(container: Container, indent: Length) -> Paragraph:
    """A centred solid rule: a top border on a tiny paragraph, narrowed by its indents."""
    gap = layout.RULE_GAP_PT
    return para(container, size=2, before=gap, left=indent, right=indent, border="top")


def table(container: DocxDocument, widths: tuple[float, ...], *, borders: bool) -> Table:
    grid = container.add_table(rows=1, cols=len(widths))
    tbl = grid._tbl
    tblpr = tbl.tblPr
    for old in tblpr.findall(qn("w:tblStyle")):
        tblpr.remove(old)
    tblpr.append(_el("w:tblW", w=str(sum(layout.twips(w) for w in widths)), type="dxa"))
    tblpr.append(_el("w:jc", val="center"))
    edges = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if borders:
            edges.append(_el(f"w:{side}", val="single", sz="4", space="0", color="000000"))
        else:
            edges.append(_el(f"w:{side}", val="nil"))
    tblpr.append(edges)
    tblpr.append(_el("w:tblLayout", type="fixed"))
    margins = _el("w:tblCellMar")
    pad = "57" if borders else "0"  # 1 mm inside a ruled table, none in the layout tables
    for side, value in (("top", "0"), ("left", pad), ("bottom", "0"), ("right", pad)):
        margins.append(_el(f"w:{side}", w=value, type="dxa"))
    tblpr.append(margins)
    tblpr.append(_el("w:tblLook", val="0000"))
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(layout.twips(width)))
    return grid


def set_cell_widths(row_cells: Sequence[_Cell], widths: tuple[float, ...]) -> None:
    for cell, width in zip(row_cells, widths, strict=True):
        tcpr = cell._tc.get_or_add_tcPr()
        for old in tcpr.findall(qn("w:tcW")):
            tcpr.remove(old)
        tcpr.insert(0, _el("w:tcW", w=str(layout.twips(width)), type="dxa"))


def row_props(row: object, *, header: bool = False, cant_split: bool = True) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    if cant_split:
        trpr.append(_el("w:cantSplit"))
    if header:
        trpr.append(_el("w:tblHeader"))


def add_row(grid: Table, widths: tuple[float, ...]) -> list[_Cell]:
    row = grid.add_row()
    set_cell_widths(row.cells, widths)
    return list(row.cells)


# ---------------------------------------------------------------- styles and page


def set_fonts(rpr: BaseOxmlElement, size: float) -> None:
    """Times New Roman for every script slot, so Word never substitutes a theme font."""
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = _el("w:rFonts", ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT)
    rpr.insert(0, fonts)
    for name in ("w:color", "w:sz", "w:szCs", "w:lang"):
        for old in rpr.findall(qn(name)):
            rpr.remove(old)
    rpr.append(_el("w:color", val="000000"))
    rpr.append(_el("w:sz", val=_half_points(size)))
    rpr.append(_el("w:szCs", val=_half_points(size)))
    rpr.append(_el("w:lang", val="vi-VN", eastAsia="vi-VN", bidi="ar-SA"))


def setup_document() -> DocxDocument:
    document = Document()
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # python-docx's own preview picture
            package.rels.pop(rid)

    # python-docx's blank document carries ~800 KB of styles (two copies) and parts
    # a công văn never uses; every render would parse, serialise and compress them.
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in UNUSED_PARTS:
            document.part.rels.pop(rid)
    styles = document.styles.element
    for element in list(styles):
        if element.tag == qn("w:latentStyles") or (
            element.tag == qn("w:style") and element.get(qn("w:styleId")) not in KEPT_STYLES
        ):
            styles.remove(element)
    defaults = styles.find(qn("w:docDefaults"))
    set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), layout.SIZE_BODY)
    ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for old in list(ppr_default):
        ppr_default.remove(old)
    ppr_default.append(_el("w:spacing", after="0", line="240", lineRule="auto"))
    normal = document.styles["Normal"].element
    set_fonts(normal.get_or_add_rPr(), layout.SIZE_BODY)

    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Mm(layout.PAGE_WIDTH)
    section.page_height = Mm(layout.PAGE_HEIGHT)
    section.top_margin = Mm(layout.MARGIN_TOP)
    section.bottom_margin = Mm(layout.MARGIN_BOTTOM)
    section.left_margin = Mm(layout.MARGIN_LEFT)
    section.right_margin = Mm(layout.MARGIN_RIGHT)
    section.header_distance = Mm(layout.HEADER_DISTANCE)
    section.footer_distance = Mm(layout.FOOTER_DISTANCE)
    section.gutter = Mm(0)
    section.different_first_page_header_footer = True

    props = document.core_properties
    props.author = "vanthu"
    props.last_modified_by = "vanthu"
    props.comments = ""
    props.title = ""
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    props.language = "vi-VN"
    return document


def page_number(paragraph: Paragraph) -> None:
    """A PAGE field (pages 2 onwards: page 1 has its own, number-less header)."""
    size = layout.SIZE_PAGE_NUMBER

    def run(child: BaseOxmlElement) -> None:
        element = _el("w:r")
        rpr = _el("w:rPr")
        for prop in _run_props(size):
            rpr.append(prop)
        element.append(rpr)
        element.append(child)
        paragraph._p.append(element)

    run(_el("w:fldChar", fldCharType="begin"))
    instr = _el("w:instrText")
    instr.text = " PAGE "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run(instr)
    run(_el("w:fldChar", fldCharType="separate"))
    shown = _el("w:t")
    shown.text = "2"
    run(shown)
    run(_el("w:fldChar", fldCharType="end"))


def headers_and_footers(document: DocxDocument) -> None:
    section = document.sections[0]

    # Pages 2…: the page number, centred in the top margin.
    number = para(section.header, size=layout.SIZE_PAGE_NUMBER, reuse=True)
    page_number(number)
    para(section.footer, size=2, reuse=True)

    # Page 1: no number; the DỰ THẢO box on drafts.
    first = section.first_page_header
    tag(first, "if draft", reuse=True)
    para(
        first,
        "{{ draft_mark }}",
        size=layout.SIZE_MARK,
        bold=True,
        align="center",
        left=layout.TEXT_WIDTH - 32,
        border="box",
    )
    tag(first, "else")
    para(first, size=2)
    tag(first, "endif")

    # Page 1 only: ô 13, the body's address under a full-width rule.
    foot = section.first_page_footer
    tag(foot, "if footer", reuse=True)
    para(foot, size=layout.SIZE_FOOTER, border="top")
    tag(foot, "for line in footer")
    para(foot, "{{ line }}", size=layout.SIZE_FOOTER)
    tag(foot, "endfor")
    tag(foot, "else")
    para(foot, size=2)
    tag(foot, "endif")


# ---------------------------------------------------------------- document parts


def header_table(document: DocxDocument, *, subject: bool = True) -> None:
    """Ô 1–5b in a borderless two-column table (Phụ lục III, Mẫu 1.5)."""
    widths = (layout.HEADER_LEFT, layout.HEADER_RIGHT)
    grid = table(document, widths, borders=False)
    left, right = grid.rows[0].cells
    set_cell_widths([left, right], widths)

    tag(left, "if header.parent", reuse=True)
    para(left, "{{ header.parent }}", size=layout.SIZE_PARENT)
    tag(left, "endif")
    para(left, '{{ header.issuer|join("\\n") }}', size=layout.SIZE_ISSUER, bold=True)
    rule(left, "header.issuer_rule.indent_mm")

    para(right, "{{ header.national }}", size=layout.SIZE_NATIONAL, bold=True, reuse=True)
    para(right, "{{ header.motto }}", size=layout.SIZE_MOTTO, bold=True)
    rule(right, "header.motto_rule.indent_mm")

    left, right = add_row(grid, widths)
    para(left, "{{ header.number_line }}", size=layout.SIZE_NUMBER, before=6, reuse=True)
    if subject:  # ô 5b: a công văn's "V/v" line; a type-named document has ô 5a instead
        para(
            left,
            '{{ header.subject|join("\\n") }}',
            size=layout.SIZE_SUBJECT,
            before=layout.SUBJECT_BEFORE_PT,
        )
    tag(left, "if header.urgency")
    para(
        left,
        "{{ header.urgency.text }}",
        size=layout.SIZE_MARK,
        bold=True,
        color="FF0000",
        border="box",
        border_color="FF0000",
        before=8,
        right="(" + f"{layout.HEADER_LEFT}" + " - header.urgency.width_mm)",
        line_pt=18,
    )
    tag(left, "endif")
    para(
        right,
        "{{ header.place_date }}",
        size=layout.SIZE_PLACE_DATE,
        italic=True,
        before=6,
        reuse=True,
    )


def kinh_gui(document: DocxDocument) -> None:
    """Ô 9a: "Kính gửi: X" on one line, or the label and one recipient a line."""
    size = layout.SIZE_BODY
    tag(document, "if kinh_gui.single")
    para(document, "{{ kinh_gui.line }}", size=size, before=12, after=12)
    tag(document, "else")
    para(document, "{{ kinh_gui.line }}", size=size, align="left", before=12,
         left="kinh_gui.indent_mm")  # fmt: skip
    tag(document, "for entry in kinh_gui.entries")
    para(
        document,
        "{{ entry }}",
        size=size,
        align="left",
        left="kinh_gui.item_indent_mm",
        hanging="kinh_gui.hanging_mm",
    )
    tag(document, "endfor")
    para(document, size=6)
    tag(document, "endif")


def body_paragraph(
    document: DocxDocument, text: str, *, bold: bool = False, italic: bool = False
) -> Paragraph:
    return para(
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


def body(document: DocxDocument, items: str = "paragraphs") -> None:
    tag(document, f"for text in {items}")
    body_paragraph(document, "{{ text }}")
    tag(document, "endfor")


def closing_table(document: DocxDocument) -> None:
    """Ô 9b and ô 7 side by side: Nơi nhận level with the signer's first line."""
    widths = (layout.CLOSING_LEFT, layout.CLOSING_RIGHT)
    grid = table(document, widths, borders=False)
    row_props(grid.rows[0])
    left, right = grid.rows[0].cells
    set_cell_widths([left, right], widths)

    para(left, "{{ noi_nhan.label }}", size=layout.SIZE_NOI_NHAN_LABEL, bold=True,
         italic=True, align="left", before=6, reuse=True)  # fmt: skip
    tag(left, "for entry in noi_nhan.entries")
    para(left, "{{ entry }}", size=layout.SIZE_NOI_NHAN, align="left")
    tag(left, "endfor")
    tag(left, "if drafter")
    para(left, "{{ drafter }}", size=layout.SIZE_DRAFTER, align="left", before=12)
    tag(left, "endif")

    size = layout.SIZE_SIGNER
    para(right, '{{ signer.heading|join("\\n") }}', size=size, bold=True, before=6, reuse=True)
    para(right, "{{ signer.name }}", size=size, bold=True, before=layout.SIGNATURE_SPACE_PT)


def overdue_table(document: DocxDocument) -> None:
    """The late reporters of a công văn đôn đốc; the heading row repeats on each page."""
    widths = layout.OVERDUE_COLUMNS
    size = layout.SIZE_TABLE
    grid = table(document, widths, borders=True)
    heading = grid.rows[0]
    row_props(heading, header=True)
    set_cell_widths(heading.cells, widths)
    titles = ("STT", "Đơn vị, chủ đầu tư", "Dự án", "Báo cáo còn thiếu", "Hạn")
    for cell, title in zip(heading.cells, titles, strict=True):
        tcpr = cell._tc.get_or_add_tcPr()
        tcpr.append(_el("w:vAlign", val="center"))
        para(cell, title, size=size, bold=True, before=3, after=3, reuse=True)

    cells = add_row(grid, widths)
    para(cells[0], "{%tr for row in overdue %}", reuse=True)
    row = add_row(grid, widths)
    fields = ("stt", "reporter", "project", "report", "due")
    aligns = ("center", "left", "left", "left", "center")
    for cell, field, align in zip(row, fields, aligns, strict=True):
        para(cell, "{{ row." + field + " }}", size=size, align=align, before=3, after=3,
             reuse=True)  # fmt: skip
    row_props(grid.rows[-1])
    cells = add_row(grid, widths)
    para(cells[0], "{%tr endfor %}", reuse=True)
    para(document, size=6)


def deadline(document: DocxDocument) -> None:
    paragraph = body_paragraph(document, "Thời hạn gửi báo cáo theo quy định: ")
    add_run(paragraph, "{{ deadline }}", layout.SIZE_BODY, bold=True)
    add_run(paragraph, ".", layout.SIZE_BODY)


def title_block(document: DocxDocument) -> None:
    """Ô 5a: the type name, the trích yếu, a short rule, centred on the page."""
    size = layout.SIZE_TITLE
    para(document, "{{ title.type_name }}", size=size, bold=True, before=layout.TITLE_BEFORE_PT,
         keep_next=True)  # fmt: skip
    para(document, '{{ title.subject|join("\\n") }}', size=size, bold=True, keep_next=True)
    rule(document, "title.rule.indent_mm")
    para(document, size=6)


def sections(document: DocxDocument) -> None:
    """Sections of a kế hoạch, báo cáo …: an optional bold heading, then paragraphs."""
    tag(document, "for section in sections")
    tag(document, "if section.heading")
    body_paragraph(document, "{{ section.heading }}", bold=True)
    tag(document, "endif")
    body(document, "section.paragraphs")
    tag(document, "endfor")


def optional_kinh_gui(document: DocxDocument) -> None:
    tag(document, "if kinh_gui")
    kinh_gui(document)
    tag(document, "endif")


def decision(document: DocxDocument) -> None:
    """Quyết định: the competence, căn cứ (italic), "QUYẾT ĐỊNH:", then each Điều."""
    size = layout.SIZE_BODY
    para(document, "{{ competence }}", size=size, bold=True, before=6, after=6)
    tag(document, "for line in bases")
    body_paragraph(document, "{{ line }}", italic=True)
    tag(document, "endfor")
    para(document, "{{ decides }}", size=size, bold=True, before=6, after=12)
    tag(document, "for article in articles")
    heading = body_paragraph(document, "{{ article.heading }}", bold=True)
    add_run(heading, "{{ article.lead }}", size)
    body(document, "article.paragraphs")
    tag(document, "endfor")


def invitation(document: DocxDocument) -> None:
    """Giấy mời: who is invited, then "Thời gian:", "Địa điểm:" and the content."""
    body(document, "invitation")
    tag(document, "for detail in details")
    line = body_paragraph(document, "{{ detail.label }}", bold=True)
    add_run(line, "{{ detail.value }}", layout.SIZE_BODY)
    tag(document, "endfor")
    body(document)


# ---------------------------------------------------------------- templates


def cong_van(document: DocxDocument) -> None:
    header_table(document)
    kinh_gui(document)
    body(document)
    closing_table(document)


def cong_van_don_doc(document: DocxDocument) -> None:
    header_table(document)
    kinh_gui(document)
    body(document)
    overdue_table(document)
    deadline(document)
    body(document, "closing")
    closing_table(document)


def named_document(document: DocxDocument) -> None:
    header_table(document, subject=False)
    title_block(document)
    optional_kinh_gui(document)
    sections(document)
    closing_table(document)


def quyet_dinh(document: DocxDocument) -> None:
    header_table(document, subject=False)
    title_block(document)
    decision(document)
    closing_table(document)


def giay_moi(document: DocxDocument) -> None:
    header_table(document, subject=False)
    title_block(document)
    invitation(document)
    closing_table(document)


TEMPLATES: dict[str, Callable[[DocxDocument], None]] = {
    "cong-van": cong_van,
    "cong-van-don-doc": cong_van_don_doc,
    "ke-hoach": named_document,
    "bao-cao": named_document,
    "thong-bao": named_document,
    "to-trinh": named_document,
    "quyet-dinh": quyet_dinh,
    "giay-moi": giay_moi,
}


def build(name: str) -> bytes:
    """The template ``name`` as DOCX bytes; the same bytes on every run."""
    document = setup_document()
    body_element = document.element.body
    for child in list(body_element):  # python-docx's blank first paragraph
        if child.tag == qn("w:p"):
            body_element.remove(child)
    headers_and_footers(document)
    TEMPLATES[name](document)
    # python-docx needs a paragraph after a final table; keep it one point high.
    para(document, size=1)
    section_props = body_element.find(qn("w:sectPr"))
    body_element.remove(section_props)
    body_element.append(section_props)
    raw = io.BytesIO()
    document.save(raw)
    return _stable_zip(raw.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """Same content, fixed timestamps: a rebuild without changes gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    # A heading that no longer fits its column would wrap in every document.
    national = text_width_mm(NATIONAL_NAME, layout.SIZE_NATIONAL, "bold")
    if national >= layout.HEADER_RIGHT:
        raise SystemExit(f"Quốc hiệu ({national:.1f} mm) does not fit its column")
    names = (argv if argv is not None else sys.argv[1:]) or list(TEMPLATES)
    for name in names:
        target = VERSION_DIR / name / "document.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = build(name)
        target.write_bytes(data)
        print(f"{target.relative_to(HERE)}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
