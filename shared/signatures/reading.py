"""Gatekeeping for untrusted PDF bytes: cheap checks first, then a guarded parse."""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader

from shared.signatures.report import InvalidPdf

# ISO 32000 lets readers tolerate junk before the header and after %%EOF; 1 KiB is the
# window Acrobat accepts, so a file without the marker in it was cut short.
_HEADER_WINDOW = 1024
_TRAILER_WINDOW = 1024


def check_pdf_bytes(data: bytes, max_bytes: int | None = None) -> None:
    """Refuse bytes that are too large, not a PDF, or cut short, without parsing them."""
    if max_bytes is not None and len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise InvalidPdf("not_pdf", "Tệp không phải là tài liệu PDF.")
    if b"%%EOF" not in data[-_TRAILER_WINDOW:]:
        raise InvalidPdf("truncated", "Tệp PDF bị cắt cụt: thiếu phần kết thúc tệp (%%EOF).")


def too_large(size: int, max_bytes: int) -> InvalidPdf:
    """The refusal for a file over the size limit."""
    return InvalidPdf(
        "too_large", f"Tệp quá lớn: {size} byte, giới hạn cho phép là {max_bytes} byte."
    )


def unreadable(exc: BaseException) -> InvalidPdf:
    """The refusal for a PDF whose structure cannot be parsed (``exc`` is kept as the cause)."""
    refusal = InvalidPdf(
        "unreadable",
        "Không đọc được cấu trúc tệp PDF (bảng xref hoặc đối tượng bị hỏng).",
    )
    refusal.__cause__ = exc
    return refusal


def open_reader(data: bytes) -> PdfFileReader:
    """A strict pyHanko reader over ``data``, its document catalog already resolved."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=True)
        reader.root  # noqa: B018 - resolve the catalog now so a broken xref fails here
    # Hostile input can break the parser in any way (PdfReadError, KeyError,
    # RecursionError...); every one of them means the same thing to the caller.
    except Exception as exc:
        raise unreadable(exc) from exc
    return reader
