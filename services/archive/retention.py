"""Thời hạn bảo quản: how long a record is kept, from the body's retention schedule.

The schedule is data, not code (the codes of Maintenance are not fixed by
Nghị định 30/2020): a JSON file mapping type names (TypeName) to a number of
years or to "Vĩnh viễn" (permanent). Names match without case or diacritics;
a type the schedule does not name gets ``VANTHU_ARCHIVE_DEFAULT_RETENTION_YEARS``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from services.archive.search import fold

PACKAGED_SCHEDULE = Path(__file__).with_name("data") / "retention.json"
PERMANENT_WORDS = frozenset({"vinh vien", "permanent"})


class RetentionError(ValueError):
    """A Maintenance value or a schedule entry that is neither years nor "Vĩnh viễn"."""


@dataclass(frozen=True, order=True)
class Retention:
    """Permanent, or a number of years (a permanent retention outranks every number)."""

    permanent: bool
    years: int | None

    @classmethod
    def parse(cls, raw: Any) -> Retention:
        """Accept 10, "10", "10 năm" or "Vĩnh viễn"."""
        if isinstance(raw, bool):
            raise RetentionError(f"thời hạn bảo quản không hợp lệ: {raw!r}")
        if isinstance(raw, int):
            years = raw
        else:
            text = fold(str(raw)).strip()
            if text in PERMANENT_WORDS:
                return cls(True, None)
            text = text.removesuffix("nam").strip()
            if not text.isdigit():
                raise RetentionError(
                    f'thời hạn bảo quản phải là số năm hoặc "Vĩnh viễn", không phải {raw!r}'
                )
            years = int(text)
        if not 1 <= years <= 500:
            raise RetentionError(f"thời hạn bảo quản phải từ 1 đến 500 năm, không phải {years}")
        return cls(False, years)

    def label(self) -> str:
        return "Vĩnh viễn" if self.permanent else f"{self.years} năm"

    def until(self, start: datetime) -> datetime | None:
        """The retain-until instant counted from ``start`` (None when permanent)."""
        if self.permanent or self.years is None:
            return None
        start = start.astimezone(UTC)
        try:
            return start.replace(year=start.year + self.years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.years, day=28)

    def longer_than(self, other: Retention) -> bool:
        if self.permanent:
            return not other.permanent
        return not other.permanent and (self.years or 0) > (other.years or 0)


@dataclass(frozen=True)
class Schedule:
    by_type: dict[str, Retention]
    default: Retention

    def for_type(self, type_name: str) -> Retention:
        return self.by_type.get(fold(type_name).strip(), self.default)


@lru_cache(maxsize=8)
def load_schedule(path: str, default_years: int) -> Schedule:
    """Read the schedule at ``path`` (empty: the packaged illustrative one)."""
    source = Path(path) if path else PACKAGED_SCHEDULE
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        types = data["types"]
        by_type = {fold(name).strip(): Retention.parse(value) for name, value in types.items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RetentionError(f"không đọc được bảng thời hạn bảo quản {source}: {exc}") from exc
    return Schedule(by_type, Retention(False, default_years))
