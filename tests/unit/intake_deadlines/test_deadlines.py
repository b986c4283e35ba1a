"""Reporting obligations: calendars, rule kinds, deadlines, overdue reports, reminders."""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from services.intake.deadlines import (
    AfterEventRule,
    EventPeriod,
    MissingCalendar,
    MonthlyRule,
    MonthPeriod,
    Overdue,
    WorkingCalendar,
    YearlyRule,
    YearPeriod,
    deadline,
    default_calendar,
    due_day,
    is_late,
    late_submissions,
    load_obligations,
    next_period,
    overdue,
    periods_due,
    reminders,
)

AN_GIANG = MonthlyRule(day=20, due_inclusive=False, month_offset=0)
HUU_LUNG = MonthlyRule(day=10, due_inclusive=False, month_offset=1)


# -- calendars ---------------------------------------------------------------------------


def test_shipped_calendars_cover_2024_to_2026() -> None:
    cal = default_calendar()
    assert cal.years == (2024, 2025, 2026)
    for year in cal.years:
        names = {d.name for d in cal.year(year).days_off}
        assert {"Tết Dương lịch", "Tết Nguyên đán", "Quốc khánh"} <= names
        assert any(n.startswith("Giỗ Tổ Hùng Vương") for n in names)


def test_unconfirmed_days_are_marked() -> None:
    unconfirmed = default_calendar().year(2026).unconfirmed
    assert {d.date for d in unconfirmed} == {date(2026, 4, 27), date(2026, 9, 1)}
    assert default_calendar().year(2025).unconfirmed == ()


def test_weekends_holidays_and_swaps() -> None:
    cal = default_calendar()
    assert cal.is_working_day(date(2025, 3, 14))  # a Friday
    assert not cal.is_working_day(date(2025, 3, 15))  # Saturday
    assert not cal.is_working_day(date(2025, 1, 1))  # Tết Dương lịch
    assert not cal.is_working_day(date(2025, 1, 29))  # mùng 1 Tết Ất Tỵ
    assert not cal.is_working_day(date(2025, 5, 2))  # swapped Friday
    assert cal.is_working_day(date(2025, 4, 26))  # the Saturday worked for it
    assert cal.day_off(date(2025, 4, 7)) is not None
    assert cal.day_off(date(2025, 4, 8)) is None


def test_missing_year_is_refused_not_guessed() -> None:
    with pytest.raises(MissingCalendar, match="Chưa có lịch ngày nghỉ của năm 2031"):
        default_calendar().is_working_day(date(2031, 1, 2))


def test_calendar_validation() -> None:
    doc = {"year": 2025, "days_off": [{"date": "2024-12-31", "name": "x", "kind": "holiday"}]}
    with pytest.raises(ValidationError, match="không thuộc năm 2025"):
        WorkingCalendar.from_json(json.dumps(doc))
    clash = {
        "year": 2025,
        "days_off": [{"date": "2025-04-26", "name": "a", "kind": "holiday"}],
        "working_days": [{"date": "2025-04-26", "name": "b", "kind": "makeup"}],
    }
    with pytest.raises(ValidationError, match="vừa nghỉ vừa làm việc"):
        WorkingCalendar.from_json(json.dumps(clash))


def test_calendar_files_ship_as_package_data() -> None:
    folder = resources.files("services.intake.deadlines.calendars")
    assert sorted(e.name for e in folder.iterdir() if e.name.endswith(".json")) == [
        "2024.json",
        "2025.json",
        "2026.json",
    ]


def test_working_days_skip_weekends_and_tet() -> None:
    cal = default_calendar()
    # Friday 24/01/2025; Tết Ất Tỵ off 25/01–02/02.
    assert cal.add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert cal.add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)
    assert cal.add_working_days(date(2025, 1, 24), 0) == date(2025, 1, 24)
    assert cal.working_days_between(date(2025, 1, 24), date(2025, 2, 5)) == 3
    with pytest.raises(ValueError, match="không được âm"):
        cal.add_working_days(date(2025, 1, 24), -1)


def test_working_days_across_the_new_year() -> None:
    cal = default_calendar()
    # Tuesday 30/12/2025: 31/12 (1), 01/01 Tết Dương lịch, 02/01 (2), weekend, 05/01 (3).
    assert cal.add_working_days(date(2025, 12, 30), 3) == date(2026, 1, 5)
    assert cal.next_working_day(date(2024, 12, 31)) == date(2024, 12, 31)
    assert cal.next_working_day(date(2025, 1, 1)) == date(2025, 1, 2)


# -- rules -------------------------------------------------------------------------------


def test_monthly_due_inclusive_both_ways() -> None:
    inclusive = MonthlyRule(day=20, due_inclusive=True, month_offset=0)
    march = MonthPeriod(2024, 3)
    assert deadline(inclusive, march) == date(2024, 3, 20)
    assert deadline(AN_GIANG, march) == date(2024, 3, 19)  # "trước ngày 20"
    assert due_day(AN_GIANG, march) == date(2024, 3, 20)
    assert not is_late(inclusive, march, date(2024, 3, 20))
    assert is_late(AN_GIANG, march, date(2024, 3, 20))
    assert not is_late(AN_GIANG, march, date(2024, 3, 19))


def test_monthly_period_offset_and_year_boundary() -> None:
    assert deadline(HUU_LUNG, MonthPeriod(2024, 2)) == date(2024, 3, 9)
    assert deadline(HUU_LUNG, MonthPeriod(2024, 12)) == date(2025, 1, 9)
    same_month = MonthlyRule(day=10, month_offset=0)
    assert deadline(same_month, MonthPeriod(2024, 12)) == date(2024, 12, 10)


def test_month_ends() -> None:
    end = MonthlyRule(day=31, month_offset=0)
    assert deadline(end, MonthPeriod(2025, 4)) == date(2025, 4, 30)
    assert deadline(end, MonthPeriod(2024, 2)) == date(2024, 2, 29)  # leap year
    assert deadline(end, MonthPeriod(2025, 2)) == date(2025, 2, 28)
    assert deadline(end, MonthPeriod(2100, 2)) == date(2100, 2, 28)  # not a leap year
    before = MonthlyRule(day=31, due_inclusive=False, month_offset=0)
    assert deadline(before, MonthPeriod(2025, 4)) == date(2025, 4, 29)


def test_due_day_moved_to_next_working_day() -> None:
    rule = MonthlyRule(day=1, month_offset=1, on_day_off="next_working_day")
    # 01/01/2025 is Tết Dương lịch.
    assert deadline(rule, MonthPeriod(2024, 12)) == date(2025, 1, 2)
    # 01/02/2025 is a Saturday inside Tết.
    assert deadline(rule, MonthPeriod(2025, 1)) == date(2025, 2, 3)


def test_yearly_rule() -> None:
    rule = YearlyRule(month=7, day=30, due_inclusive=False)
    assert deadline(rule, YearPeriod(2024)) == date(2024, 7, 29)
    assert is_late(rule, YearPeriod(2024), date(2024, 7, 30))
    leap = YearlyRule(month=2, day=29, year_offset=1)
    assert deadline(leap, YearPeriod(2023)) == date(2024, 2, 29)
    assert deadline(leap, YearPeriod(2024)) == date(2025, 2, 28)


def test_after_event_rule() -> None:
    rule = AfterEventRule(working_days=10)
    handover = EventPeriod(date(2025, 4, 25), "Bàn giao vật tư")
    # From Friday 25/04/2025: Saturday 26/4 is worked (swap for 2/5), 28, 29,
    # (30/4, 1/5, 2/5 off), 5, 6, 7, 8, 9, 12, 13.
    assert deadline(rule, handover) == date(2025, 5, 13)
    assert handover.label == "Bàn giao vật tư (ngày 25/04/2025)"


def test_period_kind_must_match_the_rule() -> None:
    with pytest.raises(TypeError, match="không khớp loại nghĩa vụ"):
        deadline(AN_GIANG, YearPeriod(2024))
    with pytest.raises(ValueError, match="Tháng không hợp lệ"):
        MonthPeriod(2024, 13)


def test_rules_validate() -> None:
    with pytest.raises(ValidationError):
        MonthlyRule(day=32)
    with pytest.raises(ValidationError):
        MonthlyRule.model_validate({"day": 10, "grace": 2})


def test_periods_due_and_next_period() -> None:
    due = periods_due(AN_GIANG, date(2024, 3, 20), since=date(2024, 1, 1))
    assert due == [MonthPeriod(2024, 1), MonthPeriod(2024, 2), MonthPeriod(2024, 3)]
    assert periods_due(AN_GIANG, date(2024, 3, 19), since=date(2024, 1, 1))[-1] == MonthPeriod(
        2024, 2
    )
    assert next_period(AN_GIANG, date(2024, 3, 20)) == (MonthPeriod(2024, 4), date(2024, 4, 19))
    assert next_period(HUU_LUNG, date(2024, 3, 1)) == (MonthPeriod(2024, 2), date(2024, 3, 9))
    default_window = periods_due(HUU_LUNG, date(2024, 3, 10))
    assert default_window[0] == MonthPeriod(2023, 3)
    assert default_window[-1] == MonthPeriod(2024, 2)


def test_periods_due_respects_rule_start() -> None:
    rule = MonthlyRule(day=10, starts=date(2024, 6, 1))
    assert periods_due(rule, date(2024, 8, 11)) == [MonthPeriod(2024, 6), MonthPeriod(2024, 7)]


def test_after_event_periods_come_from_events() -> None:
    rule = AfterEventRule(working_days=2)
    early = EventPeriod(date(2025, 3, 3), "Kết thúc hoạt động A")
    late = EventPeriod(date(2025, 3, 20), "Kết thúc hoạt động B")
    assert periods_due(rule, date(2025, 3, 6), events=[late, early]) == [early]
    result = overdue(rule, {}, ["Xã A"], date(2025, 3, 6), events=[early, late])
    assert result == [Overdue("Xã A", early, date(2025, 3, 5), 1)]


# -- a scripted month --------------------------------------------------------------------


class Clock:
    """A controllable 'today'."""

    def __init__(self, today: date) -> None:
        self.today = today

    def advance(self, days: int = 1) -> None:
        self.today += timedelta(days=days)


def test_scripted_month_three_investors() -> None:
    rule = HUU_LUNG  # monthly report for M due before the 10th of M+1
    investors = ["BQL dự án huyện", "UBND xã Hòa Lạc", "UBND xã Yên Bình"]
    on_time, late, never = investors
    march = MonthPeriod(2024, 3)
    since = date(2024, 3, 1)
    submissions: dict[tuple[str, MonthPeriod], date] = {}
    clock = Clock(date(2024, 4, 5))

    submissions[(on_time, march)] = clock.today
    clock.today = date(2024, 4, 9)  # the last day on time
    assert overdue(rule, submissions, investors, clock.today, since=since) == []

    clock.advance()  # 10/04: the day after the deadline
    result = overdue(rule, submissions, investors, clock.today, since=since)
    assert [(o.reporter, o.period, o.due, o.days_late) for o in result] == [
        (late, march, date(2024, 4, 9), 1),
        (never, march, date(2024, 4, 9), 1),
    ]
    letters = reminders("huu-lung.giam-ngheo.thang", result)
    assert letters == {("huu-lung.giam-ngheo.thang", march): [late, never]}

    clock.advance(2)  # 12/04: the late report arrives
    submissions[(late, march)] = clock.today
    assert is_late(rule, march, clock.today)
    recorded = late_submissions(rule, submissions)
    assert [(s.reporter, s.days_late) for s in recorded] == [(late, 3)]
    assert [
        o.reporter for o in overdue(rule, submissions, investors, clock.today, since=since)
    ] == [never]

    clock.today = date(2024, 5, 9)  # April's reports: nobody late yet
    still = overdue(rule, submissions, investors, clock.today, since=since)
    assert [(o.reporter, o.period, o.days_late) for o in still] == [(never, march, 30)]
    clock.advance()  # 10/05: April is due for everyone, March still missing for one
    after = overdue(rule, submissions, investors, clock.today, since=since)
    april = MonthPeriod(2024, 4)
    assert [(o.reporter, o.period) for o in after] == [
        (never, march),
        *((name, april) for name in sorted(investors)),
    ]
    grouped = reminders("x", after)
    assert list(grouped) == [("x", march), ("x", april)]
    assert grouped[("x", april)] == sorted(investors)


def test_reminders_list_each_reporter_once() -> None:
    march = MonthPeriod(2024, 3)
    items = [Overdue("B", march, date(2024, 4, 9), 1), Overdue("A", march, date(2024, 4, 9), 1)]
    assert reminders("o", [*items, *items]) == {("o", march): ["A", "B"]}
    assert reminders("o", []) == {}


# -- obligations as data -----------------------------------------------------------------


def test_example_obligations_load() -> None:
    path = Path(str(resources.files("services.intake.deadlines.obligations") / "examples.json"))
    obligations = {o.id: o for o in load_obligations(path)}
    an_giang = obligations["an-giang.tien-do-giai-ngan.thang"]
    assert an_giang.rule == AN_GIANG
    assert deadline(an_giang.rule, MonthPeriod(2024, 3)) == date(2024, 3, 19)
    yearly = obligations["an-giang.tien-do-du-an.nam"].rule
    assert deadline(yearly, YearPeriod(2024)) == date(2024, 7, 29)
    assert obligations["huu-lung.giam-ngheo.thang"].rule == HUU_LUNG


def test_duplicate_obligation_ids_are_refused() -> None:
    one = {"id": "a", "title": "t", "issuer": "i", "rule": {"kind": "monthly", "day": 5}}
    with pytest.raises(ValueError, match="bị trùng: a"):
        load_obligations(json.dumps([one, one]))


# -- properties --------------------------------------------------------------------------

_months = st.builds(MonthPeriod, st.integers(2000, 2100), st.integers(1, 12))


@settings(max_examples=200, deadline=None)
@given(_months, st.integers(1, 31), st.booleans(), st.integers(0, 2))
def test_property_monthly_deadline(
    period: MonthPeriod, day: int, inclusive: bool, offset: int
) -> None:
    rule = MonthlyRule(day=day, due_inclusive=inclusive, month_offset=offset)
    due = deadline(rule, period)
    target = period.shifted(offset)
    named = due_day(rule, period)
    assert (named.year, named.month) == (target.year, target.month)
    assert due == (named if inclusive else named - timedelta(days=1))
    assert not is_late(rule, period, due)
    assert is_late(rule, period, due + timedelta(days=1))


@settings(max_examples=100, deadline=None)
@given(st.dates(date(2024, 1, 1), date(2026, 11, 30)), st.integers(0, 20))
def test_property_working_days(start: date, count: int) -> None:
    cal = default_calendar()
    end = cal.add_working_days(start, count)
    assert cal.working_days_between(start, end) == count
    if count:
        assert cal.is_working_day(end)
