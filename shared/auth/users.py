"""People who sign in to the web pages, and their server-side web sessions.

A user belongs to one body (OrganId) and holds roles (văn thư = clerk, lãnh đạo =
leader, chủ đầu tư = investor, lưu trữ = archivist, quản trị = admin). Passwords are
kept as scrypt hashes (standard library only). A web session is a row here: the
browser's signed cookie carries only a random session key; the row keeps the hash
of that key, the CSRF token and the short-lived API token minted for the user at
sign-in, sealed with a key derived from the cookie's session key (so neither the
database alone nor the cookie alone reveals the API token).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    String,
    Table,
    Text,
    select,
    update,
)

from shared.auth.roles import ROLES, Role
from shared.auth.tokens import TokenStore, metadata
from shared.db.types import UTCDateTime, new_id, organ_id_column, utcnow
from shared.organ import is_organ_id

# Roles a person may hold (a machine peer signs in with a token, never a password).
USER_ROLES = frozenset(ROLES - {Role.PEER.value})
ROLE_NAMES = {
    "clerk": "Văn thư",
    "leader": "Lãnh đạo",
    "investor": "Chủ đầu tư",
    "archivist": "Lưu trữ",
    "admin": "Quản trị",
}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


def normalise_username(username: str) -> str:
    """The one spelling of a username: what is stored, looked up and counted."""
    return username.strip().lower()
MIN_PASSWORD = 8

users_table = Table(
    "auth_users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(300), nullable=False),
    organ_id_column(),
    Column("roles", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("disabled_at", UTCDateTime, nullable=True),
)

web_sessions_table = Table(
    "auth_web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the cookie's session key
    Column("user_id", String(36), nullable=False, index=True),
    Column("token_id", String(16), nullable=False),
    Column("sealed_token", Text, nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("ip", String(64), nullable=True),
    Column("user_agent", String(300), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
)

# scrypt: n=2**14, r=8, p=1 uses 16 MiB and ~50 ms, OWASP's floor for interactive logins.
_N, _R, _P = 1 << 14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 << 20,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@functools.cache
def _dummy_hash() -> str:
    """Compared against when the username is unknown, so both cases cost one scrypt."""
    return hash_password(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    organ_id: str
    roles: frozenset[str]
    active: bool
    created_at: datetime


def _user(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        organ_id=row.organ_id,
        roles=frozenset(row.roles.split(",")),
        active=bool(row.active),
        created_at=row.created_at,
    )


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


class UserStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(
        self,
        username: str,
        display_name: str,
        password: str,
        organ_id: str,
        roles: Iterable[str],
    ) -> User:
        username = normalise_username(username)
        role_set = frozenset(r.strip() for r in roles if r.strip())
        if not USERNAME.match(username):
            raise UserError("username: 2–40 chữ thường, số, '.', '_' hoặc '-' (e.g. nguyen.van.a)")
        if not display_name.strip():
            raise UserError("display name must not be empty")
        if len(password) < MIN_PASSWORD:
            raise UserError(f"password: at least {MIN_PASSWORD} characters")
        if not is_organ_id(organ_id):
            raise UserError(f"not an OrganId (e.g. 000.00.32.H43): {organ_id!r}")
        unknown = role_set - USER_ROLES
        if unknown or not role_set:
            raise UserError(
                f"unknown or missing roles {sorted(unknown)}; choose from {sorted(USER_ROLES)}"
            )
        if self.by_username(username) is not None:
            raise UserError(f"user {username!r} already exists")
        row = {
            "id": new_id(),
            "username": username,
            "display_name": display_name.strip()[:200],
            "password_hash": hash_password(password),
            "organ_id": organ_id,
            "roles": ",".join(sorted(role_set)),
            "active": True,
            "created_at": utcnow(),
            "disabled_at": None,
        }
        with self.engine.begin() as conn:
            conn.execute(users_table.insert().values(**row))
        return _user(_Row(row))

    def by_username(self, username: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(users_table).where(users_table.c.username == normalise_username(username))
            ).first()
        return _user(row) if row is not None else None

    def get(self, user_id: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(users_table).where(users_table.c.id == user_id)).first()
        return _user(row) if row is not None else None

    def authenticate(self, username: str, password: str) -> User | None:
        """The active user with this name and password, else None (same cost either way)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(users_table).where(users_table.c.username == normalise_username(username))
            ).first()
        stored = row.password_hash if row is not None else _dummy_hash()
        ok = verify_password(password, stored)
        if row is None or not ok or not row.active:
            return None
        return _user(row)

    def list(self, organ_id: str | None = None) -> list[User]:
        query = select(users_table).order_by(users_table.c.organ_id, users_table.c.username)
        if organ_id:
            query = query.where(users_table.c.organ_id == organ_id)
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(query)]

    def disable(self, username: str) -> bool:
        """Deactivate a user and end their web sessions (revoking their API tokens)."""
        user = self.by_username(username)
        if user is None or not user.active:
            return False
        with self.engine.begin() as conn:
            conn.execute(
                update(users_table)
                .where(users_table.c.id == user.id)
                .values(active=False, disabled_at=utcnow())
            )
        WebSessions(self.engine).end_all(user.id)
        return True


class _Row:
    def __init__(self, values: dict[str, object]) -> None:
        self.__dict__.update(values)


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _stream(key: str, length: int) -> bytes:
    return hashlib.shake_256(b"vanthu-web-session-token|" + key.encode()).digest(length)


def _seal(key: str, token: str) -> str:
    raw = token.encode()
    return base64.b64encode(
        bytes(a ^ b for a, b in zip(raw, _stream(key, len(raw)), strict=True))
    ).decode()


def _unseal(key: str, sealed: str) -> str:
    raw = base64.b64decode(sealed)
    return bytes(a ^ b for a, b in zip(raw, _stream(key, len(raw)), strict=True)).decode()


@dataclass(frozen=True)
class WebSession:
    key_hash: str
    user: User
    token: str  # the API token minted for this session, for calls to the services
    token_id: str
    csrf: str
    expires_at: datetime


class WebSessions:
    """Server-side web sessions; each holds a short-lived API token minted at sign-in."""

    def __init__(
        self,
        engine: Engine,
        *,
        idle: timedelta = timedelta(hours=1),
        lifetime: timedelta = timedelta(hours=10),
    ) -> None:
        self.engine = engine
        self.tokens = TokenStore(engine)
        self.idle = idle
        self.lifetime = lifetime

    def start(self, user: User, ip: str | None, user_agent: str | None) -> tuple[str, WebSession]:
        """Mint the session's API token; return (cookie key, session)."""
        self.sweep()
        now = utcnow()
        token, principal = self.tokens.create(
            user.organ_id, user.roles, label=f"web session of {user.username}"[:200]
        )
        key = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = min(now + self.idle, now + self.lifetime)
        with self.engine.begin() as conn:
            conn.execute(
                web_sessions_table.insert().values(
                    id=_key_hash(key),
                    user_id=user.id,
                    token_id=principal.token_id,
                    sealed_token=_seal(key, token),
                    csrf=csrf,
                    ip=(ip or "")[:64] or None,
                    user_agent=(user_agent or "")[:300] or None,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=expires,
                    ended_at=None,
                )
            )
        return key, WebSession(_key_hash(key), user, token, principal.token_id, csrf, expires)

    def resume(self, key: str) -> WebSession | None:
        """The live session for this cookie key (sliding its idle expiry), else None."""
        now = utcnow()
        with self.engine.connect() as conn:
            row = conn.execute(
                select(web_sessions_table).where(web_sessions_table.c.id == _key_hash(key))
            ).first()
        if row is None or row.ended_at is not None:
            return None
        user = UserStore(self.engine).get(row.user_id)
        if row.expires_at <= now or user is None or not user.active:
            self._end(row.id, row.token_id, now)
            return None
        expires = min(now + self.idle, row.created_at + self.lifetime)
        with self.engine.begin() as conn:
            conn.execute(
                update(web_sessions_table)
                .where(web_sessions_table.c.id == row.id)
                .values(last_seen_at=now, expires_at=expires)
            )
        return WebSession(
            row.id, user, _unseal(key, row.sealed_token), row.token_id, row.csrf, expires
        )

    def end(self, key: str) -> WebSession | None:
        """Sign out: end the session and revoke its API token."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(web_sessions_table).where(web_sessions_table.c.id == _key_hash(key))
            ).first()
        if row is None or row.ended_at is not None:
            return None
        self._end(row.id, row.token_id, utcnow())
        user = UserStore(self.engine).get(row.user_id)
        if user is None:
            return None
        return WebSession(row.id, user, "", row.token_id, row.csrf, row.expires_at)

    def end_all(self, user_id: str) -> int:
        now = utcnow()
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(web_sessions_table.c.id, web_sessions_table.c.token_id).where(
                    web_sessions_table.c.user_id == user_id,
                    web_sessions_table.c.ended_at.is_(None),
                )
            ).all()
        for row in rows:
            self._end(row.id, row.token_id, now)
        return len(rows)

    def sweep(self) -> int:
        """End every expired session still open, revoking its token."""
        now = utcnow()
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(web_sessions_table.c.id, web_sessions_table.c.token_id).where(
                    web_sessions_table.c.ended_at.is_(None),
                    web_sessions_table.c.expires_at <= now,
                )
            ).all()
        for row in rows:
            self._end(row.id, row.token_id, now)
        return len(rows)

    def _end(self, session_id: str, token_id: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(web_sessions_table)
                .where(web_sessions_table.c.id == session_id)
                .values(ended_at=now, sealed_token="")
            )
        self.tokens.revoke(token_id, now)
