"""Deadlines of reporting obligations: when a period is due, who is late, what to remind.

Pure functions over the rules of :mod:`.rules` and a :class:`.WorkingCalendar`; the
caller passes "today", so a test (or a replay) controls the clock.

:func:`deadline` is the last day a report is on time: day N itself when the rule is
``due_inclusive``, the day before otherwise ("trước ngày 20" → the 19th). A report
submitted after it is late; ``days_late`` counts calendar days past it.
"""

from __future__ import annotations

import calendar as _gregorian
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from services.intake.deadlines.calendar import WorkingCalendar, default_calendar
from services.intake.deadlines.rules import (
    AfterEventRule,
    EventPeriod,
    MonthlyRule,
    MonthPeriod,
    Period,
    YearlyRule,
    YearPeriod,
)

__all__ = [
    "LateSubmission",
    "Overdue",
    "deadline",
    "due_day",
    "is_late",
    "late_submissions",
    "next_period",
    "overdue",
    "period_of",
    "periods_due",
    "reminders",
]

AnyRule = MonthlyRule | YearlyRule | AfterEventRule


@dataclass(frozen=True, order=True)
class Overdue:
    """A report not received by its deadline (as of the day asked)."""

    reporter: str
    period: Period
    due: date
    days_late: int


@dataclass(frozen=True, order=True)
class LateSubmission:
    """A report received, but after its deadline."""

    reporter: str
    period: Period
    due: date
    submitted_on: date
    days_late: int


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _gregorian.monthrange(year, month)[1]))


def _check(rule: AnyRule, period: Period) -> None:
    expected = {
        MonthlyRule: MonthPeriod,
        YearlyRule: YearPeriod,
        AfterEventRule: EventPeriod,
    }[type(rule)]
    if not isinstance(period, expected):
        raise TypeError(f"Kỳ báo cáo {period!r} không khớp loại nghĩa vụ {rule.kind!r}")


def due_day(rule: AnyRule, period: Period, calendar: WorkingCalendar | None = None) -> date:
    """The day named by the rule for ``period`` ("ngày 20 tháng sau"), before inclusivity."""
    _check(rule, period)
    if isinstance(rule, MonthlyRule):
        assert isinstance(period, MonthPeriod)
        target = period.shifted(rule.month_offset)
        day = _clamped(target.year, target.month, rule.day)
    elif isinstance(rule, YearlyRule):
        assert isinstance(period, YearPeriod)
        day = _clamped(period.year + rule.year_offset, rule.month, rule.day)
    else:
        assert isinstance(period, EventPeriod)
        day = (calendar or default_calendar()).add_working_days(period.on, rule.working_days)
    if rule.on_day_off == "next_working_day":
        day = (calendar or default_calendar()).next_working_day(day)
    return day


def deadline(rule: AnyRule, period: Period, calendar: WorkingCalendar | None = None) -> date:
    """The last day on which the report for ``period`` is on time."""
    day = due_day(rule, period, calendar)
    return day if rule.due_inclusive else day - timedelta(days=1)


def is_late(
    rule: AnyRule, period: Period, submitted_on: date, calendar: WorkingCalendar | None = None
) -> bool:
    """Whether a report for ``period`` submitted on ``submitted_on`` is late."""
    return submitted_on > deadline(rule, period, calendar)


def period_of(rule: MonthlyRule | YearlyRule, day: date) -> MonthPeriod | YearPeriod:
    """The period a day belongs to (the month, or the year)."""
    if isinstance(rule, MonthlyRule):
        return MonthPeriod(day.year, day.month)
    return YearPeriod(day.year)


def _periods_from(rule: MonthlyRule | YearlyRule, start: date) -> Iterable[Period]:
    period = period_of(rule, start)
    while True:
        yield period
        period = (
            period.shifted(1) if isinstance(period, MonthPeriod) else YearPeriod(period.year + 1)
        )


def _start(rule: AnyRule, on: date, since: date | None) -> date:
    starts = [d for d in (since, rule.starts) if d is not None]
    if starts:
        return max(starts)
    return _clamped(on.year - 1, on.month, on.day)


def periods_due(
    rule: AnyRule,
    on: date,
    *,
    since: date | None = None,
    events: Iterable[EventPeriod] = (),
    calendar: WorkingCalendar | None = None,
) -> list[Period]:
    """The periods whose deadline has passed by ``on`` (deadline < ``on``), oldest first.

    Periods start at ``since`` or the rule's ``starts`` (the later of the two); with
    neither, one year before ``on``. An after-event rule takes its periods from
    ``events``.
    """
    start = _start(rule, on, since)
    if isinstance(rule, AfterEventRule):
        return sorted(e for e in events if e.on >= start and deadline(rule, e, calendar) < on)
    result: list[Period] = []
    for period in _periods_from(rule, start):
        due = deadline(rule, period, calendar)
        if due >= on:
            break
        result.append(period)
    return result


def next_period(
    rule: MonthlyRule | YearlyRule, on: date, calendar: WorkingCalendar | None = None
) -> tuple[Period, date]:
    """The first period whose deadline is ``on`` or later, with that deadline."""
    for period in _periods_from(rule, _clamped(on.year - 2, on.month, on.day)):
        due = deadline(rule, period, calendar)
        if due >= on:
            return period, due
    raise AssertionError("unreachable")  # pragma: no cover


def overdue(
    rule: AnyRule,
    submissions: Mapping[tuple[str, Period], date],
    reporters: Iterable[str],
    today: date,
    *,
    since: date | None = None,
    events: Iterable[EventPeriod] = (),
    calendar: WorkingCalendar | None = None,
) -> list[Overdue]:
    """Reports still missing after their deadline, as of ``today``.

    ``submissions`` maps (reporter, period) to the day the report arrived; a report
    that arrived (even late) is no longer overdue — see :func:`late_submissions`.
    Sorted by period, then reporter.
    """
    people = sorted(set(reporters))
    result = [
        Overdue(reporter, period, due, (today - due).days)
        for period in periods_due(rule, today, since=since, events=events, calendar=calendar)
        for due in (deadline(rule, period, calendar),)
        for reporter in people
        if (reporter, period) not in submissions
    ]
    return sorted(result, key=lambda o: (o.due, o.period, o.reporter))


def late_submissions(
    rule: AnyRule,
    submissions: Mapping[tuple[str, Period], date],
    calendar: WorkingCalendar | None = None,
) -> list[LateSubmission]:
    """The reports that arrived after their deadline, by period then reporter."""
    result = []
    for (reporter, period), submitted_on in submissions.items():
        due = deadline(rule, period, calendar)
        if submitted_on > due:
            result.append(
                LateSubmission(reporter, period, due, submitted_on, (submitted_on - due).days)
            )
    return sorted(result, key=lambda s: (s.due, s.period, s.reporter))


def reminders(
    obligation_id: str, overdue: Iterable[Overdue]
) -> dict[tuple[str, Period], list[str]]:
    """Late reporters grouped by (obligation, period): one reminder letter per key.

    The obligation names the issuing body, so each key is one letter from one body;
    reporters are listed once each, sorted.
    """
    groups: defaultdict[tuple[str, Period], set[str]] = defaultdict(set)
    for item in overdue:
        groups[(obligation_id, item.period)].add(item.reporter)
    return {key: sorted(groups[key]) for key in sorted(groups, key=lambda k: _period_key(k[1]))}


def _period_key(period: Period) -> tuple[int, date, str]:
    if isinstance(period, MonthPeriod):
        return (0, date(period.year, period.month, 1), "")
    if isinstance(period, YearPeriod):
        return (1, date(period.year, 1, 1), "")
    return (2, period.on, period.event)
