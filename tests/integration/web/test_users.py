"""Users: scrypt hashes, ``vanthu users create|disable|list``, sessions ending with the user."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from shared import cli
from shared.auth import InvalidToken, TokenStore
from shared.auth.users import UserError, UserStore, WebSessions, hash_password, verify_password
from shared.db import make_engine
from tests.conftest import ORGAN, Stack

pytestmark = pytest.mark.integration


def test_password_hashes_are_salted_scrypt() -> None:
    first, second = hash_password("mật khẩu dài"), hash_password("mật khẩu dài")
    assert first.startswith("scrypt$16384$8$1$")
    assert first != second
    assert verify_password("mật khẩu dài", first)
    assert not verify_password("mat khau dai", first)
    assert not verify_password("x", "pbkdf2$garbage")


def test_users_cli_creates_lists_and_disables(
    embedded: Stack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in embedded.environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("sys.stdin", io.StringIO("mot-mat-khau-dai\n"))
    args = [
        "users",
        "create",
        "Tran.Van.B",
        "--name",
        "Trần Văn B",
        "--body",
        ORGAN,
        "--roles",
        "clerk,archivist",
        "--password-stdin",
    ]
    assert cli.main(args) == 0
    assert "created tran.van.b" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("mot-mat-khau-dai\n"))
    assert cli.main(args) == 2  # already exists
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("mot-mat-khau-dai\n"))
    peer = [
        "users",
        "create",
        "may",
        "--name",
        "Máy",
        "--body",
        ORGAN,
        "--roles",
        "peer",
        "--password-stdin",
    ]
    assert cli.main(peer) == 2  # a machine peer never signs in with a password
    assert cli.main(["users", "list", "--body", ORGAN]) == 0
    listed = capsys.readouterr().out
    assert "tran.van.b" in listed
    assert "Lưu trữ, Văn thư" in listed
    engine = make_engine(embedded.config("intake").auth_database_url)
    store = UserStore(engine)
    user = store.authenticate("tran.van.b", "mot-mat-khau-dai")
    assert user is not None
    assert user.roles == {"clerk", "archivist"}
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM auth_users")).scalar_one()
    assert "mot-mat-khau-dai" not in stored
    sessions = WebSessions(engine)
    key, session = sessions.start(user, "10.0.0.1", "test")
    assert sessions.resume(key) is not None
    assert cli.main(["users", "disable", "tran.van.b"]) == 0
    assert sessions.resume(key) is None
    assert store.authenticate("tran.van.b", "mot-mat-khau-dai") is None
    with pytest.raises(InvalidToken, match="revoked"):
        TokenStore(engine).verify(session.token)
    assert cli.main(["users", "disable", "tran.van.b"]) == 1
    engine.dispose()


def test_user_validation() -> None:
    store = UserStore(make_engine("sqlite://"))
    with pytest.raises(UserError, match="username"):
        store.create("a b", "X", "mat-khau-dai", ORGAN, ["clerk"])
    with pytest.raises(UserError, match="password"):
        store.create("ab", "X", "short", ORGAN, ["clerk"])
    with pytest.raises(UserError, match="OrganId"):
        store.create("ab", "X", "mat-khau-dai", "UBND", ["clerk"])


def test_expired_sessions_are_swept_and_their_tokens_revoked(embedded: Stack) -> None:
    engine = make_engine(embedded.config("intake").auth_database_url)
    user = UserStore(engine).create("het.han", "Hết Hạn", "mat-khau-dai", ORGAN, ["clerk"])
    sessions = WebSessions(engine, idle=timedelta(seconds=-1))
    key, session = sessions.start(user, None, None)
    assert sessions.resume(key) is None  # already past its idle expiry
    with pytest.raises(InvalidToken):
        TokenStore(engine).verify(session.token)
    _, other = sessions.start(user, None, None)
    assert WebSessions(engine).sweep() == 1
    with pytest.raises(InvalidToken):
        TokenStore(engine).verify(other.token)
    engine.dispose()


def test_session_secret_is_generated_once_in_var(embedded: Stack, tmp_path: Path) -> None:
    from services.intake.web.setup import session_secret

    config = embedded.config("intake")
    first = session_secret(config)
    assert len(first) >= 32
    assert session_secret(config) == first
    path = config.var_dir / "session-secret"
    assert path.stat().st_mode & 0o777 == 0o600
    assert session_secret(config.replace(session_secret="z" * 40)) == "z" * 40
