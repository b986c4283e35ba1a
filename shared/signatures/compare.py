"""Is this signed PDF the document we issued, signed?"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

import pypdfium2 as pdfium
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from shared.signatures.reading import check_pdf_bytes, open_reader, unreadable

MatchMethod = Literal["incremental", "text"]

_SNIPPET = 40

# PDFium is not thread-safe, and pypdfium2 leaves the locking to its callers.
_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True)
class MatchResult:
    """``method`` says how a match was established; ``reason`` (Vietnamese) why there is none."""

    matches: bool
    method: MatchMethod | None = None
    reason: str | None = None


def compare_with_issued(
    signed: bytes, issued: bytes, *, max_bytes: int | None = None
) -> MatchResult:
    """Match ``signed`` against ``issued``: what a reader sees must be the issued document.

    Incremental signing keeps the issued bytes as the file's first part, and then every
    signature must cover them; a signing tool may also have rewritten the file. Either
    way what was added may not show: the catalog gains no actions or scripts, and every
    page has the issued page's text (NFC, whitespace collapsed) and renders as the issued
    page does outside the signature widgets. A white box drawn over the number, a page
    added or a paragraph whited out is refused, naming the page. Raises
    :class:`InvalidPdf` for bytes that aren't a readable PDF.
    """
    check_pdf_bytes(signed, max_bytes)
    check_pdf_bytes(issued, max_bytes)
    reader = open_reader(signed)
    covered = _covered_prefixes(reader)
    if not covered:
        return MatchResult(False, reason="Tệp không có chữ ký số nào.")
    incremental = signed.startswith(issued) and min(covered) >= len(issued)
    added = _added_actions(reader, open_reader(issued))
    if added:
        return MatchResult(False, reason=f"Bản đã ký có thêm {added}, văn bản phát hành không có.")
    ours, theirs = _pages(issued), _pages(signed)
    texts = _compare_text([p.text for p in theirs], [p.text for p in ours])
    if not texts.matches:
        return texts
    drawn = _compare_rendering(ours, theirs, _widget_boxes(reader))
    if drawn is not None:
        return MatchResult(False, reason=drawn)
    return MatchResult(True, method="incremental" if incremental else "text")


# What a catalog may carry that makes a viewer act or show more than the pages.
_ACTIONS = {"/OpenAction": "hành động khi mở tệp", "/AA": "hành động tự động"}
_NAMES = {"/JavaScript": "mã JavaScript", "/EmbeddedFiles": "tệp đính kèm"}


def _added_actions(signed: PdfFileReader, issued: PdfFileReader) -> str | None:
    try:
        ours, theirs = issued.root, signed.root
        for key, what in _ACTIONS.items():
            if key in theirs and key not in ours:
                return what
        names_ours, names_theirs = _entry(ours, "/Names", {}), _entry(theirs, "/Names", {})
        for key, what in _NAMES.items():
            if key in names_theirs and key not in names_ours:
                return what
    except Exception as exc:  # a hostile catalog can fail in any way
        raise unreadable(exc) from exc
    return None


def _entry(dictionary: Any, key: str, default: Any) -> Any:
    """``dictionary[key]`` resolved (pyHanko's ``get`` leaves references as they are)."""
    try:
        return dictionary[key]
    except KeyError:
        return default


def _widget_boxes(reader: PdfFileReader) -> dict[int, list[tuple[float, ...]]]:
    """Page index → rectangles (PDF units) of the signature widgets on that page."""
    boxes: dict[int, list[tuple[float, ...]]] = {}
    try:
        for index in range(int(reader.root["/Pages"]["/Count"])):
            page = reader.find_page_for_modification(index)[0].get_object()
            for annotation in _entry(page, "/Annots", ()):
                widget = annotation.get_object()
                field = widget
                for _ in range(32):  # a field's parents, to its type (no endless cycle)
                    if "/FT" in field or "/Parent" not in field:
                        break
                    field = field["/Parent"].get_object()
                if field.get("/FT") == "/Sig" and "/Rect" in widget:
                    rect = tuple(float(v) for v in widget["/Rect"])
                    boxes.setdefault(index, []).append(rect)
    except Exception as exc:  # a hostile page tree can fail in any way
        raise unreadable(exc) from exc
    return boxes


# Rendering: 1 px per point (72 dpi) in grey; a pixel "differs" past this many grey
# levels, and a page differs when any such pixel is left outside the widgets.
_SCALE = 1.0
_THRESHOLD = 48
_EDGE = 2


def _compare_rendering(
    ours: list[_Page], theirs: list[_Page], widgets: dict[int, list[tuple[float, ...]]]
) -> str | None:
    """Why a signed page (``theirs``) does not look like the issued one, or None."""
    from PIL import ImageChops, ImageDraw  # noqa: PLC0415 - Pillow comes with WeasyPrint

    for index, (issued_page, signed_page) in enumerate(zip(ours, theirs, strict=True)):
        page, other = issued_page.image, signed_page.image
        if page.size != other.size:
            return f"Trang {index + 1} có khổ giấy khác với văn bản phát hành."
        difference = ImageChops.difference(page, other).point(
            lambda v: 255 if v > _THRESHOLD else 0
        )
        height = difference.size[1]
        mask = ImageDraw.Draw(difference)
        for x0, y0, x1, y1 in widgets.get(index, []):
            box = (min(x0, x1), height - max(y0, y1), max(x0, x1), height - min(y0, y1))
            left, top, right, bottom = (round(v * _SCALE) for v in box)
            edge = _EDGE  # the appearance's anti-aliased border
            mask.rectangle([left - edge, top - edge, right + edge, bottom + edge], fill=0)
        changed = difference.getbbox()
        if changed is not None:
            left, top, right, bottom = (round(v / _SCALE * 25.4 / 72) for v in changed)
            return (
                f"Trang {index + 1} hiển thị khác văn bản phát hành (vùng cách mép trái "
                f"{left}–{right} mm, mép trên {top}–{bottom} mm), ngoài chỗ đặt chữ ký số."
            )
    return None


def _covered_prefixes(reader: PdfFileReader) -> list[int]:
    """For each signature, how many leading bytes of the file its first byte range covers."""
    prefixes = []
    try:
        for _name, sig_object, _field in enumerate_sig_fields(reader, filled_status=True):
            byte_range = sig_object.get_object()["/ByteRange"]
            prefixes.append(int(byte_range[1]) if int(byte_range[0]) == 0 else 0)
    # Hostile AcroForms and byte ranges can fail in any way; all mean "unreadable".
    except Exception as exc:
        raise unreadable(exc) from exc
    return prefixes


@dataclass(frozen=True)
class _Page:
    text: str  # NFC, whitespace collapsed
    image: Any  # a greyscale PIL image, form widgets drawn


def _pages(data: bytes) -> list[_Page]:
    """Each page's text and rendering, read with PDFium in one pass.

    PDFium (Chromium's PDF engine) rather than pdfminer: pdfminer loops forever on an
    indirect-reference cycle, and the signed file comes from outside.
    """
    pages = []
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise unreadable(exc) from exc
        try:
            document.init_forms()  # form fields' widgets drawn too, as a viewer shows them
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                text = _normalise(textpage.get_text_bounded())
                textpage.close()
                bitmap = page.render(scale=_SCALE, grayscale=True, draw_annots=True)
                pages.append(_Page(text, bitmap.to_pil().convert("L")))
                page.close()
        except pdfium.PdfiumError as exc:
            raise unreadable(exc) from exc
        finally:
            document.close()
    return pages


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _compare_text(signed: list[str], issued: list[str]) -> MatchResult:
    if len(signed) != len(issued):
        return MatchResult(
            False,
            reason=f"Số trang khác nhau: văn bản phát hành có {len(issued)} trang, "
            f"bản đã ký có {len(signed)} trang.",
        )
    if not any(issued):
        return MatchResult(
            False,
            reason="Văn bản phát hành không có lớp chữ (bản quét?) nên không so được nội dung.",
        )
    for number, (ours, theirs) in enumerate(zip(issued, signed, strict=True), start=1):
        if ours != theirs:
            at = next(
                (i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b),
                min(len(ours), len(theirs)),
            )
            return MatchResult(
                False,
                reason=f"Nội dung trang {number} khác nhau từ ký tự thứ {at + 1}: "
                f"văn bản phát hành «{ours[at : at + _SNIPPET]}», "
                f"bản đã ký «{theirs[at : at + _SNIPPET]}».",
            )
    return MatchResult(True, method="text")
