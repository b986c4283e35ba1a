"""Place and date line (NĐ 30/2020/NĐ-CP Phụ lục I, II.4; decree reference §4)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

import pytest

from shared.vn import format_date, place_date_line

# Written from the rule: days 01–09 padded, 10–31 not; months 01, 02 padded, 3–12 not.
DATE_LINE = re.compile(r"^ngày (0[1-9]|[12][0-9]|3[01]) tháng (0[12]|[3-9]|1[0-2]) năm [0-9]{4}$")

MONTHS = ["01", "02", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month(month: int) -> None:
    assert format_date(date(2023, month, 15)) == f"ngày 15 tháng {MONTHS[month - 1]} năm 2023"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (1, "01"),
        (2, "02"),
        (9, "09"),
        (10, "10"),
        (11, "11"),
        (19, "19"),
        (20, "20"),
        (29, "29"),
        (30, "30"),
        (31, "31"),
    ],
)
def test_day_boundaries(day: int, text: str) -> None:
    assert format_date(date(2025, 3, day)) == f"ngày {text} tháng 3 năm 2025"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2021, 2, 7), "ngày 07 tháng 02 năm 2021"),
        (date(2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
        (date(2023, 9, 30), "ngày 30 tháng 9 năm 2023"),
        (date(2023, 10, 1), "ngày 01 tháng 10 năm 2023"),
        (date(2024, 12, 31), "ngày 31 tháng 12 năm 2024"),
        (date(2026, 1, 1), "ngày 01 tháng 01 năm 2026"),
        (datetime(2024, 1, 9, 23, 59), "ngày 09 tháng 01 năm 2024"),
    ],
)
def test_format_date_examples(value: date, expected: str) -> None:
    assert format_date(value) == expected


@pytest.mark.parametrize("year", [2023, 2024])
def test_every_day_of_a_year_matches_the_rule(year: int) -> None:
    day = date(year, 1, 1)
    while day.year == year:
        text = format_date(day)
        match = DATE_LINE.match(text)
        assert match, text
        assert (int(match.group(1)), int(match.group(2))) == (day.day, day.month)
        day += timedelta(days=1)


def test_format_date_refuses_non_dates() -> None:
    with pytest.raises(TypeError, match="Ngày phải là kiểu date"):
        format_date("2024-01-09")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("Tuy An", "Tuy An"),
        ("  Tuy   An  ", "Tuy An"),
        ("Tuy An,", "Tuy An"),
        ("Tuy An , ", "Tuy An"),
        ("tuy An", "Tuy An"),
        ("đồng Xoài", "Đồng Xoài"),
        ("ải Nam Quan", "Ải Nam Quan"),
        ("Thành phố Cần Thơ", "Thành phố Cần Thơ"),
        (unicodedata.normalize("NFD", "Bến Tre"), "Bến Tre"),
        (unicodedata.normalize("NFD", "ưu Điềm"), "Ưu Điềm"),
    ],
)
def test_place_date_line(place: str, expected: str) -> None:
    line = place_date_line(place, date(2023, 11, 4))
    assert line == f"{expected}, ngày 04 tháng 11 năm 2023"
    assert unicodedata.is_normalized("NFC", line)


def test_place_date_line_january() -> None:
    assert place_date_line("Phú Hòa", date(2024, 1, 3)) == "Phú Hòa, ngày 03 tháng 01 năm 2024"


@pytest.mark.parametrize("place", ["", "   ", "\t\n", ",", " , "])
def test_place_must_not_be_empty(place: str) -> None:
    with pytest.raises(ValueError, match="Địa danh không được để trống"):
        place_date_line(place, date(2024, 1, 3))


def test_place_must_be_text() -> None:
    with pytest.raises(TypeError, match="Địa danh phải là chuỗi"):
        place_date_line(None, date(2024, 1, 3))  # type: ignore[arg-type]
