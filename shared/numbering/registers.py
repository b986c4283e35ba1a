"""Registers, counters, reservations and cancellations, on a service's own tables.

Every number comes from one place: ``Registers.take_next``, which increments the
counter row of (register, year) and records the entry in the caller's
transaction. The counter row stays locked only until that transaction ends,
and a transaction that does not commit gives its number back — so a register
never shows a gap (nothing is lost by a crash) nor a duplicate (the row lock on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite, and a unique constraint behind both).
Callers keep the transaction short: everything slow (rendering) happens after.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, Select, and_, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.clock import Clock, system_clock, vietnam_date
from shared.db import upsert_insert
from shared.db.types import new_id
from shared.numbering.notation import ABBREVIATION, code
from shared.numbering.tables import NumberingTables
from shared.organ import is_organ_id
from shared.text import nfc


class Series(StrEnum):
    """Why a register has its own sequence (decree30.md §3.1)."""

    ADMINISTRATIVE = "administrative"  # văn bản hành chính: the default series
    LEGAL = "legal"  # one per type of văn bản quy phạm pháp luật
    SECRET = "secret"  # văn bản mật  # noqa: S105 - a series name, not a password
    COUNCIL = "council"  # Hội đồng, Ban, Tổ issuing under the body's seal
    COPIES = "copies"  # bản sao (SY, TrS, SL share one sequence)
    CUSTOM = "custom"  # any other series the head of the body sets
    INCOMING = "incoming"  # sổ văn bản đến: one số đến sequence, paper and electronic


OUTGOING_SERIES = frozenset(Series) - {Series.INCOMING}
CONG_VAN = "cong-van"  # the type key of a công văn, which has no abbreviation


class NumberingError(Exception):
    """A refusal with a stable code, an HTTP status and a Vietnamese message."""

    def __init__(
        self, code: str, message: str, *, status: int = 422, field: str | None = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
        self.extra = extra


@dataclass(frozen=True)
class Register:
    id: str
    organ_id: str
    direction: str
    code: str
    name: str
    series: Series
    document_types: tuple[str, ...]
    issuer_abbreviation: str | None
    active: bool
    created_at: datetime

    def accepts(self, type_key: str) -> bool:
        """Whether a document of this type (its abbreviation, or 'cong-van') belongs here."""
        return not self.document_types or type_key in self.document_types


@dataclass(frozen=True)
class Entry:
    id: str
    register_id: str
    organ_id: str
    year: int
    number: int
    notation: str | None
    state: str
    source: str
    document_id: str | None
    entry_date: date | None
    details: Mapping[str, Any]
    reserved_until: datetime | None
    reserved_for: str | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    created_by: str
    created_at: datetime

    @property
    def code(self) -> str:
        """'05/UBND-VP', or the bare number ('05') where there is no ký hiệu."""
        return code(self.number, self.notation) if self.notation else f"{self.number:02d}"

    def expired(self, now: datetime) -> bool:
        return (
            self.state == "reserved"
            and self.reserved_until is not None
            and self.reserved_until <= now
        )


@dataclass(frozen=True)
class YearState:
    year: int
    last_number: int
    first_number: int
    volume: int


@dataclass(frozen=True)
class BodySettings:
    organ_id: str
    name: str
    abbreviation: str
    parent_name: str | None = None
    units: Mapping[str, str] = field(default_factory=dict)
    type_overrides: Mapping[str, str] = field(default_factory=dict)


class Registers:
    """The numbering library over one service's ``NumberingTables``."""

    def __init__(
        self,
        tables: NumberingTables,
        clock: Clock = system_clock,
        *,
        on_cancel: Callable[[Session, Entry], None] | None = None,
    ) -> None:
        self.t = tables
        self.clock = clock
        # What else a cancelled number takes with it (docgen: the document issued
        # under it), done in the caller's transaction with the entry's own change.
        self.on_cancel = on_cancel
        # Statements built once and given their values as parameters: building them
        # per call costs more than running them, and it happens with the counter held.
        y = tables.years.c
        self._bump = (
            update(tables.years)
            .where(y.register_id == bindparam("b_register"), y.year == bindparam("b_year"))
            .values(last_number=y.last_number + 1)
            .returning(y.last_number)
        )
        self._add_entry = tables.entries.insert()

    # ------------------------------------------------------------ registers

    def create(
        self,
        session: Session,
        *,
        organ_id: str,
        direction: str,
        code: str,
        name: str,
        series: Series | str,
        document_types: Sequence[str] = (),
        issuer_abbreviation: str | None = None,
        created_by: str = "system",
    ) -> Register:
        series = _series(series)
        if not is_organ_id(organ_id):
            raise NumberingError("invalid_organ_id", f"Mã định danh không hợp lệ: {organ_id!r}")
        if direction not in ("out", "in"):
            raise NumberingError("invalid_direction", "Sổ phải là sổ văn bản đi hoặc đến.")
        if (direction == "in") != (series is Series.INCOMING):
            raise NumberingError(
                "wrong_series",
                "Sổ văn bản đến dùng dãy số đến (incoming); sổ văn bản đi không dùng dãy đó.",
                field="series",
            )
        if issuer_abbreviation is not None and not ABBREVIATION.match(issuer_abbreviation):
            raise NumberingError(
                "invalid_abbreviation",
                f"Chữ viết tắt không hợp lệ: {issuer_abbreviation!r}",
                field="issuer_abbreviation",
            )
        row = {
            "id": new_id(),
            "organ_id": organ_id,
            "direction": direction,
            "code": nfc(code),
            "name": nfc(name),
            "series": series.value,
            "document_types": json.dumps(list(document_types), ensure_ascii=False),
            "issuer_abbreviation": issuer_abbreviation,
            "active": True,
            "created_at": self.clock(),
        }
        try:
            with session.begin_nested():
                session.execute(self.t.registers.insert().values(**row))
        except IntegrityError:
            raise NumberingError(
                "register_exists",
                f"Cơ quan đã có sổ mã {code!r} cho chiều này.",
                status=409,
                field="code",
            ) from None
        return self._register(row)

    def for_body(
        self, session: Session, organ_id: str, direction: str | None = None
    ) -> list[Register]:
        query = select(self.t.registers).where(self.t.registers.c.organ_id == organ_id)
        if direction:
            query = query.where(self.t.registers.c.direction == direction)
        rows = session.execute(query.order_by(self.t.registers.c.code)).mappings()
        return [self._register(r) for r in rows]

    def get(self, session: Session, register_id: str, organ_id: str) -> Register:
        """The register, if it is this body's; otherwise a clear refusal."""
        row = (
            session.execute(select(self.t.registers).where(self.t.registers.c.id == register_id))
            .mappings()
            .first()
        )
        if row is None:
            raise NumberingError("unknown_register", "Không tìm thấy sổ này.", status=404)
        if row["organ_id"] != organ_id:
            raise NumberingError("wrong_body", "Sổ này thuộc cơ quan, tổ chức khác.", status=403)
        return self._register(row)

    def default(self, session: Session, organ_id: str, direction: str) -> Register:
        """The body's main series in a direction: administrative (đi) or số đến (đến)."""
        series = Series.ADMINISTRATIVE if direction == "out" else Series.INCOMING
        for register in self.for_body(session, organ_id, direction):
            if register.series is series and register.active:
                return register
        raise NumberingError(
            "no_default_register",
            "Cơ quan chưa có sổ văn bản "
            + ("đi hành chính" if direction == "out" else "đến")
            + "; hãy tạo sổ trước (vanthu registers create).",
            status=409,
        )

    def year_state(self, session: Session, register: Register, year: int) -> YearState:
        row = session.execute(
            select(self.t.years).where(
                self.t.years.c.register_id == register.id, self.t.years.c.year == year
            )
        ).first()
        if row is None:
            return YearState(year, 0, 1, 1)
        return YearState(year, row.last_number, row.first_number, row.volume)

    def open_year(
        self,
        session: Session,
        register: Register,
        year: int,
        *,
        first_number: int = 1,
        volume: int = 1,
    ) -> YearState:
        """Set where the system's numbers start in a year (a body that numbered on paper
        until 57 starts at 58) and the volume; only before the year's first number."""
        if first_number < 1 or volume < 1:
            raise NumberingError("invalid_year", "Số bắt đầu và quyển số phải từ 1 trở lên.")
        state = self.year_state(session, register, year)
        if state.last_number >= state.first_number:
            raise NumberingError(
                "year_started",
                f"Sổ năm {year} đã cấp số; không thể đổi số bắt đầu.",
                status=409,
            )
        self._ensure_year(session, register, year)
        session.execute(
            update(self.t.years)
            .where(self.t.years.c.register_id == register.id, self.t.years.c.year == year)
            .values(first_number=first_number, last_number=first_number - 1, volume=volume)
        )
        return YearState(year, first_number - 1, first_number, volume)

    # ------------------------------------------------------------ numbers

    def take_next(
        self,
        session: Session,
        register: Register,
        *,
        year: int,
        notation: str | None,
        state: str,
        entry_date: date | None,
        details: Mapping[str, Any],
        created_by: str,
        document_id: str | None = None,
        reserved_until: datetime | None = None,
        reserved_for: str | None = None,
    ) -> Entry:
        """The next number of (register, year), recorded as an entry — in the caller's
        transaction. Call it last before committing: the counter stays locked until then."""
        _active(register)
        number = self._increment(session, register, year)
        return self._insert(
            session,
            register,
            year=year,
            number=number,
            notation=notation,
            state=state,
            source="system",
            entry_date=entry_date,
            details=details,
            created_by=created_by,
            document_id=document_id,
            reserved_until=reserved_until,
            reserved_for=reserved_for,
        )

    def record_typed(
        self,
        session: Session,
        register: Register,
        *,
        year: int,
        number: int,
        notation: str | None,
        entry_date: date | None,
        details: Mapping[str, Any],
        created_by: str,
        state: str = "recorded",
    ) -> Entry:
        """A number a clerk typed (a paper document numbered before the system's range).

        Refused when the same number, or the same (số, ký hiệu) in the body's
        year, is already recorded, and when it lies in the system's range (the
        system gives those numbers, in order, never twice).
        """
        _active(register)
        if number < 1:
            raise NumberingError("invalid_number", "Số văn bản bắt đầu từ 1.", field="number")
        clash = self._clash(session, register, year, number, notation)
        if clash is not None:
            raise _taken(clash)
        span = self.year_state(session, register, year)
        if number >= span.first_number:
            raise NumberingError(
                "number_in_system_range",
                f"Số {number:02d} thuộc dãy số do hệ thống cấp (từ {span.first_number:02d}); "
                "để trống số để hệ thống cấp số tiếp theo.",
                field="number",
            )
        try:
            with session.begin_nested():
                return self._insert(
                    session,
                    register,
                    year=year,
                    number=number,
                    notation=notation,
                    state=state,
                    source="typed",
                    entry_date=entry_date,
                    details=details,
                    created_by=created_by,
                )
        except IntegrityError:
            clash = self._clash(session, register, year, number, notation)
            raise _taken(clash) from None

    def reserve(
        self,
        session: Session,
        register: Register,
        *,
        until: datetime,
        reserved_for: str,
        created_by: str,
    ) -> Entry:
        """Hold the next number for a document to be issued later, until ``until``."""
        now = self.clock()
        if until <= now:
            raise NumberingError(
                "invalid_expiry", "Thời hạn giữ số phải ở tương lai.", field="until"
            )
        today = vietnam_date(now)
        return self.take_next(
            session,
            register,
            year=today.year,
            notation=None,
            state="reserved",
            entry_date=today,
            details={},
            created_by=created_by,
            reserved_until=until,
            reserved_for=nfc(reserved_for),
        )

    def use_reservation(
        self,
        session: Session,
        register: Register,
        entry_id: str,
        *,
        year: int,
        notation: str | None,
        entry_date: date,
        details: Mapping[str, Any],
        document_id: str | None,
        state: str = "issued",
    ) -> Entry:
        """Give a reserved number to the document it was held for."""
        entry = self.entry(session, register, entry_id)
        if entry.state != "reserved":
            raise NumberingError(
                "reservation_not_open",
                f"Số {entry.code} không còn ở trạng thái giữ trước.",
                status=409,
            )
        if entry.expired(self.clock()):
            raise NumberingError(
                "reservation_expired",
                f"Số giữ trước {entry.code} đã hết hạn; số này không được dùng lại.",
                status=409,
            )
        if entry.year != year:
            raise NumberingError(
                "reservation_other_year",
                f"Số giữ trước thuộc năm {entry.year}, văn bản ban hành năm {year}.",
                status=409,
            )
        values = {
            "state": state,
            "notation": notation,
            "entry_date": entry_date,
            "details": json.dumps(dict(details), ensure_ascii=False, default=str),
            "document_id": document_id,
        }
        try:
            with session.begin_nested():
                done = _rowcount(
                    session.execute(
                        update(self.t.entries)
                        .where(
                            self.t.entries.c.id == entry_id, self.t.entries.c.state == "reserved"
                        )
                        .values(**values)
                    )
                )
        except IntegrityError:
            raise _taken(self._clash(session, register, year, entry.number, notation)) from None
        if done != 1:  # another request used it first
            raise NumberingError(
                "reservation_not_open", f"Số {entry.code} vừa được dùng.", status=409
            )
        return self.entry(session, register, entry_id)

    def cancel(
        self, session: Session, register: Register, entry_id: str, *, reason: str, by: str
    ) -> Entry:
        """Mark a number cancelled, with the reason; it stays in the register, never reused."""
        reason = nfc(reason).strip()
        if not reason:
            raise NumberingError("reason_required", "Cần ghi lý do hủy số.", field="reason")
        entry = self.entry(session, register, entry_id)
        if entry.state == "cancelled":
            raise NumberingError("already_cancelled", f"Số {entry.code} đã bị hủy.", status=409)
        if entry.state == "recalled":
            raise NumberingError("recalled", f"Số {entry.code} đã bị thu hồi.", status=409)
        session.execute(
            update(self.t.entries)
            .where(self.t.entries.c.id == entry_id, self.t.entries.c.state == entry.state)
            .values(
                state="cancelled", cancelled_at=self.clock(), cancelled_by=by, cancel_reason=reason
            )
        )
        cancelled = self.entry(session, register, entry_id)
        if self.on_cancel is not None:
            self.on_cancel(session, cancelled)
        return cancelled

    # ------------------------------------------------------------ reading

    def entry(self, session: Session, register: Register, entry_id: str) -> Entry:
        row = (
            session.execute(
                select(self.t.entries).where(
                    self.t.entries.c.id == entry_id,
                    self.t.entries.c.register_id == register.id,
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NumberingError("unknown_entry", "Không tìm thấy số này trong sổ.", status=404)
        return _entry(row)

    def entry_for_document(self, session: Session, document_id: str) -> Entry | None:
        row = (
            session.execute(
                select(self.t.entries).where(self.t.entries.c.document_id == document_id)
            )
            .mappings()
            .first()
        )
        return _entry(row) if row else None

    def entries(
        self,
        session: Session,
        register: Register,
        *,
        year: int | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int | None = None,
        after_number: int = 0,
    ) -> list[Entry]:
        """Entries in number order: a year, or the numbers given between two dates."""
        e = self.t.entries.c
        query: Select[Any] = select(self.t.entries).where(e.register_id == register.id)
        if year is not None:
            query = query.where(e.year == year)
        if date_from is not None:
            query = query.where(e.entry_date >= date_from)
        if date_to is not None:
            query = query.where(e.entry_date <= date_to)
        if after_number:
            query = query.where(e.number > after_number)
        query = query.order_by(e.year, e.number)
        if limit is not None:
            query = query.limit(limit)
        return [_entry(r) for r in session.execute(query).mappings()]

    def counts(self, session: Session, register: Register, year: int) -> dict[str, int]:
        e = self.t.entries.c
        rows = session.execute(
            select(e.state, func.count())
            .where(e.register_id == register.id, e.year == year)
            .group_by(e.state)
        )
        return {str(state): int(count) for state, count in rows}

    # ------------------------------------------------------------ body settings

    def settings(self, session: Session, organ_id: str) -> BodySettings | None:
        row = session.execute(
            select(self.t.settings).where(self.t.settings.c.organ_id == organ_id)
        ).first()
        if row is None:
            return None
        return BodySettings(
            organ_id=organ_id,
            name=row.name,
            abbreviation=row.abbreviation,
            parent_name=row.parent_name,
            units=json.loads(row.units),
            type_overrides=json.loads(row.type_overrides),
        )

    def save_settings(self, session: Session, settings: BodySettings) -> BodySettings:
        for value in (settings.abbreviation, *settings.units, *settings.type_overrides.values()):
            if not ABBREVIATION.match(value):
                raise NumberingError(
                    "invalid_abbreviation", f"Chữ viết tắt không hợp lệ: {value!r}"
                )
        if not is_organ_id(settings.organ_id):
            raise NumberingError(
                "invalid_organ_id", f"Mã định danh không hợp lệ: {settings.organ_id!r}"
            )
        values = {
            "name": nfc(settings.name),
            "parent_name": nfc(settings.parent_name) if settings.parent_name else None,
            "abbreviation": settings.abbreviation,
            "units": json.dumps({k: nfc(v) for k, v in settings.units.items()}, ensure_ascii=False),
            "type_overrides": json.dumps(dict(settings.type_overrides), ensure_ascii=False),
            "updated_at": self.clock(),
        }
        done = _rowcount(
            session.execute(
                update(self.t.settings)
                .where(self.t.settings.c.organ_id == settings.organ_id)
                .values(**values)
            )
        )
        if not done:
            session.execute(self.t.settings.insert().values(organ_id=settings.organ_id, **values))
        return settings

    # ------------------------------------------------------------ internals

    def _increment(self, session: Session, register: Register, year: int) -> int:
        key = {"b_register": register.id, "b_year": year}
        number = session.execute(self._bump, key).scalar_one_or_none()
        if number is None:  # the year's first number: open its counter row, then bump it
            self._ensure_year(session, register, year)
            number = session.execute(self._bump, key).scalar_one()
        return int(number)

    def _ensure_year(self, session: Session, register: Register, year: int) -> None:
        values = {
            "register_id": register.id,
            "year": year,
            "organ_id": register.organ_id,
            "last_number": 0,
            "first_number": 1,
            "volume": 1,
        }
        session.execute(
            upsert_insert(session, self.t.years).values(**values).on_conflict_do_nothing()
        )

    def _insert(
        self,
        session: Session,
        register: Register,
        *,
        year: int,
        number: int,
        notation: str | None,
        state: str,
        source: str,
        entry_date: date | None,
        details: Mapping[str, Any],
        created_by: str,
        document_id: str | None = None,
        reserved_until: datetime | None = None,
        reserved_for: str | None = None,
    ) -> Entry:
        row = {
            "id": new_id(),
            "register_id": register.id,
            "organ_id": register.organ_id,
            "year": year,
            "number": number,
            "notation": notation,
            "state": state,
            "source": source,
            "document_id": document_id,
            "entry_date": entry_date,
            "details": json.dumps(dict(details), ensure_ascii=False, default=str),
            "reserved_until": reserved_until,
            "reserved_for": reserved_for,
            "cancelled_at": None,
            "cancelled_by": None,
            "cancel_reason": None,
            "created_by": created_by,
            "created_at": self.clock(),
        }
        session.execute(self._add_entry, row)
        return _entry(row)

    def _clash(
        self, session: Session, register: Register, year: int, number: int, notation: str | None
    ) -> Entry | None:
        e = self.t.entries.c
        same_number = and_(e.register_id == register.id, e.year == year, e.number == number)
        condition = same_number
        if notation is not None:
            same_code = and_(
                e.organ_id == register.organ_id,
                e.year == year,
                e.number == number,
                e.notation == notation,
            )
            condition = or_(same_number, same_code)
        row = session.execute(select(self.t.entries).where(condition).limit(1)).mappings().first()
        return _entry(row) if row else None

    @staticmethod
    def _register(row: Mapping[Any, Any] | Row[Any]) -> Register:
        data = dict(row._mapping) if isinstance(row, Row) else dict(row)
        return Register(
            id=data["id"],
            organ_id=data["organ_id"],
            direction=data["direction"],
            code=data["code"],
            name=data["name"],
            series=Series(data["series"]),
            document_types=tuple(json.loads(data["document_types"])),
            issuer_abbreviation=data["issuer_abbreviation"],
            active=bool(data["active"]),
            created_at=data["created_at"],
        )


def _series(value: Series | str) -> Series:
    try:
        return Series(value)
    except ValueError:
        names = ", ".join(s.value for s in Series)
        raise NumberingError(
            "unknown_series",
            f"Loại dãy số không hợp lệ: {value!r} (chọn: {names}).",
            field="series",
        ) from None


def _rowcount(result: Any) -> int:
    return int(result.rowcount or 0)


def _active(register: Register) -> None:
    if not register.active:
        raise NumberingError("register_closed", f"Sổ {register.name} đã đóng.", status=409)


def _taken(entry: Entry | None) -> NumberingError:
    where = f" (đã có: {entry.code}, năm {entry.year})" if entry else ""
    return NumberingError(
        "number_taken",
        f"Số và ký hiệu này đã có trong sổ{where}; không được trùng.",
        status=409,
        field="number",
    )


def _entry(row: Mapping[Any, Any]) -> Entry:
    return Entry(
        id=row["id"],
        register_id=row["register_id"],
        organ_id=row["organ_id"],
        year=row["year"],
        number=row["number"],
        notation=row["notation"],
        state=row["state"],
        source=row["source"],
        document_id=row["document_id"],
        entry_date=row["entry_date"],
        details=json.loads(row["details"]) if isinstance(row["details"], str) else row["details"],
        reserved_until=row["reserved_until"],
        reserved_for=row["reserved_for"],
        cancelled_at=row["cancelled_at"],
        cancel_reason=row["cancel_reason"],
        created_by=row["created_by"],
        created_at=row["created_at"],
    )
