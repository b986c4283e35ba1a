"""Vietnamese text at the boundary: everything is stored in NFC."""

from __future__ import annotations

import unicodedata
from typing import Any


def nfc(value: str) -> str:
    """Compose combining marks ("e" + U+0302 + U+0301 → "ế") so equal text compares equal."""
    return unicodedata.normalize("NFC", value)


def nfc_all(data: Any) -> Any:
    """``data`` (parsed JSON) with every string in it, keys too, in NFC."""
    if isinstance(data, str):
        return nfc(data)
    if isinstance(data, list):
        return [nfc_all(item) for item in data]
    if isinstance(data, dict):
        return {nfc_all(key): nfc_all(value) for key, value in data.items()}
    return data
