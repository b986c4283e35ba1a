"""Reporting obligations as data: rule kinds, periods and the obligation around them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

__all__ = [
    "AfterEventRule",
    "EventPeriod",
    "MonthPeriod",
    "MonthlyRule",
    "Obligation",
    "Period",
    "Rule",
    "YearPeriod",
    "YearlyRule",
    "load_obligations",
]


@dataclass(frozen=True, order=True)
class MonthPeriod:
    """The month a monthly report covers."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"Tháng không hợp lệ: {self.month}")

    @property
    def label(self) -> str:
        return f"tháng {self.month}/{self.year}"

    def shifted(self, months: int) -> MonthPeriod:
        index = self.year * 12 + self.month - 1 + months
        return MonthPeriod(index // 12, index % 12 + 1)


@dataclass(frozen=True, order=True)
class YearPeriod:
    """The year a yearly report covers."""

    year: int

    @property
    def label(self) -> str:
        return f"năm {self.year}"


@dataclass(frozen=True, order=True)
class EventPeriod:
    """An event (the end of an activity, a handover) a report must follow."""

    on: date
    event: str

    @property
    def label(self) -> str:
        return f"{self.event} (ngày {self.on.day:02d}/{self.on.month:02d}/{self.on.year})"


Period = MonthPeriod | YearPeriod | EventPeriod

_DayOffPolicy = Literal["keep", "next_working_day"]


class _RuleBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Whether the due day itself is still on time ("đến ngày 20": yes, "trước ngày 20": no).
    due_inclusive: bool = True
    #: A due day that is not a working day: kept, or moved to the next working day.
    on_day_off: _DayOffPolicy = "keep"
    #: First period covered (its first day); earlier periods are never due.
    starts: date | None = None


class MonthlyRule(_RuleBase):
    """Monthly report for month M, due on day ``day`` of month M + ``month_offset``.

    Day 31 in a 30-day month (or 29–31 in February) means the month's last day.
    """

    kind: Literal["monthly"] = "monthly"
    day: Annotated[int, Field(ge=1, le=31)]
    month_offset: Annotated[int, Field(ge=0, le=12)] = 1


class YearlyRule(_RuleBase):
    """Yearly report for year Y, due on ``month``/``day`` of year Y + ``year_offset``.

    A day past the month's end (29 February in a common year) means its last day.
    """

    kind: Literal["yearly"] = "yearly"
    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]
    year_offset: Annotated[int, Field(ge=0, le=1)] = 0


class AfterEventRule(_RuleBase):
    """Report due ``working_days`` working days after an event (the event day not counted)."""

    kind: Literal["after_event"] = "after_event"
    working_days: Annotated[int, Field(ge=0, le=365)]
    on_day_off: _DayOffPolicy = "next_working_day"


Rule = Annotated[MonthlyRule | YearlyRule | AfterEventRule, Field(discriminator="kind")]


class Obligation(BaseModel):
    """Who must report what to whom, and by when (per province and programme)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9._-]*$")]
    title: Annotated[str, Field(min_length=1)]
    #: The body the reports go to and that signs the reminders (its name or OrganId).
    issuer: Annotated[str, Field(min_length=1)]
    province: str | None = None
    programme: str | None = None
    legal_basis: str | None = None
    rule: Rule


_OBLIGATIONS: TypeAdapter[list[Obligation]] = TypeAdapter(list[Obligation])


def load_obligations(source: str | bytes | Path) -> list[Obligation]:
    """Obligations from a JSON list (text, or a path to a file); ids must be unique."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    obligations = _OBLIGATIONS.validate_python(json.loads(text))
    ids = [o.id for o in obligations]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"Mã nghĩa vụ báo cáo bị trùng: {', '.join(duplicates)}")
    return obligations
