"""From a validated document to what its templates print.

Both engines (DOCX and PDF) get the same context, so the two files of one
document say the same thing. Everything a template shows is decided here, in
Python: the upper case of headings, the punctuation of the Kính gửi and Nơi
nhận lists, the place/date line, the rule lengths. Templates only place it.

Values are plain strings, lists and numbers (lengths in millimetres); the
templates escape them (autoescape), so user text is always text.

A template kind registers its builder with :func:`builds`::

    @builds(models.NamedDocument)
    def named_document(doc: models.NamedDocument) -> Context:
        return {**common(doc), "sections": ...}
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from services.docgen.documents import models
from services.docgen.rendering import layout
from services.docgen.rendering.fonts import text_width_mm
from shared.vn import place_date_line, upper

Context = dict[str, Any]
M = TypeVar("M", bound=BaseModel)

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"
KINH_GUI = "Kính gửi"
MM_PER_PT = 25.4 / 72
FOOTER_RULE_MM = 1.0  # the rule over ô 13 and the point under it
FOOTER_GAP_MM = 2.0  # between the last line of the body and that rule

# Characters that have no place in a document: C0/C1 controls (tab aside),
# lone surrogates and non-characters. They are invalid in XML, and DOCX
# templating would read \a, \f and \t as paragraph, page and tab breaks.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \u00a0]{2,}")


# ---------------------------------------------------------------- registry

_BUILDERS: dict[type[BaseModel], Callable[[Any], Context]] = {}


def builds(model: type[M]) -> Callable[[Callable[[M], Context]], Callable[[M], Context]]:
    """Register the context builder of a data model (and, by default, its subclasses)."""

    def register(builder: Callable[[M], Context]) -> Callable[[M], Context]:
        _BUILDERS[model] = builder
        return builder

    return register


def build_context(document: BaseModel, *, type_name: str | None = None) -> Context:
    """The context of ``document``, from the builder of its class or nearest base.

    ``type_name`` (ô 5a, from the catalogue entry, e.g. "KẾ HOẠCH") fills the
    title block a builder leaves empty (``"title": None``, see
    :func:`named_common`) over the document's ``subject`` lines.
    """
    for cls in type(document).__mro__:
        builder = _BUILDERS.get(cls)
        if builder is not None:
            context = builder(document)
            if type_name is not None and "title" in context and context["title"] is None:
                block = title(type_name, context["subject"])
                context["title"] = block
                context["meta"]["title"] = " ".join([block["type_name"], *context["subject"]])
            return context
    raise LookupError(f"no context builder for {type(document).__name__}")


# ---------------------------------------------------------------- text


def text_lines(value: str) -> list[str]:
    """Printable lines of a field: controls removed, tabs as spaces, blank lines dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    value = _UNPRINTABLE.sub("", value)  # keeps "\n" (U+000A is not in the class)
    lines = (_SPACES.sub(" ", line).strip() for line in value.split("\n"))
    return [line for line in lines if line]


def one_line(value: str) -> str:
    """A field printed on one line: its lines joined by a space."""
    return " ".join(text_lines(value))


def item(value: str) -> str:
    """A list entry without the punctuation the list adds itself (";", ".", ",")."""
    return one_line(value).rstrip(" ;.,")


def punctuated(items: Iterable[str], last: str = ".") -> list[str]:
    """'- A;', '- B;', '- C.': the decree's list form (Kính gửi, Nơi nhận)."""
    entries = list(items)
    return [f"- {text}{last if i == len(entries) - 1 else ';'}" for i, text in enumerate(entries)]


def short_date(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


# ---------------------------------------------------------------- components


def rule(text_width: float, column: float, ratio: float = 1.0) -> Context:
    """A centred rule under a heading: its length and the indent either side."""
    width = min(text_width * ratio, column)
    return {"width_mm": round(width, 2), "indent_mm": round((column - width) / 2, 2)}


def place_date(doc: models.DocumentBase) -> str:
    """Ô 4. Unnumbered, the day stays blank: both are written in when the text is issued."""
    line = place_date_line(one_line(doc.issuer.place), doc.issued_on)
    if doc.number is None:
        line = re.sub(r"ngày \d{2} tháng", "ngày" + " " * 6 + "tháng", line, count=1)
    return line


def header(doc: models.DocumentBase) -> Context:
    """Ô 1–4: the two header columns."""
    issuer = [upper(line) for line in text_lines(doc.issuer.name)] or [""]
    widest = max(text_width_mm(line, layout.SIZE_ISSUER, "bold") for line in issuer)
    motto = text_width_mm(MOTTO, layout.SIZE_MOTTO, "bold")
    urgency = None
    if doc.urgency:
        urgency = {"text": doc.urgency, "width_mm": layout.URGENCY_WIDTH[doc.urgency]}
    return {
        "parent": upper(one_line(doc.issuer.parent)) if doc.issuer.parent else None,
        "issuer": issuer,
        "issuer_rule": rule(widest, layout.HEADER_LEFT, layout.ISSUER_RULE_RATIO),
        "national": NATIONAL_NAME,
        "motto": MOTTO,
        "motto_rule": rule(motto, layout.HEADER_RIGHT),
        # Generated from validated parts; its run of spaces on a draft is the point.
        "number_line": doc.number_line,
        "place_date": place_date(doc),
        "subject": [],  # ô 5b, a công văn's "V/v" line
        "urgency": urgency,
    }


def title(type_name: str, subject: list[str]) -> Context:
    """Ô 5a: the type name, the trích yếu under it, a rule 1/3–1/2 of the trích yếu."""
    size = layout.SIZE_TITLE
    widest = max((text_width_mm(line, size, "bold") for line in subject), default=0.0)
    return {
        "type_name": upper(one_line(type_name)),
        "subject": subject,
        "rule": rule(widest, layout.TEXT_WIDTH, layout.ISSUER_RULE_RATIO),
    }


def kinh_gui(recipients: list[str]) -> Context:
    """Ô 9a. One recipient: on the "Kính gửi:" line. Several: one a line, dashes under the colon."""
    names = [item(r) for r in recipients]
    if len(names) == 1:
        return {"single": True, "line": f"{KINH_GUI}: {names[0]}", "entries": []}
    entries = punctuated(names)
    size = layout.SIZE_BODY
    to_colon = text_width_mm(KINH_GUI, size)
    dash = text_width_mm("- ", size)
    block = to_colon + max(text_width_mm(e, size) for e in entries)
    indent = min(max((layout.TEXT_WIDTH - block) / 2, 0.0), layout.TEXT_WIDTH * 0.3)
    return {
        "single": False,
        "line": f"{KINH_GUI}:",
        "entries": entries,
        "indent_mm": round(indent, 2),
        "item_indent_mm": round(indent + to_colon + dash, 2),
        "hanging_mm": round(dash, 2),
    }


def noi_nhan(distribution: models.Distribution) -> Context:
    """Ô 9b: '- Như trên;' … '- Lưu: VT, VP.' (with the copies kept, '…, 02b.')."""
    archive = [item(a) for a in distribution.archive]
    if distribution.copies:
        archive.append(f"{distribution.copies:02d}b")
    lines = [item(r) for r in distribution.recipients]
    lines.append("Lưu: " + ", ".join(archive))
    return {"label": "Nơi nhận:", "entries": punctuated(lines)}


def signer(person: models.Signer) -> Context:
    """Ô 7a/7b: authority and title upper case, the name as written.

    ``heading`` is the authority lines and the title, one block, as they are printed.
    """
    authority = [upper(one_line(line)) for line in person.authority]
    title = upper(one_line(person.title))
    return {
        "authority": authority,
        "title": title,
        "heading": [*authority, title],
        "name": one_line(person.name),
    }


def footer(issuer: models.Issuer) -> list[str]:
    """Ô 13 lines: address, then telephone, email, website; empty when none is given."""
    lines = []
    if issuer.address:
        lines.append(f"Địa chỉ: {one_line(issuer.address)}")
    contact = [
        f"{label}: {one_line(value)}"
        for label, value in (
            ("Điện thoại", issuer.phone),
            ("Email", issuer.email),
            ("Website", issuer.website),
        )
        if value
    ]
    if contact:
        lines.append("; ".join(contact))
    return lines


def footer_margin(lines: list[str]) -> float:
    """Page 1's bottom margin in the PDF: the decree's 20 mm below ô 13, and ô 13 itself.

    The footer is printed inside the text area (Phụ lục I, ô 13 at its foot), so
    the body of page 1 ends above it; a wrapped address takes one line more.
    """
    if not lines:
        return layout.MARGIN_BOTTOM
    wrapped = sum(
        math.ceil(text_width_mm(line, layout.SIZE_FOOTER) / layout.TEXT_WIDTH) for line in lines
    )
    height = wrapped * layout.FOOTER_LINE_PT * MM_PER_PT + FOOTER_RULE_MM
    return round(layout.FOOTER_DISTANCE + height + FOOTER_GAP_MM, 2)


def paragraphs(texts: Iterable[str]) -> list[str]:
    """Body paragraphs; a line break inside one starts a new one (Word would
    otherwise stretch the broken line across the justified column)."""
    return [line for text in texts for line in text_lines(text)]


def common(doc: models.DocumentBase) -> Context:
    """What every administrative document prints around its own content."""
    head = header(doc)
    lines = footer(doc.issuer)
    return {
        "draft": doc.draft,
        "draft_mark": DRAFT_MARK,
        "header": head,
        "noi_nhan": noi_nhan(doc.distribution),
        "signer": signer(doc.signer),
        "drafter": upper(one_line(doc.drafter)) if doc.drafter else None,
        "footer": lines,
        "footer_margin_mm": footer_margin(lines),
        "meta": {
            "author": " ".join(head["issuer"]),
            "issued_on": doc.issued_on.isoformat(),
            "number": head["number_line"],
            "language": "vi-VN",
        },
    }


# ---------------------------------------------------------------- templates


@builds(models.CongVan)
def cong_van(doc: models.CongVan) -> Context:
    context = common(doc)
    subject = text_lines(doc.subject) or [""]
    subject[0] = f"V/v {subject[0]}".rstrip()
    context["header"]["subject"] = subject
    context["kinh_gui"] = kinh_gui(doc.recipients)
    context["paragraphs"] = paragraphs(doc.paragraphs)
    context["meta"]["title"] = " ".join(subject)
    return context


@builds(models.CongVanDonDoc)
def cong_van_don_doc(doc: models.CongVanDonDoc) -> Context:
    context = cong_van(doc)
    context["overdue"] = [
        {
            "stt": str(number),
            "reporter": one_line(row.reporter),
            "project": one_line(row.project) if row.project else "",
            "report": one_line(row.report),
            "due": short_date(row.due_on),
        }
        for number, row in enumerate(doc.overdue, start=1)
    ]
    context["deadline"] = one_line(doc.deadline).rstrip(" ;.,")
    context["closing"] = paragraphs(doc.closing)
    return context


def named_common(doc: models.DocumentBase, subject: str) -> Context:
    """What every document with a type name adds: its trích yếu, no Kính gửi by default.

    ``title`` (ô 5a) is filled by :func:`build_context` from the catalogue's type name.
    """
    context = common(doc)
    context["subject"] = text_lines(subject) or [""]
    context["title"] = None
    context["kinh_gui"] = None
    context["meta"]["title"] = " ".join(context["subject"])
    return context


@builds(models.NamedDocument)
def named_document(doc: models.NamedDocument) -> Context:
    context = named_common(doc, doc.subject)
    if doc.recipients:
        context["kinh_gui"] = kinh_gui(doc.recipients)
    context["sections"] = [
        {
            "heading": one_line(section.heading) if section.heading else "",
            "paragraphs": paragraphs(section.paragraphs),
        }
        for section in doc.sections
    ]
    return context


DECIDES = "QUYẾT ĐỊNH:"


def article(number: int, item: models.Article) -> Context:
    """'Điều 1.' bold; with a title the whole heading is bold on its own line,
    without one the first paragraph follows the heading on the same line."""
    texts = paragraphs(item.paragraphs)
    heading = f"Điều {number}."
    lead = ""
    if item.title:
        heading = f"{heading} {one_line(item.title)}"
    elif texts:
        lead = " " + texts.pop(0)
    return {"heading": heading, "lead": lead, "paragraphs": texts}


@builds(models.QuyetDinh)
def quyet_dinh(doc: models.QuyetDinh) -> Context:
    context = named_common(doc, doc.subject)
    context["competence"] = upper(one_line(doc.competence))
    bases = [item(line) for line in doc.bases]
    context["bases"] = [
        f"{text}{'.' if i == len(bases) - 1 else ';'}" for i, text in enumerate(bases)
    ]
    context["decides"] = DECIDES
    context["articles"] = [article(n, a) for n, a in enumerate(doc.articles, start=1)]
    return context


@builds(models.GiayMoi)
def giay_moi(doc: models.GiayMoi) -> Context:
    context = named_common(doc, doc.subject)
    invitees = [item(name) for name in doc.invitees]
    label = "Trân trọng kính mời"
    if len(invitees) == 1:
        invitation = [f"{label}: {invitees[0]}."]
    else:
        invitation = [f"{label}:", *punctuated(invitees)]
    context["invitation"] = invitation
    context["details"] = [
        {"label": "Thời gian:", "value": " " + item(doc.starts_at) + "."},
        {"label": "Địa điểm:", "value": " " + item(doc.venue) + "."},
    ]
    context["paragraphs"] = paragraphs(doc.paragraphs)
    return context
