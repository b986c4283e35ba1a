"""Content-Disposition for files whose names came from outside (uploads, edXML packets).

The name is kept as it came, as metadata; what a browser is told is a safe one:
its base name only (no folders, ``../`` or ``..\\``), no control characters (a
CR/LF would split the header), with an ASCII fallback and the Vietnamese name
in RFC 6266 ``filename*``.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

DEFAULT_NAME = "tep"


def safe_file_name(name: str, default: str = DEFAULT_NAME) -> str:
    """The base name of ``name``, in NFC, without control or format characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(
        ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C"
    )
    base = base.strip().lstrip(".").strip()[:200]
    return base or default


def ascii_file_name(name: str) -> str:
    """``safe_file_name`` without diacritics ("đ" → "d"), anything else non-ASCII as ``_``."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch if ch.isascii() and ch not in '"\\;' else "_" for ch in plain)


def attachment(name: str, default: str = DEFAULT_NAME) -> str:
    """A Content-Disposition value offering ``name`` safely to any browser."""
    safe = safe_file_name(name, default)
    return f"attachment; filename=\"{ascii_file_name(safe)}\"; filename*=UTF-8''{quote(safe)}"
