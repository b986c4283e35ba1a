"""Working days of public bodies: weekends, public holidays and swaps, read from data."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["CalendarDay", "MissingCalendar", "WorkingCalendar", "YearCalendar", "default_calendar"]


class MissingCalendar(LookupError):
    """A date falls in a year for which no calendar file was loaded."""


class CalendarDay(BaseModel):
    """One listed day: a day off (holiday, compensating day, swap) or a Saturday worked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: date
    name: Annotated[str, Field(min_length=1)]
    kind: Literal["holiday", "compensating", "swap", "makeup"]
    #: False: not checked against the year's official notice (UNCONFIRMED).
    confirmed: bool = True


class YearCalendar(BaseModel):
    """The content of one ``calendars/<year>.json`` file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int
    #: ISO weekdays off (6 = Saturday, 7 = Sunday).
    weekend: tuple[Annotated[int, Field(ge=1, le=7)], ...] = (6, 7)
    source: str = ""
    days_off: tuple[CalendarDay, ...] = ()
    working_days: tuple[CalendarDay, ...] = ()

    @model_validator(mode="after")
    def _days_in_year(self) -> YearCalendar:
        for day in (*self.days_off, *self.working_days):
            if day.date.year != self.year:
                raise ValueError(f"Ngày {day.date.isoformat()} không thuộc năm {self.year}")
        clash = {d.date for d in self.days_off} & {d.date for d in self.working_days}
        if clash:
            raise ValueError(f"Ngày vừa nghỉ vừa làm việc: {sorted(clash)}")
        return self

    @property
    def unconfirmed(self) -> tuple[CalendarDay, ...]:
        """The listed days not yet checked against the official notice."""
        return tuple(d for d in (*self.days_off, *self.working_days) if not d.confirmed)


class WorkingCalendar:
    """Which days a public body works, over the years it has data for.

    A date in a year without data raises :class:`MissingCalendar`, so a deadline is
    never computed from a guess.
    """

    def __init__(self, years: Iterable[YearCalendar]) -> None:
        self._years = {y.year: y for y in years}
        self._off = {d.date: d for y in self._years.values() for d in y.days_off}
        self._worked = {d.date: d for y in self._years.values() for d in y.working_days}

    @classmethod
    def from_json(cls, *documents: str | bytes) -> WorkingCalendar:
        """A calendar from JSON texts, one year each."""
        return cls(YearCalendar.model_validate(json.loads(doc)) for doc in documents)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self._years))

    def year(self, year: int) -> YearCalendar:
        try:
            return self._years[year]
        except KeyError:
            raise MissingCalendar(
                f"Chưa có lịch ngày nghỉ của năm {year} (calendars/{year}.json)"
            ) from None

    def day_off(self, day: date) -> CalendarDay | None:
        """The listed day off on ``day``, if any (weekends are not listed)."""
        self.year(day.year)
        return self._off.get(day)

    def is_working_day(self, day: date) -> bool:
        """Whether public bodies work on ``day``."""
        year = self.year(day.year)
        if day in self._worked:
            return True
        return day.isoweekday() not in year.weekend and day not in self._off

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself is not counted)."""
        if count < 0:
            raise ValueError(f"Số ngày làm việc không được âm: {count}")
        while count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: 0 when ``end`` is not after ``start``."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """The calendars shipped with vanthu (``services/intake/deadlines/calendars``)."""
    folder = resources.files("services.intake.deadlines.calendars")
    documents = [
        entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    ]
    return WorkingCalendar.from_json(*documents)
