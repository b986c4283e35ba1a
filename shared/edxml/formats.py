"""Wire formats of edXML values: dates, timestamps, OrganId (reference notes §4, §9)."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum

__all__ = [
    "Parsed",
    "format_date",
    "format_timestamp",
    "parse_date",
    "parse_timestamp",
]

class Parsed(Enum):
    """How a date or timestamp was read."""

    STANDARD = "standard"  # the format we write
    TOLERATED = "tolerated"  # another format seen in the wild
    IMPOSSIBLE = "impossible"  # right shape, no such day (2014/02/30)
    UNREADABLE = "unreadable"


_DATES = (
    (re.compile(r"^(\d{4})/(\d{2})/(\d{2})$"), (1, 2, 3), Parsed.STANDARD),
    (re.compile(r"^(\d{2})/(\d{2})/(\d{4})$"), (3, 2, 1), Parsed.TOLERATED),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), (1, 2, 3), Parsed.TOLERATED),
)
_TIMES = (
    (re.compile(r"^(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})$"), (1, 2, 3), Parsed.STANDARD),
    (re.compile(r"^(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2}):(\d{2})$"), (3, 2, 1), Parsed.TOLERATED),
    (
        re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$"),
        (1, 2, 3),
        Parsed.TOLERATED,
    ),
)


def parse_date(text: str) -> tuple[str | None, Parsed]:
    """``"2015/09/30"`` → ``("2015-09-30", STANDARD)``; dd/MM/yyyy and ISO are tolerated."""
    for pattern, (y, m, d), kind in _DATES:
        match = pattern.match(text)
        if match:
            try:
                value = date(int(match[y]), int(match[m]), int(match[d]))
            except ValueError:
                return None, Parsed.IMPOSSIBLE
            return value.isoformat(), kind
    return None, Parsed.UNREADABLE


def parse_timestamp(text: str) -> tuple[str | None, Parsed]:
    """``"2015/09/20 11:08:36"`` → ``("2015-09-20T11:08:36", STANDARD)`` (local time)."""
    for pattern, (y, m, d), kind in _TIMES:
        match = pattern.match(text)
        if match:
            try:
                value = datetime(
                    int(match[y]),
                    int(match[m]),
                    int(match[d]),
                    int(match[4]),
                    int(match[5]),
                    int(match[6]),
                )
            except ValueError:
                return None, Parsed.IMPOSSIBLE
            return value.isoformat(), kind
    return None, Parsed.UNREADABLE


def format_date(iso: str) -> str:
    """``"2015-09-30"`` → ``"2015/09/30"`` (raises ``ValueError`` on a bad date)."""
    return date.fromisoformat(iso).strftime("%Y/%m/%d")


def format_timestamp(iso: str) -> str:
    """``"2015-09-20T11:08:36"`` → ``"2015/09/20 11:08:36"``."""
    return datetime.fromisoformat(iso).strftime("%Y/%m/%d %H:%M:%S")
