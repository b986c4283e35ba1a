"""A register as printed: its cover and rows for a date range, from its entries."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.clock import VIETNAM
from shared.numbering import printing
from shared.numbering.registers import Entry, Register, Registers
from shared.runtime import ServiceContext


def sheet(  # noqa: PLR0917 - the register and its range, in reading order
    context: ServiceContext,
    registers: Registers,
    register: Register,
    year: int,
    date_from: date,
    date_to: date,
) -> tuple[printing.RegisterCover, list[Any]]:
    """The cover and rows of a printed register for a date range in one year."""
    with context.uow() as uow:
        settings = registers.settings(uow.session, register.organ_id)
        state = registers.year_state(uow.session, register, year)
        found = registers.entries(
            uow.session, register, year=year, date_from=date_from, date_to=date_to
        )
    now = context.clock()
    numbers = [e.number for e in found]
    cover = printing.RegisterCover(
        direction="out" if register.direction == "out" else "in",
        parent_name=settings.parent_name if settings else None,
        body_name=settings.name if settings else register.organ_id,
        register_name=register.name,
        year=year,
        date_from=date_from,
        date_to=date_to,
        number_from=min(numbers) if numbers else None,
        number_to=max(numbers) if numbers else None,
        volume=state.volume,
    )
    rows = [
        _outgoing_row(e, now) if register.direction == "out" else _incoming_row(e) for e in found
    ]
    return cover, rows


def _note(entry: Entry, now: Any) -> str:
    base = str(entry.details.get("note") or "")
    if entry.state == "cancelled":
        extra = f"Đã hủy: {entry.cancel_reason}"
    elif entry.state == "reserved":
        until = (
            entry.reserved_until.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")
            if (entry.reserved_until)
            else ""
        )
        status = "đã hết hạn, không sử dụng" if entry.expired(now) else f"đến {until}"
        extra = f"Số giữ trước ({entry.reserved_for}), {status}"
    elif entry.state == "recalled":
        extra = "Đã thu hồi"
    else:
        extra = ""
    return "; ".join(part for part in (base, extra) if part)


def _outgoing_row(entry: Entry, now: Any) -> printing.OutgoingRow:
    d = entry.details
    state = entry.state if entry.state in ("issued", "recorded", "reserved") else "cancelled"
    return printing.OutgoingRow(
        number_notation=entry.code,
        issued_on=entry.entry_date if entry.state in ("issued", "recorded") else None,
        type_and_subject=str(d.get("type_and_subject", "")),
        signer=str(d.get("signer", "")),
        recipients=str(d.get("recipients", "")),
        archive_holder=str(d.get("archive_holder", "")),
        copies=d.get("copies"),
        transferred_on=None,
        receipt="",
        note=_note(entry, now),
        state=state,  # type: ignore[arg-type]
    )


def _incoming_row(entry: Entry) -> printing.IncomingRow:
    d = entry.details
    document_date = d.get("document_date")
    state = entry.state if entry.state in ("registered", "recalled") else "cancelled"
    return printing.IncomingRow(
        arrival_date=entry.entry_date or date(entry.year, 1, 1),
        arrival_number=entry.number,
        author=str(d.get("author", "")),
        number_notation=str(d.get("number_notation", "")),
        document_date=date.fromisoformat(document_date) if document_date else None,
        type_and_subject=str(d.get("type_and_subject", "")),
        recipient_unit=str(d.get("recipient_unit", "")),
        transferred_on=None,
        receipt="",
        note=_note(entry, None),
        state=state,  # type: ignore[arg-type]
    )
