"""The tolerant, safe reader: hostile inputs refused with a reason, real-world variants warned."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from lxml import etree

from shared.edxml import Limits, PacketRefused, Refusal, Warn, new_attachment, parse_packet
from shared.edxml.codes import LEGACY_NAMESPACE, NAMESPACE
from shared.edxml.model import MIB
from shared.edxml.safexml import safe_parser
from tests.unit.edxml.conftest import PDF, sample_bytes, zipped

PDF_B64 = base64.b64encode(PDF).decode()


def text() -> str:
    return sample_bytes().decode()


def refused(data: bytes, limits: Limits | None = None) -> PacketRefused:
    with pytest.raises(PacketRefused) as caught:
        parse_packet(data, limits)
    assert caught.value.message  # always a reason, in Vietnamese
    return caught.value


def with_payload(payload: str, content_type: str = "application/pdf") -> bytes:
    data = text().replace(PDF_B64, payload)
    return data.replace("application/pdf", content_type).encode()


# ---------------------------------------------------------------- hostile XML


def test_xxe_file_entity_is_refused() -> None:
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        f'<edXML xmlns="{NAMESPACE}">&xxe;</edXML>'
    ).encode()
    error = refused(data)
    assert error.code == Refusal.ENTITY
    assert "file:///etc/passwd" in error.message
    assert "XXE" in error.message


def test_xxe_http_entity_is_refused_without_network() -> None:
    data = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE edXML [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n'
        f'<edXML xmlns="{NAMESPACE}"/>'
    ).encode()
    error = refused(data)
    assert error.code == Refusal.ENTITY
    assert "http://127.0.0.1:9/evil.dtd" in error.message


def test_safe_parser_itself_never_resolves_entities() -> None:
    data = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    root = etree.fromstring(data, safe_parser())
    assert "root:" not in "".join(root.itertext())


def test_billion_laughs_is_refused() -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE edXML [{"".join(entities)}]>\n'
        f'<edXML xmlns="{NAMESPACE}">&lol9;</edXML>'
    ).encode()
    error = refused(data)
    assert error.code == Refusal.ENTITY
    assert "billion laughs" in error.message


def test_plain_doctype_is_refused() -> None:
    data = text().replace("?>", '?>\n<!DOCTYPE edXML SYSTEM "edxml.dtd">', 1).encode()
    assert refused(data).code == Refusal.DTD


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", Refusal.EMPTY),
        (b"  \r\n", Refusal.EMPTY),
        (b"hello, not a packet", Refusal.NOT_XML),
        (b"<edXML><unclosed></edXML>", Refusal.NOT_XML),
        (b"\xff\xfe<\x00e\x00", Refusal.ENCODING),
    ],
)
def test_not_xml_and_empty(data: bytes, code: str) -> None:
    assert refused(data).code == code


def test_wrong_namespace_and_no_namespace() -> None:
    other = refused(text().replace(NAMESPACE, "http://example.com/edxml").encode())
    assert other.code == Refusal.NAMESPACE
    assert "http://example.com/edxml" in other.message
    bare = refused(
        text()
        .replace(f' xmlns="{NAMESPACE}"', "")
        .replace(f' xmlns:edXML="{NAMESPACE}"', ' xmlns:edXML="urn:x"')
        .encode()
    )
    assert bare.code == Refusal.NAMESPACE


def test_missing_document_id_is_refused() -> None:
    lines = [line for line in text().splitlines() if "<edXML:DocumentId>" not in line]
    error = refused("\n".join(lines).encode())
    assert error.code == Refusal.NO_DOCUMENT_ID
    assert "DocumentId" in error.message


def test_packet_size_limit() -> None:
    error = refused(sample_bytes(), Limits(max_packet_bytes=1000))
    assert error.code == Refusal.TOO_LARGE


# ---------------------------------------------------------------- attachments


def test_50_mb_attachment_is_refused_before_decoding() -> None:
    size = 50 * 1000 * 1000
    payload = "A" * (4 * ((size + 2) // 3) - 1) + "="  # base64 of 50 MB, never decoded
    error = refused(with_payload(payload))
    assert error.code == Refusal.ATTACHMENT_TOO_LARGE
    assert str(size) in error.message


def test_zip_bomb_is_refused_while_inflating() -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("bomb.pdf", "w", force_zip64=True) as member,
    ):
        chunk = bytes(MIB)
        for _ in range(110):  # 110 MiB of zeros > the 100 MiB default
            member.write(chunk)
    bomb = buffer.getvalue()
    assert len(bomb) < MIB  # small on the wire
    error = refused(with_payload(base64.b64encode(bomb).decode(), "application/zip"))
    assert error.code == Refusal.ZIP_BOMB


def test_zip_limit_is_configurable_and_checks_actual_bytes() -> None:
    archive = zipped("a.pdf", PDF + bytes(20_000))
    data = with_payload(base64.b64encode(archive).decode(), "application/zip")
    assert parse_packet(data).attachments[0].data == archive
    error = refused(data, Limits(max_unzipped_bytes=10_000))
    assert error.code == Refusal.ZIP_BOMB


def test_lying_zip_header_is_caught() -> None:
    archive = bytearray(zipped("a.pdf", PDF * 100))
    # shrink the declared size in the central directory: the CRC check then fails
    central = archive.rfind(b"PK\x01\x02")
    archive[central + 24 : central + 28] = (10).to_bytes(4, "little")
    local = archive.find(b"PK\x03\x04")
    archive[local + 22 : local + 26] = (10).to_bytes(4, "little")
    data = with_payload(base64.b64encode(bytes(archive)).decode(), "application/zip")
    assert refused(data).code == Refusal.ATTACHMENT_ZIP


def test_too_many_attachments() -> None:
    files = [new_attachment(f"p{i}.pdf", PDF) for i in range(3)]
    error = refused(sample_bytes(attachments=files), Limits(max_attachments=2))
    assert error.code == Refusal.TOO_MANY_ATTACHMENTS
    assert "3" in error.message


def test_pdf_that_is_not_a_pdf_is_refused() -> None:
    error = refused(with_payload(base64.b64encode(b"MZ\x90\x00 not a pdf").decode()))
    assert error.code == Refusal.ATTACHMENT_CONTENT
    assert "PDF" in error.message


def test_invalid_base64_is_refused() -> None:
    assert refused(with_payload("@@@not base64@@@")).code == Refusal.ATTACHMENT_BASE64


def test_zip_declared_but_pdf_sent_is_a_warning() -> None:
    packet = parse_packet(with_payload(PDF_B64, "application/zip"))
    assert packet.warning_codes() == {Warn.ATTACHMENT_TYPE}
    assert packet.attachments[0].data == PDF


# ---------------------------------------------------------------- tolerated variants


def test_prefixed_root() -> None:
    data = (
        text()
        .replace(
            f'<edXML xmlns="{NAMESPACE}">',
            f'<edXML:edXML xmlns:edXML="{NAMESPACE}" xmlns="{NAMESPACE}">',
        )
        .replace("</edXML>", "</edXML:edXML>")
    )
    packet = parse_packet(data.encode())
    assert packet.warnings == ()
    assert packet.subject == "V/v tổ chức hội nghị tổng kết"


def test_legacy_namespace_is_read_with_a_warning() -> None:
    packet = parse_packet(text().replace(NAMESPACE, LEGACY_NAMESPACE).encode())
    assert packet.warning_codes() == {Warn.LEGACY_NAMESPACE}
    assert packet.document_id is not None


def test_business_spelling_dates_codes_and_uuid() -> None:
    data = (
        text()
        .replace("Bussiness", "Business")
        .replace("<edXML:PromulgationDate>2024/03/05", "<edXML:PromulgationDate>05/03/2024")
        .replace("000.00.32.H43,2024/03/05,123/UBND-VP", "9fbfbad2-f1f8-4256-a2eb-50fb1061cddb")
        .replace("<edXML:Type>2</edXML:Type>", "<edXML:Type>18</edXML:Type>")
        .replace("<edXML:SteeringType>0", "<edXML:SteeringType>5")
        .replace(
            "</edXML:SteeringType>",
            "</edXML:SteeringType>\n<edXML:ApplicationType>MCDT_DT</edXML:ApplicationType>",
        )
    )
    packet = parse_packet(data.encode())
    assert packet.warning_codes() == {
        Warn.BUSINESS_SPELLING,
        Warn.DATE_FORMAT,
        Warn.DOCUMENT_ID_FORMAT,
        Warn.CODE_UNKNOWN,
        Warn.ELEMENT_IGNORED,
    }
    assert packet.business is not None
    assert packet.business.business_doc_type == 0
    assert packet.promulgation is not None
    assert packet.promulgation.date == "2024-03-05"
    assert packet.document_id is not None
    assert packet.document_id.raw == "9fbfbad2-f1f8-4256-a2eb-50fb1061cddb"
    assert packet.document_id.organ_id is None
    assert packet.document_type is not None
    assert packet.document_type.type == 18
    assert packet.steering_type == 5


def test_other_element_order_and_extra_trace_headers() -> None:
    lines = text().splitlines()
    doc_line = next(line for line in lines if "<edXML:DocumentId>" in line)
    lines.remove(doc_line)
    end = next(i for i, line in enumerate(lines) if "</edXML:MessageHeader>" in line)
    lines.insert(end, doc_line)
    hop = next(i for i, line in enumerate(lines) if "</edXML:TraceHeader>" in line)
    lines[hop + 1 : hop + 1] = [
        "<edXML:TraceHeader><edXML:OrganId>001.00.20.TT2</edXML:OrganId>",
        "<edXML:Timestamp>2024/03/05 09:15:01</edXML:Timestamp></edXML:TraceHeader>",
    ]
    packet = parse_packet("\n".join(lines).encode())
    assert packet.warning_codes() == {Warn.ELEMENT_ORDER, Warn.TRACE_HEADERS, Warn.ORGAN_ID_FORMAT}
    assert packet.trace is not None
    assert [h.organ_id for h in packet.trace.trace_headers] == ["000.00.32.H43", "001.00.20.TT2"]
    assert packet.document_id is not None
    assert packet.document_id.is_standard


def test_status_variants_bkav_element_unknown_code_old_timestamp() -> None:
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{NAMESPACE}"><edXMLEnvelope><edXMLHeader><Status>
  <From><OrganId>000.00.00.H41</OrganId><OrganName>UBND tỉnh Nghệ An</OrganName></From>
  <ResponseFor><OrganId>000.00.00.G22</OrganId><Code>7816/VPCP-TTĐT</Code>
    <PromulgationDate>2015/09/30</PromulgationDate>
    <DocumentId>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT</DocumentId></ResponseFor>
  <StatusCode>09</StatusCode><Description>Khác</Description>
  <Timestamp>01/10/2015 08:00:00</Timestamp>
</Status></edXMLHeader></edXMLEnvelope></edXML>"""
    packet = parse_packet(data.encode())
    assert packet.kind == "status"
    assert packet.status_code == "09"
    assert packet.timestamp == "2015-10-01T08:00:00"
    assert packet.warning_codes() == {
        Warn.STATUS_ELEMENT,
        Warn.CODE_UNKNOWN,
        Warn.TIMESTAMP_FORMAT,
    }
