"""Request models, with the Phụ lục VI field names as the JSON names."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.archive.retention import Retention, RetentionError


class _Model(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid", str_strip_whitespace=True)


class SignerInfo(_Model):
    position: str | None = Field(None, alias="Position", max_length=100)
    full_name: str | None = Field(None, alias="FullName", max_length=50)


class RecordMetadata(_Model):
    """The ``metadata`` part of ``POST /v1/records`` (Phụ lục VI document fields)."""

    type_name: str = Field(alias="TypeName", min_length=1, max_length=100)
    code_number: str | None = Field(None, alias="CodeNumber", max_length=11)
    code_notation: str | None = Field(None, alias="CodeNotation", max_length=30)
    issued_date: date | None = Field(None, alias="IssuedDate")
    organ_name: str | None = Field(None, alias="OrganName", max_length=200)
    subject: str = Field(alias="Subject", min_length=1, max_length=500)
    language: str = Field("Tiếng Việt", alias="Language", min_length=1, max_length=30)
    page_amount: int | None = Field(None, alias="PageAmount", ge=1, le=999)
    description: str | None = Field(None, alias="Description", max_length=500)
    signer_info: SignerInfo | None = Field(None, alias="SignerInfo")
    priority: int | None = Field(None, alias="Priority", ge=0, le=9)
    arrival_number: int | None = Field(None, alias="ArrivalNumber", ge=1)
    arrival_date: date | None = Field(None, alias="ArrivalDate")
    direction: Literal["in", "out"] = Field(alias="Direction")
    source_id: str | None = Field(None, alias="SourceId", min_length=1, max_length=64)


class DossierCreate(_Model):
    """``POST /v1/dossiers``: a hồ sơ (Phụ lục VI "III. Hồ sơ"); OrganId is the caller's."""

    file_catalog: int = Field(alias="FileCatalog", ge=1900, le=2999)
    file_notation: str = Field(alias="FileNotation", min_length=1, max_length=20)
    title: str = Field(alias="Title", min_length=1, max_length=500)
    maintenance: str = Field(alias="Maintenance", min_length=1, max_length=30)
    rights: str = Field("Công khai", alias="Rights", min_length=1, max_length=30)
    language: str = Field("Tiếng Việt", alias="Language", min_length=1, max_length=50)
    start_date: date | None = Field(None, alias="StartDate")
    end_date: date | None = Field(None, alias="EndDate")
    description: str | None = Field(None, alias="Description", max_length=500)
    creator: str = Field(alias="Creator", min_length=1, max_length=30)

    @field_validator("maintenance")
    @classmethod
    def _maintenance(cls, value: str) -> str:
        try:
            return Retention.parse(value).label()
        except RetentionError as exc:
            raise ValueError(str(exc)) from None


class FileInto(_Model):
    record_ids: list[str] = Field(alias="RecordIds", min_length=1, max_length=500)
