"""API tokens: each scoped to one body (OrganId) and a set of roles, stored hashed."""

from shared.auth.roles import ROLES, Role
from shared.auth.tokens import InvalidToken, Principal, TokenStore, metadata

__all__ = ["ROLES", "InvalidToken", "Principal", "Role", "TokenStore", "metadata"]
