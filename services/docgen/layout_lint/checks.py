"""Checks shared by the DOCX and PDF readers: a component's size and style, texts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from services.docgen.layout_lint.report import Location, Report, finding
from services.docgen.layout_lint.rules import (
    COMPONENTS,
    DASHES,
    QUOC_HIEU,
    RE_LUU,
    RE_NGAY,
    RE_NGAY_DRAFT,
    RE_SO,
    RE_SO_DRAFT,
    RE_SO_FORM,
    SIZE_TOLERANCE_PT,
    STYLE_WANTS,
    TIEU_NGU,
)


@dataclass(frozen=True)
class Piece:
    """A stretch of text with one formatting: a DOCX run or a PDF glyph."""

    text: str
    size: float
    bold: bool
    italic: bool


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    return " ".join(nfc(text).split())


def is_quoc_hieu(text: str) -> bool:
    return collapse(text).upper().replace("HOÀ", "HÒA") == QUOC_HIEU


_DASH_RUN = re.compile(rf"\s*[{re.escape(DASHES)}]\s*")


def is_tieu_ngu(text: str) -> bool:
    """The motto whatever its dashes and case: "Độc lập – Tự do – Hạnh phúc" too."""
    return _DASH_RUN.sub(" - ", collapse(text)).casefold() == TIEU_NGU.casefold()


def motto_dashes_ok(text: str) -> bool:
    """Phrases joined by " - " (hyphen-minus, one space either side) and nothing else."""
    stripped = nfc(text).strip()
    return _DASH_RUN.sub(" - ", stripped) == stripped and all(
        ch == "-" for ch in stripped if ch in DASHES
    )


def has_letters(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def is_upper(text: str) -> bool:
    return not any(ch.isalpha() and not ch.isupper() for ch in text)


def so_ok(text: str, *, draft: bool, serial: bool = False) -> bool:
    """The number line; ``serial``: a form's number, its ký hiệu optional."""
    text = nfc(text).strip()
    return bool(
        RE_SO.match(text)
        or (serial and RE_SO_FORM.match(text))
        or (draft and RE_SO_DRAFT.match(text))
    )


def so_hint(text: str, *, draft: bool) -> tuple[str, str]:
    if not draft and RE_SO_DRAFT.match(nfc(text).strip()):
        return (
            " — văn bản dự thảo chưa có số? dùng --draft",
            " — an unnumbered draft? use --draft",
        )
    return ("", "")


def ngay_ok(text: str, *, draft: bool) -> bool:
    text = nfc(text).strip()
    match = RE_NGAY.match(text) or (RE_NGAY_DRAFT.match(text) if draft else None)
    return match is not None and match.group("place").strip()[:1].isupper()


def luu_ok(text: str) -> bool:
    return bool(RE_LUU.match(collapse(text)))


def item_step(text: str, previous: str | None) -> str:
    """How a line under "Nơi nhận:" continues the list: "new" item, "more" of the
    previous one (wrapped), or "stop" (the drafter's initials, ô 12, or the end)."""
    text = text.strip()
    if text[:1] in DASHES:
        return "new"
    if previous is not None and not previous.rstrip().endswith((";", ".")):
        return "more"
    if text.casefold().startswith("lưu") or text.endswith((";", ".")):
        return "new"  # an item that lost its dash
    return "stop"


def check_component(
    report: Report, key: str, pieces: Sequence[Piece], location: Location, text: str
) -> None:
    """Size and style of one line of a component, per the component table."""
    component = COMPONENTS[key]
    inked = [p for p in pieces if p.text.strip()]
    if not inked:
        return
    prefix = f"{component.rule}.{component.key}"
    sizes = sorted({round(p.size, 1) for p in inked})
    wrong = [s for s in sizes if not component.sizes.contains(s, SIZE_TOLERANCE_PT)]
    if wrong:
        report.add(
            finding(f"{prefix}-size", location, text=text, found=", ".join(f"{s:g}" for s in sizes))
        )
    for aspect, wanted in (("bold", component.bold), ("italic", component.italic)):
        if wanted is None:
            continue
        values = [p.bold if aspect == "bold" else p.italic for p in inked]
        if (wanted and not all(values)) or (not wanted and any(values)):
            vi, en = STYLE_WANTS[(aspect, wanted)]
            report.add(finding(f"{prefix}-{aspect}", location, text=text, want_vi=vi, want_en=en))
    if component.upper and not is_upper(text):
        report.add(finding(f"{prefix}-case", location, text=text))
