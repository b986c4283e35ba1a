"""Fresh OrganIds, so tests sharing one PostgreSQL database never meet each other's rows."""

from __future__ import annotations

import uuid


def fresh_organ_id() -> str:
    """A well-formed OrganId (ddd.dd.dd.Xdd) that no other test uses."""
    n = uuid.uuid4().int
    return f"{n % 1000:03d}.{n // 10**3 % 100:02d}.{n // 10**5 % 100:02d}.T{n // 10**7 % 100:02d}"
