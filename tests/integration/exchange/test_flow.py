"""The e-office exchange end to end, on the embedded stack and on RabbitMQ + PostgreSQL.

docgen sends a signed document to two bodies through the simulated provincial
e-office peer, which answers out of order and twice; statuses come back through
intake and move each recipient's line forward only. The peer sends documents of
every business type to one of our bodies; each is registered once, with số đến
in order, and answered. Hostile and broken packets end as failed packets with
their reason, answered 02 where the sender can be read, and nothing registered.
"""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from kombu import Producer
from sqlalchemy import select

from services.docgen.worker import create_worker as docgen_worker
from services.intake.app import create_app as intake_app
from services.intake.orm import failed_packets, incoming, numbering
from services.intake.orm import tables as intake_tables
from services.intake.worker import create_worker as intake_worker
from shared.bus import connect, declare_topology
from shared.clock import vietnam_date
from shared.db import make_engine
from shared.edxml import Code, Organization, build_packet, document_packet, new_attachment
from shared.exchange.simulator import PEER, TINY_PDF, Simulator, incoming_documents, publish
from tests.conftest import ClientFor, Stack
from tests.integration.numbering.test_issue_api import Desk
from tests.support.pki import sign_pdf

pytestmark = [pytest.mark.integration, pytest.mark.slow]

WAIT = 90.0


@contextmanager
def running(stack: Stack, *, simulator: bool = True) -> Iterator[None]:
    """docgen's and intake's real workers, and the simulated peer, in threads."""
    built = [docgen_worker(stack.config("docgen")), intake_worker(stack.config("intake"))]
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, daemon=True) for _, w in built]
    if simulator:
        sim = Simulator(
            stack.config("intake").broker_url,
            delay=0.2,
            duplicate_rate=1.0,
            shuffle_rate=1.0,
            seed=7,
        )
        threads.append(threading.Thread(target=sim.run, args=(stop,), daemon=True))
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for _, worker in built:
            worker.stop()
        for thread in threads:
            thread.join(timeout=30)
        for context, _ in built:
            context.dispose()


def wait_for(what: str, check: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _intake(
    stack: Stack, client_for: ClientFor, organ_id: str
) -> tuple[FlaskClient, dict[str, str]]:
    client = client_for(intake_app, stack.config("intake"))
    admin = {"Authorization": f"Bearer {stack.token(('admin',), organ_id)}"}
    made = client.post(
        "/v1/registers",
        json={"code": "den", "name": "Văn bản đến", "series": "incoming"},
        headers=admin,
    )
    assert made.status_code == 201, made.json
    return client, {"Authorization": f"Bearer {stack.token(('clerk',), organ_id)}"}


def _rows(stack: Stack, query: Any) -> list[Any]:
    engine = make_engine(stack.config("intake").database_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(query).all())
    finally:
        engine.dispose()


def _publish(stack: Stack, organ_id: str, bodies: list[bytes]) -> None:
    url = stack.config("intake").broker_url
    with connect(url) as conn:
        declare_topology(conn, url)
        producer = Producer(conn.channel())
        for body in bodies:
            publish(producer, organ_id, body, "document")


def test_sent_document_statuses_come_back_forward_only(desk: Desk, stack: Stack) -> None:
    desk.setup()
    to = [
        {"organ_id": "000.00.12.H41", "name": "UBND huyện Anh Sơn"},
        {"organ_id": "000.00.13.H41", "name": "UBND huyện Con Cuông"},
    ]
    doc = desk.issue(desk.draft(), {"unit": "VP", "to": to}).json
    issued = desk.client.get(doc["links"]["pdf"], headers=desk.clerk).data
    signed = sign_pdf(sign_pdf(issued, signer="leader"), signer="body")
    uploaded = desk.client.post(
        f"/v1/documents/{doc['id']}/signed",
        data=signed,
        content_type="application/pdf",
        headers=desk.clerk,
    )
    assert uploaded.status_code == 201, uploaded.json
    url = f"/v1/documents/{doc['id']}/exchange"
    with running(desk.stack):

        def settled() -> Any:
            found = desk.client.get(url, headers=desk.clerk).json["recipients"]
            done = len(found) == 2 and all(
                x["status"] == "03" and len(x["history"]) == 4 for x in found
            )
            return found if done else None

        lines = wait_for("both recipients at 03, every answer recorded", settled)
        # Each answer came twice and out of order: kept in the history, applied once.
        for line in lines:
            codes = sorted(h["code"] for h in line["history"])
            assert codes == ["01", "01", "03", "03"]
            assert sum(h["applied"] for h in line["history"]) <= 2
            assert all(h["note"] for h in line["history"] if not h["applied"])
        recalled = desk.client.post(
            f"/v1/documents/{doc['id']}/recall",
            json={"reason": "Ban hành nhầm"},
            headers=desk.clerk,
        )
        assert recalled.status_code == 202, recalled.json
        wait_for(
            "recall answered 15",
            lambda: all(
                x["recall"] == "15"
                for x in desk.client.get(url, headers=desk.clerk).json["recipients"]
            ),
        )
    final = desk.client.get(url, headers=desk.clerk).json["recipients"]
    assert {x["status"] for x in final} == {"03"}


def test_incoming_documents_of_every_kind_are_registered_once(
    stack: Stack, client_for: ClientFor
) -> None:
    from tests.support.organs import fresh_organ_id

    organ_id = fresh_organ_id()
    client, clerk = _intake(stack, client_for, organ_id)
    packets = incoming_documents(organ_id, 12)
    with running(stack, simulator=False):
        _publish(stack, organ_id, packets)
        _publish(stack, organ_id, [packets[0]])  # sent again by the peer: same answer again
        rows = wait_for(
            "12 packets handled",
            lambda: (
                len(r := _rows(stack, select(incoming).where(incoming.c.organ_id == organ_id)))
                == 12
                and r
            ),
        )

        def answered() -> list[str]:
            out = intake_tables.outbox
            query = select(out.c.body).where(out.c.organ_id == organ_id)
            return [r.body for r in _rows(stack, query)]

        wait_for("13 answers", lambda: len(answered()) >= 13)
    by_number = {int(r.code.split("/")[0]): r for r in rows}
    # 4 recalls 3, 8 replaces 7, 12 updates 11 (see incoming_documents).
    assert by_number[3].state == "recalled"
    assert by_number[7].state == "replaced"
    assert by_number[11].version == 2
    assert by_number[4].answered == "15"
    assert by_number[12].answered == "15"
    registered = sorted(r.arrival_number for r in rows if r.arrival_number is not None)
    assert registered == list(range(1, 11))  # 9 new + 1 replacement, số đến 01…10
    entries = _rows(
        stack,
        select(numbering.entries.c.number, numbering.entries.c.state).where(
            numbering.entries.c.organ_id == organ_id
        ),
    )
    assert sorted(n for n, _ in entries) == list(range(1, 11))
    assert dict(entries)[by_number[3].arrival_number] == "recalled"
    answers = answered()
    assert sum("<StatusCode>01</StatusCode>" in b or ">01<" in b for b in answers) >= 11
    # The clerk accepts one (03 and the files go to the archive) and rejects another.
    accepted = client.post(f"/v1/incoming/{by_number[1].id}/accept", headers=clerk)
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["state"] == "accepted"
    rejected = client.post(
        f"/v1/incoming/{by_number[2].id}/reject", json={"reason": "Gửi nhầm cơ quan"}, headers=clerk
    )
    assert rejected.json["state"] == "rejected"
    again = client.post(f"/v1/incoming/{by_number[2].id}/accept", headers=clerk)
    assert again.status_code == 409


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"\0" * (120 << 20))
    return buffer.getvalue()


def _packet(organ_id: str, number: int, attachment: tuple[str, bytes, str]) -> bytes:
    name, data, media_type = attachment
    return build_packet(
        document_packet(
            sender=Organization(organ_id=PEER, organ_name="UBND tỉnh Nghệ An"),
            recipients=[Organization(organ_id=organ_id, organ_name="UBND huyện Sông Hình")],
            code=Code(number=str(number), notation="UBND-VX"),
            promulgation_date=vietnam_date(datetime.now(UTC)).isoformat(),
            subject="Gói tin thử",
            attachments=[new_attachment(name, data, media_type)],
        )
    )


def test_hostile_and_broken_packets_end_as_failed_packets(
    stack: Stack, client_for: ClientFor
) -> None:
    from tests.support.organs import fresh_organ_id

    organ_id = fresh_organ_id()
    client, clerk = _intake(stack, client_for, organ_id)
    good = _packet(organ_id, 1, ("a.pdf", TINY_PDF, "application/pdf"))
    ns = b"urn:x-not-edxml"
    hostile = {
        "not xml": b"1212" + good,
        "wrong namespace": good.replace(b"http://www.mic.gov.vn/TBT/QCVN_102_2016", ns),
        "xxe": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + good[good.index(b"?>") + 2 :].replace(b"<edXML:Subject>", b"<edXML:Subject>&e;", 1),
        "billion laughs": b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<l>&c;</l>",
        "zip bomb": _packet(organ_id, 2, ("bom.zip", _zip_bomb(), "application/zip")),
        "50 MB attachment": _packet(
            organ_id, 3, ("big.pdf", b"%PDF-1.4\n" + b"0" * (50 << 20), "application/pdf")
        ),
    }
    with running(stack, simulator=False):
        _publish(stack, organ_id, list(hostile.values()))
        failed = wait_for(
            "every hostile packet failed",
            lambda: (
                len(r := client.get("/v1/failed-packets", headers=clerk).json["failed"])
                == len(hostile)
                and r
            ),
        )
    assert all(f["error"] for f in failed)
    assert _rows(stack, select(incoming.c.id).where(incoming.c.organ_id == organ_id)) == []
    stored = _rows(
        stack,
        select(failed_packets.c.id, failed_packets.c.sender_organ_id).where(
            failed_packets.c.organ_id == organ_id
        ),
    )
    assert len(stored) == len(hostile)
    assert any(sender == PEER for _, sender in stored)  # answered 02 where readable


def test_an_accepted_document_recalled_is_withdrawn_and_marked_for_the_archive(
    stack: Stack, client_for: ClientFor
) -> None:
    from tests.support.organs import fresh_organ_id

    organ_id = fresh_organ_id()
    client, clerk = _intake(stack, client_for, organ_id)
    packets = incoming_documents(organ_id, 4)  # 1, 2, 3 new; 4 recalls 3
    with running(stack, simulator=False):
        _publish(stack, organ_id, packets[:3])
        rows = wait_for(
            "three registered",
            lambda: (
                len(r := _rows(stack, select(incoming).where(incoming.c.organ_id == organ_id))) == 3
                and r
            ),
        )
        third = next(r for r in rows if r.code.startswith("3/"))
        accepted = client.post(f"/v1/incoming/{third.id}/accept", headers=clerk)
        assert accepted.status_code == 200, accepted.json
        files = client.get(f"/v1/incoming/{third.id}", headers=clerk).json["files"]
        _publish(stack, organ_id, [packets[3]])
        wait_for(
            "the recall answered",
            lambda: any(
                r.answered == "15"
                for r in _rows(stack, select(incoming).where(incoming.c.organ_id == organ_id))
            ),
        )
    listed = client.get("/v1/incoming", headers=clerk).json["incoming"]
    assert third.id not in [r["id"] for r in listed]  # withdrawn from use and search
    recalled = client.get("/v1/incoming?state=recalled", headers=clerk).json["incoming"]
    assert [r["id"] for r in recalled] == [third.id]
    gone = client.get(f"/v1/incoming/{third.id}/files/{files[0]['id']}", headers=clerk)
    assert gone.status_code == 410
    out = intake_tables.outbox
    events = [
        r.routing_key
        for r in _rows(
            stack,
            select(out.c.routing_key).where(
                out.c.organ_id == organ_id, out.c.routing_key.like("incoming.%")
            ),
        )
    ]
    assert sorted(events) == ["incoming.accepted", "incoming.recalled"]
    entries = _rows(
        stack,
        select(numbering.entries.c.state).where(
            numbering.entries.c.organ_id == organ_id, numbering.entries.c.document_id == third.id
        ),
    )
    assert entries == [("recalled",)]  # its số đến stays, marked


def test_a_packet_routed_to_one_body_but_addressed_to_another_is_failed(
    stack: Stack, client_for: ClientFor
) -> None:
    from tests.support.organs import fresh_organ_id

    addressed, routed = fresh_organ_id(), fresh_organ_id()
    _intake(stack, client_for, addressed)
    client, clerk = _intake(stack, client_for, routed)
    packet = _packet(addressed, 7, ("a.pdf", TINY_PDF, "application/pdf"))
    with running(stack, simulator=False):
        _publish(stack, routed, [packet])
        (failed,) = wait_for(
            "the packet failed at the body it was routed to",
            lambda: client.get("/v1/failed-packets", headers=clerk).json["failed"],
        )
    assert "wrong_recipient" in failed["error"]
    registered = select(incoming.c.organ_id).where(incoming.c.organ_id.in_([addressed, routed]))
    assert _rows(stack, registered) == []  # registered nowhere, least of all at the other body
