"""Request and response models of the submissions API.

Submissions are typed by ``kind``. Where the data *is* a document, the submission
carries it as ``document``, validated by docgen's own model of that document; the
envelope around it says who and what (the obligation, reporter, project and period of
a monthly report; which payment form). Each kind names the docgen template its
document is drafted with (:data:`TEMPLATES`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

from services.docgen.documents.forms import (
    BangDoiChieuSoLieu,
    BangXacDinhKhoiLuong,
    BaoCaoGiaiNgan,
    BienBanBanGiao,
    GiayDeNghiThanhToan,
)
from services.docgen.documents.models import CongVan, Line, Paragraph
from shared.text import nfc

#: An obligation's or a reporter's id (see services/intake/deadlines/obligations).
Slug = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9._-]*$")]
#: A month, ISO 8601 ("2026-03").
MonthText = Annotated[str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", examples=["2026-03"])]


class _Kind(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PingSubmission(_Kind):
    """The smallest submission: proves the path intake → bus → docgen works."""

    kind: Literal["ping"]
    message: Annotated[str, Field(min_length=1, max_length=500)]

    @field_validator("message")
    @classmethod
    def normalise(cls, value: str) -> str:
        return nfc(value)


class DispatchRequest(_Kind):
    """A request for a công văn: its content, drafted with the ``cong-van`` template."""

    kind: Literal["dispatch_request"]
    note: Line | None = Field(default=None, description="Lời nhắn cho văn thư (không in)")
    document: CongVan


class WorkStatus(BaseModel):
    """Tình hình thực hiện dự án (forms.md §4): done, under way, planned."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    completed: Paragraph | None = Field(default=None, description="Công việc đã hoàn thành")
    in_progress: Paragraph | None = Field(default=None, description="Công việc đang dở dang")
    planned: Paragraph | None = Field(default=None, description="Kế hoạch các tháng còn lại")


class MonthlyReport(_Kind):
    """An investor's monthly progress and disbursement report (``bao-cao-giai-ngan``).

    The document holds, per project, the year's capital plan, the disbursement of the
    month and the cumulative figure and rate (checked against each other); the envelope
    says which obligation and period it answers, for which reporter and project.
    """

    kind: Literal["monthly_report"]
    obligation_id: Slug
    reporter: Slug = Field(description="The investor's id in the obligation's reporters")
    project: Line | None = Field(default=None, description="The project reported on")
    period: MonthText = Field(description="The month reported on (YYYY-MM)")
    work_status: WorkStatus | None = None
    document: BaoCaoGiaiNgan

    @model_validator(mode="after")
    def _same_month(self) -> MonthlyReport:
        year, month = (int(part) for part in self.period.split("-"))
        if (self.document.year, self.document.month) != (year, month):
            raise ValueError(
                f"kỳ báo cáo {self.period} khác tháng ghi trong báo cáo "
                f"({self.document.month}/{self.document.year})"
            )
        return self

    @property
    def month(self) -> tuple[int, int]:
        year, month = (int(part) for part in self.period.split("-"))
        return year, month


class Handover(_Kind):
    """Biên bản bàn giao: parties and items handed over (``bien-ban-ban-giao``)."""

    kind: Literal["handover"]
    document: BienBanBanGiao


class VolumePayment(_Kind):
    kind: Literal["payment"]
    form: Literal["mau-03a-tt"]
    document: BangXacDinhKhoiLuong


class PaymentRequest(_Kind):
    kind: Literal["payment"]
    form: Literal["mau-04a-tt"]
    document: GiayDeNghiThanhToan


class SettlementReconciliation(_Kind):
    kind: Literal["payment"]
    form: Literal["mau-03-qtda"]
    document: BangDoiChieuSoLieu


Payment = Annotated[
    VolumePayment | PaymentRequest | SettlementReconciliation, Field(discriminator="form")
]

AnySubmission = Annotated[
    PingSubmission | DispatchRequest | MonthlyReport | Handover | Payment,
    Field(discriminator="kind"),
]

#: Tags pydantic puts in front of an error's location (stripped from field names).
UNION_TAGS = frozenset(
    {"ping", "dispatch_request", "monthly_report", "handover", "payment"}
    | {"mau-03a-tt", "mau-04a-tt", "mau-03-qtda"}
)

DocumentSubmission = DispatchRequest | MonthlyReport | Handover | Payment


def template_of(submission: BaseModel) -> str | None:
    """The docgen template a submission's document is drafted with (None for a ping)."""
    if isinstance(submission, DispatchRequest):
        return "cong-van"
    if isinstance(submission, MonthlyReport):
        return "bao-cao-giai-ngan"
    if isinstance(submission, Handover):
        return "bien-ban-ban-giao"
    if isinstance(submission, VolumePayment | PaymentRequest | SettlementReconciliation):
        return submission.form
    return None


def document_date(submission: BaseModel) -> date | None:
    document = getattr(submission, "document", None)
    issued_on = getattr(document, "issued_on", None)
    return issued_on if isinstance(issued_on, date) else None


class SubmissionRequest(RootModel[AnySubmission]):
    """A submission, told apart by ``kind`` (payments also by ``form``)."""


class Conversion(BaseModel):
    """A text field typed in a legacy encoding and converted to Unicode at the door."""

    field: str
    encoding: Literal["tcvn3", "vni"]


class SubmissionAccepted(BaseModel):
    id: str
    kind: str
    organ_id: str
    status: Literal["accepted", "drafted"]
    created_at: datetime
    template: str | None = Field(default=None, description="The docgen template it goes to")
    draft_id: str | None = Field(default=None, description="docgen's draft, once made")
    converted: list[Conversion] = Field(
        default_factory=list, description="Fields converted from TCVN3/VNI to Unicode"
    )
    obligation_id: str | None = None
    reporter: str | None = None
    period: str | None = None
    late: bool | None = Field(default=None, description="Monthly report after its deadline")
    days_late: int | None = Field(default=None, description="Days past the deadline")
    data: dict[str, Any] = Field(default_factory=dict, description="The submission as stored")
