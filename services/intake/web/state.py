"""What the web pages keep on the app: the user and session stores, service URLs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from services.intake.web.client import Transport
from shared.auth.users import UserStore, WebSessions

EXTENSION = "vanthu.web"


@dataclass
class WebState:
    users: UserStore
    sessions: WebSessions
    urls: dict[str, str]
    audit_engine: Engine
    transport: Transport | None = None  # None: real HTTP (requests)
