"""Response model of the pings endpoint."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class PingRecord(BaseModel):
    submission_id: str
    organ_id: str
    message: str
    received_at: datetime
