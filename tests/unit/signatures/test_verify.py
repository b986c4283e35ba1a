"""verify_pdf on real signatures, tampered files and hostile bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from shared.signatures import InvalidPdf, verify_pdf
from tests.support.pki import BODY_NAME, LEADER_NAME, default_pki, sign_pdf, stranger_pki
from tests.unit.signatures.conftest import append_drawing

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+07:00$")


def test_unsigned_pdf(issued: bytes) -> None:
    report = verify_pdf(issued, trust_roots=[default_pki().root.pem])
    assert report.status == "unsigned"
    assert report.signatures == ()
    assert report.sha256 == hashlib.sha256(issued).hexdigest()
    assert report.size == len(issued)


def test_one_signature_trusted(signed_once: bytes, root_pem: bytes) -> None:
    report = verify_pdf(signed_once, trust_roots=[root_pem])
    assert report.status == "valid"
    (sig,) = report.signatures
    assert sig.field_name == "Sig_leader"
    assert sig.signer_name == sig.subject_cn == LEADER_NAME
    assert sig.subject_o == BODY_NAME
    assert sig.subject is not None
    assert sig.subject.startswith(f"CN={LEADER_NAME},2.5.4.12=Chủ tịch,O={BODY_NAME},")
    assert sig.issuer == "CN=Vanthu Test Issuing CA,C=VN"
    assert sig.serial == format(default_pki().leader.certificate.serial_number, "x")
    assert (sig.intact, sig.trusted) == (True, True)
    assert (sig.coverage, sig.modification_level) == ("entire_file", "none")
    assert (sig.problems, sig.reasons) == ((), ())
    assert sig.timestamp_time is None
    assert sig.signing_time is not None
    assert ISO_WITH_OFFSET.match(sig.signing_time)
    signed_at = dt.datetime.fromisoformat(sig.signing_time)
    assert abs(dt.datetime.now(dt.UTC) - signed_at) < dt.timedelta(minutes=10)


def test_two_signatures_in_signing_order(signed_twice: bytes, root_pem: bytes) -> None:
    report = verify_pdf(signed_twice, trust_roots=[root_pem])
    assert report.status == "valid"
    leader, body = report.signatures
    assert (leader.field_name, leader.signer_name) == ("Sig_leader", LEADER_NAME)
    assert (body.field_name, body.signer_name, body.subject_o) == ("Sig_body", BODY_NAME, BODY_NAME)
    # The body's signature is an allowed change to the leader's signed revision.
    assert (leader.coverage, leader.modification_level) == ("entire_revision", "form_filling")
    assert (body.coverage, body.modification_level) == ("entire_file", "none")
    assert all(sig.intact and sig.trusted and sig.status == "valid" for sig in report.signatures)


def test_trust_roots_in_every_accepted_form(signed_once: bytes) -> None:
    root = default_pki().root
    bundle = stranger_pki().root.pem + root.pem
    for roots in ([root.der], [root.certificate], [bundle]):
        assert verify_pdf(signed_once, trust_roots=roots).status == "valid"


def test_no_trust_roots_is_untrusted_but_intact(signed_twice: bytes) -> None:
    report = verify_pdf(signed_twice)
    assert report.status == "untrusted"
    for sig in report.signatures:
        assert (sig.intact, sig.trusted) == (True, False)
        assert sig.problems == ("no_trust_roots",)
        assert "gốc tin cậy" in sig.reasons[0]


def test_foreign_root_is_untrusted(signed_once: bytes) -> None:
    report = verify_pdf(signed_once, trust_roots=[stranger_pki().root.pem])
    assert report.status == "untrusted"
    (sig,) = report.signatures
    assert sig.intact
    assert sig.problems == ("untrusted_chain",)


def test_tampered_signed_bytes_are_broken(signed_once: bytes, root_pem: bytes) -> None:
    # Byte 11 sits in the binary comment under the header: parsing is unaffected,
    # but it lies inside the signed byte range.
    tampered = bytearray(signed_once)
    tampered[11] ^= 0x01
    report = verify_pdf(bytes(tampered), trust_roots=[root_pem])
    assert report.status == "broken"
    (sig,) = report.signatures
    assert not sig.intact
    assert "digest_mismatch" in sig.problems
    assert sig.status == "broken"


def test_content_change_after_signing_is_reported(signed_once: bytes, root_pem: bytes) -> None:
    report = verify_pdf(append_drawing(signed_once), trust_roots=[root_pem])
    assert report.status == "broken"
    (sig,) = report.signatures
    assert sig.intact
    assert (sig.coverage, sig.modification_level) == ("entire_revision", "other")
    assert sig.problems == ("modified",)
    assert sig.reasons[0].startswith("Tài liệu bị sửa đổi sau khi ký")


def test_report_as_dict(signed_twice: bytes, root_pem: bytes) -> None:
    data = verify_pdf(signed_twice, trust_roots=[root_pem]).to_dict()
    assert data["status"] == "valid"
    assert [sig["status"] for sig in data["signatures"]] == ["valid", "valid"]
    assert data["signatures"][0]["problems"] == []


def test_not_a_pdf() -> None:
    with pytest.raises(InvalidPdf) as refused:
        verify_pdf(b"PK\x03\x04 this is a zip file, not a PDF %%EOF")
    assert refused.value.code == "not_pdf"
    assert refused.value.reason == "Tệp không phải là tài liệu PDF."


def test_truncated_pdf(signed_once: bytes) -> None:
    with pytest.raises(InvalidPdf) as refused:
        verify_pdf(signed_once[: len(signed_once) // 2])
    assert refused.value.code == "truncated"


def test_too_large(signed_once: bytes) -> None:
    with pytest.raises(InvalidPdf) as refused:
        verify_pdf(signed_once, max_bytes=len(signed_once) - 1)
    assert refused.value.code == "too_large"
    assert verify_pdf(signed_once, max_bytes=len(signed_once)).signatures


def _pdf(objects: dict[int, bytes], *, prev_loop: bool = False) -> bytes:
    """A hand-made PDF with a classic xref table (for structures no writer would produce)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, size))
    prev = b"/Prev %d" % xref if prev_loop else b""
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (size, prev, xref)
    return bytes(out)


CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>"


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_pdf({1: CATALOG, 2: PAGES, 3: PAGE}, prev_loop=True), id="xref-prev-loop"),
        pytest.param(
            _pdf({1: b"<</Type/Catalog/Pages 2 0 R/X" + b"[" * 50_000 + b"]" * 50_000 + b">>",
                  2: PAGES, 3: PAGE}),
            id="deep-nesting",
        ),
        pytest.param(
            _pdf({1: b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[4 0 R]>>>>", 2: PAGES,
                  3: PAGE, 4: b"<</T(a)/Kids[4 0 R]>>"}),
            id="form-field-cycle",
        ),
    ],
)
def test_hostile_structure_is_unreadable(data: bytes) -> None:
    with pytest.raises(InvalidPdf) as refused:
        verify_pdf(data)
    assert refused.value.code == "unreadable"
    assert isinstance(refused.value.__cause__, Exception)


def test_broken_xref_is_unreadable(issued: bytes) -> None:
    head, _, offset_and_eof = issued.rpartition(b"startxref\n")
    broken = head + b"startxref\n" + b"1" + offset_and_eof.lstrip(b"0123456789")
    with pytest.raises(InvalidPdf) as refused:
        verify_pdf(broken)
    assert refused.value.code == "unreadable"


def test_timestamp_time_is_reported(issued: bytes, root_pem: bytes) -> None:
    report = verify_pdf(sign_pdf(issued, "body", timestamp=True), trust_roots=[root_pem])
    assert report.status == "valid"
    (sig,) = report.signatures
    assert sig.timestamp_time is not None
    assert ISO_WITH_OFFSET.match(sig.timestamp_time)
    assert sig.signing_time is not None
    stamped = dt.datetime.fromisoformat(sig.timestamp_time)
    assert abs(stamped - dt.datetime.fromisoformat(sig.signing_time)) < dt.timedelta(minutes=1)


def test_timestamp_from_unknown_tsa(issued: bytes) -> None:
    signed = sign_pdf(issued, "body", timestamp=True)
    report = verify_pdf(signed, trust_roots=[stranger_pki().root.pem])
    (sig,) = report.signatures
    assert sig.problems == ("untrusted_chain", "timestamp_untrusted")
    assert report.status == "untrusted"


def test_garbled_signature_container_is_broken(signed_once: bytes, root_pem: bytes) -> None:
    start = signed_once.index(b"/Contents <") + len(b"/Contents <")
    garbled = signed_once[:start] + b"ff" * 16 + signed_once[start + 32 :]
    report = verify_pdf(garbled, trust_roots=[root_pem])
    assert report.status == "broken"
    (sig,) = report.signatures
    assert (sig.field_name, sig.intact, sig.signer_name) == ("Sig_leader", False, None)
    assert sig.problems == ("unreadable_signature",)
