"""Request and response models of /v1/obligations and /v1/reminders."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.docgen.documents.models import Distribution, Issuer, Line, Paragraph, Signer, Text
from services.intake.submissions.models import Slug


class Reporter(BaseModel):
    """A reporter (chủ đầu tư) bound by the obligation, with the projects it reports on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    name: Line
    projects: list[Line] = Field(default_factory=list, max_length=200)


class ReminderLetter(BaseModel):
    """What the body's reminder letters (công văn đôn đốc) carry besides the late list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    issuer: Issuer
    notation: Line = Field(description="Ký hiệu, e.g. 'SKHĐT-TH'")
    signer: Signer
    distribution: Distribution
    drafter: Annotated[str, Field(max_length=10)] | None = None
    subject: Text | None = Field(default=None, description="Trích yếu; default from the period")
    closing: list[Paragraph] = Field(default_factory=list, max_length=20)


class ReportersRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: date | None = Field(
        default=None, description="First period covered (its first day); default this month"
    )
    letter: ReminderLetter
    reporters: list[Reporter] = Field(min_length=1, max_length=1000)

    @field_validator("reporters")
    @classmethod
    def _unique(cls, reporters: list[Reporter]) -> list[Reporter]:
        ids = [r.id for r in reporters]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"mã đơn vị báo cáo bị trùng: {', '.join(twice)}")
        return reporters


class Assignment(BaseModel):
    obligation_id: str
    organ_id: str
    title: str
    since: date
    letter: ReminderLetter
    reporters: list[Reporter]
    updated_at: datetime


class ObligationInfo(BaseModel):
    id: str
    title: str
    issuer: str
    province: str | None
    programme: str | None
    legal_basis: str | None
    rule: dict[str, object]
    assigned: bool = Field(description="Whether the caller's body follows it")


class ObligationList(BaseModel):
    items: list[ObligationInfo]


class Reminder(BaseModel):
    id: str
    obligation_id: str
    period: str
    due_on: date
    reporters: list[str]
    draft_id: str | None
    created_at: datetime


class ReminderList(BaseModel):
    items: list[Reminder]
