"""The audit log of every service: who changed what, when and from where.

Each service has a ``<service>_audit_log`` table (installed with its outbox by
``ServiceTables``). Every request that may change something (POST, PUT, PATCH,
DELETE under /v1) leaves one row after it is answered: the body, the API token,
the operation (method and route), its target (the route's ids), the outcome
(``ok`` or ``refused`` with the HTTP status and the problem's code), the
client's address and user agent, and the request id. A request refused before
anyone was known (401) is recorded too, with no body and the token id it
claimed, if any. The intake web pages add their own
rows with the signed-in user (``services/intake/web/audit.py``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, g, request
from sqlalchemy import Column, Engine, String, Table, Text

from shared.db.types import UTCDateTime, new_id, organ_id_column, utcnow

log = logging.getLogger(__name__)

CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def audit_columns() -> list[Any]:
    return [
        Column("id", String(36), primary_key=True),
        Column("at", UTCDateTime, nullable=False, index=True),
        organ_id_column(),
        Column("user_id", String(36), nullable=True),  # a web user, when there is one
        Column("username", String(40), nullable=True),
        Column("token_id", String(16), nullable=True),  # the API token used
        Column("action", String(60), nullable=False),  # "POST /v1/drafts/<draft_id>/issue"
        Column("target_id", String(100), nullable=True),
        Column("outcome", String(20), nullable=False),  # ok, refused, failed
        Column("ip", String(64), nullable=True),
        Column("user_agent", String(300), nullable=True),
        Column("detail", Text, nullable=True),  # JSON: status, request id …
    ]


def install(app: Flask, engine: Callable[[], Engine], table: Table) -> None:
    """Write one row per authenticated change request, after it is answered.

    ``engine`` is called on the first audited request, in the process that serves
    it (never before gunicorn forks)."""

    @app.after_request
    def _audit(response: Response) -> Response:
        if request.method not in CHANGES or not request.path.startswith("/v1/"):
            return response
        principal = g.get("principal")
        if principal is None and response.status_code != 401:
            return response  # not an API change attempt (a 404 route, a 413 body …)
        rule = request.url_rule.rule if request.url_rule else request.path
        args = request.view_args or {}
        detail: dict[str, Any] = {"status": response.status_code, "request_id": g.get("request_id")}
        if response.status_code >= 400 and response.mimetype == "application/problem+json":
            problem = response.get_json(silent=True) or {}
            detail["code"] = problem.get("code")
        row = {
            "id": new_id(),
            "at": utcnow(),
            "organ_id": principal.organ_id if principal else "",
            "user_id": None,
            "username": None,
            "token_id": principal.token_id if principal else g.get("claimed_token_id"),
            "action": f"{request.method} {rule}"[:60],
            "target_id": ",".join(str(v) for v in args.values())[:100] or None,
            "outcome": "ok" if response.status_code < 400 else "refused",
            "ip": (request.remote_addr or "")[:64] or None,
            "user_agent": request.user_agent.string[:300] or None,
            "detail": json.dumps(detail, ensure_ascii=False),
        }
        try:
            with engine().begin() as conn:
                conn.execute(table.insert(), row)
        except Exception:  # the answer is given; a missing audit row must be seen, not hide it
            log.exception("audit row not written", extra={"action": row["action"]})
        return response
