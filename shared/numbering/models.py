"""Request and response models of the registers API (both directions)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from shared.numbering.notation import ABBREVIATION, NOTATION
from shared.numbering.registers import Entry, Register, Series, YearState
from shared.text import nfc


def _clean(value: str) -> str:
    return " ".join(nfc(value).split())


Line = Annotated[str, AfterValidator(_clean), Field(min_length=1, max_length=300)]
Text = Annotated[str, AfterValidator(_clean), Field(min_length=1, max_length=2000)]
Notation = Annotated[str, Field(min_length=1, max_length=30, pattern=NOTATION.pattern)]
Abbreviation = Annotated[str, Field(min_length=1, max_length=30, pattern=ABBREVIATION.pattern)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RegisterCreate(Strict):
    code: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")] = (
        Field(description="Short id in the body, e.g. 'hanh-chinh', 'mat', 'hd-thi-dua'")
    )
    name: Line = Field(description="e.g. 'Văn bản hành chính'")
    series: Series
    document_types: list[Abbreviation | str] = Field(
        default_factory=list,
        max_length=40,
        description="Types it takes (Phụ lục III abbreviations, or 'cong-van'); empty = all",
    )
    issuer_abbreviation: Abbreviation | None = Field(
        default=None, description="A council's own abbreviation in its ký hiệu (e.g. 'HĐTĐKT')"
    )


class YearOut(BaseModel):
    year: int
    last_number: int
    first_number: int
    volume: int
    counts: dict[str, int]

    @classmethod
    def of(cls, state: YearState, counts: dict[str, int]) -> YearOut:
        return cls(
            year=state.year,
            last_number=state.last_number,
            first_number=state.first_number,
            volume=state.volume,
            counts=counts,
        )


class RegisterOut(BaseModel):
    id: str
    organ_id: str
    direction: str
    code: str
    name: str
    series: str
    document_types: list[str]
    issuer_abbreviation: str | None
    active: bool
    created_at: datetime
    current_year: YearOut | None = None

    @classmethod
    def of(cls, register: Register, year: YearOut | None = None) -> RegisterOut:
        return cls(
            id=register.id,
            organ_id=register.organ_id,
            direction=register.direction,
            code=register.code,
            name=register.name,
            series=register.series.value,
            document_types=list(register.document_types),
            issuer_abbreviation=register.issuer_abbreviation,
            active=register.active,
            created_at=register.created_at,
            current_year=year,
        )


class RegisterList(BaseModel):
    registers: list[RegisterOut]


class YearOpen(Strict):
    first_number: int = Field(default=1, ge=1, le=999999)
    volume: int = Field(default=1, ge=1, le=999)


class EntryOut(BaseModel):
    id: str
    register_id: str
    year: int
    number: int
    notation: str | None
    code: str
    state: str
    expired: bool
    source: str
    document_id: str | None
    entry_date: date | None
    details: dict[str, Any]
    reserved_until: datetime | None
    reserved_for: str | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    created_at: datetime

    @classmethod
    def of(cls, entry: Entry, now: datetime) -> EntryOut:
        return cls(
            id=entry.id,
            register_id=entry.register_id,
            year=entry.year,
            number=entry.number,
            notation=entry.notation,
            code=entry.code,
            state=entry.state,
            expired=entry.expired(now),
            source=entry.source,
            document_id=entry.document_id,
            entry_date=entry.entry_date,
            details=dict(entry.details),
            reserved_until=entry.reserved_until,
            reserved_for=entry.reserved_for,
            cancelled_at=entry.cancelled_at,
            cancel_reason=entry.cancel_reason,
            created_at=entry.created_at,
        )


class EntryList(BaseModel):
    entries: list[EntryOut]
    next_after: int | None = Field(description="Pass as ?after= for the next page; null at end")


class OutgoingPaper(Strict):
    """A văn bản đi drafted and signed on paper, registered by the văn thư."""

    number: int | None = Field(
        default=None,
        ge=1,
        le=999999,
        description="Leave empty: the register gives the next number. Type it only for a "
        "paper document numbered before the system's range.",
    )
    notation: Notation = Field(description="Ký hiệu after the '/', e.g. 'QĐ-UBND'")
    issued_on: date
    type_name: Line = Field(description="Tên loại, e.g. 'Quyết định'")
    subject: Text = Field(description="Trích yếu nội dung")
    signer: Line = Field(description="Người ký")
    recipients: Text = Field(description="Nơi nhận")
    archive_holder: Line = Field(default="VT", description="Đơn vị, người nhận bản lưu")
    copies: int | None = Field(default=None, ge=1, le=100000, description="Số lượng bản")
    note: Annotated[str, AfterValidator(_clean), Field(max_length=500)] = ""


class IncomingPaper(Strict):
    """A văn bản đến that arrived on paper, registered with the next số đến."""

    number: int | None = Field(
        default=None,
        ge=1,
        le=9999999999,
        description="Leave empty for the next số đến; type it only for documents registered "
        "on paper before the system's range.",
    )
    arrival_date: date | None = Field(default=None, description="Ngày đến; default today")
    author: Line = Field(description="Tác giả: the sending body")
    number_notation: Annotated[str, AfterValidator(_clean), Field(min_length=1, max_length=50)]
    document_date: date
    type_name: Line
    subject: Text
    recipient_unit: Line = Field(description="Đơn vị hoặc người nhận")
    due_date: date | None = Field(default=None, description="Thời hạn giải quyết")
    note: Annotated[str, AfterValidator(_clean), Field(max_length=500)] = ""


class Reservation(Strict):
    until: datetime = Field(description="Until when the number is held (ISO 8601 with offset)")
    reserved_for: Line = Field(description="What document the number is held for")


class Cancellation(Strict):
    reason: Text


class SettingsIn(Strict):
    """A body's names and abbreviations, as its head set them (decree30.md §3.2)."""

    name: Line = Field(description="TÊN CƠ QUAN, TỔ CHỨC, e.g. 'Ủy ban nhân dân huyện Sông Hình'")
    parent_name: Line | None = Field(default=None, description="Cơ quan chủ quản trực tiếp")
    abbreviation: Abbreviation = Field(description="The body's abbreviation, e.g. 'UBND'")
    units: dict[Abbreviation, Line] = Field(
        default_factory=dict,
        max_length=200,
        description="Drafting units for công văn ký hiệu, e.g. {'VP': 'Văn phòng'}",
    )
    type_overrides: dict[Line, Abbreviation] = Field(
        default_factory=dict,
        max_length=60,
        description="Type abbreviations the body sets differently from Phụ lục III",
    )


class SettingsOut(SettingsIn):
    organ_id: str
