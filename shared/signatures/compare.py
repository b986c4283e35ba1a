"""Is this signed PDF the document we issued, signed?"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from typing import Literal

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
    """Match ``signed`` against ``issued``: byte prefix first, page text as the fallback.

    Incremental signing keeps the issued bytes as the file's first part, and then every
    signature must cover them. A signing tool that rewrote the file is matched on page count
    and page text (NFC, whitespace collapsed). Raises :class:`InvalidPdf` for bytes that
    aren't a readable PDF.
    """
    check_pdf_bytes(signed, max_bytes)
    check_pdf_bytes(issued, max_bytes)
    covered = _covered_prefixes(open_reader(signed))
    if not covered:
        return MatchResult(False, reason="Tệp không có chữ ký số nào.")
    if signed.startswith(issued) and min(covered) >= len(issued):
        return MatchResult(True, method="incremental")
    return _compare_text(_page_texts(signed), _page_texts(issued))


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


def _page_texts(data: bytes) -> list[str]:
    """Normalised text of each page, read with PDFium.

    PDFium (Chromium's PDF engine) rather than pdfminer: pdfminer loops forever on an
    indirect-reference cycle, and the signed file comes from outside.
    """
    texts = []
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise unreadable(exc) from exc
        try:
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                texts.append(_normalise(textpage.get_text_bounded()))
                textpage.close()
                page.close()
        except pdfium.PdfiumError as exc:
            raise unreadable(exc) from exc
        finally:
            document.close()
    return texts


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
