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

# Who may do what, named once: every service's endpoints take one of these.
ADMINS = (Role.ADMIN,)  # set-up: registers and their year ranges, the body's settings, obligations
CLERKS = (Role.CLERK, Role.ADMIN)  # issue, number, send, decide on what arrives
OFFICE = (Role.CLERK, Role.LEADER, Role.ADMIN)  # draft, follow exchanges and reminders
DOCUMENT_READERS = (Role.CLERK, Role.LEADER, Role.ARCHIVIST, Role.ADMIN)  # documents, registers
FILERS = (Role.ARCHIVIST, Role.CLERK, Role.ADMIN)  # keep files, file them into open dossiers
ARCHIVISTS = (Role.ARCHIVIST, Role.ADMIN)  # dossiers: open, close, export; access logs
SUBMITTERS = (Role.CLERK, Role.INVESTOR, Role.ADMIN, Role.PEER)  # submissions
REPORT_READERS = (Role.CLERK, Role.LEADER, Role.ADMIN, Role.INVESTOR)  # obligations, reminders
