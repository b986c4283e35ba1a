"""Vietnamese text at the boundary: everything is stored in NFC."""

from __future__ import annotations

import unicodedata


def nfc(value: str) -> str:
    """Compose combining marks ("e" + U+0302 + U+0301 → "ế") so equal text compares equal."""
    return unicodedata.normalize("NFC", value)
