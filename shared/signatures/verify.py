"""Verify the signatures of a PDF with pyHanko, offline unless fetching is asked for."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    PdfSignatureStatus,
    SignatureCoverageLevel,
    validate_pdf_signature,
)
from pyhanko_certvalidator import ValidationContext

from shared.signatures.reading import check_pdf_bytes, open_reader, unreadable
from shared.signatures.report import PdfReport, SignatureReport

TrustRoot: TypeAlias = bytes | x509.Certificate | asn1_x509.Certificate

# Vietnam has kept UTC+7 without daylight saving since 1975.
VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")

REASONS = {
    "unreadable_signature": "Không đọc được chữ ký số: dữ liệu chữ ký bị hỏng "
    "hoặc thuộc định dạng không được hỗ trợ.",
    "digest_mismatch": "Nội dung được ký đã bị thay đổi: giá trị băm không khớp với chữ ký.",
    "invalid_signature": "Giá trị chữ ký không khớp với khóa công khai trong chứng thư số "
    "của người ký.",
    "partial_coverage": "Chữ ký không bao trùm trọn phiên bản tài liệu được ký.",
    "modified": "Tài liệu bị sửa đổi sau khi ký theo cách không được phép",
    "timestamp_broken": "Dấu thời gian kèm chữ ký không hợp lệ.",
    "no_trust_roots": "Chưa cấu hình chứng thư số gốc tin cậy nên chưa xác minh được "
    "chứng thư số của người ký.",
    "untrusted_chain": "Chứng thư số của người ký không dẫn tới chứng thư số gốc tin cậy nào.",
    "certificate_not_valid_at_signing_time": "Chứng thư số của người ký không còn "
    "(hoặc chưa có) hiệu lực tại thời điểm ký.",
    "certificate_revoked": "Chứng thư số của người ký đã bị thu hồi.",
    "timestamp_untrusted": "Dấu thời gian không do tổ chức cung cấp dấu thời gian tin cậy cấp.",
}

_MODIFICATION_NAMES = {
    "none": "không sửa đổi",
    "lta_updates": "bổ sung dữ liệu lưu trữ dài hạn",
    "form_filling": "điền biểu mẫu hoặc thêm chữ ký",
    "annotations": "thêm chú thích",
    "other": "sửa đổi khác (nội dung, trang…)",
}

# RFC 4514 § 3 short names; any other attribute type is written as its dotted OID.
_RFC4514_KEYS = {
    "2.5.4.3": "CN",
    "2.5.4.7": "L",
    "2.5.4.8": "ST",
    "2.5.4.10": "O",
    "2.5.4.11": "OU",
    "2.5.4.6": "C",
    "2.5.4.9": "STREET",
    "0.9.2342.19200300.100.1.25": "DC",
    "0.9.2342.19200300.100.1.1": "UID",
}
_RFC4514_SPECIAL = frozenset('\\,+"<>;')

_TIME_PROBLEMS = {
    AdESIndeterminate.EXPIRED,
    AdESIndeterminate.NOT_YET_VALID,
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
    AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
}
_REVOKED_PROBLEMS = {AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE}


def load_trust_roots(roots: Iterable[TrustRoot]) -> list[asn1_x509.Certificate]:
    """Certificates from PEM (bundles allowed) or DER bytes, or certificate objects."""
    loaded: list[asn1_x509.Certificate] = []
    for root in roots:
        if isinstance(root, asn1_x509.Certificate):
            loaded.append(root)
        elif isinstance(root, x509.Certificate):
            der = root.public_bytes(serialization.Encoding.DER)
            loaded.append(asn1_x509.Certificate.load(der))
        elif pem.detect(root):
            loaded.extend(
                asn1_x509.Certificate.load(der)
                for kind, _headers, der in pem.unarmor(root, multiple=True)
                if kind == "CERTIFICATE"
            )
        else:
            loaded.append(asn1_x509.Certificate.load(root))
    return loaded


def verify_pdf(
    data: bytes,
    *,
    trust_roots: Sequence[TrustRoot] = (),
    allow_fetching: bool = False,
    max_bytes: int | None = None,
) -> PdfReport:
    """Check every signature of ``data``; raise :class:`InvalidPdf` for bytes that aren't a PDF.

    Trust is judged against ``trust_roots`` only (never the system store), at the time the
    signer claims to have signed. Revocation data is fetched only with ``allow_fetching``.
    """
    check_pdf_bytes(data, max_bytes)
    reader = open_reader(data)
    roots = load_trust_roots(trust_roots)
    try:
        fields = [
            (name, field)
            for name, sig_object, field in enumerate_sig_fields(reader, filled_status=True)
            if sig_object.get_object().get("/Type") != "/DocTimeStamp"
        ]
    # Same reasoning as open_reader: a hostile AcroForm can fail in any way.
    except Exception as exc:
        raise unreadable(exc) from exc
    found = [_check_field(reader, name, field, roots, allow_fetching) for name, field in fields]
    found.sort(key=lambda item: item[0])
    return PdfReport(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        signatures=tuple(report for _revision, report in found),
    )


def _check_field(
    reader: PdfFileReader,
    name: str,
    field: Any,
    roots: list[asn1_x509.Certificate],
    allow_fetching: bool,
) -> tuple[int, SignatureReport]:
    """(signed revision, report) for one filled signature field; unreadable ones sort last."""
    try:
        embedded = EmbeddedPdfSignature(reader, field, name)
        claimed = embedded.self_reported_timestamp
        context = _validation_context(roots, claimed, allow_fetching)
        status = validate_pdf_signature(embedded, context)
    # pyHanko raises its own errors, asn1crypto ValueErrors and worse on malformed CMS;
    # any of them leaves this signature unverifiable, not the whole file unreadable.
    except Exception:
        report = SignatureReport(
            field_name=name,
            signer_name=None,
            subject=None,
            subject_cn=None,
            subject_o=None,
            issuer=None,
            serial=None,
            signing_time=None,
            timestamp_time=None,
            intact=False,
            trusted=False,
            coverage=None,
            modification_level=None,
            problems=("unreadable_signature",),
            reasons=(REASONS["unreadable_signature"],),
        )
        return reader.xrefs.total_revisions, report
    return embedded.signed_revision, _report(name, status, has_roots=bool(roots))


def _validation_context(
    roots: list[asn1_x509.Certificate], claimed: dt.datetime | None, allow_fetching: bool
) -> ValidationContext:
    # certvalidator refuses a fixed moment together with fetching; then validate "now"
    # and only tell it when the signature was made.
    if allow_fetching:
        return ValidationContext(
            trust_roots=roots, allow_fetching=True, best_signature_time=claimed
        )
    return ValidationContext(trust_roots=roots, allow_fetching=False, moment=claimed)


def _problems(status: PdfSignatureStatus, *, has_roots: bool) -> list[str]:
    problems: list[str] = []
    if not status.intact:
        problems.append("digest_mismatch")
    elif not status.valid:
        problems.append("invalid_signature")
    coverage = status.coverage
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problems.append("partial_coverage")
    if status.docmdp_ok is False:
        problems.append("modified")
    tst = status.timestamp_validity
    if tst is not None and not (tst.intact and tst.valid):
        problems.append("timestamp_broken")
    # pyHanko does not vouch for the chain of a signature that fails to verify: say nothing.
    if status.intact and status.valid and not status.trusted:
        indication = status.trust_problem_indic
        if not has_roots:
            problems.append("no_trust_roots")
        elif indication in _TIME_PROBLEMS:
            problems.append("certificate_not_valid_at_signing_time")
        elif indication in _REVOKED_PROBLEMS:
            problems.append("certificate_revoked")
        else:
            problems.append("untrusted_chain")
    if tst is not None and tst.intact and tst.valid and not tst.trusted:
        problems.append("timestamp_untrusted")
    return problems


def _reason(problem: str, level: str | None) -> str:
    if problem != "modified":
        return REASONS[problem]
    if level is None:
        return REASONS[problem] + "."
    return f"{REASONS[problem]} (mức: {_MODIFICATION_NAMES.get(level, level)})."


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(VIETNAM_TIME).isoformat() if moment is not None else None


def _report(name: str, status: PdfSignatureStatus, *, has_roots: bool) -> SignatureReport:
    cert = status.signing_cert
    subject, cn, org = _name_parts(cert.subject)
    level = status.modification_level
    level_name = level.name.lower() if level is not None else None
    problems = _problems(status, has_roots=has_roots)
    tst = status.timestamp_validity
    return SignatureReport(
        field_name=name,
        signer_name=cn,
        subject=subject,
        subject_cn=cn,
        subject_o=org,
        issuer=_name_parts(cert.issuer)[0],
        serial=format(cert.serial_number, "x"),
        signing_time=_iso(status.signer_reported_dt),
        timestamp_time=_iso(tst.timestamp) if tst is not None else None,
        intact=status.intact and status.valid,
        trusted=status.trusted,
        coverage=status.coverage.name.lower() if status.coverage is not None else None,
        modification_level=level_name,
        problems=tuple(problems),
        reasons=tuple(_reason(problem, level_name) for problem in problems),
    )


def _name_parts(name: asn1_x509.Name) -> tuple[str, str | None, str | None]:
    """(RFC 4514 string, common name, organisation) of a distinguished name."""
    rdns = list(name.chosen)
    text = ",".join(
        "+".join(f"{_attribute_type(atv)}={_attribute_value(atv)}" for atv in rdn)
        for rdn in reversed(rdns)
    )
    return text, _first(rdns, "common_name"), _first(rdns, "organization_name")


def _attribute_type(atv: Any) -> str:
    dotted = atv["type"].dotted
    return _RFC4514_KEYS.get(dotted, dotted)


def _attribute_value(atv: Any) -> str:
    value = atv["value"].native
    if not isinstance(value, str):
        return "#" + atv["value"].dump().hex()
    chars = ["\\" + ch if ch in _RFC4514_SPECIAL else ch for ch in value]
    if chars and value[0] in "# ":
        chars[0] = "\\" + value[0]
    if len(chars) > 1 and value[-1] == " ":
        chars[-1] = "\\ "
    return "".join(chars).replace("\x00", "\\00")


def _first(rdns: list[Any], attribute: str) -> str | None:
    for rdn in rdns:
        for atv in rdn:
            if atv["type"].native == attribute and isinstance(atv["value"].native, str):
                return str(atv["value"].native)
    return None
