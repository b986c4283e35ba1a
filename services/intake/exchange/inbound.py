"""Handling a packet from the e-office system, in one transaction with its answer.

A document packet is checked, de-duplicated on (receiving body, sender,
DocumentId, business type, target documents) and acted on by business type:
0 new — registered with the next số đến and answered 01; 1 recall — the copy
is withdrawn (its số đến stays, marked recalled) and answered 15, or 16 when
it can no longer be recalled; 2 update — a new version of the registered
document, history kept, answered 15; 3 replacement — registered like a new
one and linked to what it replaces. The answer is an outbox row in the same
transaction, so a registration never goes unanswered and is never answered
twice; a duplicate packet gets the same answer again. Status packets about our
own documents go on to docgen as ``edxml.status.received``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.intake.orm import incoming, incoming_files, numbering
from shared.bus import Envelope, Outbox
from shared.bus.consumer import PermanentError
from shared.bus.topology import EOFFICE_OUT
from shared.clock import Clock, vietnam_date
from shared.db import upsert_insert
from shared.db.types import new_id
from shared.edxml import (
    Limits,
    Organization,
    Packet,
    PacketRefused,
    ResponseFor,
    build_packet,
    packet_summary,
    parse_packet,
    status_packet,
)
from shared.edxml.codes import BusinessDocType
from shared.exchange.inbound import packet_bytes
from shared.exchange.packets import KIND_HEADER, XML, local_time, packet_message_id
from shared.numbering import NumberingError, Register, Registers

log = logging.getLogger(__name__)

STATUS_EVENT = "edxml.status.received"
ACCEPTED_EVENT = "incoming.accepted"
RECALLED_EVENT = "incoming.recalled"


class Inbound:
    """intake's side of the exchange, over its own tables and outbox."""

    def __init__(self, outbox: Outbox, clock: Clock, limits: Limits) -> None:
        self.outbox = outbox
        self.clock = clock
        self.limits = limits
        self.registers = Registers(numbering, clock=clock)

    # ------------------------------------------------------------------ the handler

    def handle(self, session: Session, envelope: Envelope) -> None:
        if "oversize" in envelope.payload:
            raise PermanentError(
                f"too_large: gói tin {envelope.payload['oversize']} byte, vượt giới hạn "
                f"{self.limits.max_packet_bytes} byte"
            )
        try:
            packet = parse_packet(packet_bytes(envelope), self.limits)
        except PacketRefused as exc:
            raise PermanentError(f"{exc.code}: {exc.message}") from None
        if packet.kind == "status":
            self._forward_status(session, packet, envelope)
            return
        if packet.sender is None or packet.document_id is None:  # the reader refuses these
            raise PermanentError("document packet without sender or DocumentId")
        ours = [
            (r.organ_id, register)
            for r in packet.recipients
            if (register := self.incoming_register(session, r.organ_id)) is not None
        ]
        names = ", ".join(r.organ_id for r in packet.recipients) or "không có"
        if not ours:
            raise PermanentError(f"no_recipient_here: không có cơ quan nhận ở đây ({names})")
        # The e-office system routes a packet to one body (its routing key): that body
        # alone takes it in, and only if the packet names it among its recipients.
        routed_to = envelope.organ_id
        if routed_to:
            ours = [(organ_id, register) for organ_id, register in ours if organ_id == routed_to]
            if not ours:
                raise PermanentError(
                    f"wrong_recipient: gói tin được chuyển đến {routed_to} nhưng cơ quan này "
                    f"không có trong danh sách nơi nhận của gói tin ({names})"
                )
        for organ_id, register in ours:
            self._document(session, packet, organ_id, register)

    # ------------------------------------------------------------------ by business type

    def _document(
        self, session: Session, packet: Packet, organ_id: str, register: Register
    ) -> None:
        business = packet.business
        kind = business.business_doc_type if business else BusinessDocType.NEW
        targets = _targets(packet, kind)
        row_id = new_id()
        now = self.clock()
        inserted = session.execute(
            upsert_insert(session, incoming)
            .values(
                id=row_id,
                organ_id=organ_id,
                dedupe_key=_dedupe_key(packet, kind, targets),
                sender_organ_id=_sender_id(packet),
                sender_name=((packet.sender.organ_name if packet.sender else None) or "")[:200]
                or None,
                packet_document_id=packet.document_id.raw if packet.document_id else "",
                business_doc_type=int(kind),
                code=_code(packet),
                issued_on=_date(packet.promulgation.date if packet.promulgation else None),
                type_name=_type_name(packet)[:100] or None,
                subject=packet.subject,
                summary=json.dumps(packet_summary(packet), ensure_ascii=False, default=str),
                state="received",
                version=1,
                received_at=now,
            )
            .on_conflict_do_nothing()
            .returning(incoming.c.id)
        ).first()
        if inserted is None:  # the same packet again: the same answer again
            row = session.execute(
                select(incoming).where(
                    incoming.c.organ_id == organ_id,
                    incoming.c.dedupe_key == _dedupe_key(packet, kind, targets),
                )
            ).one()
            if row.answered:
                self.answer(session, packet, organ_id, row.answered, row.reason)
            return
        if kind in (BusinessDocType.NEW, BusinessDocType.REPLACE):
            self._register_new(session, packet, organ_id, register, row_id, targets)
        elif kind == BusinessDocType.REVOKE:
            self._recall(session, packet, organ_id, row_id, targets)
        elif kind == BusinessDocType.UPDATE:
            self._update(session, packet, organ_id, row_id, targets)
        else:  # a code we do not know: keep it, answer nothing, let the clerk look
            log.warning("unknown business type", extra={"type": kind})

    def _register_new(  # noqa: PLR0917 - one incoming document, in reading order
        self,
        session: Session,
        packet: Packet,
        organ_id: str,
        register: Register,
        row_id: str,
        replaces: Sequence[str],
    ) -> None:
        arrived = vietnam_date(self.clock())
        entry = self.registers.take_next(
            session,
            register,
            year=arrived.year,
            notation=None,
            state="registered",
            entry_date=arrived,
            details={
                "author": _sender_name(packet) or _sender_id(packet),
                "number_notation": _code(packet) or "",
                "document_date": packet.promulgation.date if packet.promulgation else None,
                "type_name": _type_name(packet),
                "subject": packet.subject or "",
                "type_and_subject": f"{_type_name(packet)} {packet.subject or ''}".strip(),
                "recipient_unit": "",
                "source": "edxml",
            },
            created_by="edxml",
            document_id=row_id,
        )
        self._store_files(session, packet, organ_id, row_id, version=1)
        session.execute(
            update(incoming)
            .where(incoming.c.id == row_id)
            .values(
                state="registered",
                entry_id=entry.id,
                arrival_number=entry.number,
                arrival_date=arrived,
                answered="01",
            )
        )
        if replaces:
            session.execute(
                update(incoming)
                .where(
                    incoming.c.organ_id == organ_id,
                    incoming.c.sender_organ_id == _sender_id(packet),
                    incoming.c.packet_document_id.in_(replaces),
                    incoming.c.business_doc_type == BusinessDocType.NEW,
                )
                .values(state="replaced", target_id=row_id)
            )
        self.answer(session, packet, organ_id, "01")

    def _recall(
        self, session: Session, packet: Packet, organ_id: str, row_id: str, targets: Sequence[str]
    ) -> None:
        target = self._target(session, packet, organ_id, targets)
        if target is None or target.state in ("rejected", "recalled"):
            reason = (
                "Không có văn bản để thu hồi"
                if target is None
                else "Văn bản đã "
                + ("bị từ chối" if target.state == "rejected" else "được thu hồi")
            )
            self._close(session, row_id, "refused", "16", reason)
            self.answer(session, packet, organ_id, "16", reason)
            return
        session.execute(update(incoming).where(incoming.c.id == target.id).values(state="recalled"))
        if target.state == "accepted":  # its files are in the archive: marked there, kept
            why = packet.business.business_doc_reason if packet.business else None
            self.outbox.add_event(
                session,
                Envelope(RECALLED_EVENT, organ_id, {"incoming_id": target.id, "reason": why}),
            )
        if target.entry_id:
            session.execute(
                update(numbering.entries)
                .where(numbering.entries.c.id == target.entry_id)
                .values(state="recalled")
            )
        self._close(session, row_id, "done", "15", None, target_id=target.id)
        self.answer(session, packet, organ_id, "15")

    def _update(
        self, session: Session, packet: Packet, organ_id: str, row_id: str, targets: Sequence[str]
    ) -> None:
        target = self._target(session, packet, organ_id, targets)
        if target is None or target.state in ("rejected", "recalled"):
            reason = "Không có văn bản để cập nhật"
            self._close(session, row_id, "refused", "16", reason)
            self.answer(session, packet, organ_id, "16", reason)
            return
        version = target.version + 1
        self._store_files(session, packet, organ_id, target.id, version=version)
        session.execute(
            update(incoming)
            .where(incoming.c.id == target.id)
            .values(
                version=version,
                subject=packet.subject or target.subject,
                summary=json.dumps(packet_summary(packet), ensure_ascii=False, default=str),
            )
        )
        self._close(session, row_id, "done", "15", None, target_id=target.id)
        self.answer(session, packet, organ_id, "15")

    # ------------------------------------------------------------------ answers

    def answer(
        self,
        session: Session,
        packet: Packet,
        organ_id: str,
        code: str,
        description: str | None = None,
    ) -> None:
        """Our status about ``packet``, queued to its sender in this transaction."""
        if packet.document_id is None:
            raise PermanentError("cannot answer a packet without DocumentId")
        self.answer_to(
            session,
            organ_id,
            ResponseFor(
                organ_id=_sender_id(packet),
                document_id=packet.document_id,
                code=_code(packet),
                promulgation_date=packet.promulgation.date if packet.promulgation else None,
            ),
            code,
            description,
        )

    def answer_to(
        self,
        session: Session,
        organ_id: str,
        about: ResponseFor,
        code: str,
        description: str | None = None,
    ) -> None:
        """A status packet from ``organ_id`` about the document ``about`` names."""
        xml = build_packet(
            status_packet(
                sender=Organization(organ_id=organ_id, organ_name=self.name_of(session, organ_id)),
                response_for=about,
                status_code=code,
                description=description,
                timestamp=local_time(self.clock()),
            )
        )
        self.outbox.add_raw(
            session,
            organ_id=organ_id,
            exchange=EOFFICE_OUT.name,
            routing_key=str(about.organ_id),
            message_id=new_id(),
            body=xml.decode("utf-8"),
            content_type=XML,
            headers={KIND_HEADER: "status"},
        )

    def name_of(self, session: Session, organ_id: str) -> str:
        """Our body's name as its settings give it (the OrganId where it has none yet)."""
        settings = self.registers.settings(session, organ_id)
        return settings.name if settings else organ_id

    def _forward_status(self, session: Session, packet: Packet, envelope: Envelope) -> None:
        about = packet.response_for[0] if packet.response_for else None
        if packet.sender is None or about is None or about.document_id is None:
            raise PermanentError("status packet without sender or ResponseFor/DocumentId")
        owner = about.document_id.organ_id or about.organ_id or envelope.organ_id
        self.outbox.add_event(
            session,
            Envelope(
                STATUS_EVENT,
                owner or "",
                {
                    "from": packet.sender.organ_id,
                    "response_for": about.document_id.raw,
                    "status_code": packet.status_code,
                    "description": packet.status_description,
                    "timestamp": packet.timestamp,
                    "warnings": [w.code for w in packet.warnings],
                },
                id=packet_message_id(envelope.id, "status"),
            ),
        )

    # ------------------------------------------------------------------ helpers

    def incoming_register(self, session: Session, organ_id: str) -> Register | None:
        """The body's số đến register, or None when the body is not one of ours."""
        try:
            return self.registers.default(session, organ_id, "in")
        except NumberingError:
            return None

    def _target(
        self, session: Session, packet: Packet, organ_id: str, targets: Sequence[str]
    ) -> Any:
        return session.execute(
            select(incoming)
            .where(
                incoming.c.organ_id == organ_id,
                incoming.c.sender_organ_id == _sender_id(packet),
                incoming.c.packet_document_id.in_(list(targets)),
                incoming.c.business_doc_type.in_([BusinessDocType.NEW, BusinessDocType.REPLACE]),
            )
            .order_by(incoming.c.received_at)
            .limit(1)
        ).first()

    def _close(  # noqa: PLR0917 - a recall/update row and its outcome
        self,
        session: Session,
        row_id: str,
        state: str,
        answered: str,
        reason: str | None,
        target_id: str | None = None,
    ) -> None:
        session.execute(
            update(incoming)
            .where(incoming.c.id == row_id)
            .values(state=state, answered=answered, reason=reason, target_id=target_id)
        )

    def _store_files(
        self, session: Session, packet: Packet, organ_id: str, incoming_id: str, version: int
    ) -> None:
        for attachment in packet.attachments:
            session.execute(
                incoming_files.insert().values(
                    id=new_id(),
                    incoming_id=incoming_id,
                    organ_id=organ_id,
                    version=version,
                    name=attachment.name[:255],
                    media_type=attachment.content_type[:100],
                    size=attachment.size,
                    sha256=attachment.sha256,
                    content=attachment.data,
                )
            )


def _targets(packet: Packet, kind: int) -> list[str]:
    """The DocumentIds a recall, update or replacement is about."""
    business = packet.business
    if kind == BusinessDocType.REVOKE:
        found = [r.document_id.raw for r in packet.response_for if r.document_id]
        if business and business.document_id:
            found.append(business.document_id.raw)
        return found or ([packet.document_id.raw] if packet.document_id else [])
    if kind == BusinessDocType.UPDATE:
        if business and business.document_id:
            return [business.document_id.raw]
        return [packet.document_id.raw] if packet.document_id else []
    if kind == BusinessDocType.REPLACE and business:
        return sorted({r.document_id.raw for r in business.replacements})
    return []


def _dedupe_key(packet: Packet, kind: int, targets: Sequence[str]) -> str:
    parts = [
        packet.sender.organ_id if packet.sender else "",
        packet.document_id.raw if packet.document_id else "",
        str(int(kind)),
        *sorted(targets),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _code(packet: Packet) -> str | None:
    return f"{packet.code.number}/{packet.code.notation}"[:60] if packet.code else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _sender_name(packet: Packet) -> str | None:
    name = packet.sender.organ_name if packet.sender else None
    return name[:200] if name else None


def _type_name(packet: Packet) -> str:
    return (packet.document_type.type_name if packet.document_type else None) or ""


def _sender_id(packet: Packet) -> str:
    if packet.sender is None:
        raise PermanentError("document packet without a sender")
    return packet.sender.organ_id
