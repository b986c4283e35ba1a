"""What a document is made of, validated once and rendered to DOCX and PDF alike.

The components and their names follow Nghị định 30/2020 Phụ lục I (the "ô" of
the layout grid): the issuing body (ô 2), number and notation (ô 3), place and
date (ô 4), type name and subject (ô 5a/5b), body (ô 6), signer (ô 7), Nơi nhận
(ô 9), urgency (ô 10b), drafter and copies (ô 12), address footer (ô 13).
Every text field is stripped and NFC-normalised on the way in.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.functional_validators import AfterValidator

from shared.text import nfc


def _clean(value: str) -> str:
    text = nfc(value).strip()
    if "\x00" in text:
        raise ValueError("không được chứa ký tự điều khiển")
    return text


Text = Annotated[str, AfterValidator(_clean), Field(min_length=1, max_length=2000)]
Line = Annotated[str, AfterValidator(_clean), Field(min_length=1, max_length=300)]
Paragraph = Annotated[str, AfterValidator(_clean), Field(min_length=1, max_length=20000)]

AUTHORITY_PREFIXES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
# Ký hiệu groups: letters (Vietnamese included), digits, "&"; "/" only between number and ký hiệu.
_NOTATION = re.compile(r"^[0-9A-Za-zÀ-ỹĐđ&]+(?:-[0-9A-Za-zÀ-ỹĐđ&]+)*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Issuer(Strict):
    """Ô 2 and the body's own data: who issues the document, and where."""

    parent: Line | None = Field(
        default=None,
        description="Tên cơ quan chủ quản trực tiếp, e.g. 'UBND TỈNH PHÚ YÊN' (not bold)",
    )
    name: Text = Field(
        description="Tên cơ quan ban hành; a line break ('\\n') where it should wrap",
    )
    abbreviation: Line = Field(description="The body's abbreviation in ký hiệu, e.g. 'UBND'")
    place: Line = Field(description="Địa danh for the date line, e.g. 'Sông Hình'")
    address: Line | None = Field(default=None, description="Ô 13 footer: address")
    phone: Line | None = None
    email: Line | None = None
    website: Line | None = None


class Signer(Strict):
    """Ô 7a/7b: authority lines, the signer's title and name."""

    authority: list[Line] = Field(
        default_factory=list,
        max_length=3,
        description="e.g. ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH'] — each starts with "
        "TM., KT., TL., TUQ. or Q.",
    )
    title: Line = Field(description="Chức vụ of the person who signs, e.g. 'PHÓ CHỦ TỊCH'")
    name: Line = Field(description="Họ tên, without academic titles, e.g. 'Nguyễn Văn A'")

    @field_validator("authority")
    @classmethod
    def _prefixes(cls, lines: list[str]) -> list[str]:
        for line in lines:
            if not line.startswith(AUTHORITY_PREFIXES):
                raise ValueError(
                    f"dòng thẩm quyền phải bắt đầu bằng {', '.join(AUTHORITY_PREFIXES)}: {line!r}"
                )
        return lines


class Distribution(Strict):
    """Ô 9b, Nơi nhận: recipients of copies and the archive line ("- Lưu: VT, VP.")."""

    recipients: list[Line] = Field(
        min_length=1, max_length=60, description="Without the leading '- ' and trailing ';'"
    )
    archive: list[Line] = Field(
        default_factory=lambda: ["VT"],
        min_length=1,
        description="Archive holders, the văn thư ('VT') first, then the drafting unit",
    )
    copies: int | None = Field(default=None, ge=1, le=100000, description="Number of copies kept")

    @field_validator("archive")
    @classmethod
    def _vt_first(cls, items: list[str]) -> list[str]:
        if items[0] != "VT":
            raise ValueError("dòng Lưu phải bắt đầu bằng VT (Văn thư)")
        return items


class DocumentBase(Strict):
    """Fields every administrative document carries."""

    issuer: Issuer
    number: int | None = Field(
        default=None, ge=1, le=999999, description="Số; empty on a draft (assigned on issue)"
    )
    notation: Line = Field(description="Ký hiệu after the '/', e.g. 'UBND-VP' or 'KH-UBND'")
    issued_on: date = Field(description="Ngày ban hành (ISO 8601, e.g. 2024-03-10)")
    urgency: Literal["KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"] | None = None
    signer: Signer
    distribution: Distribution
    drafter: Line | None = Field(
        default=None, max_length=10, description="Ô 12: drafter's initials, e.g. 'PL'"
    )
    draft: bool = Field(default=False, description="Print the 'DỰ THẢO' mark")

    @field_validator("notation")
    @classmethod
    def _notation(cls, value: str) -> str:
        if not _NOTATION.match(value):
            raise ValueError(
                "ký hiệu gồm các nhóm chữ, số nối bằng '-', không dấu cách, ví dụ 'UBND-VP'"
            )
        return value

    @property
    def number_line(self) -> str:
        """'Số: 05/UBND-VP', or with a blank number on a draft ('Số:      /UBND-VP')."""
        if self.number is None:
            return f"Số:{' ' * 6}/{self.notation}"
        return f"Số: {self.number:02d}/{self.notation}"


class CongVan(DocumentBase):
    """Công văn: a dispatch with a 'V/v' subject and no type name."""

    subject: Text = Field(description="Trích yếu after 'V/v', e.g. 'thanh toán kinh phí …'")
    recipients: list[Line] = Field(
        min_length=1, max_length=60, description="Kính gửi: one or several recipients"
    )
    paragraphs: list[Paragraph] = Field(min_length=1, max_length=500)


class OverdueRow(Strict):
    reporter: Line = Field(description="Chủ đầu tư or unit that has not reported")
    project: Line | None = Field(default=None, description="Project or sub-project concerned")
    report: Line = Field(description="Which report is missing, e.g. 'Báo cáo tháng 02/2024'")
    due_on: date


class CongVanDonDoc(CongVan):
    """Công văn đôn đốc: a reminder listing who is late, restating the deadline."""

    deadline: Text = Field(
        description="The reporting rule restated, e.g. 'trước ngày 10 hằng tháng'"
    )
    overdue: list[OverdueRow] = Field(min_length=1, max_length=1000)
    closing: list[Paragraph] = Field(
        default_factory=list, description="Paragraphs after the table of overdue reporters"
    )


NamedKind = Literal["KE_HOACH", "BAO_CAO", "THONG_BAO", "TO_TRINH"]


class Section(Strict):
    heading: Line | None = Field(default=None, description="e.g. 'I. MỤC ĐÍCH, YÊU CẦU'")
    paragraphs: list[Paragraph] = Field(min_length=1, max_length=500)


class NamedDocument(DocumentBase):
    """A document with a type name (ô 5a): kế hoạch, báo cáo, thông báo, tờ trình."""

    subject: Text = Field(description="Trích yếu under the type name")
    recipients: list[Line] = Field(
        default_factory=list, description="Kính gửi (tờ trình, báo cáo to a superior)"
    )
    sections: list[Section] = Field(min_length=1, max_length=100)


class Article(Strict):
    title: Line | None = Field(default=None, description="Optional title after 'Điều n.'")
    paragraphs: list[Paragraph] = Field(min_length=1, max_length=200)


class QuyetDinh(DocumentBase):
    """Quyết định: căn cứ lines, then Điều 1, 2, 3 …"""

    subject: Text = Field(description="Trích yếu, e.g. 'Về việc phê duyệt kế hoạch …'")
    competence: Line = Field(
        description="Thẩm quyền ban hành, e.g. 'CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN SÔNG HÌNH'"
    )
    bases: list[Paragraph] = Field(min_length=1, max_length=40, description="Căn cứ lines")
    articles: list[Article] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _bases_punctuated(self) -> QuyetDinh:
        # Rendering adds ';' and '.', so the data must not carry its own.
        for line in self.bases:
            if line.endswith((";", ".", ",")):
                raise ValueError("căn cứ không kèm dấu ';' hoặc '.' ở cuối; hệ thống tự thêm")
        return self


class GiayMoi(DocumentBase):
    """Giấy mời: an invitation with time, place and agenda."""

    subject: Text = Field(description="Trích yếu, e.g. 'Dự họp triển khai …'")
    invitees: list[Line] = Field(min_length=1, max_length=60, description="Trân trọng kính mời")
    starts_at: Line = Field(description="Thời gian, e.g. '08 giờ 00 phút, ngày 15/3/2024'")
    venue: Line = Field(description="Địa điểm")
    paragraphs: list[Paragraph] = Field(default_factory=list, description="Nội dung, chuẩn bị …")


CATALOGUE_MODELS = (CongVan, CongVanDonDoc, NamedDocument, QuyetDinh, GiayMoi)
