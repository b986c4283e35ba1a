"""Reading assignments (intake_obligation_assignments) and reminders (intake_reminders)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.intake.orm import obligation_assignments, reminders
from services.intake.reminders.models import Reminder, ReminderLetter, Reporter


@dataclass(frozen=True)
class Assigned:
    """An obligation a body follows, as stored."""

    id: str
    organ_id: str
    obligation_id: str
    since: date
    reporters: tuple[Reporter, ...]
    letter: ReminderLetter
    row: Any

    def reporter(self, reporter_id: str) -> Reporter | None:
        return next((r for r in self.reporters if r.id == reporter_id), None)


def _assigned(row: Any) -> Assigned:
    return Assigned(
        id=row.id,
        organ_id=row.organ_id,
        obligation_id=row.obligation_id,
        since=row.since,
        reporters=tuple(Reporter.model_validate(r) for r in json.loads(row.reporters)),
        letter=ReminderLetter.model_validate(json.loads(row.letter)),
        row=row,
    )


def assignment(session: Session, organ_id: str, obligation_id: str) -> Assigned | None:
    row = session.execute(
        select(obligation_assignments).where(
            obligation_assignments.c.organ_id == organ_id,
            obligation_assignments.c.obligation_id == obligation_id,
        )
    ).first()
    return None if row is None else _assigned(row)


def assignments(session: Session, organ_id: str | None = None) -> list[Assigned]:
    query = select(obligation_assignments).order_by(
        obligation_assignments.c.organ_id, obligation_assignments.c.obligation_id
    )
    if organ_id is not None:
        query = query.where(obligation_assignments.c.organ_id == organ_id)
    return [_assigned(row) for row in session.execute(query)]


def reminder_view(row: Any) -> Reminder:
    return Reminder(
        id=row.id,
        obligation_id=row.obligation_id,
        period=row.period,
        due_on=row.due_on,
        reporters=json.loads(row.reporters),
        draft_id=row.draft_id,
        created_at=row.created_at,
    )


def body_reminders(session: Session, organ_id: str) -> list[Reminder]:
    rows = session.execute(
        select(reminders)
        .where(reminders.c.organ_id == organ_id)
        .order_by(reminders.c.period, reminders.c.obligation_id)
    )
    return [reminder_view(row) for row in rows]
