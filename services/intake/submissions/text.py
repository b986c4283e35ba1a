"""Text at the door: every string NFC, legacy TCVN3/VNI typing converted and reported."""

from __future__ import annotations

from typing import Any

from shared.vn.legacy import normalise_legacy


def normalise_text(data: Any, path: tuple[str, ...] = ()) -> tuple[Any, list[dict[str, str]]]:
    """``data`` (parsed JSON) with every string NFC-normalised and converted from
    TCVN3/VNI where it was typed so; and the fields converted, as
    ``{"field": "document.subject", "encoding": "tcvn3"}`` (paths as in field errors)."""
    converted: list[dict[str, str]] = []

    def walk(value: Any, where: tuple[str, ...]) -> Any:
        if isinstance(value, str):
            text, encoding = normalise_legacy(value)
            if encoding is not None:
                converted.append({"field": ".".join(where) or "(body)", "encoding": encoding})
            return text
        if isinstance(value, dict):
            return {key: walk(item, (*where, str(key))) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item, (*where, str(index))) for index, item in enumerate(value)]
        return value

    return walk(data, path), converted
