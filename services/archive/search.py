"""Folding text for search: lower case, no diacritics, "đ" → "d" (portable SQL LIKE)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """ "Quyết định Đầu tư" → "quyet dinh dau tu"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def search_text(parts: Iterable[object]) -> str:
    """One folded string of every metadata value worth finding a record by."""
    return " | ".join(fold(str(p)) for p in parts if p not in (None, ""))


def terms(query: str) -> list[str]:
    """The folded words of a query, LIKE wildcards escaped."""
    out = []
    for word in fold(query).split():
        out.append(word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))
    return out
