"""The exchange's own packets and how arriving ones are wrapped, without a broker."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from shared.bus.messages import ATTEMPT_HEADER
from shared.edxml import parse_packet
from shared.edxml.codes import BusinessDocType
from shared.exchange.inbound import HEAD_BYTES, identify, packet_decoder, packet_id
from shared.exchange.packets import document_for
from shared.exchange.simulator import TINY_PDF

SENDER = "000.00.32.H43"
ISSUED: dict[str, Any] = {
    "document_id": "d-1",
    "number": 5,
    "notation": "UBND-VP",
    "issued_on": "2024-03-04",
    "organ_name": "Ủy ban nhân dân huyện Sông Hình",
    "place": "Sông Hình",
    "subject": "V/v đôn đốc báo cáo giải ngân",
    "type_name": "Công văn",
    "signer": {"position": "Phó Chủ tịch", "full_name": "Nguyễn Văn A"},
    "due_date": None,
    "priority": 1,
    "issued_amount": 3,
    "file": {
        "name": "05-UBND-VP.pdf",
        "media_type": "application/pdf",
        "size": len(TINY_PDF),
        "sha256": hashlib.sha256(TINY_PDF).hexdigest(),
        "content_b64": base64.b64encode(TINY_PDF).decode(),
    },
}
RECIPIENT = {"organ_id": "000.00.12.H41", "name": "UBND huyện Anh Sơn"}


def test_an_issued_document_becomes_one_valid_packet_per_recipient() -> None:
    packet, xml = document_for(
        ISSUED, sender=SENDER, recipient=RECIPIENT, sent_at=datetime(2024, 3, 4, 2, 0, tzinfo=UTC)
    )
    assert packet.document_id is not None
    assert packet.document_id.raw == "000.00.32.H43,2024/03/04,05/UBND-VP"
    back = parse_packet(xml)
    assert back.document_id == packet.document_id
    assert [r.organ_id for r in back.recipients] == [RECIPIENT["organ_id"]]
    assert back.attachments[0].data == TINY_PDF
    assert back.other_info is not None
    assert back.other_info.priority == 1
    assert b"2024/03/04 09:00:00" in xml  # Vietnam's wall-clock time, not UTC
    update, _ = document_for(
        ISSUED,
        sender=SENDER,
        recipient=RECIPIENT,
        sent_at=datetime.now(UTC),
        business_doc_type=BusinessDocType.UPDATE,
        reason="Sửa trích yếu",
    )
    assert update.business is not None
    assert update.business.document_id == packet.document_id


def test_a_file_that_does_not_match_its_hash_is_refused() -> None:
    broken = {**ISSUED, "file": {**ISSUED["file"], "sha256": "0" * 64}}
    with pytest.raises(ValueError, match="SHA-256"):
        document_for(broken, sender=SENDER, recipient=RECIPIENT, sent_at=datetime.now(UTC))


def _message(body: bytes, **properties: Any) -> Any:
    return SimpleNamespace(
        body=body,
        headers=properties.pop("headers", {}),
        properties=properties,
        delivery_info={"routing_key": RECIPIENT["organ_id"]},
    )


def test_arriving_packets_are_wrapped_with_a_stable_id() -> None:
    _, xml = document_for(ISSUED, sender=SENDER, recipient=RECIPIENT, sent_at=datetime.now(UTC))
    decode = packet_decoder(1 << 20)
    plain = decode(_message(xml))
    assert plain.id == packet_id(xml)
    assert decode(_message(xml)).id == plain.id  # a redelivery is a duplicate
    sent_twice = decode(_message(xml, message_id="m-2"))
    assert sent_twice.id != plain.id  # the same packet sent again gets its answer again
    assert plain.organ_id == RECIPIENT["organ_id"]
    assert base64.b64decode(plain.payload["packet_b64"]) == xml
    retried = decode(_message(plain.to_json().encode(), headers={ATTEMPT_HEADER: 2}))
    assert retried == plain


def test_an_oversize_packet_keeps_only_its_head() -> None:
    big = b"<x>" + b"0" * (HEAD_BYTES * 3)
    envelope = packet_decoder(HEAD_BYTES * 2)(_message(big))
    assert envelope.payload["oversize"] == len(big)
    assert len(base64.b64decode(envelope.payload["packet_b64"])) == HEAD_BYTES


def test_the_sender_is_read_from_raw_bytes_where_it_can_be() -> None:
    _, xml = document_for(ISSUED, sender=SENDER, recipient=RECIPIENT, sent_at=datetime.now(UTC))
    assert identify(xml) == (SENDER, "000.00.32.H43,2024/03/04,05/UBND-VP")
    assert identify(b"not xml at all") is None
