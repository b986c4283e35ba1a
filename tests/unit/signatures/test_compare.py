"""compare_with_issued: incremental signing, rewriting tools, other documents."""

from __future__ import annotations

from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign import fields

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


def test_signature_over_an_earlier_revision_is_not_the_issued_document(issued: bytes) -> None:
    # Signed first, then the issued file grew a drawing the signed copy does not show.
    signed = sign_pdf(issued)
    grown = append_drawing(issued)
    result = compare_with_issued(signed, grown)
    assert not result.matches
    assert result.reason is not None
    assert result.reason.startswith("Trang 1 hiển thị khác")


def white_box(pdf: bytes, page: int = 0, text: bytes = b"So: 99/UBND-VP") -> bytes:
    """An incremental update that paints a white box (with other text, if any) over a page's
    top."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    font = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
            }
        )
    )
    resources = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/FX"): font})}
    )
    # The page's own drawing goes between q and Q, so the box is in page coordinates.
    save = writer.add_object(generic.StreamObject(stream_data=b"q"))
    writer.add_stream_to_page(page, save, prepend=True)
    paint = b"Q q 1 1 1 rg 0 700 595 142 re f Q"
    if text:
        paint += b" q 0 g BT /FX 14 Tf 60 780 Td (" + text + b") Tj ET Q"
    stream = writer.add_object(generic.StreamObject(stream_data=paint))
    writer.add_stream_to_page(page, stream, resources=resources)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def added_page(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    box = [generic.NumberObject(v) for v in (0, 0, 595, 842)]
    writer.insert_page(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Page"),
                generic.NameObject("/MediaBox"): generic.ArrayObject(box),
            }
        )
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_white_box_added_before_signing_is_refused_naming_the_page(issued: bytes) -> None:
    signed = sign_pdf(sign_pdf(white_box(issued), signer="leader"), signer="body")
    assert signed.startswith(issued)  # the issued bytes are there, and signed over
    result = compare_with_issued(signed, issued)
    assert not result.matches
    assert result.reason is not None
    assert "trang 1" in result.reason.lower()
    assert "99/UBND-VP" in result.reason  # what changed
    whited = compare_with_issued(sign_pdf(white_box(issued, text=b"")), issued)
    assert not whited.matches
    assert whited.reason is not None
    assert whited.reason.startswith("Trang 1 hiển thị khác")  # seen only in the rendering


def test_a_page_added_before_signing_is_refused(issued: bytes) -> None:
    result = compare_with_issued(sign_pdf(added_page(issued)), issued)
    assert not result.matches
    assert result.reason == (
        "Số trang khác nhau: văn bản phát hành có 2 trang, bản đã ký có 3 trang."
    )


def test_a_rewritten_file_with_a_paragraph_whited_out_is_refused(issued: bytes) -> None:
    # One byte changed near the start (the binary comment line): no longer a prefix; the
    # text stays in the file under the white box, so only the rendering shows it.
    touched = bytearray(white_box(issued, page=1, text=b""))
    comment = touched.index(b"%", 1)
    touched[comment + 1] ^= 0x01
    signed = sign_pdf(bytes(touched))
    assert not signed.startswith(issued)
    result = compare_with_issued(signed, issued)
    assert not result.matches
    assert result.reason is not None
    assert result.reason.startswith("Trang 2 hiển thị khác")


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


def test_a_visible_signature_is_allowed_where_its_widget_stands(issued: bytes) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(issued))
    fields.append_signature_field(
        writer, fields.SigFieldSpec("Sig_seal", on_page=0, box=(300, 100, 500, 160))
    )
    out = BytesIO()
    writer.write(out)
    signed = sign_pdf(out.getvalue(), signer="body", field_name="Sig_seal")
    result = compare_with_issued(signed, issued)
    assert (result.matches, result.method) == (True, "incremental"), result.reason
