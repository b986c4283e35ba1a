"""Số and ký hiệu: the type abbreviations of Phụ lục III and how a ký hiệu is composed.

The abbreviation table is data (``data/type_abbreviations.json``); a body may
override or extend it (its head sets the abbreviations, decree30.md §3.2), so
every function here takes the body's overrides as an argument.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from shared.text import nfc

# A ký hiệu group: letters (Vietnamese included), digits, "&"; groups joined by "-".
_GROUP = r"[0-9A-Za-zÀ-ỹĐđ&]+"
NOTATION = re.compile(rf"^{_GROUP}(?:-{_GROUP})*$")
ABBREVIATION = re.compile(rf"^{_GROUP}$")


@dataclass(frozen=True)
class TypeAbbreviations:
    """Tên loại → viết tắt (None for công văn and thư công), and the copy forms."""

    types: Mapping[str, str | None]
    copies: Mapping[str, str]

    def of(self, type_name: str, overrides: Mapping[str, str] | None = None) -> str | None:
        """The abbreviation of a type name in any case ("KẾ HOẠCH" or "Kế hoạch")."""
        key = _key(type_name)
        for table in (overrides or {}, self.types):
            for name, abbreviation in table.items():
                if _key(name) == key:
                    return abbreviation
        raise UnknownType(type_name)

    def is_known(self, abbreviation: str) -> bool:
        return abbreviation in set(self.types.values()) | set(self.copies.values())


class UnknownType(LookupError):
    def __init__(self, type_name: str) -> None:
        super().__init__(f"Tên loại văn bản không có trong bảng viết tắt: {type_name!r}")
        self.type_name = type_name


def _key(name: str) -> str:
    return " ".join(nfc(name).casefold().split())


@cache
def phu_luc_iii() -> TypeAbbreviations:
    """The table of Nghị định 30/2020/NĐ-CP, Phụ lục III, Mục I."""
    raw = json.loads(
        resources.files("shared.numbering").joinpath("data/type_abbreviations.json").read_text()
    )
    return TypeAbbreviations(
        types={nfc(t["name"]): t["abbreviation"] for t in raw["types"]},
        copies={nfc(t["name"]): t["abbreviation"] for t in raw["copies"]},
    )


def compose(*, type_abbreviation: str | None, issuer: str, unit: str | None = None) -> str:
    """The ký hiệu after the '/'.

    A document with a type name: ``<type>-<issuer>`` ("QĐ-UBND"). A công văn
    (no type abbreviation): ``<issuer>-<drafting unit>`` ("UBND-VP").
    """
    for label, value in (("issuer", issuer), ("unit", unit), ("type", type_abbreviation)):
        if value is not None and not ABBREVIATION.match(value):
            raise ValueError(f"chữ viết tắt không hợp lệ ({label}): {value!r}")
    if type_abbreviation:
        return f"{type_abbreviation}-{issuer}"
    if not unit:
        raise ValueError("công văn cần chữ viết tắt của đơn vị soạn thảo (ví dụ VP)")
    return f"{issuer}-{unit}"


def format_number(number: int) -> str:
    """01 … 09, then 10, 11 …: a leading zero below 10 only."""
    if number < 1:
        raise ValueError("số văn bản bắt đầu từ 1")
    return f"{number:02d}"


def code(number: int, notation: str) -> str:
    """'05/UBND-VP' — số and ký hiệu as the document prints them after 'Số: '."""
    return f"{format_number(number)}/{notation}"
