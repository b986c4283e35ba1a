"""Request and response models of the submissions API.

Submissions are typed by ``kind``; later kinds (dispatch requests, monthly
reports, handover data) join the union without changing the endpoint.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from shared.text import nfc


class PingSubmission(BaseModel):
    """The smallest submission: proves the path intake → bus → docgen works."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["ping"]
    message: Annotated[str, Field(min_length=1, max_length=500)]

    @field_validator("message")
    @classmethod
    def normalise(cls, value: str) -> str:
        return nfc(value)


class SubmissionRequest(RootModel[PingSubmission]):
    """A submission, told apart by ``kind`` (a discriminated union as kinds are added)."""


class SubmissionAccepted(BaseModel):
    id: str
    kind: str
    organ_id: str
    status: Literal["accepted"]
    created_at: datetime
