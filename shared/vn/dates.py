"""Place and date line of a document (NĐ 30/2020/NĐ-CP Phụ lục I, II.4).

Days below 10 and months 1 and 2 take a leading zero; other months do not:
"ngày 07 tháng 02 năm 2021", "ngày 30 tháng 9 năm 2023".
"""

from __future__ import annotations

from datetime import date

from shared.text import nfc

__all__ = ["format_date", "place_date_line"]


def format_date(d: date) -> str:
    """``date(2024, 1, 3)`` → "ngày 03 tháng 01 năm 2024" (a datetime uses its date)."""
    if not isinstance(d, date):
        raise TypeError(f"Ngày phải là kiểu date, không nhận kiểu {type(d).__name__}: {d!r}")
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date_line(place: str, d: date) -> str:
    """``("Tuy An", date(2023, 11, 4))`` → "Tuy An, ngày 04 tháng 11 năm 2023".

    The place is normalised to NFC, runs of white space become one space, surrounding
    spaces and trailing commas are removed, and its first letter is capitalised (the
    rest is kept as written: official names such as "Thành phố Cần Thơ" carry
    their own capitals). An empty place raises ``ValueError``.
    """
    if not isinstance(place, str):
        raise TypeError(
            f"Địa danh phải là chuỗi, không nhận kiểu {type(place).__name__}: {place!r}"
        )
    name = " ".join(nfc(place).split()).rstrip(", ").strip()
    if not name:
        raise ValueError(f"Địa danh không được để trống: {place!r}")
    return f"{name[0].upper()}{name[1:]}, {format_date(d)}"
