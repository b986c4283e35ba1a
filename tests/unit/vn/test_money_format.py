"""Figures: "." thousands separator, "," decimal separator (forms reference §5.1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shared.vn import format_amount


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1_000, "1.000"),
        (12_345, "12.345"),
        (1_234_567, "1.234.567"),
        (100_000_000, "100.000.000"),
        (10**18, "1.000.000.000.000.000.000"),
        (-1, "-1"),
        (-1_234_567, "-1.234.567"),
        (Decimal("1234.5"), "1.234,5"),
        (Decimal("2750040.05"), "2.750.040,05"),
        (Decimal("-1234.5"), "-1.234,5"),
        (Decimal("-0.5"), "-0,5"),
        (Decimal("0.001"), "0,001"),
        (Decimal("1000.00"), "1.000,00"),
        (Decimal("1E+6"), "1.000.000"),
        (Decimal("-0"), "0"),
        (Decimal("-0.00"), "0,00"),
        (Decimal("999999.999"), "999.999,999"),
        (
            Decimal("-123456789012345678901234567890.5"),
            "-123.456.789.012.345.678.901.234.567.890,5",
        ),
    ],
)
def test_format_amount(value: int | Decimal, expected: str) -> None:
    assert format_amount(value) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1234.565"), 2, "1.234,57"),
        (Decimal("1234.564"), 2, "1.234,56"),
        (1_234, 2, "1.234,00"),
        (Decimal("999.995"), 2, "1.000,00"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("-0.004"), 2, "0,00"),
        (Decimal("1234567.8"), 0, "1.234.568"),
        (10**30, 2, "1" + ".000" * 10 + ",00"),
        (
            Decimal("123456789012345678901234567890.125"),
            2,
            "123.456.789.012.345.678.901.234.567.890,13",
        ),
    ],
)
def test_format_amount_with_places(value: int | Decimal, places: int, expected: str) -> None:
    assert format_amount(value, places) == expected


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (1.5, TypeError),
        (True, TypeError),
        ("1000", TypeError),
        (None, TypeError),
        (Decimal("NaN"), ValueError),
        (Decimal("Infinity"), ValueError),
    ],
)
def test_format_amount_refusals(value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match="Số phải"):
        format_amount(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("places", [-1, True])
def test_format_amount_refuses_bad_places(places: int) -> None:
    with pytest.raises(ValueError, match="thập phân"):
        format_amount(1, places)
