"""``vanthu users create|disable|list``: people who sign in to the web pages."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from shared.auth.users import ROLE_NAMES, USER_ROLES, UserError, UserStore
from shared.config import ConfigError, load
from shared.db import make_engine


def add_arguments(sub: Any) -> None:
    """Register ``users create|disable|list`` under ``sub``."""
    users = sub.add_parser("users", help="người dùng trang web (văn thư, lãnh đạo, …)")
    commands = users.add_subparsers(dest="users_command", required=True)

    create = commands.add_parser("create", help="create a user of one body")
    create.add_argument("username", help="e.g. nguyen.van.a")
    create.add_argument("--name", required=True, help="display name, e.g. 'Nguyễn Văn A'")
    create.add_argument("--body", required=True, help="OrganId, e.g. 000.00.32.H43")
    create.add_argument(
        "--roles", required=True, help=f"comma-separated from {','.join(sorted(USER_ROLES))}"
    )
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else: asked twice at the terminal)",
    )
    create.set_defaults(func=run_create)

    disable = commands.add_parser("disable", help="disable a user and end their sessions")
    disable.add_argument("username")
    disable.set_defaults(func=run_disable)

    listing = commands.add_parser("list", help="list users")
    listing.add_argument("--body", default=None, help="only this body's users")
    listing.set_defaults(func=run_list)


def _store() -> UserStore:
    try:
        config = load("intake")
    except ConfigError as exc:
        raise SystemExit(f"vanthu: configuration error: {exc}") from None
    return UserStore(make_engine(config.auth_database_url))


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise SystemExit("vanthu users: the two passwords differ")
    return first


def run_create(args: argparse.Namespace) -> int:
    store = _store()
    try:
        user = store.create(
            args.username, args.name, _password(args), args.body, args.roles.split(",")
        )
    except UserError as exc:
        print(f"vanthu users: {exc}", file=sys.stderr)
        return 2
    print(f"created {user.username} ({user.organ_id}; {','.join(sorted(user.roles))})")
    return 0


def run_disable(args: argparse.Namespace) -> int:
    if not _store().disable(args.username):
        print(f"vanthu users: no active user {args.username}", file=sys.stderr)
        return 1
    print(f"disabled {args.username}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    for user in _store().list(args.body):
        roles = ", ".join(ROLE_NAMES.get(r, r) for r in sorted(user.roles))
        state = "active" if user.active else "disabled"
        print(f"{user.username:24} {user.organ_id}  {state:8}  {user.display_name}  ({roles})")
    return 0
