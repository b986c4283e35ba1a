"""Request and response models of the drafts API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class DraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9-]+$")]
    data: dict[str, Any] = Field(description="The template's data (GET /v1/templates/{id}/schema)")


class DraftLinks(BaseModel):
    docx: str
    pdf: str


class Draft(BaseModel):
    id: str
    organ_id: str
    template: str
    version: str
    created_at: datetime
    links: DraftLinks
