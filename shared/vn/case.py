"""Upper case for headings (tên cơ quan, tên loại văn bản, quyền hạn người ký …)."""

from __future__ import annotations

from shared.text import nfc

__all__ = ["upper"]


def upper(text: str) -> str:
    """Upper-case Vietnamese text, keeping every diacritic; NFC in and out.

    >>> upper("ủy ban nhân dân")
    'ỦY BAN NHÂN DÂN'

    Tone-mark placement is left as written ("hòa" → "HÒA", "hoà" → "HOÀ").
    """
    return nfc(nfc(text).upper())
