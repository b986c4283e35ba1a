"""The worker's deadline check: one reminder letter per body, obligation and period.

:meth:`DeadlineScheduler.tick` asks the deadline engine, for every obligation a body
follows, which reporters have not reported a period whose deadline has passed, and for
each (body, obligation, period) not yet reminded records a row in ``intake_reminders``
and a ``reminder.requested`` event (the công văn đôn đốc's data, for docgen to draft) in
one transaction. The unique constraint on the reminders table makes a second tick — or a
second worker — a no-op. "Today" is the Vietnam date of ``context.clock()``.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.docgen.documents.models import CongVanDonDoc
from services.intake.deadlines import (
    MissingCalendar,
    MonthlyRule,
    MonthPeriod,
    Obligation,
    Period,
    WorkingCalendar,
    deadline,
    overdue,
    reminders,
)
from services.intake.orm import reminders as reminders_table
from services.intake.orm import submissions
from services.intake.reminders.catalogue import obligations, rule_text
from services.intake.reminders.store import Assigned, assignments
from shared.bus import Envelope
from shared.clock import vietnam_date
from shared.db.types import new_id
from shared.runtime import ServiceContext

log = logging.getLogger(__name__)

REMINDER_REQUESTED = "reminder.requested"
REMINDER_TEMPLATE = "cong-van-don-doc"
#: How often the worker looks (it also looks once when it starts).
CHECK_INTERVAL_SECONDS = 600.0


def period_text(period: MonthPeriod) -> str:
    return f"{period.year:04d}-{period.month:02d}"


def parse_period(text: str) -> MonthPeriod:
    year, month = (int(part) for part in text.split("-"))
    return MonthPeriod(year, month)


def received_reports(
    session: Session, organ_id: str, obligation_id: str
) -> dict[tuple[str, Period], date]:
    """(reporter, period) → the day its first report arrived."""
    rows = session.execute(
        select(submissions.c.reporter, submissions.c.period, submissions.c.submitted_on).where(
            submissions.c.organ_id == organ_id,
            submissions.c.kind == "monthly_report",
            submissions.c.obligation_id == obligation_id,
        )
    )
    found: dict[tuple[str, Period], date] = {}
    for reporter, period, submitted_on in rows:
        key: tuple[str, Period] = (reporter, parse_period(period))
        if key not in found or submitted_on < found[key]:
            found[key] = submitted_on
    return found


def _projects(projects: list[str]) -> list[str | None]:
    return [*projects] if projects else [None]


def letter_data(
    assigned: Assigned,
    obligation: Obligation,
    period: MonthPeriod,
    *,
    due: date,
    late: list[str],
    today: date,
) -> dict[str, Any]:
    """The công văn đôn đốc's data, validated by docgen's model (JSON-ready)."""
    letter = assigned.letter
    people = [r for r in assigned.reporters if r.id in set(late)]
    rows = [
        {
            "reporter": reporter.name,
            "project": project,
            "report": f"Báo cáo {period.label}",
            "due_on": due.isoformat(),
        }
        for reporter in people
        for project in _projects(reporter.projects)
    ]
    checked = today - timedelta(days=1)
    data = {
        "issuer": letter.issuer.model_dump(mode="json"),
        "notation": letter.notation,
        "issued_on": today.isoformat(),
        "subject": letter.subject or f"đôn đốc gửi báo cáo {period.label}",
        "recipients": [reporter.name for reporter in people],
        "paragraphs": [
            f"Theo quy định, {obligation.title[:1].lower()}{obligation.title[1:]} được gửi "
            f"{rule_text(obligation)}. Hạn gửi báo cáo {period.label} là hết ngày "
            f"{due:%d/%m/%Y}.",
            f"Đến hết ngày {checked:%d/%m/%Y}, các đơn vị có tên dưới đây chưa gửi báo cáo "
            f"{period.label}:",
        ],
        "deadline": rule_text(obligation),
        "overdue": rows,
        "closing": list(letter.closing)
        or [
            "Đề nghị Thủ trưởng các đơn vị nêu trên khẩn trương gửi báo cáo còn thiếu; "
            "báo cáo gửi sau thời hạn được ghi nhận là chậm./."
        ],
        "signer": letter.signer.model_dump(mode="json"),
        "distribution": letter.distribution.model_dump(mode="json"),
        "drafter": letter.drafter,
        "draft": True,
    }
    return CongVanDonDoc.model_validate(data).model_dump(mode="json")


class DeadlineScheduler:
    """Finds overdue reports and asks docgen for one reminder letter per period."""

    def __init__(
        self,
        context: ServiceContext,
        *,
        catalogue: Mapping[str, Obligation] | None = None,
        calendar: WorkingCalendar | None = None,
        interval_seconds: float = CHECK_INTERVAL_SECONDS,
    ) -> None:
        self.context = context
        self._catalogue = catalogue
        self.calendar = calendar
        self.interval_seconds = interval_seconds

    @property
    def catalogue(self) -> Mapping[str, Obligation]:
        return self._catalogue if self._catalogue is not None else obligations()

    def tick(self) -> list[str]:
        """One check, as of ``context.clock()``; the ids of the reminders it recorded."""
        today = vietnam_date(self.context.clock())
        with self.context.uow() as uow:
            followed = assignments(uow.session)
        made: list[str] = []
        for assigned in followed:
            obligation = self.catalogue.get(assigned.obligation_id)
            if obligation is None or not isinstance(obligation.rule, MonthlyRule):
                log.warning(
                    "obligation not in the catalogue or not monthly; skipped",
                    extra={"obligation_id": assigned.obligation_id},
                )
                continue
            try:
                made.extend(self._check(assigned, obligation, today))
            except MissingCalendar:
                log.exception("no working calendar", extra={"obligation_id": obligation.id})
        return made

    def _check(self, assigned: Assigned, obligation: Obligation, today: date) -> list[str]:
        with self.context.uow() as uow:
            received = received_reports(uow.session, assigned.organ_id, obligation.id)
            reminded = set(
                uow.session.execute(
                    select(reminders_table.c.period).where(
                        reminders_table.c.organ_id == assigned.organ_id,
                        reminders_table.c.obligation_id == obligation.id,
                    )
                ).scalars()
            )
        late = overdue(
            obligation.rule,
            received,
            [r.id for r in assigned.reporters],
            today,
            since=assigned.since,
            calendar=self.calendar,
        )
        made = []
        for (_, period), people in reminders(obligation.id, late).items():
            assert isinstance(period, MonthPeriod)
            if period_text(period) in reminded:
                continue
            made_id = self._remind(assigned, obligation, period, people, today)
            if made_id is not None:
                made.append(made_id)
        return made

    def _remind(
        self,
        assigned: Assigned,
        obligation: Obligation,
        period: MonthPeriod,
        people: list[str],
        today: date,
    ) -> str | None:
        due = deadline(obligation.rule, period, self.calendar)
        reminder_id = new_id()
        row = {
            "id": reminder_id,
            "organ_id": assigned.organ_id,
            "obligation_id": obligation.id,
            "period": period_text(period),
            "due_on": due,
            "reporters": json.dumps(people, ensure_ascii=False),
            "created_at": self.context.clock(),
        }
        event = Envelope(
            type=REMINDER_REQUESTED,
            organ_id=assigned.organ_id,
            payload={
                "reminder_id": reminder_id,
                "obligation_id": obligation.id,
                "period": period_text(period),
                "reporters": people,
                "template": REMINDER_TEMPLATE,
                "data": letter_data(
                    assigned, obligation, period, due=due, late=people, today=today
                ),
            },
        )
        with self.context.uow() as uow:
            try:
                uow.session.execute(reminders_table.insert().values(**row))
                self.context.outbox.add_event(uow.session, event)
                uow.commit()
            except IntegrityError:
                # Another tick (or worker) reminded this period first: never two letters.
                return None
        log.info(
            "reminder requested",
            extra={"reminder_id": reminder_id, "obligation_id": obligation.id},
        )
        return reminder_id

    def run(self, stop: threading.Event) -> None:
        """Check now, then every ``interval_seconds`` until ``stop`` is set."""
        while not stop.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("deadline check failed; trying again at the next interval")
            stop.wait(self.interval_seconds)
