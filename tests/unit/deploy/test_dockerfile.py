"""The Dockerfile: multi-stage, non-root, packages from the one list, a vanthu command."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex

from shared.cli import build_parser
from tests.unit.deploy.conftest import REPO

DOCKERFILE = REPO / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    result = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            result.append((word.upper(), rest.strip()))
    return result


def test_is_multi_stage_and_copies_the_build_into_the_runtime() -> None:
    stages = [args for word, args in instructions() if word == "FROM"]
    assert len(stages) >= 2
    assert all(" AS " in s.upper() for s in stages)
    assert any(word == "COPY" and args.startswith("--from=") for word, args in instructions())


def test_runs_as_a_non_root_user() -> None:
    users = [args for word, args in instructions() if word == "USER"]
    assert users, "no USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_installs_the_run_packages_from_the_debian_list() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "deploy/debian/packages.txt" in text
    assert '$2 == "run"' in text
    listed = [
        line.split()[0]
        for line in (REPO / "deploy/debian/packages.txt").read_text().splitlines()
        if line.split() and not line.startswith("#")
    ]
    assert listed
    # The list is read, not repeated: no package name is spelled out in the Dockerfile.
    runs = " ".join(args for word, args in instructions() if word == "RUN")
    assert not [p for p in listed if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", runs)]


def test_entrypoint_and_cmd_form_a_vanthu_command_that_parses() -> None:
    found = dict(instructions())
    entrypoint = json.loads(found["ENTRYPOINT"])
    cmd = json.loads(found["CMD"])
    assert entrypoint == ["vanthu"]
    args = build_parser().parse_args(cmd)
    assert args.command == "serve"


def test_every_command_the_build_runs_exists_and_copied_files_are_not_ignored() -> None:
    ignored = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for word, args in instructions():
        if word == "COPY" and not args.startswith("--from="):
            *sources, _dest = shlex.split(args)
            for source in sources:
                assert (REPO / source).exists(), source
                assert not any(fnmatch.fnmatch(source, pattern) for pattern in ignored), source
    runs = " ".join(args for word, args in instructions() if word == "RUN")
    # The venv's pip installs the services' lock with hashes required, then this
    # project alone (its console script is the ENTRYPOINT) from those pinned tools.
    assert "pip install --no-cache-dir --require-hashes -r requirements-run.lock" in runs
    assert "pip install --no-cache-dir --no-deps --no-build-isolation ." in runs
    assert "--upgrade" not in runs  # nothing newer than the lock
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'vanthu = "shared.cli:main"' in pyproject
    env = " ".join(args for word, args in instructions() if word == "ENV")
    assert "/opt/vanthu/bin" in env
