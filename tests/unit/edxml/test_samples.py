"""The reference sample packets: fields, oddities reported as warnings, refusal, round trip."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from shared.edxml import PacketRefused, Refusal, Warn, build_packet, parse_file, parse_packet

pytestmark = pytest.mark.reference

STATUS_FILES = {
    "status_inbox_01.edxml": "01",
    "status_rejection_02.edxml": "02",
    "status_acceptance_03.edxml": "03",
    "status_assignment_04.edxml": "04",
    "status_processing_05.edxml": "05",
    "status_finish_06.edxml": "06",
    "status_cancellation_13.edxml": "13",
    "status_change-acceptance_15.edxml": "15",
    "status_change-rejection_16.edxml": "16",
}
DOCUMENT_FILES = {
    "edoc_revocation.edxml": 1,
    "edoc_update.edxml": 2,
    "edoc_replacement.edxml": 3,
}
#: Oddities every edoc_* sample shares (README, "Common to the four edoc_* files").
COMMON_DOCUMENT_WARNINGS = {
    Warn.SIGNATURE_PLACEHOLDER,  # CN=user05, truncated certificate
    Warn.SIGNATURE_NAMESPACE,  # the Signature sits in the edXML default namespace
    Warn.DOCUMENT_ID_PROMULGATION,  # DocumentId dated 2015/09/30 ≠ PromulgationDate
    Warn.ORGAN_NAME,  # 000.00.00.G17 named "Sở Thông tin truyền thông Hải Phòng"
    Warn.ATTACHMENT_TYPE,  # "….doc" whose zip holds an .edxml file
}
EXPECTED_DOCUMENT_WARNINGS = {
    "edoc_revocation.edxml": COMMON_DOCUMENT_WARNINGS
    | {Warn.RESPONSE_FOR_ORGAN, Warn.RESPONSE_FOR_DATE, Warn.ELEMENT_ORDER},
    "edoc_update.edxml": COMMON_DOCUMENT_WARNINGS
    | {Warn.DOCUMENT_ID_DATE, Warn.BUSINESS_TARGET_DIFFERS},
    "edoc_replacement.edxml": COMMON_DOCUMENT_WARNINGS | {Warn.REPLACEMENT_DUPLICATE},
}
EXPECTED_STATUS_WARNINGS = {
    "status_acceptance_03.edxml": {Warn.STATUS_TIMESTAMP, Warn.STATUS_DESCRIPTION},
    "status_cancellation_13.edxml": {Warn.STATUS_TIMESTAMP, Warn.STAFF_ORGAN},
}
PARSED = ["status.edxml", *STATUS_FILES, *DOCUMENT_FILES]


def messages(packet: object, code: str) -> list[str]:
    return [w.message for w in packet.warnings if w.code == code]  # type: ignore[attr-defined]


def test_edoc_new_is_refused_for_the_stray_bytes(samples: Path) -> None:
    with pytest.raises(PacketRefused) as caught:
        parse_file(samples / "edoc_new.edxml")
    assert caught.value.code == Refusal.NOT_XML
    assert "4 byte" in caught.value.message
    assert "1212" in caught.value.message


@pytest.mark.parametrize("name", list(DOCUMENT_FILES))
def test_document_samples_fields(samples: Path, name: str) -> None:
    packet = parse_file(samples / name)
    assert packet.kind == "document"
    assert packet.document_id is not None
    assert packet.document_id.raw == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert packet.document_id.organ_id == "000.00.00.G22"
    assert packet.document_id.date == "2015-09-30"
    assert (packet.document_id.number, packet.document_id.notation) == ("7816", "VPCP-TTĐT")
    assert packet.sender is not None
    assert packet.sender.organ_id == "000.00.00.G22"
    assert packet.sender.organ_name == "Văn phòng Chính phủ"
    assert packet.sender.fax == "048989898789"
    assert [o.organ_id for o in packet.recipients] == [
        "000.00.00.H41",
        "000.00.00.H14",
        "000.00.00.G17",
    ]
    assert packet.recipients[1].organ_add is not None
    assert packet.recipients[1].organ_add.startswith("Số 011")
    assert packet.code is not None
    assert (packet.code.number, packet.code.notation) == ("7816", "VPCP-TTĐT")
    assert packet.promulgation is not None
    assert (packet.promulgation.place, packet.promulgation.date) == ("Hà Nội", "2018-09-28")
    assert packet.document_type is not None
    assert (packet.document_type.type, packet.document_type.type_detail) == (1, 0)
    assert packet.document_type.type_name == "Công văn"
    assert packet.subject == "V/v kết nối, liên thông phần mềm quản lý văn bản"
    assert packet.signer is not None
    assert packet.signer.competence == "TL. BO TRUONG"
    assert packet.due_date == "2018-09-28"
    other = packet.other_info
    assert other is not None
    assert (other.priority, other.promulgation_amount, other.page_amount) == (0, 2, 22)
    assert other.sphere_of_promulgation == "Liên thông văn bản quốc gia"
    assert other.typer_notation == "TVC"
    assert other.direction is False
    assert other.appendixes == ("Công văn về việc kết nối, liên thông phần mềm quản lý văn bản",)
    assert packet.steering_type == 1
    assert packet.to_places == ("Cac bo va co quan ngang bo", "Uy ban nhan dan cac tinh, TP")
    assert packet.trace is not None
    assert [(h.organ_id, h.timestamp) for h in packet.trace.trace_headers] == [
        ("000.00.00.G22", "2018-09-28T00:00:00")
    ]
    business = packet.business
    assert business is not None
    assert business.business_doc_type == DOCUMENT_FILES[name]
    assert business.paper == 0
    assert business.staff_info is not None
    assert business.staff_info.email == "vanthuvanphong@gov.vn"
    (attachment,) = packet.attachments
    assert attachment.content_id == "209"
    assert attachment.name == "1896_QD-TTg_m_294779.doc"
    assert attachment.description == "1896_QD-TTg_m_294779.doc"
    assert attachment.content_type == "application/zip"
    assert attachment.data.startswith(b"PK\x03\x04")
    assert attachment.size == len(attachment.data)
    assert attachment.sha256 == hashlib.sha256(attachment.data).hexdigest()
    assert packet.warning_codes() == EXPECTED_DOCUMENT_WARNINGS[name]


def test_revocation_points_at_the_recalled_document(samples: Path) -> None:
    packet = parse_file(samples / "edoc_revocation.edxml")
    assert packet.business is not None
    assert packet.business.business_doc_reason == "Thu hồi văn bản điện tử"
    (target,) = packet.response_for
    assert target.organ_id == "000.00.00.H14"
    assert target.code == "267/VPCP-TTĐT"
    assert target.promulgation_date == "2018-09-28"
    assert target.document_id is not None
    assert target.document_id.raw == "000.00.04.G14,2012/08/06,267/VPCP-TTĐT"
    assert any("000.00.04.G14" in m for m in messages(packet, Warn.RESPONSE_FOR_ORGAN))
    assert any("2012-08-06" in m for m in messages(packet, Warn.RESPONSE_FOR_DATE))


def test_update_keeps_the_impossible_date_raw(samples: Path) -> None:
    packet = parse_file(samples / "edoc_update.edxml")
    business = packet.business
    assert business is not None
    assert business.document_id is not None
    assert business.document_id.raw == "000.00.00.G22,2014/02/30,7806/VPCP-TTĐT"
    assert business.document_id.date_text == "2014/02/30"
    assert business.document_id.date is None
    assert not business.document_id.is_standard
    assert business.document_info is not None
    assert (business.document_info.document_info, business.document_info.document_receiver) == (
        1,
        1,
    )
    assert [(r.organ_id, r.receiver_type) for r in business.document_info.receivers] == [
        ("000.00.00.H41", 0),
        ("000.00.00.H14", 1),
    ]
    assert any("2014/02/30" in m for m in messages(packet, Warn.DOCUMENT_ID_DATE))


def test_replacement_duplicates_are_kept_and_reported(samples: Path) -> None:
    packet = parse_file(samples / "edoc_replacement.edxml")
    business = packet.business
    assert business is not None
    assert len(business.replacements) == 2
    assert business.replacements[0] == business.replacements[1]
    assert business.replacements[0].document_id.raw == "000.00.00.G22,2014/01/30,7806/VPCP-TTĐT"
    assert business.replacements[0].organ_ids == ("000.00.00.H41", "000.00.00.H14")
    assert len(messages(packet, Warn.REPLACEMENT_DUPLICATE)) == 1


def test_status_sample_with_inconsistent_response_for(samples: Path) -> None:
    packet = parse_file(samples / "status.edxml")
    assert packet.kind == "status"
    assert packet.status_code == "01"
    assert packet.timestamp == "2018-09-28T17:25:11"
    assert packet.sender is not None
    assert packet.sender.organ_id == "000.00.00.H41"
    (target,) = packet.response_for
    assert target.organ_id == "000.00.00.G22"
    assert target.promulgation_date == "2018-09-28"
    assert target.document_id is not None
    assert target.document_id.date == "2015-09-30"
    assert packet.staff_info is not None
    assert packet.staff_info.staff == "Nguyễn Thị Ngọc Trâm"
    assert packet.warning_codes() == {Warn.RESPONSE_FOR_DATE, Warn.ELEMENT_ORDER}
    (order,) = messages(packet, Warn.ELEMENT_ORDER)
    assert "ResponseFor" in order
    assert "DocumentId, PromulgationDate" in order


@pytest.mark.parametrize(("name", "code"), list(STATUS_FILES.items()))
def test_status_samples(samples: Path, name: str, code: str) -> None:
    packet = parse_file(samples / name)
    assert packet.kind == "status"
    assert packet.status_code == code
    assert packet.timestamp == "2015-09-20T11:08:36"
    assert packet.status_description
    (target,) = packet.response_for
    assert target.code == "7816/VPCP-TTĐT"
    assert target.promulgation_date == "2015-09-30"
    assert target.document_id is not None
    assert target.document_id.raw == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert packet.staff_info is not None
    assert packet.staff_info.email == "ngoctram@nghean.vn"
    assert packet.staff_info.mobile == "84912000001"
    expected_from = "000.00.00.G22" if code == "13" else "000.00.00.H41"
    expected_target = "000.00.00.H41" if code == "13" else "000.00.00.G22"
    assert packet.sender is not None
    assert packet.sender.organ_id == expected_from
    assert target.organ_id == expected_target
    assert packet.warning_codes() == EXPECTED_STATUS_WARNINGS.get(name, {Warn.STATUS_TIMESTAMP})
    assert any("2015-09-30" in m for m in messages(packet, Warn.STATUS_TIMESTAMP))


def test_acceptance_typo_and_cancellation_clerk(samples: Path) -> None:
    typo = parse_file(samples / "status_acceptance_03.edxml")
    assert typo.status_description is not None
    assert typo.status_description.startswith("Văn thư cơ - ")
    assert any("03" in m for m in messages(typo, Warn.STATUS_DESCRIPTION))
    recall = parse_file(samples / "status_cancellation_13.edxml")
    assert any("ngoctram@nghean.vn" in m for m in messages(recall, Warn.STAFF_ORGAN))
    assert Warn.RESPONSE_FOR_ORGAN not in recall.warning_codes()  # intended for code 13


@pytest.mark.parametrize("name", PARSED)
def test_round_trip_keeps_every_field(samples: Path, name: str) -> None:
    first = parse_file(samples / name)
    rebuilt = build_packet(first)
    second = parse_packet(rebuilt)
    assert replace(second, warnings=()) == replace(first, warnings=())
    # the writer normalises the order and does not re-emit the placeholder signature;
    # every data oddity (dates, ids, duplicates …) is carried over and reported again
    assert second.warning_codes() <= first.warning_codes()
    assert first.warning_codes() - second.warning_codes() <= {
        Warn.ELEMENT_ORDER,
        Warn.SIGNATURE_NAMESPACE,
        Warn.SIGNATURE_PLACEHOLDER,
    }
