"""Whole numbers in Vietnamese words, accounting ("Bằng chữ") style.

Rules (forms reference §5.2): "mười" for 10–19 and "mươi" from 20; a unit 5 after
mười/mươi reads "lăm"; a unit 1 after mươi reads "mốt"; a zero tens digit after a
hundreds digit reads "linh"; every 3-digit group after the first non-zero one is read
in full ("không trăm …"); all-zero groups are skipped; scales are nghìn, triệu, tỷ,
and the count of tỷ is itself read as a number ("nghìn tỷ", "triệu tỷ", "tỷ tỷ").

Choices the sources disagree on are data in :class:`WordStyle`, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

__all__ = ["MAX_NUMBER", "WordStyle", "number_in_words"]

MAX_NUMBER = 10**36 - 1
"""Largest number read ("… tỷ tỷ tỷ"); anything larger is refused."""

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9


@dataclass(frozen=True, slots=True)
class WordStyle:
    """Spelling choices that vary by region or house style; defaults are accounting style.

    - ``thousand``: "nghìn" (Northern, administrative) or "ngàn" (Southern).
    - ``billion``: "tỷ" or the spelling "tỉ".
    - ``odd``: word for a zero tens digit before a unit, "linh" (Northern,
      administrative: 105 "một trăm linh năm") or "lẻ" (Southern).
    - ``four``: unit 4 after "mươi" (tens ≥ 20): "tư" (paperwork convention,
      24 "hai mươi tư") or "bốn". After "mười" it is always "bốn" (14 "mười bốn").
    - ``whole_suffix``: appended after "đồng" by :func:`amount_in_words`; some offices
      write "… đồng chẵn" (house style, no legal rule), default none.
    """

    thousand: Literal["nghìn", "ngàn"] = "nghìn"
    billion: Literal["tỷ", "tỉ"] = "tỷ"
    odd: Literal["linh", "lẻ"] = "linh"
    four: Literal["tư", "bốn"] = "tư"
    whole_suffix: Literal["", "chẵn"] = ""

    def __post_init__(self) -> None:
        allowed = {
            "thousand": ("nghìn", "ngàn"),
            "billion": ("tỷ", "tỉ"),
            "odd": ("linh", "lẻ"),
            "four": ("tư", "bốn"),
            "whole_suffix": ("", "chẵn"),
        }
        for name, choices in allowed.items():
            value = getattr(self, name)
            if value not in choices:
                accepted = ", ".join(map(repr, choices))
                raise ValueError(f"WordStyle.{name} không hợp lệ: {value!r} (chỉ nhận {accepted})")


def whole_number(value: object, what: str = "Số") -> int:
    """Check that ``value`` is a non-negative whole int or Decimal and return it as int.

    ``what`` names the value in the (Vietnamese) error message, e.g. "Số tiền".
    """
    if isinstance(value, bool):
        raise TypeError(f"{what} không được là giá trị đúng/sai (bool): {value!r}")
    if isinstance(value, float):
        raise TypeError(
            f"{what} không nhận kiểu float (dễ sai số); hãy dùng int hoặc Decimal: {value!r}"
        )
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{what} phải là một số hữu hạn: {value!r}")
        if value.adjusted() >= len(str(MAX_NUMBER)):  # before int() builds a huge number
            raise ValueError(f"{what} quá lớn để đọc thành chữ (tối đa 10^36 - 1): {value!r}")
        if value != value.to_integral_value():
            raise ValueError(f"{what} phải là số nguyên, không có phần thập phân: {value!r}")
        number = int(value)
    elif isinstance(value, int):
        number = int(value)
    else:
        raise TypeError(
            f"{what} phải là số nguyên (int) hoặc Decimal, "
            f"không nhận kiểu {type(value).__name__}: {value!r}"
        )
    if number < 0:
        raise ValueError(f"{what} không được âm: {value!r}")
    if number > MAX_NUMBER:
        raise ValueError(f"{what} quá lớn để đọc thành chữ (tối đa 10^36 - 1): {value!r}")
    return number


_DEFAULT_STYLE = WordStyle()


def number_in_words(n: int | Decimal, style: WordStyle = _DEFAULT_STYLE) -> str:
    """Read a whole number ≥ 0 in lower-case Vietnamese words, without a currency.

    >>> number_in_words(1_000_005)
    'một triệu không trăm linh năm'
    >>> number_in_words(54)
    'năm mươi tư'

    Accepts ``int`` and ``Decimal`` with no fractional part (``Decimal("1000.00")``).
    Raises ``TypeError`` for bool, float and non-numbers and ``ValueError`` for
    negatives, fractions, NaN/infinity and numbers above :data:`MAX_NUMBER`; the
    messages are in Vietnamese and include the value.
    """
    number = whole_number(n)
    if number == 0:
        return _DIGITS[0]
    return " ".join(_read(number, style, leading=True))


def _read(n: int, style: WordStyle, *, leading: bool) -> list[str]:
    """Words for ``n`` > 0; ``leading`` is false once a higher group has been read."""
    count, rest = divmod(n, _BILLION)
    words: list[str] = []
    if count:
        words += _read(count, style, leading=leading)
        words.append(style.billion)
        leading = False
    for scale, scale_word in ((10**6, "triệu"), (10**3, style.thousand), (1, "")):
        group, rest = divmod(rest, scale)
        if group:
            words += _group(group, style, full=not leading)
            if scale_word:
                words.append(scale_word)
            leading = False
    return words


def _group(group: int, style: WordStyle, *, full: bool) -> list[str]:
    """One 3-digit group (1–999); ``full`` reads the hundreds even when zero."""
    hundreds, tens, unit = group // 100, group // 10 % 10, group % 10
    words: list[str] = []
    has_hundreds = bool(hundreds) or full
    if has_hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if unit:
            if has_hundreds:
                words.append(style.odd)
            words.append(_DIGITS[unit])
    elif tens == 1:
        words.append("mười")
        if unit:
            words.append("lăm" if unit == 5 else _DIGITS[unit])
    else:
        words += [_DIGITS[tens], "mươi"]
        if unit == 1:
            words.append("mốt")
        elif unit == 4:
            words.append(style.four)
        elif unit == 5:
            words.append("lăm")
        elif unit:
            words.append(_DIGITS[unit])
    return words
