"""Request and response models of the issuing and documents API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shared.organ import ORGAN_ID_PATTERN

Abbreviation = Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-zÀ-ỹĐđ&]+$")]


class Recipient(BaseModel):
    """Phụ lục VI 'To': a receiving body, by OrganId where it has one (for edXML)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organ_id: Annotated[str, Field(pattern=ORGAN_ID_PATTERN)] | None = None
    name: Annotated[str, Field(min_length=1, max_length=200)]


class IssueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    register_id: Annotated[str, Field(min_length=1, max_length=36)] | None = Field(
        default=None, description="The register's id; default: the body's administrative series"
    )
    reservation: Annotated[str, Field(min_length=1, max_length=36)] | None = Field(
        default=None, description="A number reserved earlier in that register, to use now"
    )
    unit: Abbreviation | None = Field(
        default=None,
        description="Công văn: the drafting unit's abbreviation (ký hiệu UBND-<unit>); "
        "default: the draft's ký hiệu",
    )
    to: list[Recipient] = Field(
        default_factory=list,
        max_length=200,
        description="Receiving bodies (OrganId + name); default: the draft's Kính gửi lines",
    )
    due_date: date | None = Field(default=None, description="Hạn trả lời (DueDate)")


class DocumentLinks(BaseModel):
    self: str
    docx: str
    pdf: str


class IssuedDocument(BaseModel):
    id: str
    organ_id: str
    draft: str
    register_id: str
    year: int
    number: int
    notation: str
    code: str = Field(description="Số and ký hiệu as printed, e.g. '05/UBND-VP'")
    issued_on: date
    issued_at: datetime
    template: str
    version: str
    type_name: str
    subject: str
    signer_position: str
    signer_name: str
    to: list[Recipient]
    priority: int
    state: str
    files_ready: bool
    links: DocumentLinks


class SignedCopy(BaseModel):
    id: str
    document_id: str
    sha256: str
    size: int
    match: str = Field(description="incremental (issued bytes kept) or text (same page text)")
    status: str = Field(description="valid, or untrusted when no configured root vouches for it")
    signatures: list[dict[str, Any]]
    uploaded_at: datetime
    pdf: str
