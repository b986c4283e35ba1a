"""Time as the services see it: instants in UTC, dates as Vietnam writes them.

A clock is any callable returning an aware UTC ``datetime``; services take one
so that tests can stand at 23:59:59 on 31 December without waiting for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def fixed_clock(instant: datetime) -> Clock:
    """A clock stopped at ``instant`` (aware); for tests and replays."""
    if instant.tzinfo is None:
        raise ValueError("fixed_clock needs an aware datetime")
    frozen = instant.astimezone(UTC)
    return lambda: frozen


def vietnam_date(instant: datetime) -> date:
    """The calendar date in Asia/Ho_Chi_Minh: registers and document dates use it."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware instant")
    return instant.astimezone(VIETNAM).date()
