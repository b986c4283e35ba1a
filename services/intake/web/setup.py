"""Mounting the web pages on intake's app: secret, cookie, blueprint, state."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, Response, redirect

from services.intake.web.client import Transport
from services.intake.web.state import EXTENSION, WebState
from services.intake.web.views import bp
from shared.auth.users import UserStore, WebSessions
from shared.config import Config
from shared.runtime import ServiceContext

COOKIE = "vanthu_web"
SECRET_FILE = "session-secret"  # noqa: S105 - a file name, not a secret


def session_secret(config: Config) -> str:
    """VANTHU_SESSION_SECRET, else one generated once and kept in var/ (mode 600)."""
    if config.session_secret:
        return config.session_secret
    path = Path(config.var_dir) / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = path.with_name(f"{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(candidate, path)  # atomic: the first web worker to get here wins
        except FileExistsError:
            pass
        finally:
            candidate.unlink()
    secret = path.read_text().strip()
    if len(secret) < 32:
        raise RuntimeError(f"{path}: session secret too short; delete the file to regenerate")
    return secret


def install(app: Flask, context: ServiceContext, transport: Transport | None = None) -> None:
    config = context.config
    app.secret_key = session_secret(config)
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE,
        SESSION_COOKIE_HTTPONLY=True,
        # Behind TLS (at the ingress), the cookie never travels in clear.
        SESSION_COOKIE_SECURE=config.public_url.startswith("https://"),
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_PATH="/web",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
    )
    auth_engine = context.tokens.engine
    app.extensions[EXTENSION] = WebState(
        users=UserStore(auth_engine),
        sessions=WebSessions(auth_engine),
        urls={
            "docgen": config.docgen_url,
            "intake": config.intake_url,
            "archive": config.archive_url,
        },
        audit_engine=context.engine,
        transport=transport,
    )
    app.register_blueprint(bp)

    def home() -> Response:
        return redirect("/web/", code=302)  # type: ignore[return-value]

    app.add_url_rule("/", "web_home_redirect", home)
