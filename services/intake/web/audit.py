"""The audit log: who changed what, when and from where.

One append-only table in intake's database (``intake_audit_log``). ``record`` is
the helper: any code holding an engine on intake's database (the web pages, the
intake API, later other services through intake) writes one row per action,
with the acting user and/or API token, the action, its target, the outcome,
and the client's address and user agent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from services.intake.orm import audit_log
from shared.db.types import new_id, utcnow


@dataclass(frozen=True)
class Actor:
    organ_id: str
    user_id: str | None = None
    username: str | None = None
    token_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None


def record(
    engine: Engine,
    actor: Actor,
    action: str,
    target_id: str | None = None,
    *,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
) -> str:
    """Append one row; returns its id."""
    row_id = new_id()
    with engine.begin() as conn:
        conn.execute(
            audit_log.insert().values(
                id=row_id,
                at=utcnow(),
                organ_id=actor.organ_id,
                user_id=actor.user_id,
                username=actor.username,
                token_id=actor.token_id,
                action=action[:60],
                target_id=(target_id or None) and target_id[:100],
                outcome=outcome[:20],
                ip=(actor.ip or "")[:64] or None,
                user_agent=(actor.user_agent or "")[:300] or None,
                detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
            )
        )
    return row_id


@dataclass(frozen=True)
class Entry:
    at: datetime
    username: str | None
    token_id: str | None
    action: str
    target_id: str | None
    outcome: str
    ip: str | None
    user_agent: str | None
    detail: str | None


def recent(engine: Engine, organ_id: str, limit: int = 200) -> list[Entry]:
    """A body's latest entries, newest first (a body never sees another's log)."""
    query = (
        select(audit_log)
        .where(audit_log.c.organ_id == organ_id)
        .order_by(audit_log.c.at.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [
            Entry(
                r.at,
                r.username,
                r.token_id,
                r.action,
                r.target_id,
                r.outcome,
                r.ip,
                r.user_agent,
                r.detail,
            )
            for r in conn.execute(query)
        ]


def refused_logins(engine: Engine, *, since: datetime, username: str = "", ip: str = "") -> int:
    """Refused sign-ins since ``since`` for a username, or from an address."""
    condition = audit_log.c.username == username if username else audit_log.c.ip == ip[:64]
    query = (
        select(func.count())
        .select_from(audit_log)
        .where(
            audit_log.c.action == "web.login",
            audit_log.c.outcome == "refused",
            audit_log.c.at >= since,
            condition,
        )
    )
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())
