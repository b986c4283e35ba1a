"""Code lists of edXML packets (QCVN 102:2016) — the one place they live.

Most of these lists are observed in SDKs and samples rather than read in the
QCVN text (see the reference notes, §7 and §6.1). Keep every value here so a
correction is a one-line change: the writer refuses values missing from these
tables, the reader accepts them with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

__all__ = [
    "BUSINESS_DOC_REASONS",
    "BUSINESS_DOC_TYPES",
    "DEFAULT_TYPE_NAME",
    "DOCUMENT_TYPES",
    "KNOWN_ORGANS",
    "LEGACY_NAMESPACE",
    "NAMESPACE",
    "PAPER",
    "PRIORITIES",
    "RECEIVER_TYPES",
    "STATUS_CODES",
    "STEERING_TYPES",
    "BusinessDocType",
    "DocumentTypeCode",
    "Priority",
    "StatusCodeInfo",
    "SteeringType",
]

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
#: Bkav's pre-QCVN namespace; read with a warning, never written.
LEGACY_NAMESPACE = "http://www.e-doc.vn/Schema/"
XMLDSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"


class Priority(IntEnum):
    """OtherInfo/Priority (độ khẩn). Source: secondary; QCVN wording unconfirmed."""

    THUONG = 0
    KHAN = 1
    THUONG_KHAN = 2
    HOA_TOC = 3
    HOA_TOC_HEN_GIO = 4


PRIORITIES: dict[int, str] = {
    Priority.THUONG: "Thường",
    Priority.KHAN: "Khẩn",
    Priority.THUONG_KHAN: "Thượng khẩn",
    Priority.HOA_TOC: "Hỏa tốc",
    Priority.HOA_TOC_HEN_GIO: "Hỏa tốc hẹn giờ",
}


class SteeringType(IntEnum):
    """SteeringType (loại chỉ đạo). Encoding UNCONFIRMED; majority reading 0/1/2."""

    KHONG_CHI_DAO = 0
    CHI_DAO = 1
    BAO_CAO_CHI_DAO = 2


STEERING_TYPES: dict[int, str] = {
    SteeringType.KHONG_CHI_DAO: "Không phải văn bản chỉ đạo",
    SteeringType.CHI_DAO: "Văn bản chỉ đạo",
    SteeringType.BAO_CAO_CHI_DAO: "Báo cáo chỉ đạo",
}


class DocumentTypeCode(IntEnum):
    """DocumentType/Type. Code list UNCONFIRMED (template: 1 QPPL, 2 hành chính)."""

    QUY_PHAM_PHAP_LUAT = 1
    HANH_CHINH = 2


DOCUMENT_TYPES: dict[int, str] = {
    DocumentTypeCode.QUY_PHAM_PHAP_LUAT: "Văn bản quy phạm pháp luật",
    DocumentTypeCode.HANH_CHINH: "Văn bản hành chính",
}

#: TypeName when none is given for a văn bản hành chính.
DEFAULT_TYPE_NAME = "Công văn"


class BusinessDocType(IntEnum):
    """TraceHeaderList/Bussiness/BussinessDocType (confirmed by the SDK samples)."""

    NEW = 0
    REVOKE = 1
    UPDATE = 2
    REPLACE = 3


BUSINESS_DOC_TYPES: dict[int, str] = {
    BusinessDocType.NEW: "Văn bản mới",
    BusinessDocType.REVOKE: "Thu hồi",
    BusinessDocType.UPDATE: "Cập nhật",
    BusinessDocType.REPLACE: "Thay thế",
}

#: Default BussinessDocReason per type (the wording of the official samples).
BUSINESS_DOC_REASONS: dict[int, str] = {
    BusinessDocType.NEW: "Văn bản điện tử mới",
    BusinessDocType.REVOKE: "Thu hồi văn bản điện tử",
    BusinessDocType.UPDATE: "Cập nhật văn bản điện tử",
    BusinessDocType.REPLACE: "Văn bản thay thế",
}

#: Bussiness/Paper: is a paper copy sent too? (secondary source)
PAPER: dict[int, str] = {0: "Không gửi kèm văn bản giấy", 1: "Có gửi kèm văn bản giấy"}

#: ReceiverList/Receiver/ReceiverType — values seen, meaning UNCONFIRMED.
RECEIVER_TYPES: dict[int, str] = {
    0: "Bỏ khỏi danh sách nhận (chưa xác nhận)",
    1: "Thêm vào danh sách nhận (chưa xác nhận)",
}


@dataclass(frozen=True)
class StatusCodeInfo:
    """One StatusCode: short name and the standard description."""

    name: str
    description: str


#: StatusCode of status packets; codes other than these are UNCONFIRMED.
STATUS_CODES: dict[str, StatusCodeInfo] = {
    "01": StatusCodeInfo(
        "Đã đến",
        "Văn thư - Phòng Văn thư - Lưu trữ: Đã đến - "
        "Phần mềm QLVB đã nhận nhưng văn thư chưa xử lý",
    ),
    "02": StatusCodeInfo(
        "Từ chối tiếp nhận",
        "Văn thư - Phòng Văn thư - Lưu trữ: Từ chối không tiếp nhận văn bản điện tử",
    ),
    "03": StatusCodeInfo(
        "Đã tiếp nhận",
        "Văn thư cơ quan - Phòng Văn thư - Lưu trữ: Tiếp nhận văn bản điện tử, "
        "vào sổ văn bản đến của đơn vị",
    ),
    "04": StatusCodeInfo("Phân công", "Lãnh đạo: Phân công xử lý"),
    "05": StatusCodeInfo("Đang xử lý", "Đang xử lý văn bản đến"),
    "06": StatusCodeInfo("Hoàn thành", "Văn thư: Ban hành văn bản đến, hoàn thành xử lý"),
    "13": StatusCodeInfo("Lấy lại", "Văn thư yêu cầu lấy lại văn bản điện tử kèm lý do"),
    "15": StatusCodeInfo("Đồng ý cập nhật, lấy lại", "Văn thư đồng ý yêu cầu cập nhật, lấy lại"),
    "16": StatusCodeInfo("Từ chối cập nhật, lấy lại", "Văn thư từ chối yêu cầu cập nhật, lấy lại"),
}

#: Status codes sent by the original sender (the rest come from a recipient).
SENDER_STATUS_CODES: frozenset[str] = frozenset({"13"})

#: A few top-level OrganIds whose holder is known (reference notes §9); used only
#: to warn when a packet names one of them as someone else.
KNOWN_ORGANS: dict[str, str] = {
    "000.00.00.G22": "Văn phòng Chính phủ",
    "000.00.00.G17": "Bộ Xây dựng",
    "000.00.00.G09": "Bộ Nội vụ",
    "000.00.00.H41": "UBND tỉnh Nghệ An",
    "000.00.00.H14": "UBND tỉnh Cao Bằng",
    "000.00.00.H53": "UBND tỉnh Tây Ninh",
}
