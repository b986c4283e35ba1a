"""The checkable layout rules of Nghị định 30/2020 (Phụ lục I), kept as data.

Every finding the linter reports carries one of the rule ids below. Ranges come
from the decree's layout tables: page size and margins (Phụ lục I, Phần I mục
I), the size and style of each component (mục II and the "Mẫu chữ" table of
mục V), and the number, date and archive-line formats (mục II.3, II.4, II.9).

Severity follows one principle: a missing component, a size or margin outside
its range, a wrong font and a malformed number, date or archive line are
errors; the style of a component (bold, italic, upper case) and what cannot be
known for sure from the file alone are warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# ----------------------------------------------------------------- page and margins

MM_PER_PT: Final = 25.4 / 72
TWIPS_PER_PT: Final = 20
TWIPS_PER_MM: Final = 1440 / 25.4

A4_MM: Final = (210.0, 297.0)
PAGE_SIZE_TOLERANCE_MM: Final = 0.5  # DOCX page size
PDF_PAGE_SIZE_TOLERANCE_PT: Final = 1.0
MARGIN_TOLERANCE_MM: Final = 0.5


@dataclass(frozen=True)
class Range:
    low: float
    high: float

    def contains(self, value: float, tolerance: float = 0.0) -> bool:
        return self.low - tolerance <= value <= self.high + tolerance

    def __str__(self) -> str:
        if self.low == self.high:
            return _num(self.low)
        return f"{_num(self.low)}–{_num(self.high)}"


def _num(value: float) -> str:
    return f"{value:g}"


MARGINS_MM: Final[dict[str, Range]] = {
    "top": Range(20, 25),
    "bottom": Range(20, 25),
    "left": Range(30, 35),
    "right": Range(15, 20),
}

# ----------------------------------------------------------------- fonts

# Names compared after removing everything but letters and digits, lower-cased.
# Liberation Serif and Tinos are metric-compatible with Times New Roman and are
# accepted in PDFs made where Times New Roman cannot be installed (rule R1).
ACCEPTED_FONT_FAMILIES: Final = ("timesnewroman", "times", "liberationserif", "tinos")
DOCX_FONT: Final = "Times New Roman"
# The linter reads rendered text sizes with this much slack (PDF renderers
# store 14 pt as 13.9995).
SIZE_TOLERANCE_PT: Final = 0.05


# ----------------------------------------------------------------- components


@dataclass(frozen=True)
class Component:
    """A text component of the layout: where it sits in the rules and how it looks."""

    key: str  # used in rule ids: "R3.quoc-hieu-size"
    rule: str  # R1…R7
    name_vi: str
    name_en: str
    sizes: Range
    bold: bool | None = None  # True: must be bold; False: must not be; None: either
    italic: bool | None = None
    upper: bool | None = None
    required: bool = True


COMPONENTS: Final[dict[str, Component]] = {
    c.key: c
    for c in (
        Component(
            "quoc-hieu",
            "R3",
            "Quốc hiệu",
            "national title",
            Range(12, 13),
            bold=True,
            italic=False,
            upper=True,
        ),
        Component("tieu-ngu", "R3", "Tiêu ngữ", "motto", Range(13, 14), bold=True, italic=False),
        Component(
            "chu-quan",
            "R3",
            "Tên cơ quan chủ quản",
            "parent body",
            Range(12, 13),
            bold=False,
            italic=False,
            upper=True,
            required=False,
        ),
        Component(
            "co-quan",
            "R3",
            "Tên cơ quan ban hành",
            "issuing body",
            Range(12, 13),
            bold=True,
            italic=False,
            upper=True,
        ),
        Component(
            "so",
            "R4",
            "Số, ký hiệu",
            "number and notation",
            Range(13, 13),
            bold=False,
            italic=False,
        ),
        Component(
            "ngay", "R5", "Địa danh, ngày tháng", "place and date", Range(13, 14), italic=True
        ),
        Component("noi-dung", "R6", "Nội dung", "body text", Range(13, 14), required=False),
        Component(
            "tham-quyen",
            "R7",
            "Quyền hạn, chức vụ người ký",
            "signing authority",
            Range(13, 14),
            bold=True,
            italic=False,
            upper=True,
            required=False,
        ),
        Component(
            "noi-nhan",
            "R7",
            '"Nơi nhận:"',
            '"Nơi nhận:" label',
            Range(12, 12),
            bold=True,
            italic=True,
        ),
        Component(
            "noi-nhan-item",
            "R7",
            "Dòng nơi nhận",
            "distribution line",
            Range(11, 11),
            bold=False,
            italic=False,
            required=False,
        ),
        Component(
            "so-trang",
            "R2",
            "Số trang",
            "page number",
            Range(13, 14),
            bold=None,
            italic=False,
            required=False,
        ),
    )
}

# Body paragraphs (R6): first-line indent, spacing, line spacing.
BODY_INDENTS_CM: Final = (1.0, 1.27)
BODY_INDENT_TOLERANCE_CM: Final = 0.05
BODY_SPACING_MIN_PT: Final = 6.0
BODY_LINE_SPACING: Final = Range(1.0, 1.5)  # in lines

# Page number placement in a PDF: centred on the page or on the text area,
# within this distance (the text area's centre moves with the margins).
PAGE_NUMBER_CENTRE_TOLERANCE_MM: Final = 3.0

# ----------------------------------------------------------------- texts and formats

QUOC_HIEU: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
QUOC_HIEU_VARIANTS: Final = (QUOC_HIEU, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
TIEU_NGU: Final = "Độc lập - Tự do - Hạnh phúc"
AUTHORITY_PREFIXES: Final = ("TM.", "KT.", "TL.", "TUQ.", "Q.")

RE_SO: Final = re.compile(r"^Số: (0[1-9]|[1-9][0-9]+)/[^\s/]+$")
# A draft not yet numbered: "Số:" then blank space, then "/" and the ký hiệu.
# A form's serial: the same number, the ký hiệu optional.
RE_SO_FORM: Final = re.compile(r"^Số: (0[1-9]|[1-9][0-9]+)(/[^\s/]+)?$")
RE_SO_DRAFT: Final = re.compile(r"^Số:\s+/[^\s/]+$")
RE_NGAY: Final = re.compile(
    r"^(?P<place>[^,]+), ngày (0[1-9]|[12][0-9]|3[01]) tháng (0[12]|[3-9]|1[0-2])"
    r" năm [0-9]{4}$"
)
# A draft leaves the day (and maybe the month) blank for the văn thư to fill in.
RE_NGAY_DRAFT: Final = re.compile(
    r"^(?P<place>[^,]+), ngày\s+tháng\s+(?:(0[12]|[3-9]|1[0-2])\s+)?năm(\s+[0-9]{4})?$"
)
# The mark a draft carries above the header; gone once the document is issued.
DRAFT_MARK: Final = "DỰ THẢO"
RE_LUU: Final = re.compile(r"^- Lưu: VT(, .+)?\.$")

# Loose shapes used to find a component before checking it strictly.
LOOSE_SO: Final = re.compile(r"^S[ốố]\s*:", re.IGNORECASE)
LOOSE_NGAY: Final = re.compile(r",\s*ngày\b.*\btháng\b.*\bnăm\b", re.IGNORECASE)
LOOSE_NOI_NHAN: Final = re.compile(r"^nơi\s+nhận\s*:?", re.IGNORECASE)
LOOSE_AUTHORITY: Final = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s", re.IGNORECASE)
DASHES: Final = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


# ----------------------------------------------------------------- rule catalogue


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    vi: str  # message templates, filled with str.format
    en: str


_E, _W = Severity.ERROR, Severity.WARNING

_FIXED: Final = (
    Rule(
        "R1.page-size",
        _E,
        "Khổ giấy {found}, phải là A4 (210 × 297 mm)",
        "Page size {found}, must be A4 (210 × 297 mm)",
    ),
    Rule(
        "R1.orientation",
        _W,
        "Trang nằm ngang nhưng không chứa bảng; chỉ trang có bảng mới được xoay ngang",
        "Landscape page without a table; only pages holding a table may be landscape",
    ),
    *(
        Rule(
            f"R1.margin-{side}",
            _E,
            f"Lề {vi} {{found}} mm, quy định {MARGINS_MM[side]} mm",
            f"{en.capitalize()} margin {{found}} mm, required {MARGINS_MM[side]} mm",
        )
        for side, vi, en in (
            ("top", "trên", "top"),
            ("bottom", "dưới", "bottom"),
            ("left", "trái", "left"),
            ("right", "phải", "right"),
        )
    ),
    Rule(
        "R1.font",
        _E,
        "Phông chữ {found}, phải là Times New Roman",
        "Font {found}, must be Times New Roman",
    ),
    Rule(
        "R1.font-embedded",
        _E,
        "Phông chữ {found} không được nhúng vào tệp PDF",
        "Font {found} is not embedded in the PDF",
    ),
    Rule(
        "R1.font-color",
        _W,
        "Màu chữ {found}, phải là màu đen",
        "Text colour {found}, must be black",
    ),
    Rule(
        "R2.title-page",
        _E,
        'Số trang hiện ở trang đầu: bật "trang đầu khác" (w:titlePg) và để trống tiêu đề trang đầu',
        "The page number shows on page 1: turn on a different first page (w:titlePg) "
        "with an empty first-page header",
    ),
    Rule(
        "R2.first-page-number",
        _E,
        "Trang 1 không được đánh số trang",
        "Page 1 must not carry a page number",
    ),
    Rule(
        "R2.so-trang-missing",
        _E,
        "Trang {found} không có số trang ở giữa lề trên",
        "Page {found} has no page number centred in the top margin",
    ),
    Rule(
        "R2.so-trang-field",
        _W,
        "Không có trường số trang (PAGE) ở phần đầu trang; văn bản nhiều trang phải đánh số trang",
        "No PAGE field in the header; a document of several pages must be numbered",
    ),
    Rule(
        "R2.so-trang-position",
        _E,
        "Số trang {found}; phải căn giữa ở lề trên",
        "Page number {found}; it must be centred in the top margin",
    ),
    Rule(
        "R3.header-table",
        _E,
        "Không có bảng tiêu đề hai cột (cơ quan ban hành | Quốc hiệu) ở đầu văn bản",
        "No two-column header table (issuing body | national title) at the top",
    ),
    Rule(
        "R3.tieu-ngu-dash",
        _E,
        'Tiêu ngữ "{found}": các cụm từ nối bằng gạch nối có cách (" - "), '
        "không dùng gạch ngang dài",
        'Motto "{found}": phrases are joined by a spaced hyphen-minus (" - "), '
        "not an en or em dash",
    ),
    Rule(
        "R4.so-format",
        _E,
        'Dòng số "{found}" sai mẫu "Số: 05/UBND-VP" (số có 0 đứng trước nếu nhỏ '
        "hơn 10, không có dấu cách, không có năm){hint_vi}",
        'Number line "{found}" does not match "Số: 05/UBND-VP" (zero before '
        "numbers below 10, no spaces, no year){hint_en}",
    ),
    Rule(
        "R5.ngay-format",
        _E,
        'Dòng địa danh, ngày tháng "{found}" sai mẫu "Địa danh, ngày 05 tháng 01 năm '
        '2020" (ngày dưới 10 và tháng 1, 2 có số 0 đứng trước)',
        'Place and date "{found}" does not match "Place, ngày 05 tháng 01 năm 2020" '
        "(zero before days below 10 and months 1 and 2)",
    ),
    Rule(
        "R6.noi-dung-align",
        _E,
        "Đoạn nội dung căn {found}, phải căn đều hai lề",
        "Body paragraph aligned {found}, must be justified",
    ),
    Rule(
        "R6.noi-dung-indent",
        _E,
        "Thụt đầu dòng {found} cm, phải là 1 cm hoặc 1,27 cm",
        "First-line indent {found} cm, must be 1 cm or 1.27 cm",
    ),
    Rule(
        "R6.noi-dung-spacing",
        _E,
        "Khoảng cách giữa các đoạn {found} pt, tối thiểu 6 pt",
        "Paragraph spacing {found} pt, at least 6 pt",
    ),
    Rule(
        "R6.noi-dung-line-spacing",
        _W,
        "Khoảng cách dòng {found}, quy định từ 1 dòng đến 1,5 dòng",
        "Line spacing {found}, must be single to 1.5 lines",
    ),
    Rule(
        "R7.noi-nhan-item-dash",
        _E,
        'Dòng nơi nhận "{found}" phải bắt đầu bằng "- "',
        'Distribution line "{found}" must start with "- "',
    ),
    Rule(
        "R7.noi-nhan-item-end",
        _W,
        'Dòng nơi nhận "{found}" phải kết thúc bằng dấu ";"',
        'Distribution line "{found}" must end with ";"',
    ),
    Rule(
        "R7.luu-format",
        _E,
        'Dòng cuối nơi nhận "{found}" sai mẫu "- Lưu: VT, <đơn vị soạn thảo>."',
        'Last distribution line "{found}" does not match "- Lưu: VT, <drafting unit>."',
    ),
)

_ASPECTS: Final = {
    "missing": (_E, "Thiếu {name_vi}", "Missing {name_en}"),
    "size": (
        _E,
        "{name_vi}: cỡ chữ {found} pt, quy định {sizes} pt",
        "{Name_en}: font size {found} pt, required {sizes} pt",
    ),
    "bold": (_W, "{name_vi}: {want_vi}", "{Name_en}: {want_en}"),
    "italic": (_W, "{name_vi}: {want_vi}", "{Name_en}: {want_en}"),
    "case": (_W, "{name_vi}: phải viết in hoa", "{Name_en}: must be in upper case"),
}


def _component_rules() -> list[Rule]:
    rules = []
    for c in COMPONENTS.values():
        for aspect, (severity, vi, en) in _ASPECTS.items():
            if aspect == "missing" and not c.required:
                continue
            if aspect == "bold" and c.bold is None:
                continue
            if aspect == "italic" and c.italic is None:
                continue
            if aspect == "case" and not c.upper:
                continue
            names = {
                "name_vi": c.name_vi,
                "name_en": c.name_en,
                "Name_en": c.name_en[:1].upper() + c.name_en[1:],
                "sizes": str(c.sizes),
            }
            rules.append(
                Rule(
                    f"{c.rule}.{c.key}-{aspect}",
                    severity,
                    _prefill(vi, names),
                    _prefill(en, names),
                )
            )
    return rules


def _prefill(template: str, values: dict[str, str]) -> str:
    """Fill the component's own names now, leave {found} and friends for later."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value.replace("{", "{{").replace("}", "}}"))
    return template


RULES: Final[dict[str, Rule]] = {r.id: r for r in (*_FIXED, *_component_rules())}

# What bold/italic findings say, by what was wanted.
STYLE_WANTS: Final = {
    ("bold", True): ("phải in đậm", "must be bold"),
    ("bold", False): ("không in đậm", "must not be bold"),
    ("italic", True): ("phải in nghiêng", "must be italic"),
    ("italic", False): ("phải viết đứng, không in nghiêng", "must be upright, not italic"),
}


def rule_table() -> list[dict[str, str]]:
    """The catalogue as rows, for documentation and ``--rules``."""
    return [
        {"id": r.id, "severity": r.severity.value, "vi": r.vi, "en": r.en}
        for r in sorted(RULES.values(), key=lambda r: (r.id.split(".")[0], r.id))
    ]


# ----------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Profile:
    """Which rule groups (R1…R7) a kind of file is held to.

    ``always``: checked on every file, a missing component is an error.
    ``if_present``: checked only when the file has the component; a file without
    it is not faulted (a form without "Nơi nhận:", a form without Quốc hiệu).
    ``form_fields``: "Label: value" lines are a form's fields, not body text (R6)
    nor the name of the issuing body (R3).
    """

    name: str
    always: frozenset[str]
    if_present: frozenset[str] = frozenset()
    form_fields: bool = False
    # A form's "Số:" may be a serial without ký hiệu ("Số: 45", Mẫu 04.a/TT).
    number_without_notation: bool = False

    def applies(self, group: str) -> bool:
        return group in self.always or group in self.if_present

    def conditional(self, group: str) -> bool:
        """True when ``group`` is checked only if the file has its component."""
        return group in self.if_present and group not in self.always


_ALL_GROUPS: Final = frozenset({"R1", "R2", "R3", "R4", "R5", "R6", "R7"})

PROFILES: Final[dict[str, Profile]] = {
    # Văn bản hành chính (Phụ lục III): every component of Phụ lục I.
    "document": Profile("document", always=_ALL_GROUPS),
    # Payment and settlement forms (NĐ 99/2021, TT 96/2021), the monthly
    # disbursement report, handover minutes: the page rules of Phụ lục I (R1, R2)
    # on every page; the header, number, date, body and Nơi nhận rules where the
    # form prints those components.
    "form": Profile(
        "form",
        always=frozenset({"R1", "R2"}),
        if_present=frozenset({"R3", "R4", "R5", "R6", "R7"}),
        form_fields=True,
        number_without_notation=True,
    ),
}
DEFAULT_PROFILE: Final = "document"

# Rules that only say a component is absent, and what goes with them in a group
# checked only when present: without the Quốc hiệu a form prints no NĐ 30 header,
# so none of R3 applies (the lines at its top are the form's own fields).
PRESENCE_RULES: Final[dict[str, tuple[str, ...]]] = {
    "R3.quoc-hieu-missing": ("R3.",),
    "R3.header-table": ("R3.header-table",),
    "R3.tieu-ngu-missing": ("R3.tieu-ngu-missing",),
    "R3.co-quan-missing": ("R3.co-quan-missing",),
    "R4.so-missing": ("R4.so-missing",),
    "R5.ngay-missing": ("R5.ngay-missing",),
    "R7.noi-nhan-missing": ("R7.noi-nhan-missing",),
}

# A form's field: a short label, a colon, the value ("Tên dự án: …", "- Thuế giá
# trị gia tăng: 0 đồng"). The label has no sentence punctuation.
FORM_FIELD: Final = re.compile(
    r"^(?:[-+•]\s*|[0-9]{1,2}\.\s+|[a-zđ]\)\s+)?[^\s:;.,()][^:;.]{0,120}:(?:\s|$)"
)
# Captions printed by a table or a signature, never body text (R6): "Đơn vị
# tính: đồng", "(Ký, ghi rõ họ tên)", "(Ký, ghi rõ họ tên, chức vụ và đóng dấu)".
CAPTION: Final = re.compile(r"^(?:Đơn vị tính\s*:.*|\((?:Ký|Chữ ký)\b[^()]*\))$", re.IGNORECASE)


def profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; one of {', '.join(PROFILES)}") from None
