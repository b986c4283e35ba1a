"""Layout rules checked on a DOCX: sections, fonts, page numbers, header, body, signature."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from lxml import etree

from services.docgen.layout_lint import checks
from services.docgen.layout_lint.docx_props import (
    R,
    Styles,
    TextLine,
    attr,
    field_codes,
    is_page_field,
    lines_of,
    on,
    twips,
    w,
)
from services.docgen.layout_lint.report import Location, Report, finding
from services.docgen.layout_lint.rules import (
    A4_MM,
    BODY_INDENT_TOLERANCE_CM,
    BODY_INDENTS_CM,
    BODY_LINE_SPACING,
    BODY_SPACING_MIN_PT,
    CAPTION,
    DASHES,
    DOCX_FONT,
    DRAFT_MARK,
    FORM_FIELD,
    LOOSE_AUTHORITY,
    LOOSE_NGAY,
    LOOSE_NOI_NHAN,
    LOOSE_SO,
    MARGIN_TOLERANCE_MM,
    MARGINS_MM,
    PAGE_SIZE_TOLERANCE_MM,
    PROFILES,
    TWIPS_PER_MM,
    TWIPS_PER_PT,
    Profile,
)
from services.docgen.layout_lint.safety import UnreadableDocument, check_zip, parse_xml

TWIPS_PER_CM = TWIPS_PER_MM * 10
RT_THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"


@dataclass
class Para:
    index: int  # 1-based, document order
    el: etree._Element
    lines: list[TextLine]
    section: int  # 0-based
    container: Any  # the w:tc it sits in, or the body
    table: int | None = None  # index of the top-level table, 0-based
    column: int | None = None  # column in that table
    body_level: bool = True

    def location(self, part: str | None = None) -> Location:
        return Location(paragraph=self.index, part=part)


@dataclass
class Section:
    sect_pr: etree._Element
    has_table: bool = False
    headers: dict[str, etree._Element | None] = field(default_factory=dict)
    footers: dict[str, etree._Element | None] = field(default_factory=dict)


@dataclass
class Line:
    """A visual line in its paragraph."""

    para: Para
    line: TextLine

    @property
    def text(self) -> str:
        return self.line.shown.strip()

    @property
    def pieces(self) -> list[checks.Piece]:
        return [
            checks.Piece(r.text, r.props.size, r.props.bold, r.props.italic) for r in self.line.runs
        ]

    @property
    def bold(self) -> bool:
        inked = self.line.inked
        return bool(inked) and all(r.props.bold for r in inked)


class DocxFile:
    def __init__(self, path: Path) -> None:
        check_zip(path)
        try:
            self.document = docx.Document(str(path))
        except Exception as exc:  # a damaged package fails in many ways
            raise UnreadableDocument(
                f"Không mở được tệp DOCX: {exc}", f"cannot open the DOCX: {exc}"
            ) from None
        part = self.document.part
        theme = None
        for rel in part.rels.values():
            if rel.reltype == RT_THEME and not rel.is_external:
                theme = parse_xml(rel.target_part.blob)
        self.styles = Styles(self.document.styles.element, theme)
        self.body = self.document.element.body
        self.paras: list[Para] = []
        self.tables: list[etree._Element] = []
        self.sections: list[Section] = []
        self._walk()
        self._resolve_headers()

    # ------------------------------------------------------------ structure

    def _walk(self) -> None:
        section = Section(sect_pr=etree.Element(w("sectPr")))
        self.sections.append(section)

        def visit(container: Any, table: int | None, column: int | None) -> None:
            nonlocal section
            for child in container:
                if child.tag == w("p"):
                    self.paras.append(
                        Para(
                            len(self.paras) + 1,
                            child,
                            lines_of(child, self.styles),
                            len(self.sections) - 1,
                            container,
                            table,
                            column,
                            body_level=table is None,
                        )
                    )
                    sect_pr = child.find(f"{w('pPr')}/{w('sectPr')}")
                    if sect_pr is not None and table is None:
                        section.sect_pr = sect_pr
                        section = Section(sect_pr=etree.Element(w("sectPr")))
                        self.sections.append(section)
                elif child.tag == w("tbl"):
                    section.has_table = True
                    top = table
                    if top is None:
                        self.tables.append(child)
                        top = len(self.tables) - 1
                    for row in child.iterfind(w("tr")):
                        for col, cell in enumerate(row.iterfind(w("tc"))):
                            visit(cell, top, column if table is not None else col)
                elif child.tag == w("sdt"):
                    content = child.find(w("sdtContent"))
                    if content is not None:
                        visit(content, table, column)
                elif child.tag == w("sectPr") and table is None:
                    section.sect_pr = child

        visit(self.body, None, None)
        # A last paragraph that closes its section leaves an empty placeholder behind.
        last = self.sections[-1]
        if (
            len(self.sections) > 1
            and last.sect_pr.getparent() is None
            and not any(p.section == len(self.sections) - 1 for p in self.paras)
        ):
            self.sections.pop()

    def _resolve_headers(self) -> None:
        rels = self.document.part.related_parts
        previous: Section | None = None
        for section in self.sections:
            for kind, target in (
                ("headerReference", section.headers),
                ("footerReference", section.footers),
            ):
                for ref in section.sect_pr.iterfind(w(kind)):
                    rid = ref.get(f"{{{R}}}id")
                    story = rels.get(rid) if rid else None
                    element = getattr(story, "element", None)
                    target[attr(ref, "type") or "default"] = element
                if previous is not None:  # a section without its own inherits
                    inherited = previous.headers if kind == "headerReference" else previous.footers
                    for key, value in inherited.items():
                        target.setdefault(key, value)
            previous = section

    # ------------------------------------------------------------ text

    def lines(self, paras: list[Para]) -> Iterator[Line]:
        for para in paras:
            for line in para.lines:
                if checks.has_letters(line.text):
                    yield Line(para, line)


# ---------------------------------------------------------------- entry point


def lint_docx(path: Path, report: Report, profile: Profile = PROFILES["document"]) -> None:
    doc = DocxFile(path)
    _check_sections(doc, report)
    _check_margin_text(doc, report)
    _check_fonts(doc, report)
    _check_page_numbers(doc, report)
    header_end = _check_header(doc, report, profile)
    noi_nhan = _check_noi_nhan(doc, report)
    _check_authority(doc, report)
    _check_body(doc, report, header_end, noi_nhan, profile)


# ---------------------------------------------------------------- R1: page


def _mm(value: int) -> float:
    return round(value / TWIPS_PER_MM, 1)


def _check_sections(doc: DocxFile, report: Report) -> None:
    for number, section in enumerate(doc.sections, start=1):
        where = Location(part=f"section {number}")
        size = section.sect_pr.find(w("pgSz"))
        width, height = twips(size, "w"), twips(size, "h")
        if width is None or height is None:
            report.add(finding("R1.page-size", where, found="not set (Letter in Word)"))
            continue
        landscape = width > height or attr(size, "orient") == "landscape"
        short, long_ = sorted((_mm(width), _mm(height)))
        if (
            abs(short - A4_MM[0]) > PAGE_SIZE_TOLERANCE_MM
            or abs(long_ - A4_MM[1]) > PAGE_SIZE_TOLERANCE_MM
        ):
            report.add(finding("R1.page-size", where, found=f"{_mm(width)} × {_mm(height)} mm"))
        if landscape:
            if not section.has_table:
                report.add(finding("R1.orientation", where))
            continue  # margins are read on portrait pages
        margins = section.sect_pr.find(w("pgMar"))
        if margins is None:
            continue
        gutter = twips(margins, "gutter") or 0
        for side in ("top", "bottom", "left", "right"):
            value = twips(margins, side)
            if value is None:
                continue
            value = abs(value) + (gutter if side == "left" else 0)
            if not MARGINS_MM[side].contains(value / TWIPS_PER_MM, MARGIN_TOLERANCE_MM):
                report.add(finding(f"R1.margin-{side}", where, found=_mm(value)))


def _check_margin_text(doc: DocxFile, report: Report) -> None:
    """Text in a header or footer prints in the margin, at the header (footer)
    distance from the page edge: only the page number may sit there."""
    seen: set[int] = set()
    for number, section in enumerate(doc.sections, start=1):
        margins = section.sect_pr.find(w("pgMar"))
        title_page = on(section.sect_pr.find(w("titlePg"))) is True
        for kind, stories, side in (
            ("header", section.headers, "top"),
            ("footer", section.footers, "bottom"),
        ):
            distance = twips(margins, kind)
            if distance is None:
                continue
            distance_mm = abs(distance) / TWIPS_PER_MM
            if MARGINS_MM[side].contains(distance_mm, MARGIN_TOLERANCE_MM) or (
                distance_mm > MARGINS_MM[side].high
            ):
                continue
            for key, story in stories.items():
                if story is None or id(story) in seen or (key == "first" and not title_page):
                    continue
                seen.add(id(story))
                text = _margin_text(doc, story)
                if text and not (report.draft and text == DRAFT_MARK):
                    where = Location(part=f"{kind} ({key}) of section {number}")
                    report.add(
                        finding(f"R1.margin-{side}", where, text=text, found=round(distance_mm, 1))
                    )


def _margin_text(doc: DocxFile, story: etree._Element) -> str:
    """A header's or footer's printed text, its page-number paragraphs left out."""
    texts = []
    for p in story.iter(w("p")):
        if any(is_page_field(code) for code in field_codes(p)):
            continue
        text = " ".join(line.shown for line in lines_of(p, doc.styles)).strip()
        if checks.has_letters(text):
            texts.append(text)
    return " ".join(texts)


# ---------------------------------------------------------------- R1: fonts


def _stories(doc: DocxFile) -> Iterator[tuple[str, etree._Element]]:
    yield "body", doc.body
    seen: set[int] = set()
    for number, section in enumerate(doc.sections, start=1):
        for kind, stories in (("header", section.headers), ("footer", section.footers)):
            for key, story in stories.items():
                if story is not None and id(story) not in seen:
                    seen.add(id(story))
                    yield f"{kind} ({key}) of section {number}", story


def _check_fonts(doc: DocxFile, report: Report) -> None:
    """One finding per wrong font (or colour) per story, at its first paragraph."""
    numbers = {id(p.el): p.index for p in doc.paras}
    wanted = DOCX_FONT.casefold()
    for part, story in _stories(doc):
        fonts: dict[str, _Seen] = {}
        colours: dict[str, _Seen] = {}
        for p in story.iter(w("p")):
            for line in lines_of(p, doc.styles):
                for run in line.inked:
                    for slot, chars in (
                        (run.props.ascii, [c for c in run.text if c.isascii() and c.strip()]),
                        (run.props.h_ansi, [c for c in run.text if not c.isascii()]),
                    ):
                        font = slot or DOCX_FONT  # Word's own fallback
                        if chars and font.casefold() != wanted:
                            _count(fonts, font, p, line.text)
                    colour = (run.props.color or "auto").upper()
                    if colour not in ("AUTO", "000000"):
                        _count(colours, f"#{colour}" if len(colour) == 6 else colour, p, line.text)
        for rule, found in (("R1.font", fonts), ("R1.font-color", colours)):
            for name, seen in found.items():
                where = Location(paragraph=numbers.get(id(seen.first)), part=part)
                count = len(seen.paragraphs)
                more = f" ({count} paragraphs / đoạn)" if count > 1 else ""
                report.add(finding(rule, where, text=seen.text, found=f"{name}{more}"))


@dataclass
class _Seen:
    first: etree._Element
    text: str
    paragraphs: set[int] = field(default_factory=set)


def _count(found: dict[str, _Seen], key: str, p: etree._Element, text: str) -> None:
    """Remembers the first paragraph with ``key`` and counts the paragraphs."""
    seen = found.setdefault(key, _Seen(p, text))
    seen.paragraphs.add(id(p))


# ---------------------------------------------------------------- R2: page numbers


def _page_paragraphs(story: etree._Element | None) -> list[etree._Element]:
    if story is None:
        return []
    return [p for p in story.iter(w("p")) if any(is_page_field(c) for c in field_codes(p))]


def _numbered_paragraphs(doc: DocxFile) -> list[tuple[str, etree._Element]]:
    """Paragraphs with a PAGE field in the headers and footers of the later pages."""
    numbered: list[tuple[str, etree._Element]] = []
    seen: set[int] = set()
    for number, section in enumerate(doc.sections, start=1):
        for kind, stories in (("header", section.headers), ("footer", section.footers)):
            for key in ("default", "even"):
                for p in _page_paragraphs(stories.get(key)):
                    if id(p) not in seen:
                        seen.add(id(p))
                        numbered.append((f"{kind} ({key}) of section {number}", p))
    return numbered


def _check_page_numbers(doc: DocxFile, report: Report) -> None:
    first = doc.sections[0]
    title_page = on(first.sect_pr.find(w("titlePg"))) is True
    numbered = _numbered_paragraphs(doc)
    if not numbered:
        report.add(finding("R2.so-trang-field", Location(part="headers")))
    elif not title_page:
        report.add(finding("R2.title-page", Location(part="section 1")))
    if title_page:
        for kind, stories in (("header", first.headers), ("footer", first.footers)):
            if _page_paragraphs(stories.get("first")):
                report.add(
                    finding("R2.first-page-number", Location(part=f"{kind} (first) of section 1"))
                )
    for where, p in numbered:
        _check_page_number(doc, report, where, p)


def _check_page_number(doc: DocxFile, report: Report, where: str, p: etree._Element) -> None:
    location = Location(part=where)
    props = doc.styles.para_props(p)
    lines = lines_of(p, doc.styles)
    text = " ".join(line.shown for line in lines).strip()
    if where.startswith("footer"):
        report.add(
            finding("R2.so-trang-position", location, text=text, found="in the footer / ở lề dưới")
        )
    elif props.jc != "center" and not (props.center_tab and "\t" in text):
        report.add(
            finding(
                "R2.so-trang-position", location, text=text, found=f"aligned {props.jc or 'left'}"
            )
        )
    pieces = [
        checks.Piece(r.text, r.props.size, r.props.bold, r.props.italic)
        for line in lines
        for r in line.runs
    ]
    if not any(piece.text.strip() for piece in pieces):
        # An empty field result: the field's own runs carry its formatting.
        pieces = [
            checks.Piece("0", props_.size, props_.bold, props_.italic)
            for props_ in _field_run_props(doc, p)
        ]
    checks.check_component(report, "so-trang", pieces, location, text)


def _field_run_props(doc: DocxFile, p: etree._Element) -> list[Any]:
    style = doc.styles.paragraph_style(p)
    return [
        doc.styles.run_props(style, r)
        for r in p.iter(w("r"))
        if r.find(w("fldChar")) is not None or r.find(w("instrText")) is not None
    ]


# ---------------------------------------------------------------- R3–R5: header


def _header_table(doc: DocxFile) -> int | None:
    if not doc.tables:
        return None
    table = doc.tables[0]
    grid = table.find(w("tblGrid"))
    grid_cols = len(grid.findall(w("gridCol"))) if grid is not None else 0
    rows = table.findall(w("tr"))
    two = grid_cols == 2 or (rows and all(len(r.findall(w("tc"))) == 2 for r in rows))
    if not two:
        return None
    texts = [line.text for para in doc.paras if para.table == 0 for line in para.lines]
    if any(checks.is_quoc_hieu(t) or LOOSE_SO.match(t.strip()) for t in texts):
        return 0
    return None


def _check_header(doc: DocxFile, report: Report, profile: Profile) -> int:
    """Checks ô 1–4; returns the index of the last paragraph of the header."""
    table = _header_table(doc)
    if table is not None:
        left = [p for p in doc.paras if p.table == table and p.column == 0]
        right = [p for p in doc.paras if p.table == table and p.column == 1]
        scope = left + right
        header_end = max(p.index for p in scope)
        left_part, right_part = "header table, left column", "header table, right column"
    else:
        report.add(finding("R3.header-table", Location(part="top of page 1")))
        scope = _before_noi_nhan(doc)
        left = right = scope
        header_end = 0
        left_part = right_part = "top of page 1"

    _check_right_column(doc, report, right, right_part)
    left_lines = list(doc.lines(left))
    number = _find(left_lines, lambda t: bool(LOOSE_SO.match(t)))
    if number is None:
        report.add(finding("R4.so-missing", Location(part=left_part)))
    else:
        where = number.para.location(left_part)
        raw = number.line.text.strip()
        if not checks.so_ok(raw, draft=report.draft, serial=profile.number_without_notation):
            hint_vi, hint_en = checks.so_hint(raw, draft=report.draft)
            report.add(
                finding(
                    "R4.so-format", where, text=raw, found=raw, hint_vi=hint_vi, hint_en=hint_en
                )
            )
        checks.check_component(report, "so", number.pieces, where, raw)

    if profile.form_fields:  # "Chủ đầu tư: …" at a form's top is a field, not ô 2
        left_lines = [line for line in left_lines if not FORM_FIELD.match(line.text)]
        number = number if number in left_lines else None
    _check_issuer(report, left_lines, number, left_part)
    return header_end


def _check_right_column(doc: DocxFile, report: Report, right: list[Para], part: str) -> None:
    """Ô 1 and ô 4: Quốc hiệu, Tiêu ngữ, place and date."""
    quoc_hieu = _find(doc.lines(right), checks.is_quoc_hieu)
    if quoc_hieu is None:
        report.add(finding("R3.quoc-hieu-missing", Location(part=part)))
    else:
        checks.check_component(
            report, "quoc-hieu", quoc_hieu.pieces, quoc_hieu.para.location(part), quoc_hieu.text
        )
    motto = _find(doc.lines(right), checks.is_tieu_ngu)
    if motto is None:
        report.add(finding("R3.tieu-ngu-missing", Location(part=part)))
    else:
        where = motto.para.location(part)
        if not checks.motto_dashes_ok(motto.line.text):
            report.add(finding("R3.tieu-ngu-dash", where, text=motto.text, found=motto.text))
        checks.check_component(report, "tieu-ngu", motto.pieces, where, motto.text)
    date = _find(doc.lines(right), lambda t: bool(LOOSE_NGAY.search(t)))
    if date is None:
        report.add(finding("R5.ngay-missing", Location(part=part)))
    else:
        where = date.para.location(part)
        if not checks.ngay_ok(date.text, draft=report.draft):
            report.add(finding("R5.ngay-format", where, text=date.text, found=date.text))
        checks.check_component(report, "ngay", date.pieces, where, date.text)


def _check_issuer(report: Report, left: list[Line], number: Line | None, part: str) -> None:
    stop = left.index(number) if number is not None else len(left)
    lines = [
        line
        for line in left[:stop]
        if not (
            checks.is_quoc_hieu(line.text)
            or checks.is_tieu_ngu(line.text)
            or LOOSE_NGAY.search(line.text)
            or line.text.startswith("V/v")
        )
    ]
    if not lines:
        report.add(finding("R3.co-quan-missing", Location(part=part)))
        return
    bold = [line.bold for line in lines]
    cut = bold.index(True) if any(bold) else (1 if len(lines) >= 2 else 0)
    for line in lines[:cut]:
        checks.check_component(report, "chu-quan", line.pieces, line.para.location(part), line.text)
    for line in lines[cut:]:
        checks.check_component(report, "co-quan", line.pieces, line.para.location(part), line.text)


def _find(lines: Iterator[Line] | list[Line], test: Any) -> Line | None:
    for line in lines:
        if test(line.text):
            return line
    return None


def _before_noi_nhan(doc: DocxFile) -> list[Para]:
    paras = []
    for para in doc.paras:
        if any(LOOSE_NOI_NHAN.match(line.shown.strip()) for line in para.lines):
            break
        paras.append(para)
    return paras


# ---------------------------------------------------------------- R7: signature block


def _check_noi_nhan(doc: DocxFile, report: Report) -> int | None:
    """Checks ô 9b; returns the paragraph index of "Nơi nhận:"."""
    lines = list(doc.lines(doc.paras))
    start = next((i for i, line in enumerate(lines) if LOOSE_NOI_NHAN.match(line.text)), None)
    if start is None:
        report.add(finding("R7.noi-nhan-missing", Location(part="signature block")))
        return None
    label = lines[start]
    part = "signature block"
    checks.check_component(report, "noi-nhan", label.pieces, label.para.location(part), label.text)
    items: list[list[Line]] = []
    for line in lines[start + 1 :]:
        if line.para.container is not label.para.container:
            break
        step = checks.item_step(line.line.text, items[-1][-1].line.text if items else None)
        if step == "new":
            items.append([line])
        elif step == "more":
            items[-1].append(line)  # a long item wrapped onto a new line
        else:
            break
    if not items:
        report.add(finding("R7.luu-format", label.para.location(part), found="(none)"))
        return label.para.index
    for number, item in enumerate(items, start=1):
        text = " ".join(line.line.text.strip() for line in item)
        where = item[0].para.location(part)
        if not text.startswith("- "):
            report.add(finding("R7.noi-nhan-item-dash", where, text=text, found=text))
        last = number == len(items)
        if last and not checks.luu_ok(text):
            report.add(finding("R7.luu-format", where, text=text, found=text))
        elif not last and not text.endswith(";"):
            report.add(finding("R7.noi-nhan-item-end", where, text=text, found=text))
        for line in item:
            checks.check_component(report, "noi-nhan-item", line.pieces, where, line.text)
    return label.para.index


def _check_authority(doc: DocxFile, report: Report) -> None:
    lines = list(doc.lines(doc.paras))
    part = "signature block"
    for i, line in enumerate(lines):
        if not LOOSE_AUTHORITY.match(line.text):
            continue
        checks.check_component(
            report, "tham-quyen", line.pieces, line.para.location(part), line.text
        )
        # The signer's title right under the last authority line is part of ô 7a.
        following = lines[i + 1] if i + 1 < len(lines) else None
        if (
            following is not None
            and following.para.container is line.para.container
            and not LOOSE_AUTHORITY.match(following.text)
            and checks.is_upper(following.text)
        ):
            checks.check_component(
                report,
                "tham-quyen",
                following.pieces,
                following.para.location(part),
                following.text,
            )


# ---------------------------------------------------------------- R6: body


def is_not_body(text: str, profile: Profile) -> bool:
    """Lines that sit among the body paragraphs without being body text (R6): a
    table's or a signature's caption, a place-and-date line, a form's fields."""
    text = checks.collapse(text)
    if CAPTION.match(text) or checks.ngay_ok(text, draft=True):
        return True
    return profile.form_fields and bool(FORM_FIELD.match(text))


def _body_paragraphs(
    doc: DocxFile, header_end: int, noi_nhan: int | None, profile: Profile
) -> list[Para]:
    body: list[Para] = []
    after_kinh_gui = False
    for para in doc.paras:
        if para.index <= header_end or not para.body_level:
            continue
        if noi_nhan is not None and para.index >= noi_nhan:
            break
        text = " ".join(line.shown for line in para.lines).strip()
        if not checks.has_letters(text):
            continue
        inked = [r for line in para.lines for r in line.inked]
        if text.startswith("V/v") or LOOSE_AUTHORITY.match(text):
            continue
        if text.casefold().startswith("kính gửi"):
            after_kinh_gui = True
            continue
        if after_kinh_gui and text[:1] in DASHES:
            continue  # recipients under "Kính gửi:"
        after_kinh_gui = False
        if is_not_body(text, profile):
            continue
        if inked and all(r.props.bold for r in inked):
            continue  # a heading: type name, Điều, section title, signer
        props = doc.styles.para_props(para.el)
        if props.jc in ("center", "right", "end") and checks.is_upper(text):
            continue  # centred or right-hand titles in capitals
        body.append(para)
    return body


def _check_body(
    doc: DocxFile, report: Report, header_end: int, noi_nhan: int | None, profile: Profile
) -> None:
    for para in _body_paragraphs(doc, header_end, noi_nhan, profile):
        where = para.location("body")
        props = doc.styles.para_props(para.el)
        text = " ".join(line.shown for line in para.lines).strip()
        if props.jc not in ("both", "distribute"):
            report.add(finding("R6.noi-dung-align", where, text=text, found=props.jc or "left"))
        indent_cm = (props.first_line or 0) / TWIPS_PER_CM
        if not any(abs(indent_cm - ok) <= BODY_INDENT_TOLERANCE_CM for ok in BODY_INDENTS_CM):
            report.add(finding("R6.noi-dung-indent", where, text=text, found=round(indent_cm, 2)))
        spacing = (props.before + props.after) / TWIPS_PER_PT
        if spacing < BODY_SPACING_MIN_PT - 0.01:
            report.add(finding("R6.noi-dung-spacing", where, text=text, found=spacing))
        sizes = [r.props.size for line in para.lines for r in line.inked]
        line_spacing = _line_spacing(props.line, props.line_rule, max(sizes, default=13.0))
        if line_spacing is not None and not BODY_LINE_SPACING.contains(line_spacing, 0.05):
            report.add(
                finding("R6.noi-dung-line-spacing", where, text=text, found=f"{line_spacing:.2f}")
            )
        pieces = [
            checks.Piece(r.text, r.props.size, r.props.bold, r.props.italic)
            for line in para.lines
            for r in line.runs
        ]
        checks.check_component(report, "noi-dung", pieces, where, text)


def _line_spacing(line: int | None, rule: str, size: float) -> float | None:
    """Line spacing in lines; exact and at-least spacing against the font's single line."""
    if line is None or line <= 0:
        return None
    if rule == "auto":
        return line / 240
    single = size * 1.15  # Times New Roman's single line is about 1.15 × its size
    return (line / TWIPS_PER_PT) / single
