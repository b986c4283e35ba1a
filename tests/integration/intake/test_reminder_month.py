"""A scripted month of monthly reports, with a clock the test moves.

An Giang's investors report "trước ngày 20 hằng tháng": the March 2026 report is on
time through 19 March. Three investors: one reports on time, one late, one never. On
the 20th exactly one reminder draft (công văn đôn đốc) exists for the body, the
obligation and March, naming the two who had not reported; checking again changes
nothing; the late report is marked late; April starts clean. The deadline check is
called directly (the scheduler's tick); the bus runs through the real workers.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from services.docgen.orm import drafts
from services.intake import bootstrap
from services.intake.orm import reminders
from services.intake.reminders.scheduler import DeadlineScheduler
from tests.conftest import ClientFor, Stack
from tests.integration.intake.support import (
    OBLIGATION,
    Clock,
    Desk,
    forget_assignments,
    monthly_report,
    rows,
    wait_for,
    workers,
)
from tests.support.organs import fresh_organ_id

pytestmark = [pytest.mark.integration, pytest.mark.slow]

INVESTORS: list[dict[str, Any]] = [
    {"id": "so-gd-dt", "name": "Sở Giáo dục và Đào tạo", "projects": ["Trường THPT Vĩnh Bình"]},
    {"id": "so-y-te", "name": "Sở Y tế", "projects": ["Trung tâm Y tế huyện Tri Tôn"]},
    {
        "id": "ubnd-thoai-son",
        "name": "UBND huyện Thoại Sơn",
        "projects": ["Kè kênh Ba Thê", "Đường Óc Eo"],
    },
]


def _reminders(stack: Stack, organ_id: str) -> list[Any]:
    return rows(
        stack,
        "intake",
        select(reminders).where(reminders.c.organ_id == organ_id).order_by(reminders.c.period),
    )


def test_a_month_of_reports_and_one_reminder(stack: Stack, client_for: ClientFor) -> None:
    clock = Clock(date(2026, 3, 2))
    desk = Desk(stack, client_for, fresh_organ_id(), clock)
    assigned = desk.assign(INVESTORS, since="2026-03-01")
    assert assigned.status_code == 200, assigned.json

    context = bootstrap.context(stack.config("intake"))
    context.clock = clock
    scheduler = DeadlineScheduler(context)
    try:
        # 12 March: the education department reports on time.
        clock.set(date(2026, 3, 12))
        on_time = desk.submit(monthly_report("so-gd-dt", 2026, 3, date(2026, 3, 12)), "investor")
        assert on_time.status_code == 202, on_time.json
        assert (on_time.json["late"], on_time.json["days_late"]) == (False, 0)
        # 19 March, the last day: nothing is due yet.
        clock.set(date(2026, 3, 19))
        scheduler.tick()
        assert _reminders(stack, desk.organ_id) == []

        # 20 March, the day after the deadline: one reminder, the two late ones.
        clock.set(date(2026, 3, 20))
        with workers(stack, clock):
            scheduler.tick()
            scheduler.tick()  # a second check (or worker) makes no second letter
            made = _reminders(stack, desk.organ_id)
            assert len(made) == 1
            reminder = made[0]
            assert (reminder.obligation_id, reminder.period) == (OBLIGATION, "2026-03")
            assert reminder.due_on == date(2026, 3, 19)
            assert json.loads(reminder.reporters) == ["so-y-te", "ubnd-thoai-son"]
            listed: Any = desk.client.get("/v1/reminders", headers=desk.tokens["clerk"]).json
            assert [r["period"] for r in listed["items"]] == ["2026-03"]
            drafted = wait_for(
                "the reminder's draft",
                lambda: (r := _reminders(stack, desk.organ_id))[0].draft_id and r,
            )
        assert len(drafted) == 1
        letters = rows(
            stack,
            "docgen",
            select(drafts).where(
                drafts.c.organ_id == desk.organ_id, drafts.c.template_id == "cong-van-don-doc"
            ),
        )
        assert len(letters) == 1
        letter = letters[0]
        assert letter.id == drafted[0].draft_id
        assert letter.template_id == "cong-van-don-doc"
        assert letter.pdf.startswith(b"%PDF")
        data = json.loads(letter.data)
        assert data["number"] is None
        assert data["issued_on"] == "2026-03-20"
        assert [(r["reporter"], r["project"]) for r in data["overdue"]] == [
            ("Sở Y tế", "Trung tâm Y tế huyện Tri Tôn"),
            ("UBND huyện Thoại Sơn", "Kè kênh Ba Thê"),
            ("UBND huyện Thoại Sơn", "Đường Óc Eo"),
        ]
        assert {r["due_on"] for r in data["overdue"]} == {"2026-03-19"}
        assert data["recipients"] == ["Sở Y tế", "UBND huyện Thoại Sơn"]

        # 25 March: the health department reports after the reminder — late by 6 days.
        clock.set(date(2026, 3, 25))
        late = desk.submit(monthly_report("so-y-te", 2026, 3, date(2026, 3, 25)), "investor")
        assert late.status_code == 202, late.json
        assert (late.json["late"], late.json["days_late"]) == (True, 6)
        shown = desk.get(late.json["id"]).json
        assert (shown["late"], shown["days_late"]) == (True, 6)
        scheduler.tick()
        assert len(_reminders(stack, desk.organ_id)) == 1

        # April starts clean: everyone reports April on time; no April reminder, and
        # March (still missing from Thoại Sơn) is never reminded twice.
        clock.set(date(2026, 4, 8))
        for investor in INVESTORS:
            report = monthly_report(investor["id"], 2026, 4, date(2026, 4, 8))
            made_april = desk.submit(report, "investor")
            assert made_april.status_code == 202, made_april.json
            assert (made_april.json["late"], made_april.json["days_late"]) == (False, 0)
        clock.set(date(2026, 4, 21))
        assert scheduler.tick() == []
        assert [r.period for r in _reminders(stack, desk.organ_id)] == ["2026-03"]
    finally:
        context.dispose()
        forget_assignments(stack, desk.organ_id)
