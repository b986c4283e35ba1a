"""Money amounts: figures ("1.234.567") and the "Bằng chữ" line ("… đồng").

Figures follow NĐ 123/2020/NĐ-CP Điều 10 khoản 13 (forms reference §5.1): "." between
thousands groups, "," before decimals.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from shared.vn.words import _DEFAULT_STYLE, WordStyle, number_in_words, whole_number

__all__ = ["amount_in_words", "format_amount"]


def amount_in_words(n: int | Decimal, style: WordStyle = _DEFAULT_STYLE) -> str:
    """A VND amount in words, capitalised, ending in "đồng".

    >>> amount_in_words(1_000_005)
    'Một triệu không trăm linh năm đồng'
    >>> amount_in_words(0)
    'Không đồng'

    Only whole, non-negative amounts: ``int`` or ``Decimal`` without a fractional part
    (``Decimal("2000000.00")`` is fine). Negatives, fractions, NaN/infinity, bool, float
    and non-numbers are refused (``ValueError``/``TypeError``, message in Vietnamese);
    round before calling if the house rule is to round.
    """
    words = number_in_words(whole_number(n, "Số tiền"), style)
    text = f"{words[0].upper()}{words[1:]} đồng"
    return f"{text} {style.whole_suffix}" if style.whole_suffix else text


def format_amount(n: int | Decimal, places: int | None = None) -> str:
    """Write a number with "." thousands separators and "," before decimals.

    >>> format_amount(1234567)
    '1.234.567'
    >>> format_amount(Decimal("-1234.5"))
    '-1.234,5'

    A ``Decimal`` keeps its own decimal places (``Decimal("1000.00")`` → "1.000,00")
    unless ``places`` is given, which rounds half up to that many places
    (``places=2`` gives the treasury "NNN.NNN,NN" form). Negatives get a leading "-";
    zero is never signed. bool, float and non-numbers raise ``TypeError``.
    """
    if isinstance(n, bool) or not isinstance(n, int | Decimal):
        raise TypeError(f"Số phải là int hoặc Decimal, không nhận kiểu {type(n).__name__}: {n!r}")
    value = Decimal(n)
    if not value.is_finite():
        raise ValueError(f"Số phải là một số hữu hạn: {n!r}")
    if places is not None:
        if isinstance(places, bool) or not isinstance(places, int) or places < 0:
            raise ValueError(f"Số chữ số thập phân phải là số nguyên ≥ 0: {places!r}")
        with localcontext() as context:  # room for every digit, however large the number
            context.prec = max(context.prec, value.adjusted() + places + 2)
            value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(value.copy_abs(), ",f").translate(str.maketrans(",.", ".,"))
    return f"-{text}" if value < 0 else text
