"""The ``vanthu`` command: configuration errors, tokens, migrations."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO


def vanthu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("VANTHU_")}
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_bad_variable_stops_startup_naming_it(tmp_path: Path) -> None:
    for command in (["serve", "docgen"], ["worker", "docgen"], ["migrate"], ["config"]):
        result = vanthu(
            *command, env={"VANTHU_VAR_DIR": str(tmp_path), "VANTHU_DOCGEN_PORT": "abc"}
        )
        assert result.returncode != 0
        assert "VANTHU_DOCGEN_PORT" in result.stderr, command


def test_tokens_create_prints_a_working_token(tmp_path: Path) -> None:
    env = {"VANTHU_VAR_DIR": str(tmp_path)}
    assert vanthu("migrate", "auth", env=env).returncode == 0
    result = vanthu(
        "tokens", "create", "--body", "000.00.32.H43", "--roles", "clerk,leader", env=env
    )
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"vt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}", token)

    from shared.auth import TokenStore
    from shared.config import load
    from shared.db import make_engine

    store = TokenStore(make_engine(load("intake", env).auth_database_url))
    assert store.verify(token).roles == {"clerk", "leader"}


def test_what_vanthu_writes_is_private_to_its_user(tmp_path: Path) -> None:
    var = tmp_path / "var"
    old = os.umask(0o022)  # a usual login umask: files 644, folders 755
    try:
        result = vanthu("migrate", "all", env={"VANTHU_VAR_DIR": str(var)})
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    made = [var, *var.rglob("*")]
    assert any(p.name == "auth.sqlite3" for p in made)
    for path in made:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_the_development_token_is_private_from_its_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shared.config import load
    from shared.db import migrate
    from shared.devstack import supervisor

    config = load("archive", {"VANTHU_VAR_DIR": str(tmp_path)})
    migrate.upgrade("auth", config.auth_database_url)
    modes = []
    real_open = os.open

    def watched(path: Any, flags: int, mode: int = 0o777) -> int:
        modes.append((Path(path).name, mode, flags & os.O_CREAT))
        return real_open(path, flags, mode)

    monkeypatch.setattr(supervisor.os, "open", watched)
    token = supervisor._dev_token(config)
    assert (tmp_path / "dev-token").read_text().strip() == token
    assert ("dev-token", 0o600, os.O_CREAT) in modes
    assert (tmp_path / "dev-token").stat().st_mode & 0o777 == 0o600


def test_tokens_create_refuses_bad_input(tmp_path: Path) -> None:
    env = {"VANTHU_VAR_DIR": str(tmp_path)}
    vanthu("migrate", "auth", env=env)
    bad_body = vanthu("tokens", "create", "--body", "UBND", "--roles", "clerk", env=env)
    assert bad_body.returncode == 2
    assert "OrganId" in bad_body.stderr
    bad_role = vanthu("tokens", "create", "--body", "000.00.32.H43", "--roles", "boss", env=env)
    assert bad_role.returncode == 2
    assert "boss" in bad_role.stderr


def test_config_reports_sources_and_typos(tmp_path: Path) -> None:
    result = vanthu(
        "config",
        "docgen",
        env={
            "VANTHU_VAR_DIR": str(tmp_path),
            "VANTHU_DOCGEN_PORT": "9100",
            "VANTHU_BROKR_URL": "x",
            "VANTHU_S3_SECRET_KEY": "hunter2",
        },
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"PORT\s+9100\s+\(VANTHU_DOCGEN_PORT\)", result.stdout)
    assert "hunter2" not in result.stdout
    assert "VANTHU_BROKR_URL" in result.stderr


def test_readme_documents_every_setting() -> None:
    from shared.config import describe

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for variable, _default, _meaning in describe():
        assert f"`{variable}`" in readme, f"{variable} missing from README"


def test_templates_json_lists_the_catalogue(tmp_path: Path) -> None:
    import json

    result = vanthu("templates", "--json", env={"VANTHU_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    listed = {item["id"]: item for item in json.loads(result.stdout)}
    assert {"cong-van", "quyet-dinh", "mau-03a-tt", "bien-ban-ban-giao"} <= set(listed)
    for item in listed.values():
        assert item["kind"] in {"cong-van", "named", "form"}
        assert (REPO / item["example"]).is_file()
        assert item["versions"][0]["valid_from"]


def test_render_then_lint_layout(tmp_path: Path) -> None:
    env = {"VANTHU_VAR_DIR": str(tmp_path / "var")}
    example = REPO / "services/docgen/templates/examples/cong-van.json"
    for fmt in ("pdf", "docx"):
        output = tmp_path / f"cv.{fmt}"
        rendered = vanthu(
            "render", "--type", "cong-van", "--data", str(example),
            "--format", fmt, "--output", str(output), env=env,
        )  # fmt: skip
        assert rendered.returncode == 0, rendered.stderr
        linted = vanthu("lint-layout", str(output), env=env)
        assert linted.returncode == 0, linted.stdout


def test_render_reports_field_errors_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"issuer": {"name": ""}, "issued_on": "hôm qua"}', encoding="utf-8")
    result = vanthu(
        "render", "--type", "cong-van", "--data", str(bad), "--format", "pdf",
        "--output", str(tmp_path / "x.pdf"), env={"VANTHU_VAR_DIR": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "issuer.name" in result.stderr
    assert "issued_on" in result.stderr
    assert not (tmp_path / "x.pdf").exists()
