"""Vietnamese conventions for documents and forms: dates, money, words, case.

- :func:`format_date`, :func:`place_date_line` — "Cần Thơ, ngày 09 tháng 02 năm 2024"
  (NĐ 30/2020/NĐ-CP);
- :func:`format_amount` — "1.234.567,5" (NĐ 123/2020/NĐ-CP);
- :func:`number_in_words`, :func:`amount_in_words` — "Bằng chữ" in accounting style,
  regional choices in :class:`WordStyle`;
- :func:`upper` and :func:`nfc` — upper case keeping diacritics; NFC normalisation.
"""

from __future__ import annotations

from shared.text import nfc
from shared.vn.case import upper
from shared.vn.dates import format_date, place_date_line
from shared.vn.money import amount_in_words, format_amount
from shared.vn.words import MAX_NUMBER, WordStyle, number_in_words

__all__ = [
    "MAX_NUMBER",
    "WordStyle",
    "amount_in_words",
    "format_amount",
    "format_date",
    "nfc",
    "number_in_words",
    "place_date_line",
    "upper",
]
