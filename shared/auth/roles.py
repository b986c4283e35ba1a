"""Who may do what: the roles a token can carry."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"  # văn thư: drafts, issues, registers documents
    LEADER = "leader"  # lãnh đạo: approves and signs
    INVESTOR = "investor"  # chủ đầu tư: submits reports and payment data
    ARCHIVIST = "archivist"  # lưu trữ: dossiers, retention, fixity
    PEER = "peer"  # a machine peer such as the provincial e-office system
    ADMIN = "admin"  # the body's administrator: tokens, registers, configuration


ROLES = frozenset(r.value for r in Role)
