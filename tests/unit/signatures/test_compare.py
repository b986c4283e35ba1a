"""compare_with_issued: incremental signing, rewriting tools, other documents."""

from __future__ import annotations

from io import BytesIO

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer

from shared.signatures import InvalidPdf, compare_with_issued
from tests.support.pki import sign_pdf
from tests.unit.signatures.conftest import PAGES, append_drawing, render


def rewrite(pdf: bytes) -> bytes:
    """Re-save every object into a fresh file, as signing tools that don't append do."""
    out = BytesIO()
    copy_into_new_writer(PdfFileReader(BytesIO(pdf))).write(out)
    return out.getvalue()


def test_incremental_signing_matches(issued: bytes, signed_twice: bytes) -> None:
    result = compare_with_issued(signed_twice, issued)
    assert (result.matches, result.method, result.reason) == (True, "incremental", None)


def test_rewritten_then_signed_matches_on_text(issued: bytes) -> None:
    signed = sign_pdf(rewrite(issued))
    assert not signed.startswith(issued)
    result = compare_with_issued(signed, issued)
    assert (result.matches, result.method) == (True, "text")


def test_signature_over_an_earlier_revision_falls_back_to_text(issued: bytes) -> None:
    # Signed first, then the issued file grew: the signature no longer covers all of it.
    signed = sign_pdf(issued)
    grown = append_drawing(issued)
    assert compare_with_issued(signed, grown).method == "text"


def test_different_document_does_not_match(issued: bytes) -> None:
    other = sign_pdf(render(PAGES[0], "Điều 2. Quyết định có hiệu lực sau 30 ngày"))
    result = compare_with_issued(other, issued)
    assert (result.matches, result.method) == (False, None)
    assert result.reason is not None
    assert result.reason.startswith("Nội dung trang 2 khác nhau")
    assert "sau 30 ngày" in result.reason


def test_page_count_differs(issued: bytes) -> None:
    result = compare_with_issued(sign_pdf(render(*PAGES, "Phụ lục")), issued)
    assert not result.matches
    assert result.reason == (
        "Số trang khác nhau: văn bản phát hành có 2 trang, bản đã ký có 3 trang."
    )


def test_unsigned_copy_does_not_match(issued: bytes) -> None:
    result = compare_with_issued(issued, issued)
    assert (result.matches, result.reason) == (False, "Tệp không có chữ ký số nào.")


def test_refuses_non_pdf(issued: bytes) -> None:
    with pytest.raises(InvalidPdf) as refused:
        compare_with_issued(b"not a pdf", issued)
    assert refused.value.code == "not_pdf"
