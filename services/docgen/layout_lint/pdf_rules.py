"""Layout rules checked on a PDF: what was printed, measured from the glyphs.

The whole file is read first into plain data (pages, glyphs, fonts); a file
that pdfminer cannot parse is refused. The checks then work on that data:
page size; margins from the bounding box of the text on each page (a page
number in the top margin excepted); font names and embedding; page numbers;
the header lines, "Nơi nhận:" and the signing authority, found by their text.
Bold and italic come from the PostScript font names.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdftypes import resolve1

from services.docgen.layout_lint import checks
from services.docgen.layout_lint.report import Location, Report, finding
from services.docgen.layout_lint.rules import (
    A4_MM,
    ACCEPTED_FONT_FAMILIES,
    DRAFT_MARK,
    FORM_FIELD,
    LOOSE_AUTHORITY,
    LOOSE_NGAY,
    LOOSE_NOI_NHAN,
    LOOSE_SO,
    MARGIN_TOLERANCE_MM,
    MARGINS_MM,
    MM_PER_PT,
    PAGE_NUMBER_CENTRE_TOLERANCE_MM,
    PDF_PAGE_SIZE_TOLERANCE_PT,
    PROFILES,
    Profile,
)
from services.docgen.layout_lint.safety import MAX_PDF_PAGES, UnreadableDocument

SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
MAX_RESOURCE_DEPTH = 5
# Glyphs further apart than this many times their size are in different columns.
COLUMN_GAP_SIZES = 2.0
SPACE_GAP_SIZES = 0.2
# Gaps narrower than this many times the size are word gaps, not a column gap.
WORD_GAP_SIZES = 0.5
MIN_CHANNEL_PT = 4.0


def _pt(mm: float) -> float:
    return mm / MM_PER_PT


def _mm(pt: float) -> float:
    return round(pt * MM_PER_PT, 1)


# ---------------------------------------------------------------- reading


@dataclass
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str  # PostScript name without the subset prefix

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def bold(self) -> bool:
        name = self.font.lower()
        return any(word in name for word in ("bold", "black", "heavy"))

    @property
    def italic(self) -> bool:
        name = self.font.lower()
        return "italic" in name or "oblique" in name


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    glyphs: list[Glyph]
    has_table: bool = False


@dataclass
class PdfFile:
    pages: list[Page] = field(default_factory=list)
    # BaseFont names of fonts without an embedded font program, first page seen.
    unembedded: dict[str, int] = field(default_factory=dict)


def read_pdf(path: Path) -> PdfFile:
    try:
        result = PdfFile()
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise UnreadableDocument(
                    f"PDF có {len(pdf.pages)} trang, tối đa {MAX_PDF_PAGES}",
                    f"the PDF has {len(pdf.pages)} pages, at most {MAX_PDF_PAGES}",
                )
            if not pdf.pages:
                raise UnreadableDocument("PDF không có trang nào", "the PDF has no pages")
            for page in pdf.pages:
                glyphs = _glyphs(page.chars)
                landscape = page.width > page.height
                has_table = bool(page.find_tables()) if landscape else False
                result.pages.append(
                    Page(page.page_number, float(page.width), float(page.height), glyphs, has_table)
                )
                for name in _unembedded_fonts(page.page_obj.resources):
                    result.unembedded.setdefault(name, page.page_number)
        return result
    except UnreadableDocument:
        raise
    except Exception as exc:  # pdfminer fails in many ways on a damaged file
        raise UnreadableDocument(
            f"Không đọc được tệp PDF: {type(exc).__name__}: {exc}",
            f"cannot parse the PDF: {type(exc).__name__}: {exc}",
        ) from None


def _glyphs(chars: Iterable[dict[str, Any]]) -> list[Glyph]:
    glyphs: list[Glyph] = []
    for char in chars:
        text = str(char.get("text") or "")
        if not char.get("upright", True) or not text:
            continue
        if glyphs and all(unicodedata.combining(c) for c in text):
            glyphs[-1].text = unicodedata.normalize("NFC", glyphs[-1].text + text)
            continue
        glyphs.append(
            Glyph(
                text=text,
                x0=float(char["x0"]),
                x1=float(char["x1"]),
                top=float(char["top"]),
                bottom=float(char["bottom"]),
                size=float(char["size"]),
                font=SUBSET_PREFIX.sub("", str(char.get("fontname") or "")),
            )
        )
    return glyphs


def _unembedded_fonts(resources: Any, depth: int = 0) -> Iterable[str]:
    resources = resolve1(resources)
    if not isinstance(resources, dict) or depth > MAX_RESOURCE_DEPTH:
        return
    fonts = resolve1(resources.get("Font"))
    if isinstance(fonts, dict):
        for ref in fonts.values():
            font = resolve1(ref)
            if isinstance(font, dict) and not _embedded(font):
                yield SUBSET_PREFIX.sub("", _name(font.get("BaseFont")))
    xobjects = resolve1(resources.get("XObject"))
    if isinstance(xobjects, dict):
        for ref in xobjects.values():
            xobject = resolve1(ref)
            attrs = getattr(xobject, "attrs", None)
            if isinstance(attrs, dict) and _name(attrs.get("Subtype")) == "Form":
                yield from _unembedded_fonts(attrs.get("Resources"), depth + 1)


def _name(value: Any) -> str:
    name = getattr(value, "name", value)
    if isinstance(name, bytes):
        return name.decode("latin-1")
    return str(name or "?")


def _embedded(font: dict[str, Any]) -> bool:
    subtype = _name(font.get("Subtype"))
    if subtype == "Type3":
        return True  # glyphs drawn by the file's own procedures
    if subtype == "Type0":
        descendants = resolve1(font.get("DescendantFonts"))
        if not isinstance(descendants, list) or not descendants:
            return False
        font = resolve1(descendants[0])
        if not isinstance(font, dict):
            return False
    descriptor = resolve1(font.get("FontDescriptor"))
    return isinstance(descriptor, dict) and any(
        key in descriptor for key in ("FontFile", "FontFile2", "FontFile3")
    )


# ---------------------------------------------------------------- lines


@dataclass
class Segment:
    """Glyphs on one line and in one column, in reading order."""

    page: int
    glyphs: list[Glyph]

    @property
    def text(self) -> str:
        out: list[str] = []
        previous: Glyph | None = None
        for glyph in self.glyphs:
            if previous is not None and not (glyph.text.isspace() or previous.text.isspace()):
                gap = glyph.x0 - previous.x1
                wrapped = glyph.x0 < previous.x0  # joined from the next line
                if wrapped or gap > SPACE_GAP_SIZES * max(glyph.size, previous.size):
                    out.append(" ")
            out.append(glyph.text)
            previous = glyph
        return checks.collapse("".join(out))

    @property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def top(self) -> float:
        return min(g.top for g in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(g.bottom for g in self.glyphs)

    @property
    def size(self) -> float:
        return max(g.size for g in self.glyphs)

    @property
    def pieces(self) -> list[checks.Piece]:
        return [checks.Piece(g.text, g.size, g.bold, g.italic) for g in self.glyphs]

    @property
    def bold(self) -> bool:
        inked = [g for g in self.glyphs if g.text.strip()]
        return bool(inked) and all(g.bold for g in inked)

    def location(self, part: str | None = None) -> Location:
        return Location(page=self.page, part=part)


def _lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into visual lines by their vertical middle."""
    lines: list[tuple[float, list[Glyph]]] = []
    for glyph in sorted(glyphs, key=lambda g: (g.middle, g.x0)):
        if lines and abs(glyph.middle - lines[-1][0]) <= 0.35 * max(glyph.size, 1.0):
            lines[-1][1].append(glyph)
        else:
            lines.append((glyph.middle, [glyph]))
    return [sorted(line, key=lambda g: g.x0) for _, line in lines]


def _segments(page: int, line: list[Glyph], boundary: float | None) -> list[Segment]:
    segments: list[Segment] = []
    current: list[Glyph] = []
    for glyph in line:
        if current:
            previous = current[-1]
            gap = glyph.x0 - previous.x1
            crosses = boundary is not None and previous.x1 <= boundary < glyph.x1
            if gap > COLUMN_GAP_SIZES * max(glyph.size, previous.size) or crosses:
                segments.append(Segment(page, current))
                current = []
        if current or glyph.text.strip():
            current.append(glyph)
    if current:
        segments.append(Segment(page, current))
    for segment in segments:  # trailing spaces are not text
        while segment.glyphs and not segment.glyphs[-1].text.strip():
            segment.glyphs.pop()
    return [s for s in segments if s.glyphs]


def _quoc_hieu_x(line: list[Glyph]) -> float | None:
    """Where "CỘNG HÒA" starts on a line, if it is there."""
    text = "".join(g.text for g in line).upper()
    for start in ("CỘNG HÒA", "CỘNG HOÀ"):
        index = text.find(start)
        if index >= 0:
            position = 0
            for glyph in line:
                if position >= index:
                    return glyph.x0
                position += len(glyph.text)
    return None


def _covered(line: list[Glyph]) -> list[tuple[float, float]]:
    """The stretches of x a line's glyphs cover, word gaps closed."""
    spans: list[tuple[float, float]] = []
    for glyph in sorted(line, key=lambda g: g.x0):
        if spans and glyph.x0 - spans[-1][1] < WORD_GAP_SIZES * glyph.size:
            spans[-1] = (spans[-1][0], max(spans[-1][1], glyph.x1))
        else:
            spans.append((glyph.x0, glyph.x1))
    return spans


def _header_columns(lines: list[list[Glyph]], start: int, qh_x: float) -> tuple[float, int]:
    """The white channel between the header's two columns, followed down from the
    Quốc hiệu line until a line crosses it; returns its middle and that line's index."""
    left = [g.x1 for g in lines[start] if g.x1 <= qh_x and g.text.strip()]
    low = max(left) if left else min(g.x0 for line in lines for g in line)
    high = qh_x
    for index in range(start + 1, len(lines)):
        free: list[tuple[float, float]] = []
        cursor = low
        for x0, x1 in _covered(lines[index]):
            if x1 <= cursor or x0 >= high:
                continue
            if x0 > cursor:
                free.append((cursor, x0))
            cursor = max(cursor, x1)
        if cursor < high:
            free.append((cursor, high))
        free = [f for f in free if f[1] - f[0] >= MIN_CHANNEL_PT]
        if not free:
            return (low + high) / 2, index
        low, high = max(free, key=lambda f: f[1] - f[0])
    return (low + high) / 2, len(lines)


@dataclass
class Layout:
    segments: dict[int, list[Segment]]  # by page
    header: list[Segment]  # page 1, above the body
    boundary: float | None  # x between the header's two columns


def _layout(pdf: PdfFile) -> Layout:
    segments: dict[int, list[Segment]] = {}
    header: list[Segment] = []
    boundary: float | None = None
    for page in pdf.pages:
        lines = _lines(page.glyphs)
        header_end = 0
        if page.number == 1:
            for index, line in enumerate(lines):
                x = _quoc_hieu_x(line)
                if x is not None:
                    boundary, header_end = _header_columns(lines, index, x)
                    break
        found: list[Segment] = []
        for index, line in enumerate(lines):
            in_header = index < header_end
            line_segments = _segments(page.number, line, boundary if in_header else None)
            found.extend(line_segments)
            if in_header:
                header.extend(line_segments)
        segments[page.number] = found
    return Layout(segments, header, boundary)


# ---------------------------------------------------------------- entry point


def lint_pdf(path: Path, report: Report, profile: Profile = PROFILES["document"]) -> None:
    pdf = read_pdf(path)
    layout = _layout(pdf)
    numbers = _check_page_numbers(pdf, layout, report)
    _check_pages(pdf, layout, numbers, report)
    _check_fonts(pdf, report)
    _check_header(layout, report, profile)
    _check_noi_nhan(layout, report)
    _check_authority(layout, report)


# ---------------------------------------------------------------- R1


def _check_pages(pdf: PdfFile, layout: Layout, numbers: dict[int, Segment], report: Report) -> None:
    sizes_seen: set[tuple[float, float]] = set()
    a4 = (_pt(A4_MM[0]), _pt(A4_MM[1]))
    for page in pdf.pages:
        where = Location(page=page.number)
        short, long_ = sorted((page.width, page.height))
        size_ok = (
            abs(short - a4[0]) <= PDF_PAGE_SIZE_TOLERANCE_PT
            and abs(long_ - a4[1]) <= PDF_PAGE_SIZE_TOLERANCE_PT
        )
        found = (_mm(page.width), _mm(page.height))
        if not size_ok and found not in sizes_seen:
            sizes_seen.add(found)
            report.add(finding("R1.page-size", where, found=f"{found[0]} × {found[1]} mm"))
        if page.width > page.height:
            if not page.has_table:
                report.add(finding("R1.orientation", where))
            continue
        # The page number may sit in the top margin; so may a draft's "DỰ THẢO" mark.
        skip = {id(g) for g in numbers[page.number].glyphs} if page.number in numbers else set()
        if report.draft:
            for segment in layout.segments[page.number]:
                if segment.text == DRAFT_MARK:
                    skip.update(id(g) for g in segment.glyphs)
        inked = [g for g in page.glyphs if g.text.strip() and id(g) not in skip]
        if not inked:
            continue
        left = min(inked, key=lambda g: g.x0)
        right = max(inked, key=lambda g: g.x1)
        top = min(inked, key=lambda g: g.top)
        bottom = max(inked, key=lambda g: g.bottom)
        edges = {
            "left": (left, left.x0),
            "right": (right, page.width - right.x1),
            "top": (top, top.top),
            "bottom": (bottom, page.height - bottom.bottom),
        }
        for side, (glyph, value) in edges.items():
            if value * MM_PER_PT < MARGINS_MM[side].low - MARGIN_TOLERANCE_MM:
                line = next(
                    (s for s in layout.segments[page.number] if any(g is glyph for g in s.glyphs)),
                    None,
                )
                report.add(
                    finding(
                        f"R1.margin-{side}",
                        Location(page=page.number, part="measured at the text edge"),
                        text=line.text if line else glyph.text,
                        found=_mm(value),
                    )
                )


def _font_ok(name: str) -> bool:
    flat = re.sub(r"[^0-9a-z]", "", name.lower())
    return any(family in flat for family in ACCEPTED_FONT_FAMILIES)


def _check_fonts(pdf: PdfFile, report: Report) -> None:
    first_seen: dict[str, int] = {}
    for page in pdf.pages:
        for glyph in page.glyphs:
            if glyph.text.strip():
                first_seen.setdefault(glyph.font, page.number)
    for name, page_number in first_seen.items():
        if not _font_ok(name):
            report.add(finding("R1.font", Location(page=page_number), found=name))
    for name, page_number in pdf.unembedded.items():
        report.add(finding("R1.font-embedded", Location(page=page_number), found=name))


# ---------------------------------------------------------------- R2


def _check_page_numbers(pdf: PdfFile, layout: Layout, report: Report) -> dict[int, Segment]:
    """Finds and checks the page numbers; returns them by page."""
    numbers: dict[int, Segment] = {}
    top_band = _pt(MARGINS_MM["top"].high + MARGIN_TOLERANCE_MM)
    for page in pdf.pages:
        candidates = [
            s for s in layout.segments[page.number] if s.text.isdigit() and s.bottom <= top_band
        ]
        if not candidates:
            if page.number > 1:
                report.add(
                    finding("R2.so-trang-missing", Location(page=page.number), found=page.number)
                )
            continue
        number = candidates[0]
        numbers[page.number] = number
        where = number.location("top margin")
        if page.number == 1:
            report.add(finding("R2.first-page-number", where, text=number.text))
            continue
        centre = (number.x0 + number.x1) / 2
        lowest = page.width / 2
        highest = _pt((MARGINS_MM["left"].high + A4_MM[0] - MARGINS_MM["right"].low) / 2)
        if page.width > page.height:
            highest = lowest
        slack = _pt(PAGE_NUMBER_CENTRE_TOLERANCE_MM)
        if not lowest - slack <= centre <= max(lowest, highest) + slack:
            report.add(
                finding(
                    "R2.so-trang-position",
                    where,
                    text=number.text,
                    found=f"centred at {_mm(centre)} mm from the left edge",
                )
            )
        checks.check_component(report, "so-trang", number.pieces, where, number.text)
    return numbers


# ---------------------------------------------------------------- R3–R5


def _check_header(layout: Layout, report: Report, profile: Profile) -> None:
    header = layout.header or layout.segments.get(1, [])
    boundary = layout.boundary
    right = [s for s in header if boundary is None or s.x0 >= boundary]
    left = [s for s in header if boundary is None or s.x1 <= boundary]
    part_left, part_right = "header, left column", "header, right column"

    _check_right_column(right, report, part_right)
    number = next((s for s in left if LOOSE_SO.match(s.text)), None)
    if number is None:
        report.add(finding("R4.so-missing", Location(page=1, part=part_left)))
    else:
        where = number.location(part_left)
        if not checks.so_ok(
            number.text, draft=report.draft, serial=profile.number_without_notation
        ):
            hint_vi, hint_en = checks.so_hint(number.text, draft=report.draft)
            report.add(
                finding(
                    "R4.so-format",
                    where,
                    text=number.text,
                    found=number.text,
                    hint_vi=hint_vi,
                    hint_en=hint_en,
                )
            )
        checks.check_component(report, "so", number.pieces, where, number.text)

    above = [
        s
        for s in left
        if checks.has_letters(s.text)
        and not s.text.isdigit()
        and (number is None or s.top < number.top)
        and not (
            checks.is_quoc_hieu(s.text) or checks.is_tieu_ngu(s.text) or LOOSE_NGAY.search(s.text)
        )
    ]
    if profile.form_fields:  # "Chủ đầu tư: …" at a form's top is a field, not ô 2
        above = _without_fields(above)
    if not above:
        report.add(finding("R3.co-quan-missing", Location(page=1, part=part_left)))
        return
    bold = [s.bold for s in above]
    cut = bold.index(True) if any(bold) else (1 if len(above) >= 2 else 0)
    for segment in above[:cut]:
        checks.check_component(
            report, "chu-quan", segment.pieces, segment.location(part_left), segment.text
        )
    for segment in above[cut:]:
        checks.check_component(
            report, "co-quan", segment.pieces, segment.location(part_left), segment.text
        )


def _without_fields(segments: list[Segment]) -> list[Segment]:
    """Drops a form's field lines, a field wrapped in its column included: the
    lines after "Label: …" up to the next line in capitals (ô 2 is in capitals)."""
    kept: list[Segment] = []
    in_field = False
    for segment in segments:
        if FORM_FIELD.match(segment.text):
            in_field = True
            continue
        if in_field and not checks.is_upper(segment.text):
            continue
        in_field = False
        kept.append(segment)
    return kept


def _find(segments: list[Segment], test: Callable[[str], bool]) -> Segment | None:
    """The first segment passing ``test``, or two consecutive ones read as one line
    (a component wrapped in a narrow column)."""
    for segment in segments:
        if test(segment.text):
            return segment
    for first, second in itertools.pairwise(segments):
        if 0 <= second.top - first.bottom <= first.size:
            joined = Segment(first.page, first.glyphs + second.glyphs)
            if test(joined.text):
                return joined
    return None


def _check_right_column(right: list[Segment], report: Report, part_right: str) -> None:
    """Ô 1 and ô 4: Quốc hiệu, Tiêu ngữ, place and date."""
    quoc_hieu = _find(right, checks.is_quoc_hieu)
    if quoc_hieu is None:
        report.add(finding("R3.quoc-hieu-missing", Location(page=1, part=part_right)))
    else:
        checks.check_component(
            report, "quoc-hieu", quoc_hieu.pieces, quoc_hieu.location(part_right), quoc_hieu.text
        )
    motto = _find(right, checks.is_tieu_ngu)
    if motto is None:
        report.add(finding("R3.tieu-ngu-missing", Location(page=1, part=part_right)))
    else:
        where = motto.location(part_right)
        if not checks.motto_dashes_ok(motto.text):
            report.add(finding("R3.tieu-ngu-dash", where, text=motto.text, found=motto.text))
        checks.check_component(report, "tieu-ngu", motto.pieces, where, motto.text)
    date = _find(right, lambda t: bool(LOOSE_NGAY.search(t)))
    if date is None:
        report.add(finding("R5.ngay-missing", Location(page=1, part=part_right)))
    else:
        where = date.location(part_right)
        if not checks.ngay_ok(date.text, draft=report.draft):
            report.add(finding("R5.ngay-format", where, text=date.text, found=date.text))
        checks.check_component(report, "ngay", date.pieces, where, date.text)


# ---------------------------------------------------------------- R7


def _all_segments(layout: Layout) -> list[Segment]:
    return [s for page in sorted(layout.segments) for s in layout.segments[page]]


def _check_noi_nhan(layout: Layout, report: Report) -> None:
    part = "signature block"
    segments = _all_segments(layout)
    label = next((s for s in segments if LOOSE_NOI_NHAN.match(s.text)), None)
    if label is None:
        report.add(finding("R7.noi-nhan-missing", Location(part=part)))
        return
    checks.check_component(report, "noi-nhan", label.pieces, label.location(part), label.text)
    below = sorted(
        (
            s
            for s in layout.segments[label.page]
            if s.top > label.top + 1 and label.x0 - 3 <= s.x0 <= label.x0 + 30
        ),
        key=lambda s: s.top,
    )
    items: list[list[Segment]] = []
    for segment in below:
        step = checks.item_step(segment.text, items[-1][-1].text if items else None)
        if step == "new":
            items.append([segment])
        elif step == "more":
            items[-1].append(segment)
        else:
            break
    if not items:
        report.add(finding("R7.luu-format", label.location(part), found="(none)"))
        return
    for index, item in enumerate(items, start=1):
        text = " ".join(s.text for s in item)
        where = item[0].location(part)
        if not text.startswith("- "):
            report.add(finding("R7.noi-nhan-item-dash", where, text=text, found=text))
        if index == len(items):
            if not checks.luu_ok(text):
                report.add(finding("R7.luu-format", where, text=text, found=text))
        elif not text.endswith(";"):
            report.add(finding("R7.noi-nhan-item-end", where, text=text, found=text))
        pieces = [p for s in item for p in s.pieces]
        checks.check_component(report, "noi-nhan-item", pieces, where, text)


def _check_authority(layout: Layout, report: Report) -> None:
    part = "signature block"
    for segments in layout.segments.values():
        for segment in segments:
            if not LOOSE_AUTHORITY.match(segment.text):
                continue
            if not (segment.bold or checks.is_upper(segment.text)):
                continue  # ordinary text that happens to start like one
            checks.check_component(
                report, "tham-quyen", segment.pieces, segment.location(part), segment.text
            )
            title = _title_under(segments, segment)
            if title is not None:
                checks.check_component(
                    report, "tham-quyen", title.pieces, title.location(part), title.text
                )


def _title_under(segments: list[Segment], authority: Segment) -> Segment | None:
    """The signer's title on the line right under the last authority line."""
    centre = (authority.x0 + authority.x1) / 2
    under = [
        s
        for s in segments
        if 0 <= s.top - authority.bottom <= authority.size and abs((s.x0 + s.x1) / 2 - centre) <= 40
    ]
    if not under:
        return None
    title = min(under, key=lambda s: s.top)
    if LOOSE_AUTHORITY.match(title.text) or not checks.is_upper(title.text):
        return None
    if not checks.has_letters(title.text):
        return None
    return title
