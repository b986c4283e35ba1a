"""Forms with tables of figures: handover minutes and the monthly disbursement report.

Every amount is a ``Decimal`` in đồng. The arithmetic a form prints (thành tiền,
totals, cumulative figures) is computed here, once; when the data supplies a
figure too, it must agree with the computation, or validation fails with a
message naming the row. Text fields are stripped and NFC-normalised like those
of ``models``; labels the reference marks unconfirmed are fields with a
default, so an office can change them without touching code.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from services.docgen.documents.models import (
    Distribution,
    Issuer,
    Line,
    Paragraph,
    Signer,
    Strict,
    Text,
)
from shared.vn import format_amount

Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=0, allow_inf_nan=False)]
Quantity = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=3, allow_inf_nan=False)]
Price = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2, allow_inf_nan=False)]

# "BB-UBND", "BB-TTDVNN": the type abbreviation first (Phụ lục III), then the body's.
_BB_NOTATION = re.compile(r"^BB-[0-9A-Za-zÀ-ỹĐđ&]+(?:-[0-9A-Za-zÀ-ỹĐđ&]+)*$")
_BC_NOTATION = re.compile(r"^BC-[0-9A-Za-zÀ-ỹĐđ&]+(?:-[0-9A-Za-zÀ-ỹĐđ&]+)*$")


def _figure(value: Decimal) -> str:
    return format_amount(value)


class FormBase(Strict):
    """What every form's heading carries: the body, its number, the date."""

    issuer: Issuer
    number: int | None = Field(default=None, ge=1, le=999999, description="Số; empty on a draft")
    notation: Line = Field(description="Ký hiệu after the '/'")
    issued_on: date = Field(description="Ngày lập (ISO 8601); chooses the version in force")
    draft: bool = Field(default=False, description="Print the 'DỰ THẢO' mark")

    @property
    def number_line(self) -> str:
        if self.number is None:
            return f"Số:{' ' * 6}/{self.notation}"
        return f"Số: {self.number:02d}/{self.notation}"


# ---------------------------------------------------------------- biên bản bàn giao


class Party(Strict):
    """One side of a handover: an organisation or a household, and who speaks for it."""

    name: Line = Field(description="Tên đơn vị, or 'Hộ ông/bà …' for a household")
    representative: Line = Field(description="Họ tên người đại diện (chủ hộ for a household)")
    position: Line = Field(description="Chức vụ, e.g. 'Phó Chủ tịch UBND xã' or 'Chủ hộ'")
    details: list[Line] = Field(
        default_factory=list,
        max_length=6,
        description="Further lines as printed, e.g. 'Địa chỉ: thôn Tân Lập' or 'Số CCCD: …'",
    )
    signature_caption: Line = Field(
        default="(Ký, ghi rõ họ tên)",
        description="Caption under the block; organisations add 'và đóng dấu' (unconfirmed)",
    )


class HandoverItem(Strict):
    name: Line = Field(description="Tên giống, vật tư (chủng loại, phẩm cấp)")
    unit: Line = Field(max_length=30, description="Đơn vị tính: con, kg, cây …")
    quantity: Quantity = Field(description="Số lượng, ≥ 0")
    unit_price: Price = Field(description="Đơn giá, đồng")
    amount: Money | None = Field(
        default=None, description="Thành tiền; computed when absent, checked when given"
    )
    note: Line | None = None

    @property
    def computed_amount(self) -> Decimal:
        return self.quantity * self.unit_price


class BienBanBanGiao(FormBase):
    """Biên bản bàn giao (NĐ 30/2020 Phụ lục III Mẫu 1.9 layout): goods to a recipient."""

    subject: Text = Field(description="Trích yếu under 'BIÊN BẢN', e.g. 'Bàn giao bò giống …'")
    bases: list[Paragraph] = Field(
        default_factory=list, max_length=20, description="Căn cứ lines (quyết định phê duyệt …)"
    )
    time: Line = Field(description="Thời gian, e.g. '08 giờ 30 phút'")
    place: Line = Field(description="Địa điểm bàn giao")
    giver: Party = Field(description="Bên giao (Bên A)")
    receiver: Party = Field(description="Bên nhận (Bên B)")
    witnesses: list[Party] = Field(
        default_factory=list, max_length=4, description="Thành phần chứng kiến (UBND xã, thôn …)"
    )
    items: list[HandoverItem] = Field(min_length=1, max_length=500)
    total: Money | None = Field(default=None, description="Tổng cộng; checked when given")
    condition: list[Paragraph] = Field(
        default_factory=list, description="Tình trạng khi bàn giao (sức khỏe, tiêm phòng …)"
    )
    commitments: list[Paragraph] = Field(default_factory=list, description="Cam kết của các bên")
    closing: list[Paragraph] = Field(
        default_factory=list,
        description="e.g. 'Biên bản lập thành 03 bản có giá trị pháp lý như nhau …'",
    )

    @field_validator("notation")
    @classmethod
    def _notation(cls, value: str) -> str:
        if not _BB_NOTATION.match(value):
            raise ValueError(
                "ký hiệu biên bản có dạng 'BB-<chữ viết tắt cơ quan>', ví dụ 'BB-UBND'"
            )
        return value

    @model_validator(mode="after")
    def _arithmetic(self) -> BienBanBanGiao:
        for number, row in enumerate(self.items, start=1):
            computed = row.computed_amount
            if computed != computed.to_integral_value():
                raise ValueError(
                    f"Dòng {number} ({row.name}): thành tiền {format_amount(computed)} "
                    "không phải số đồng nguyên; kiểm tra số lượng và đơn giá"
                )
            if row.amount is not None and row.amount != computed:
                raise ValueError(
                    f"Dòng {number} ({row.name}): thành tiền ghi {_figure(row.amount)} đồng "
                    f"nhưng số lượng × đơn giá = {_figure(computed)} đồng"
                )
        if self.total is not None and self.total != self.computed_total:
            raise ValueError(
                f"Tổng cộng ghi {_figure(self.total)} đồng nhưng cộng thành tiền các dòng "
                f"= {_figure(self.computed_total)} đồng"
            )
        return self

    @property
    def computed_total(self) -> Decimal:
        return sum((row.computed_amount for row in self.items), Decimal(0))


# ---------------------------------------------------------------- báo cáo giải ngân tháng

HUNDRED = Decimal(100)
RATE_PLACES = Decimal("0.01")


def rate(part: Decimal, whole: Decimal) -> Decimal | None:
    """part ÷ whole × 100, two decimals (half up); None when there is no plan to measure by."""
    if whole == 0:
        return None
    return (part * HUNDRED / whole).quantize(RATE_PLACES, rounding="ROUND_HALF_UP")


class ProjectDisbursement(Strict):
    """One project of the monthly report; cumulative figures are computed and checked."""

    name: Line = Field(description="Danh mục dự án")
    location: Line | None = Field(default=None, description="Địa điểm xây dựng")
    decision: Line | None = Field(
        default=None, description="Quyết định đầu tư: số, ngày, e.g. '215/QĐ-UBND ngày 10/3/2023'"
    )
    total_investment: Money | None = Field(default=None, description="Tổng mức đầu tư (TMĐT)")
    plan: Money = Field(description="Kế hoạch vốn năm")
    previous: Money = Field(description="Lũy kế giải ngân từ đầu năm đến hết tháng trước")
    this_month: Money = Field(description="Giải ngân trong tháng báo cáo")
    cumulative: Money | None = Field(
        default=None, description="Lũy kế giải ngân từ đầu năm; checked = previous + this_month"
    )
    cumulative_rate: Decimal | None = Field(
        default=None, description="Tỷ lệ giải ngân lũy kế (%) if the data carries it; checked"
    )
    note: Line | None = None

    @property
    def computed_cumulative(self) -> Decimal:
        return self.previous + self.this_month


class ReportTotals(Strict):
    """Totals the data may carry (from a spreadsheet); each is checked against the rows."""

    total_investment: Money | None = None
    plan: Money | None = None
    previous: Money | None = None
    this_month: Money | None = None
    cumulative: Money | None = None


class BaoCaoGiaiNgan(FormBase):
    """Báo cáo tình hình thực hiện và giải ngân vốn đầu tư công hằng tháng (forms ref. §4)."""

    month: int = Field(ge=1, le=12, description="Tháng báo cáo")
    year: int = Field(ge=2000, le=2100, description="Năm kế hoạch")
    subject: Text = Field(
        description="Trích yếu, e.g. 'Tình hình thực hiện và giải ngân vốn đầu tư công tháng 5 "
        "năm 2024'"
    )
    recipients: list[Line] = Field(default_factory=list, max_length=20, description="Kính gửi")
    paragraphs: list[Paragraph] = Field(
        default_factory=list, description="Text before the table (the summary is added)"
    )
    projects: list[ProjectDisbursement] = Field(min_length=1, max_length=500)
    totals: ReportTotals | None = None
    closing: list[Paragraph] = Field(default_factory=list, description="Text after the table")
    signer: Signer
    distribution: Distribution

    @field_validator("notation")
    @classmethod
    def _notation(cls, value: str) -> str:
        if not _BC_NOTATION.match(value):
            raise ValueError("ký hiệu báo cáo có dạng 'BC-<chữ viết tắt cơ quan>', ví dụ 'BC-UBND'")
        return value

    @model_validator(mode="after")
    def _arithmetic(self) -> BaoCaoGiaiNgan:
        if date(self.year, self.month, 1) > self.issued_on:
            raise ValueError(
                f"Báo cáo tháng {self.month}/{self.year} không thể lập trước tháng báo cáo "
                f"(ngày lập {self.issued_on:%d/%m/%Y})"
            )
        for number, row in enumerate(self.projects, start=1):
            computed = row.computed_cumulative
            if row.cumulative is not None and row.cumulative != computed:
                raise ValueError(
                    f"Dòng {number} ({row.name}): lũy kế giải ngân ghi {_figure(row.cumulative)} "
                    f"đồng nhưng lũy kế đến hết tháng trước + giải ngân tháng = "
                    f"{_figure(computed)} đồng"
                )
            if row.cumulative_rate is not None:
                expected = rate(computed, row.plan)
                if expected is None or row.cumulative_rate.quantize(RATE_PLACES) != expected:
                    shown = (
                        "không tính được (kế hoạch vốn bằng 0)"
                        if expected is None
                        else (f"{format_amount(expected)}%")
                    )
                    raise ValueError(
                        f"Dòng {number} ({row.name}): tỷ lệ giải ngân ghi "
                        f"{format_amount(row.cumulative_rate)}% nhưng tính theo lũy kế ÷ kế "
                        f"hoạch vốn là {shown}"
                    )
        if self.totals is not None:
            for field, label in TOTAL_LABELS.items():
                given = getattr(self.totals, field)
                computed = self.column_total(field)
                if given is not None and given != computed:
                    raise ValueError(
                        f"Dòng tổng cộng, cột {label}: ghi {_figure(given)} đồng nhưng cộng các "
                        f"dòng = {_figure(computed)} đồng"
                    )
        return self

    def column_total(self, field: str) -> Decimal:
        if field == "cumulative":
            return sum((p.computed_cumulative for p in self.projects), Decimal(0))
        return sum((getattr(p, field) or Decimal(0) for p in self.projects), Decimal(0))


TOTAL_LABELS = {
    "total_investment": "tổng mức đầu tư",
    "plan": "kế hoạch vốn năm",
    "previous": "lũy kế đến hết tháng trước",
    "this_month": "giải ngân tháng báo cáo",
    "cumulative": "lũy kế giải ngân từ đầu năm",
}


# ---------------------------------------------------------------- NĐ 99/2021, TT 96/2021
#
# Payment and settlement forms of public investment (forms ref. §1–2). The printed
# labels the reference marks unconfirmed (unit line, sign-off captions and titles)
# are fields with defaults; the column arithmetic is computed here and, when the
# data carries a figure too, checked against it.

SignedMoney = Annotated[
    Decimal, Field(max_digits=18, decimal_places=0, allow_inf_nan=False)
]  # a difference (chênh lệch) may be negative


def whole_dong(value: Decimal) -> Decimal:
    """An amount rounded to whole đồng, half up (the form's "(làm tròn)")."""
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _check(given: Decimal | None, computed: Decimal, where: str, formula: str) -> None:
    if given is not None and given != computed:
        raise ValueError(f"{where}: ghi {_figure(given)} nhưng {formula} = {_figure(computed)}")


class PaymentFormBase(Strict):
    """What the NĐ 99/2021 and TT 96/2021 forms share: the date that picks the version."""

    issued_on: date = Field(description="Ngày lập (ISO 8601); chooses the version in force")
    place: Line = Field(description="Địa danh of the date line, e.g. 'Phú Bình'")
    draft: bool = Field(default=False, description="Print the 'DỰ THẢO' mark")
    form_code: Line = Field(description="Form number printed top right, e.g. 'Mẫu số 03.a/TT'")
    unit_label: Line = Field(
        default="Đơn vị tính: đồng", description="Unit line above the table (unconfirmed)"
    )


# ------------------------------------------------ Mẫu 03.a/TT (NĐ 99/2021)


class WorkItem(Strict):
    """One row of Mẫu 03.a/TT; columns (1)–(13) of forms ref. §1.3."""

    stt: Line | None = Field(default=None, max_length=10, description="(1) '1', 'A', 'I' …")
    name: Line = Field(description="(2) Tên công việc")
    unit: Line = Field(max_length=30, description="(3) Đơn vị tính")
    qty_contract: Quantity = Field(description="(4) Khối lượng theo hợp đồng hoặc dự toán")
    qty_previous: Quantity = Field(description="(5) Khối lượng lũy kế đến hết kỳ trước")
    qty_this: Quantity = Field(description="(6) Khối lượng thực hiện kỳ này")
    qty_cumulative: Quantity | None = Field(default=None, description="(7) = (5) + (6)")
    unit_price: Price = Field(description="(8) Đơn giá thanh toán")
    amount_contract: Money | None = Field(default=None, description="(9) = (4) × (8)")
    amount_previous: Money | None = Field(default=None, description="(10) = (5) × (8)")
    amount_this: Money | None = Field(default=None, description="(11) = (6) × (8)")
    amount_cumulative: Money | None = Field(default=None, description="(12) = (7) × (8)")
    note: Line | None = Field(default=None, description="(13) Ghi chú")

    @property
    def col7(self) -> Decimal:
        return self.qty_previous + self.qty_this

    @property
    def col9(self) -> Decimal:
        return whole_dong(self.qty_contract * self.unit_price)

    @property
    def col10(self) -> Decimal:
        return whole_dong(self.qty_previous * self.unit_price)

    @property
    def col11(self) -> Decimal:
        return whole_dong(self.qty_this * self.unit_price)

    @property
    def col12(self) -> Decimal:
        return whole_dong(self.col7 * self.unit_price)


WORK_COLUMNS = (
    ("qty_cumulative", "col7", "cột (7)", "cột (5) + cột (6)"),
    ("amount_contract", "col9", "cột (9)", "cột (4) × cột (8)"),
    ("amount_previous", "col10", "cột (10)", "cột (5) × cột (8)"),
    ("amount_this", "col11", "cột (11)", "cột (6) × cột (8)"),
    ("amount_cumulative", "col12", "cột (12)", "cột (7) × cột (8)"),
)


class Disbursement(Strict):
    """Summary lines 6 and 7 of Mẫu 03.a/TT: an amount and its two parts."""

    advance: Money = Field(description="trong đó: tạm ứng")
    completed: Money = Field(description="trong đó: thanh toán khối lượng hoàn thành")
    total: Money | None = Field(default=None, description="= tạm ứng + thanh toán KLHT")

    @property
    def computed_total(self) -> Decimal:
        return self.advance + self.completed


class BangXacDinhKhoiLuong(PaymentFormBase):
    """Mẫu số 03.a/TT: bảng xác định giá trị khối lượng công việc hoàn thành."""

    form_code: Line = "Mẫu số 03.a/TT"
    project_name: Line = Field(description="Tên dự án")
    project_code: Line | None = Field(default=None, description="Mã dự án")
    package: Line | None = Field(default=None, description="Tên gói thầu")
    contract: Line | None = Field(default=None, description="Hợp đồng số …, ngày …")
    contract_appendix: Line | None = Field(default=None, description="Phụ lục bổ sung số …")
    estimate_decision: Line | None = Field(
        default=None, description="QĐ phê duyệt dự toán số …, ngày … (no contract)"
    )
    owner: Line = Field(description="Chủ đầu tư")
    contractor: Line = Field(description="Nhà thầu, or đơn vị thực hiện without a contract")
    payment_round: int = Field(ge=1, le=999, description="Thanh toán lần thứ")
    acceptance: Line = Field(description="Căn cứ xác định: biên bản nghiệm thu số …, ngày …")
    items: list[WorkItem] = Field(min_length=1, max_length=500)
    total_label: Line = Field(default="Tổng số", description="Label of the totals row")
    contract_value: Money = Field(description="1. Giá trị hợp đồng (dự toán được duyệt)")
    advance_outstanding: Money = Field(description="2. Tạm ứng còn lại chưa thu hồi, kỳ trước")
    paid_previous: Money = Field(description="3. Đã thanh toán KLHT đến cuối kỳ trước")
    cumulative_value: Money | None = Field(default=None, description="4. = Σ cột (12)")
    advance_recovery: Money = Field(description="5. Thanh toán để thu hồi tạm ứng")
    requested: Disbursement = Field(description="6. Giá trị đề nghị giải ngân kỳ này")
    disbursed: Disbursement = Field(description="7. Lũy kế giá trị giải ngân")
    contractor_label: Line | None = Field(
        default=None, description="Left block; 'ĐẠI DIỆN NHÀ THẦU' or '… ĐƠN VỊ THỰC HIỆN'"
    )
    owner_label: Line = "ĐẠI DIỆN CHỦ ĐẦU TƯ"
    signature_caption: Line = "(Ký, ghi rõ họ tên, chức vụ và đóng dấu)"
    contractor_signer: Line | None = Field(default=None, description="Họ tên, nhà thầu")
    owner_signer: Line | None = Field(default=None, description="Họ tên, chủ đầu tư")

    @model_validator(mode="after")
    def _arithmetic(self) -> BangXacDinhKhoiLuong:
        if (self.contract is None) == (self.estimate_decision is None):
            raise ValueError(
                "Ghi căn cứ hợp đồng (contract) hoặc quyết định phê duyệt dự toán khi thực "
                "hiện không thông qua hợp đồng (estimate_decision), một trong hai"
            )
        for number, row in enumerate(self.items, start=1):
            for field, computed, column, formula in WORK_COLUMNS:
                _check(
                    getattr(row, field),
                    getattr(row, computed),
                    f"Dòng {number} ({row.name}), {column}",
                    formula,
                )
        _check(
            self.cumulative_value,
            self.column_total("col12"),
            "Dòng 4 (lũy kế giá trị khối lượng thực hiện đến cuối kỳ này)",
            "tổng cột (12)",
        )
        for line, part in (("Dòng 6 (đề nghị giải ngân kỳ này)", self.requested),
                           ("Dòng 7 (lũy kế giá trị giải ngân)", self.disbursed)):  # fmt: skip
            _check(part.total, part.computed_total, line, "tạm ứng + thanh toán KLHT")
        return self

    def column_total(self, column: str) -> Decimal:
        return sum((getattr(row, column) for row in self.items), Decimal(0))


# ------------------------------------------------ Mẫu 04.a/TT (NĐ 99/2021)


class PaymentLine(Strict):
    """One row of the 04.a/TT table: columns (1)–(4), money split by source."""

    content: Line = Field(description="(1) Nội dung thanh toán")
    budget: Money = Field(description="(2) Dự toán được duyệt hoặc giá trị hợp đồng")
    paid_domestic: Money = Field(description="(3) Lũy kế đã thanh toán, vốn trong nước")
    paid_foreign: Money = Field(default=Decimal(0), description="(3) … vốn ngoài nước")
    request_domestic: Money = Field(description="(4) Đề nghị kỳ này, vốn trong nước")
    request_foreign: Money = Field(default=Decimal(0), description="(4) … vốn ngoài nước")


class GiayDeNghiThanhToan(PaymentFormBase):
    """Mẫu số 04.a/TT: giấy đề nghị thanh toán vốn (owner → cơ quan kiểm soát, thanh toán).

    The "Trong đó" lines split the amount requested: what recovers advances, the VAT,
    the warranty transfer and what is paid to the payee. The split by source is an
    inference (forms ref. §1.6, S5): VAT and warranty come out of domestic capital.
    """

    form_code: Line = "Mẫu số 04.a/TT"
    owner: Line = Field(description="Chủ đầu tư/Ban QLDA")
    owner_label: Line = "Chủ đầu tư/Ban QLDA"
    number: int | None = Field(default=None, ge=1, le=999999, description="Số; blank on a draft")
    recipient: Line = Field(description="Kính gửi: the cơ quan kiểm soát, thanh toán")
    project_name: Line
    project_code: Line | None = None
    budget_unit_code: Line | None = Field(default=None, description="Mã số ĐVQHNS")
    account_domestic: Line | None = Field(default=None, description="Số TK vốn trong nước, tại …")
    account_foreign: Line | None = Field(default=None, description="Số TK vốn ngoài nước, tại …")
    bases: list[Line] = Field(
        min_length=1, max_length=6, description="Căn cứ hợp đồng / dự toán / bảng xác định …"
    )
    accepted_value: Money | None = Field(
        default=None, description="Lũy kế giá trị khối lượng nghiệm thu của hạng mục"
    )
    advance_balance: Money | None = Field(default=None, description="Số dư tạm ứng của hạng mục")
    fund_source: Line = Field(description="Thuộc nguồn vốn")
    plan: Line = Field(description="Thuộc kế hoạch")
    year: int = Field(ge=2000, le=2100, description="Năm")
    lines: list[PaymentLine] = Field(min_length=1, max_length=100)
    total: Money | None = Field(default=None, description="Tổng số đề nghị; checked")
    recovery_domestic: Money = Field(default=Decimal(0), description="Thu hồi tạm ứng, trong nước")
    recovery_foreign: Money = Field(default=Decimal(0), description="Thu hồi tạm ứng, ngoài nước")
    vat: Money = Field(default=Decimal(0), description="Thuế giá trị gia tăng")
    warranty: Money = Field(default=Decimal(0), description="Chuyển tiền bảo hành")
    payee_domestic: Money | None = Field(default=None, description="Trả đơn vị thụ hưởng; checked")
    payee_foreign: Money | None = Field(default=None, description="… vốn ngoài nước; checked")
    payee: Line = Field(description="Tên đơn vị thụ hưởng")
    payee_account: Line = Field(description="Số tài khoản đơn vị thụ hưởng")
    payee_bank: Line = Field(description="… tại (ngân hàng, kho bạc)")
    accountant_label: Line | None = Field(
        default=None, description="Left block, e.g. 'KẾ TOÁN TRƯỞNG' (predecessor form; none)"
    )
    accountant: Line | None = None
    signer_label: Line = "LÃNH ĐẠO ĐƠN VỊ"
    signer_caption: Line = "(Ký, ghi rõ họ tên, chức vụ và đóng dấu)"
    signer: Line | None = None

    @property
    def request_domestic(self) -> Decimal:
        return sum((line.request_domestic for line in self.lines), Decimal(0))

    @property
    def request_foreign(self) -> Decimal:
        return sum((line.request_foreign for line in self.lines), Decimal(0))

    @property
    def computed_total(self) -> Decimal:
        return self.request_domestic + self.request_foreign

    @property
    def computed_payee_domestic(self) -> Decimal:
        return self.request_domestic - self.recovery_domestic - self.vat - self.warranty

    @property
    def computed_payee_foreign(self) -> Decimal:
        return self.request_foreign - self.recovery_foreign

    @model_validator(mode="after")
    def _arithmetic(self) -> GiayDeNghiThanhToan:
        _check(self.total, self.computed_total, "Tổng số tiền đề nghị",
               "tổng cột (4) vốn trong nước + vốn ngoài nước")  # fmt: skip
        for given, computed, where, formula in (
            (self.payee_domestic, self.computed_payee_domestic,
             "Số trả đơn vị thụ hưởng, vốn trong nước",
             "đề nghị vốn trong nước − thu hồi tạm ứng − thuế GTGT − bảo hành"),
            (self.payee_foreign, self.computed_payee_foreign,
             "Số trả đơn vị thụ hưởng, vốn ngoài nước",
             "đề nghị vốn ngoài nước − thu hồi tạm ứng"),
        ):  # fmt: skip
            if computed < 0:
                raise ValueError(
                    f"{where}: {formula} = {_figure(computed)}, âm; kiểm tra các khoản trừ"
                )
            _check(given, computed, where, formula)
        return self


# ------------------------------------------------ Mẫu 03/QTDA (TT 96/2021)


class ReconciliationRow(Strict):
    """One source of capital in Mẫu 03/QTDA; columns (3)–(12) of forms ref. §2.2."""

    source: Line = Field(description="(2) '− Vốn …', e.g. 'Vốn ngân sách tỉnh'")
    owner_plan: Money = Field(description="(3) Chủ đầu tư: vốn kế hoạch")
    owner_total: Money | None = Field(default=None, description="(4) = (5) + (6)")
    owner_completed: Money = Field(description="(5) thanh toán khối lượng hoàn thành")
    owner_advance: Money = Field(description="(6) tạm ứng")
    control_plan: Money = Field(description="(7) Cơ quan kiểm soát, thanh toán: vốn kế hoạch")
    control_total: Money | None = Field(default=None, description="(8) = (9) + (10)")
    control_completed: Money = Field(description="(9) thanh toán khối lượng hoàn thành")
    control_advance: Money = Field(description="(10) tạm ứng")
    difference: SignedMoney | None = Field(default=None, description="(11) = (8) − (4)")
    note: Line | None = Field(default=None, description="(12) Ghi chú")

    @property
    def col4(self) -> Decimal:
        return self.owner_completed + self.owner_advance

    @property
    def col8(self) -> Decimal:
        return self.control_completed + self.control_advance

    @property
    def col11(self) -> Decimal:
        return self.col8 - self.col4


RECONCILIATION_COLUMNS = (
    ("owner_total", "col4", "cột (4)", "cột (5) + cột (6)"),
    ("control_total", "col8", "cột (8)", "cột (9) + cột (10)"),
    ("difference", "col11", "cột (11)", "cột (8) − cột (4)"),
)


class YearBlock(Strict):
    year: int = Field(ge=1990, le=2100, description="2.x Năm …")
    rows: list[ReconciliationRow] = Field(min_length=1, max_length=20)


class BangDoiChieuSoLieu(PaymentFormBase):
    """Mẫu số 03/QTDA: bảng đối chiếu số liệu (chủ đầu tư ↔ cơ quan kiểm soát, thanh toán)."""

    form_code: Line = "Mẫu số 03/QTDA"
    owner: Line = Field(description="Chủ đầu tư (top left and its line)")
    project_name: Line
    project_code: Line | None = None
    works: Line | None = Field(
        default=None, description="Công trình, hạng mục độc lập (when settled on its own)"
    )
    control_body: Line = Field(description="Cơ quan kiểm soát, thanh toán")
    cumulative: list[ReconciliationRow] = Field(
        min_length=1, max_length=20, description="1. Lũy kế từ khởi công, by source"
    )
    years: list[YearBlock] = Field(default_factory=list, max_length=30)
    remarks: list[Paragraph] = Field(
        default_factory=list, description="II. Nhận xét, giải thích nguyên nhân chênh lệch"
    )
    owner_label: Line = "CHỦ ĐẦU TƯ"
    control_label: Line = "CƠ QUAN KIỂM SOÁT, THANH TOÁN"
    signature_caption: Line = "(Ký, ghi rõ họ tên, đóng dấu)"
    owner_signer: Line | None = None
    control_signer: Line | None = None

    @model_validator(mode="after")
    def _arithmetic(self) -> BangDoiChieuSoLieu:
        blocks = [("1", self.cumulative)] + [
            (f"2.{n} (năm {block.year})", block.rows) for n, block in enumerate(self.years, 1)
        ]
        for label, rows in blocks:
            for number, row in enumerate(rows, start=1):
                for field, computed, column, formula in RECONCILIATION_COLUMNS:
                    _check(
                        getattr(row, field),
                        getattr(row, computed),
                        f"Mục {label}, dòng {number} ({row.source}), {column}",
                        formula,
                    )
        years = [block.year for block in self.years]
        if len(set(years)) != len(years):
            raise ValueError("Mục 2: mỗi năm chỉ ghi một lần")
        return self


CATALOGUE_MODELS = (
    BienBanBanGiao,
    BaoCaoGiaiNgan,
    BangXacDinhKhoiLuong,
    GiayDeNghiThanhToan,
    BangDoiChieuSoLieu,
)
