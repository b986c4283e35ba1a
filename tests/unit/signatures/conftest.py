"""Real PDFs, really signed: WeasyPrint renders them once, the test PKI signs them."""

from __future__ import annotations

from io import BytesIO

import pytest
import weasyprint
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tests.support.pki import default_pki, sign_pdf

PAGES = ("QUYẾT ĐỊNH Về việc ban hành quy chế văn thư", "Điều 2. Quyết định có hiệu lực")


def render(*pages: str) -> bytes:
    """A PDF with one page per text."""
    body = "".join(f'<p style="break-before: page">{text}</p>' for text in pages)
    return weasyprint.HTML(string=f"<html lang='vi'><body>{body}</body></html>").write_pdf()


def append_drawing(pdf: bytes) -> bytes:
    """An incremental update that draws a box on page 1 (a content change, not a signature)."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    stream = writer.add_object(generic.StreamObject(stream_data=b"q 0 0 100 100 re S Q"))
    writer.add_stream_to_page(0, stream)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def issued() -> bytes:
    """The document as issued: two pages, unsigned."""
    return render(*PAGES)


@pytest.fixture(scope="session")
def signed_once(issued: bytes) -> bytes:
    """Signed by the leader."""
    return sign_pdf(issued, "leader")


@pytest.fixture(scope="session")
def signed_twice(signed_once: bytes) -> bytes:
    """Signed by the leader, then by the body."""
    return sign_pdf(signed_once, "body")


@pytest.fixture(scope="session")
def root_pem() -> bytes:
    """The test PKI's root certificate, PEM."""
    return default_pki().root.pem
