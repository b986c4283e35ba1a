"""The lock: complete for pyproject.toml, hashed, one set of versions, drift caught."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement

from tests.conftest import REPO

LOCK = REPO / "requirements.lock"
RUN_LOCK = REPO / "requirements-run.lock"


def _check_lock() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_lock", REPO / "scripts/check_lock.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_lock = _check_lock()


def _entries(path: Path) -> dict[str, tuple[str, str | None, frozenset[str]]]:
    """name → (version, marker, hashes) of every pin, whatever its marker."""
    entries = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", path.read_text("utf-8")):
        match = check_lock._PIN.match(block.splitlines()[0])
        if match:
            hashes = frozenset(re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
            entries[check_lock.canonical(match[1])] = (match[2], match[3], hashes)
    return entries


def _pyproject() -> dict[str, list[str]]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    return {
        "run": data["project"]["dependencies"] + data["build-system"]["requires"],
        "dev": data["project"]["optional-dependencies"]["dev"],
    }


@pytest.mark.parametrize(("path", "groups"), [(LOCK, ("run", "dev")), (RUN_LOCK, ("run",))])
def test_every_requirement_of_pyproject_is_pinned_within_its_range(
    path: Path, groups: tuple[str, ...]
) -> None:
    """An edit of pyproject.toml without `make lock` shows here, not on a user's machine."""
    entries = _entries(path)
    for group in groups:
        for line in _pyproject()[group]:
            requirement = Requirement(line)
            name = check_lock.canonical(requirement.name)
            assert name in entries, f"{line} is not in {path.name}: run `make lock`"
            assert requirement.specifier.contains(entries[name][0], prereleases=True), (
                f"{path.name} pins {name}=={entries[name][0]}, outside {line}: run `make lock`"
            )


def test_every_pin_carries_hashes_and_the_image_lock_is_a_part_of_the_whole() -> None:
    whole, image = _entries(LOCK), _entries(RUN_LOCK)
    assert len(whole) > 50
    assert all(hashes for _, _, hashes in whole.values())
    assert set(image) < set(whole)
    for name, (pinned, _, hashes) in image.items():
        assert (pinned, hashes) == whole[name][:1] + whole[name][2:], name
    assert {"pip", "setuptools", "wheel", "uv"} <= set(whole)  # tools are locked too


def test_markers_are_read_for_this_interpreter(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    lock.write_text(
        "colorama==0.4.6 ; sys_platform == 'win32' \\\n    --hash=sha256:" + "0" * 64 + "\n"
        "Flask==3.1.3 \\\n    --hash=sha256:" + "1" * 64 + "\n"
    )
    expected = {"flask": "3.1.3"}
    if Marker("sys_platform == 'win32'").evaluate():
        expected["colorama"] = "0.4.6"
    assert check_lock.locked(lock) == expected


def test_fallback_markers_agree_with_packaging() -> None:
    for marker in [
        "sys_platform == 'win32'",
        "platform_python_implementation != 'PyPy'",
        "implementation_name != 'pypy' and sys_platform == 'linux'",
        "sys_platform == 'darwin' or sys_platform == 'linux'",
    ]:
        assert check_lock._simple_marker(marker) == Marker(marker).evaluate(), marker


def test_drift_is_named_package_by_package() -> None:
    pins = {"flask": "3.1.3", "kombu": "5.7.0", "lxml": "6.0.0"}
    present = {"flask": "3.1.3", "kombu": "5.6.0", "six": "1.17.0", "vanthu": "0.1.0"}
    lines = check_lock.differences(pins, present)
    assert lines == [
        "  kombu 5.6.0 installed, the lock says 5.7.0",
        "  missing   lxml==6.0.0",
        "  extra     six 1.17.0 (not in the lock)",
    ]
    assert check_lock.differences(pins, {**pins, "vanthu": "0.1.0"}) == []


def test_this_interpreter_has_exactly_the_lock() -> None:
    """What `make test` checks before pytest starts; here for a run started otherwise."""
    assert check_lock.differences(check_lock.locked(), check_lock.installed()) == []
