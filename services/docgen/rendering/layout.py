"""The page grid of Nghị định 30/2020 Phụ lục I, in millimetres and points.

One source for the DOCX builder, the context (rule lengths, indents) and the
CSS: change a figure here and in ``templates/nd30-2020/nd30.css`` together.
"""

from __future__ import annotations

from typing import Final

PAGE_WIDTH: Final = 210.0
PAGE_HEIGHT: Final = 297.0
MARGIN_TOP: Final = 20.0
MARGIN_BOTTOM: Final = 20.0
MARGIN_LEFT: Final = 30.0
MARGIN_RIGHT: Final = 15.0
HEADER_DISTANCE: Final = 10.0  # page edge to the page-number line (DOCX)
FOOTER_DISTANCE: Final = 20.0  # page edge to the foot of ô 13: no nearer than the margin
TEXT_WIDTH: Final = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm

# Header table (ô 1–5b): the body's column is narrower than the national one,
# which must hold "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (12 pt bold ≈ 88 mm) on one line.
HEADER_LEFT: Final = 66.0
HEADER_RIGHT: Final = TEXT_WIDTH - HEADER_LEFT

# Closing table: Nơi nhận (ô 9b) on the left, signature (ô 7) on the right.
CLOSING_LEFT: Final = 72.0
CLOSING_RIGHT: Final = TEXT_WIDTH - CLOSING_LEFT

# Overdue table of a công văn đôn đốc: STT, đơn vị, dự án, báo cáo, hạn.
OVERDUE_COLUMNS: Final = (11.0, 44.0, 46.0, 38.0, 26.0)

# Type sizes (pt), decree §1.2; the chosen value within each allowed range.
SIZE_NATIONAL: Final = 12  # Quốc hiệu, 12–13
SIZE_MOTTO: Final = 13  # Tiêu ngữ, 13–14
SIZE_PARENT: Final = 12  # cơ quan chủ quản, 12–13
SIZE_ISSUER: Final = 12  # cơ quan ban hành, 12–13
SIZE_NUMBER: Final = 13  # "Số:", 13
SIZE_PLACE_DATE: Final = 13  # 13–14
SIZE_SUBJECT: Final = 12  # "V/v", 12–13
SIZE_TITLE: Final = 14  # ô 5a: type name and trích yếu, 13–14, bold
SIZE_BODY: Final = 14  # Kính gửi and body, 13–14
SIZE_TABLE: Final = 13  # tables inside the body
SIZE_NOI_NHAN_LABEL: Final = 12
SIZE_NOI_NHAN: Final = 11
SIZE_SIGNER: Final = 14
SIZE_DRAFTER: Final = 11
SIZE_FOOTER: Final = 11  # ô 13, 11–12
FOOTER_LINE_PT: Final = 12.65  # its line pitch (single, 1.15 × 11 pt)
SIZE_PAGE_NUMBER: Final = 13  # 13–14
SIZE_MARK: Final = 13  # DỰ THẢO, KHẨN boxes, 13–14

BODY_INDENT: Final = 12.7  # first-line indent, 1.27 cm
BODY_AFTER_PT: Final = 6  # space after each paragraph, ≥ 6 pt
BODY_LINE_PT: Final = 18  # exact line pitch: above single (≈16 pt), below 1.5 lines (≈24 pt)
SUBJECT_BEFORE_PT: Final = 6  # "V/v" sits 6 pt under the number
TITLE_BEFORE_PT: Final = 12  # ô 5a under the header table
SIGNATURE_SPACE_PT: Final = 78  # room for the hand signature or its image, ≈ 27 mm

RULE_GAP_PT: Final = 2.5  # between a heading and the rule under it
ISSUER_RULE_RATIO: Final = 0.4  # rule under the issuer: 1/3–1/2 of the text

# Urgency boxes (ô 10b), width × 8 mm.
URGENCY_WIDTH: Final = {"KHẨN": 20.0, "THƯỢNG KHẨN": 40.0, "HỎA TỐC": 30.0}

TWIPS_PER_MM: Final = 1440 / 25.4


def twips(mm: float) -> int:
    """Millimetres to twentieths of a point, the unit of most WordprocessingML lengths."""
    return round(mm * TWIPS_PER_MM)
