"""Reporting obligations and their deadlines: a pure engine (no web, no database).

- calendars as data (:mod:`.calendars`, one JSON file per year) behind
  :class:`WorkingCalendar` — weekends, public holidays, Tết as decided each year,
  compensating days off and Saturdays worked;
- rules as data (:class:`Obligation` with a :class:`MonthlyRule`, :class:`YearlyRule`
  or :class:`AfterEventRule`), loadable from JSON with :func:`load_obligations`;
- :func:`deadline`, :func:`is_late`, :func:`periods_due`, :func:`overdue`,
  :func:`late_submissions` and :func:`reminders` (one reminder letter per
  obligation and period, listing every late reporter).

Example: An Giang's investors update the monthly progress and disbursement report
"trước ngày 20 hàng tháng" — ``MonthlyRule(day=20, due_inclusive=False, month_offset=0)``.
"""

from __future__ import annotations

from services.intake.deadlines.calendar import (
    CalendarDay,
    MissingCalendar,
    WorkingCalendar,
    YearCalendar,
    default_calendar,
)
from services.intake.deadlines.engine import (
    LateSubmission,
    Overdue,
    deadline,
    due_day,
    is_late,
    late_submissions,
    next_period,
    overdue,
    period_of,
    periods_due,
    reminders,
)
from services.intake.deadlines.rules import (
    AfterEventRule,
    EventPeriod,
    MonthlyRule,
    MonthPeriod,
    Obligation,
    Period,
    Rule,
    YearlyRule,
    YearPeriod,
    load_obligations,
)

__all__ = [
    "AfterEventRule",
    "CalendarDay",
    "EventPeriod",
    "LateSubmission",
    "MissingCalendar",
    "MonthPeriod",
    "MonthlyRule",
    "Obligation",
    "Overdue",
    "Period",
    "Rule",
    "WorkingCalendar",
    "YearCalendar",
    "YearPeriod",
    "YearlyRule",
    "deadline",
    "default_calendar",
    "due_day",
    "is_late",
    "late_submissions",
    "load_obligations",
    "next_period",
    "overdue",
    "period_of",
    "periods_due",
    "reminders",
]
