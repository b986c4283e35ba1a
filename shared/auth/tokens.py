"""Token issue and verification.

A token reads ``vt_<id>_<secret>``. Only SHA-256 of the secret is stored: the
secret has 256 bits of entropy, so a slow password hash would buy nothing, and
verification stays a single indexed lookup per request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Engine, MetaData, String, Table, select, update

from shared.auth.roles import ROLES
from shared.db.types import UTCDateTime, organ_id_column, utcnow
from shared.organ import is_organ_id

metadata = MetaData()

tokens_table = Table(
    "auth_tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    organ_id_column(),
    Column("roles", String(200), nullable=False),
    Column("secret_sha256", String(64), nullable=False),
    Column("label", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
)

_TOKEN = re.compile(r"^vt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


class InvalidToken(Exception):
    """The presented token is malformed, unknown or revoked."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's body and roles."""

    token_id: str
    organ_id: str
    roles: frozenset[str]
    label: str

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & set(roles))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, organ_id: str, roles: Iterable[str], label: str = "") -> tuple[str, Principal]:
        """Make a token; the plain text is returned once and never stored."""
        role_set = frozenset(r.strip() for r in roles if r.strip())
        if not is_organ_id(organ_id):
            raise ValueError(f"not an OrganId (e.g. 000.00.32.H43): {organ_id!r}")
        unknown = role_set - ROLES
        if unknown or not role_set:
            raise ValueError(
                f"unknown or missing roles {sorted(unknown)}; choose from {sorted(ROLES)}"
            )
        token_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                tokens_table.insert().values(
                    id=token_id,
                    organ_id=organ_id,
                    roles=",".join(sorted(role_set)),
                    secret_sha256=_digest(secret),
                    label=label,
                    created_at=utcnow(),
                    revoked_at=None,
                )
            )
        return f"vt_{token_id}_{secret}", Principal(token_id, organ_id, role_set, label)

    def verify(self, token: str) -> Principal:
        match = _TOKEN.match(token.strip())
        if not match:
            raise InvalidToken("malformed token")
        token_id, secret = match.groups()
        with self.engine.connect() as conn:
            row = conn.execute(select(tokens_table).where(tokens_table.c.id == token_id)).first()
        if row is None or not hmac.compare_digest(row.secret_sha256, _digest(secret)):
            raise InvalidToken("unknown token")
        if row.revoked_at is not None:
            raise InvalidToken("revoked token")
        return Principal(row.id, row.organ_id, frozenset(row.roles.split(",")), row.label)

    def revoke(self, token_id: str, when: datetime | None = None) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(tokens_table)
                .where(tokens_table.c.id == token_id, tokens_table.c.revoked_at.is_(None))
                .values(revoked_at=when or utcnow())
            )
        return bool(result.rowcount)
