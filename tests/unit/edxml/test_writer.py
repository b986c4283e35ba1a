"""The strict writer: formats, element order, code lists, business targets, XSD."""

from __future__ import annotations

import base64

import pytest
from lxml import etree

from shared.edxml import (
    Business,
    Code,
    DocumentId,
    OtherInfo,
    PacketInvalid,
    ReplacementInfo,
    ResponseFor,
    build_packet,
    codes,
    layout,
    new_attachment,
    parse_packet,
    status_packet,
    validate_packet,
)
from shared.edxml.writer import schema
from tests.unit.edxml.conftest import PDF, RECIPIENT, SENDER, sample_bytes, sample_document

NS = {"e": codes.NAMESPACE}


def children(el: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in el]


def test_document_is_valid_and_in_the_specified_order() -> None:
    data = sample_bytes(
        other_info=OtherInfo(priority=codes.Priority.KHAN, page_amount=2, appendixes=("PL I",)),
        due_date="2024-03-20",
        to_places=["Lưu: VT"],
        content="Tóm tắt",
    )
    assert validate_packet(data) == []
    assert schema().validate(etree.fromstring(data))
    root = etree.fromstring(data)
    assert root.nsmap == {None: codes.NAMESPACE}
    header = root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader", NS)
    assert header is not None
    names = children(header)
    assert layout.in_order(names, layout.MESSAGE_HEADER_DOCUMENT)
    assert names[:4] == ["From", "To", "DocumentId", "Code"]
    assert names[-2:] == ["SteeringType", "ToPlaces"]
    assert children(header.find("e:From", NS)) == [
        "OrganId", "OrganizationInCharge", "OrganName", "Email", "Website",
    ]  # fmt: skip
    assert children(header.find("e:OtherInfo", NS)) == [
        "Priority", "PageAmount", "Appendixes",
    ]  # fmt: skip
    text = data.decode()
    assert "<edXML:DocumentId>000.00.32.H43,2024/03/05,123/UBND-VP</edXML:DocumentId>" in text
    assert "<edXML:PromulgationDate>2024/03/05</edXML:PromulgationDate>" in text
    assert "<edXML:DueDate>2024/03/20</edXML:DueDate>" in text
    assert "<edXML:Timestamp>2024/03/05 09:15:00</edXML:Timestamp>" in text
    assert "<edXML:Type>2</edXML:Type>" in text
    assert "<edXML:TypeName>Công văn</edXML:TypeName>" in text
    assert "<edXML:SteeringType>0</edXML:SteeringType>" in text
    assert "<edXML:Priority>1</edXML:Priority>" in text
    assert "<edXML:BussinessDocType>0</edXML:BussinessDocType>" in text
    assert "<edXML:BussinessDocReason>Văn bản điện tử mới</edXML:BussinessDocReason>" in text


def test_attachment_is_base64_with_content_id_in_manifest_and_body() -> None:
    data = sample_bytes()
    root = etree.fromstring(data)
    (reference,) = root.iterfind(".//e:edXMLManifest/e:Reference", NS)
    (attachment,) = root.iterfind("e:AttachmentEncoded/e:Attachment", NS)
    assert children(reference) == list(layout.REFERENCE)
    assert children(attachment) == list(layout.ATTACHMENT)
    cid = reference.findtext("e:ContentId", namespaces=NS)
    assert cid is not None
    assert cid.startswith("cid:")
    assert attachment.findtext("e:ContentId", namespaces=NS) == cid
    assert attachment.findtext("e:ContentType", namespaces=NS) == "application/pdf"
    assert attachment.findtext("e:Description", namespaces=NS) == "cong-van-123.pdf"
    encoded = attachment.findtext("e:ContentTransferEncoded", namespaces=NS)
    assert base64.b64decode(encoded or "") == PDF
    packet = parse_packet(data)
    assert packet.warnings == ()
    assert packet.attachments[0].data == PDF


def test_build_then_parse_is_lossless_and_warning_free() -> None:
    original = sample_document()
    packet = parse_packet(build_packet(original))
    assert packet == original


def test_status_packet_in_the_sample_order() -> None:
    target = ResponseFor(
        organ_id="000.00.00.G22",
        document_id=DocumentId.parse("000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"),
        code="7816/VPCP-TTĐT",
        promulgation_date="2015-09-30",
    )
    packet = status_packet(
        sender=SENDER, response_for=target, status_code="03", timestamp="2015-10-01T08:00:00"
    )
    data = build_packet(packet)
    header = etree.fromstring(data).find(".//e:MessageHeader", NS)
    assert header is not None
    assert children(header) == ["From", "ResponseFor", "StatusCode", "Description", "Timestamp"]
    assert children(header.find("e:From", NS))[:3] == [
        "OrganId", "OrganName", "OrganizationInCharge",
    ]  # fmt: skip
    assert children(header.find("e:ResponseFor", NS)) == list(layout.RESPONSE_FOR)
    assert codes.STATUS_CODES["03"].description in data.decode()
    assert parse_packet(data) == packet


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"steering_type": 7}, "SteeringType"),
        ({"other_info": OtherInfo(priority=9)}, "Priority"),
        ({"document_type": 18}, "DocumentType/Type"),
        ({"type_name": ""}, "TypeName"),
        ({"business_doc_type": 5}, "BussinessDocType"),
        ({"business_doc_type": 1}, "thu hồi"),
        ({"business_doc_type": 2}, "cập nhật"),
        ({"business_doc_type": 3}, "thay thế"),
        ({"promulgation_date": "2024-02-30"}, "không phải ngày hợp lệ"),
        ({"code": Code("12a", "UBND-VP")}, "CodeNumber"),
        ({"attachments": [new_attachment("fake.pdf", b"not a pdf")]}, "PDF"),
    ],
)
def test_writer_refuses_what_it_must_not_emit(overrides: dict[str, object], problem: str) -> None:
    with pytest.raises(PacketInvalid) as caught:
        sample_bytes(**overrides)
    assert problem in str(caught.value)


def test_writer_refuses_a_non_standard_own_document_id() -> None:
    from dataclasses import replace

    packet = replace(sample_document(), document_id=DocumentId.parse("9fbfbad2-f1f8-4256"))
    with pytest.raises(PacketInvalid, match="DocumentId"):
        build_packet(packet)


def test_recall_update_and_replacement_carry_their_targets() -> None:
    target_id = DocumentId.parse("000.00.32.H43,2024/01/10,12/UBND-VP")
    recall = parse_packet(
        sample_bytes(
            business_doc_type=1,
            response_for=[ResponseFor("000.00.32.H43", target_id, "12/UBND-VP", "2024-01-10")],
        )
    )
    assert recall.business is not None
    assert recall.business.business_doc_reason == "Thu hồi văn bản điện tử"
    assert recall.response_for[0].document_id == target_id
    update = parse_packet(sample_bytes(business_doc_type=2, target_document_id=target_id))
    assert update.business is not None
    assert update.business.document_id == target_id
    replacement = parse_packet(
        sample_bytes(
            business_doc_type=3,
            replacements=[ReplacementInfo(target_id, ("000.00.00.H41",))],
        )
    )
    assert replacement.business == Business(
        business_doc_type=3,
        business_doc_reason="Văn bản thay thế",
        paper=0,
        replacements=(ReplacementInfo(target_id, ("000.00.00.H41",)),),
        staff_info=replacement.business.staff_info if replacement.business else None,
    )
    assert replacement.warnings == ()


def test_recipient_order_and_zip_attachment() -> None:
    from tests.unit.edxml.conftest import zipped

    other = RECIPIENT.__class__(organ_id="000.00.00.H14", organ_name="UBND tỉnh Cao Bằng")
    archive = zipped("van-ban.pdf", PDF)
    packet = parse_packet(
        sample_bytes(
            recipients=[RECIPIENT, other],
            attachments=[new_attachment("van-ban.pdf", archive, "application/zip")],
        )
    )
    assert [o.organ_id for o in packet.recipients] == ["000.00.00.H41", "000.00.00.H14"]
    assert packet.attachments[0].data == archive
    assert packet.warnings == ()
