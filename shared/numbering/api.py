"""The registers API a service mounts for its direction (docgen: đi, intake: đến).

``/v1/registers``: list and create a body's registers; per register its
entries, paper documents registered by the văn thư, reservations,
cancellations, the counter of a year, and the printed register (PDF, XLSX).
Every refusal of the numbering library leaves as problem+json (installed
app-wide, so the service's own views may raise ``NumberingError`` too).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, request

from shared.auth.roles import ADMINS, CLERKS, DOCUMENT_READERS
from shared.clock import vietnam_date
from shared.numbering import printing
from shared.numbering.models import (
    Cancellation,
    EntryList,
    EntryOut,
    IncomingPaper,
    OutgoingPaper,
    RegisterCreate,
    RegisterList,
    RegisterOut,
    Reservation,
    SettingsIn,
    SettingsOut,
    YearOpen,
    YearOut,
)
from shared.numbering.registers import (
    BodySettings,
    NumberingError,
    Register,
    Registers,
)
from shared.numbering.sheets import sheet
from shared.runtime import ServiceContext
from shared.web.api import current_principal, endpoint, parse_model
from shared.web.problems import Problem, problem_response

EXTENSION = "vanthu.registers"
PAGE = 500


def problem(exc: NumberingError) -> Problem:
    errors = None
    if exc.field:
        errors = [{"field": exc.field, "code": exc.code, "message": exc.message}]
    return Problem(exc.code, exc.message, status=exc.status, errors=errors, **exc.extra)


def install(app: Any, registers: Registers) -> None:
    """Make ``registers`` the app's numbering library and answer its refusals."""
    app.extensions[EXTENSION] = registers

    @app.errorhandler(NumberingError)
    def _refused(exc: NumberingError) -> Response:
        return problem_response(problem(exc))


def _registers() -> Registers:
    registers: Registers = current_app.extensions[EXTENSION]
    return registers


def _context() -> ServiceContext:
    context: ServiceContext = current_app.extensions["vanthu"]
    return context


def _query_int(name: str, default: int | None = None, *, low: int = 0, high: int = 10**9) -> Any:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise _bad_query(name, f"'{name}' phải là số nguyên từ {low} đến {high}.")
    return value


def _query_date(name: str) -> date | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _bad_query(name, f"'{name}' phải là ngày dạng YYYY-MM-DD.") from None


def _bad_query(name: str, message: str) -> Problem:
    return Problem(
        "validation_failed", errors=[{"field": name, "code": "invalid_query", "message": message}]
    )


def _direction() -> str:
    """'out' or 'in': the direction of the blueprint serving this request."""
    return "out" if request.blueprint == "registers_out" else "in"


def _word() -> str:
    return "đi" if _direction() == "out" else "đến"


def _mine(register_id: str) -> tuple[Registers, Register]:
    registers = _registers()
    with _context().uow() as uow:
        register = registers.get(uow.session, register_id, current_principal().organ_id)
    if register.direction != _direction():
        raise NumberingError("unknown_register", f"Không có sổ văn bản {_word()} này.", status=404)
    return registers, register


def _year_out(registers: Registers, register: Register, year: int) -> YearOut:
    with _context().uow() as uow:
        state = registers.year_state(uow.session, register, year)
        counts = registers.counts(uow.session, register, year)
    return YearOut.of(state, counts)


def _this_year() -> int:
    return vietnam_date(_context().clock()).year


@endpoint(
    "Danh sách sổ văn bản của cơ quan",
    response=RegisterList,
    roles=DOCUMENT_READERS,
    tags=["registers"],
)
def list_registers() -> RegisterList:
    registers = _registers()
    with _context().uow() as uow:
        found = registers.for_body(uow.session, current_principal().organ_id, _direction())
    year = _this_year()
    return RegisterList(registers=[RegisterOut.of(r, _year_out(registers, r, year)) for r in found])


@endpoint(
    "Tạo sổ văn bản (một dãy số)",
    body=RegisterCreate,
    response=RegisterOut,
    status=201,
    roles=ADMINS,
    tags=["registers"],
)
def create_register(payload: RegisterCreate) -> RegisterOut:
    principal = current_principal()
    registers = _registers()
    with _context().uow() as uow:
        register = registers.create(
            uow.session,
            organ_id=principal.organ_id,
            direction=_direction(),
            code=payload.code,
            name=payload.name,
            series=payload.series,
            document_types=payload.document_types,
            issuer_abbreviation=payload.issuer_abbreviation,
            created_by=principal.token_id,
        )
        uow.commit()
    return RegisterOut.of(register)


@endpoint(
    "Xem một sổ và bộ đếm của một năm (?year=)",
    response=RegisterOut,
    roles=DOCUMENT_READERS,
    tags=["registers"],
)
def show_register(register_id: str) -> RegisterOut:
    registers, register = _mine(register_id)
    year = _query_int("year", _this_year(), low=1900, high=9999)
    return RegisterOut.of(register, _year_out(registers, register, year))


@endpoint(
    "Đặt số bắt đầu và quyển số của sổ trong một năm (trước số đầu tiên)",
    body=YearOpen,
    response=YearOut,
    roles=ADMINS,
    tags=["registers"],
)
def open_year(register_id: str, year: int, payload: YearOpen) -> YearOut:
    registers, register = _mine(register_id)
    if not 1900 <= year <= 9999:
        raise _bad_query("year", "Năm không hợp lệ.")
    with _context().uow() as uow:
        registers.open_year(
            uow.session, register, year, first_number=payload.first_number, volume=payload.volume
        )
        uow.commit()
    return _year_out(registers, register, year)


@endpoint(
    "Các số trong sổ (?year=, ?from=, ?to=, ?after=, ?limit=)",
    response=EntryList,
    roles=DOCUMENT_READERS,
    tags=["registers"],
)
def list_entries(register_id: str) -> EntryList:
    registers, register = _mine(register_id)
    limit = _query_int("limit", PAGE, low=1, high=PAGE)
    after = _query_int("after", 0)
    with _context().uow() as uow:
        found = registers.entries(
            uow.session,
            register,
            year=_query_int("year", None, low=1900, high=9999),
            date_from=_query_date("from"),
            date_to=_query_date("to"),
            limit=limit + 1,
            after_number=after,
        )
    now = _context().clock()
    page = found[:limit]
    more = len(found) > limit
    return EntryList(
        entries=[EntryOut.of(e, now) for e in page],
        next_after=page[-1].number if more and page else None,
    )


@endpoint(
    "Vào sổ văn bản đi một văn bản giấy và nhận số",
    body=OutgoingPaper,
    response=EntryOut,
    status=201,
    roles=CLERKS,
    tags=["registers"],
)
def register_outgoing(register_id: str, payload: OutgoingPaper) -> EntryOut:
    if payload.issued_on > vietnam_date(_context().clock()):
        raise _future("issued_on")
    details = payload.model_dump(mode="json", exclude={"number", "notation", "issued_on"})
    details["type_and_subject"] = f"{payload.type_name} {payload.subject}"
    return _record_paper(
        register_id, payload.number, payload.notation, payload.issued_on, details, "recorded"
    )


@endpoint(
    "Vào sổ văn bản đến một văn bản giấy và nhận số đến",
    body=IncomingPaper,
    response=EntryOut,
    status=201,
    roles=CLERKS,
    tags=["registers"],
)
def register_incoming(register_id: str, payload: IncomingPaper) -> EntryOut:
    arrived = payload.arrival_date or vietnam_date(_context().clock())
    if arrived > vietnam_date(_context().clock()):
        raise _future("arrival_date")
    details = payload.model_dump(mode="json", exclude={"number", "arrival_date"})
    details["type_and_subject"] = f"{payload.type_name} {payload.subject}"
    return _record_paper(register_id, payload.number, None, arrived, details, "registered")


def _record_paper(  # noqa: PLR0917 - one private call site per direction
    register_id: str,
    number: int | None,
    notation: str | None,
    entry_date: date,
    details: dict[str, Any],
    state: str,
) -> EntryOut:
    registers, register = _mine(register_id)
    fields: dict[str, Any] = {
        "year": entry_date.year,
        "notation": notation,
        "state": state,
        "entry_date": entry_date,
        "details": details,
        "created_by": current_principal().token_id,
    }
    with _context().uow() as uow:
        if number is None:
            entry = registers.take_next(uow.session, register, **fields)
        else:
            entry = registers.record_typed(uow.session, register, number=number, **fields)
        uow.commit()
    return EntryOut.of(entry, _context().clock())


@endpoint(
    "Giữ trước số tiếp theo cho một văn bản sẽ ban hành",
    body=Reservation,
    response=EntryOut,
    status=201,
    roles=CLERKS,
    tags=["registers"],
)
def reserve(register_id: str, payload: Reservation) -> EntryOut:
    registers, register = _mine(register_id)
    if payload.until.tzinfo is None:
        raise _bad_query("until", "Thời hạn cần có múi giờ, ví dụ 2024-03-20T17:00:00+07:00.")
    with _context().uow() as uow:
        entry = registers.reserve(
            uow.session,
            register,
            until=payload.until,
            reserved_for=payload.reserved_for,
            created_by=current_principal().token_id,
        )
        uow.commit()
    return EntryOut.of(entry, _context().clock())


@endpoint(
    "Hủy một số (ghi lý do); số không được dùng lại",
    body=Cancellation,
    response=EntryOut,
    roles=CLERKS,
    tags=["registers"],
)
def cancel_entry(register_id: str, entry_id: str, payload: Cancellation) -> EntryOut:
    registers, register = _mine(register_id)
    with _context().uow() as uow:
        entry = registers.cancel(
            uow.session,
            register,
            entry_id,
            reason=payload.reason,
            by=current_principal().token_id,
        )
        uow.commit()
    return EntryOut.of(entry, _context().clock())


@endpoint(
    "In sổ (print.pdf hoặc print.xlsx; ?year=, ?from=, ?to=)",
    roles=DOCUMENT_READERS,
    tags=["registers"],
)
def print_register(register_id: str, fmt: str) -> Response:
    if fmt not in ("pdf", "xlsx"):
        raise Problem("not_found", "Chỉ in được print.pdf hoặc print.xlsx.")
    registers, register = _mine(register_id)
    year = _query_int("year", None, low=1900, high=9999)
    date_from, date_to = _query_date("from"), _query_date("to")
    if year is None:
        year = (date_from or date_to or vietnam_date(_context().clock())).year
    date_from = date_from or date(year, 1, 1)
    date_to = date_to or date(year, 12, 31)
    if date_from.year != year or date_to.year != year or date_from > date_to:
        raise _bad_query("from", "Khoảng ngày phải nằm trong một năm và 'from' ≤ 'to'.")
    cover, rows = sheet(_context(), registers, register, year, date_from, date_to)
    render: Callable[..., bytes] = printing.register_pdf if fmt == "pdf" else printing.register_xlsx
    response = Response(render(cover, rows), mimetype=MEDIA_TYPES[fmt])
    name = (
        f"so-van-ban-{'di' if register.direction == 'out' else 'den'}-{register.code}-{year}.{fmt}"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@endpoint(
    "Tên và chữ viết tắt của cơ quan dùng cho ký hiệu và bìa sổ",
    response=SettingsOut,
    roles=DOCUMENT_READERS,
    tags=["registers"],
)
def show_settings() -> SettingsOut:
    organ_id = current_principal().organ_id
    with _context().uow() as uow:
        settings = _registers().settings(uow.session, organ_id)
    if settings is None:
        raise Problem("not_found", "Cơ quan chưa khai báo tên và chữ viết tắt.")
    return _settings_out(settings)


@endpoint(
    "Khai báo tên và chữ viết tắt của cơ quan, đơn vị",
    body=SettingsIn,
    response=SettingsOut,
    roles=ADMINS,
    tags=["registers"],
)
def save_settings(payload: SettingsIn) -> SettingsOut:
    settings = BodySettings(organ_id=current_principal().organ_id, **payload.model_dump())
    with _context().uow() as uow:
        _registers().save_settings(uow.session, settings)
        uow.commit()
    return _settings_out(settings)


def _settings_out(settings: BodySettings) -> SettingsOut:
    return SettingsOut(
        organ_id=settings.organ_id,
        name=settings.name,
        parent_name=settings.parent_name,
        abbreviation=settings.abbreviation,
        units=dict(settings.units),
        type_overrides=dict(settings.type_overrides),
    )


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def make_blueprint(direction: str) -> Blueprint:
    """The registers API of one direction: 'out' (sổ văn bản đi) or 'in' (sổ văn bản đến)."""
    if direction not in ("out", "in"):
        raise ValueError(direction)
    bp = Blueprint(f"registers_{direction}", __name__, url_prefix="/v1/registers")
    paper = register_outgoing if direction == "out" else register_incoming
    rules: list[tuple[str, Callable[..., Response], str]] = [
        ("/settings", show_settings, "GET"),
        ("/settings", save_settings, "PUT"),
        ("", list_registers, "GET"),
        ("", create_register, "POST"),
        ("/<register_id>", show_register, "GET"),
        ("/<register_id>/years/<int:year>", open_year, "PUT"),
        ("/<register_id>/entries", list_entries, "GET"),
        ("/<register_id>/entries", paper, "POST"),
        ("/<register_id>/entries/<entry_id>/cancel", cancel_entry, "POST"),
        ("/<register_id>/print.<fmt>", print_register, "GET"),
    ]
    if direction == "out":  # numbers are reserved for documents to issue, not for arrivals
        rules.append(("/<register_id>/reservations", reserve, "POST"))
    for rule, view, method in rules:
        bp.add_url_rule(
            rule, endpoint=f"{view.__name__}_{method.lower()}", view_func=view, methods=[method]
        )
    return bp


def _future(field: str) -> NumberingError:
    return NumberingError("date_in_future", "Ngày không được ở tương lai.", field=field)


__all__ = ["EXTENSION", "install", "make_blueprint", "parse_model", "problem"]
