"""Compare what is installed in this interpreter with requirements.lock.

    .venv/bin/python scripts/check_lock.py            # exit 1, listing each difference
    .venv/bin/python scripts/check_lock.py --extra    # print only the names of extras

A difference is a locked distribution that is missing or at another version, or
an installed one the lock does not name (vanthu itself aside). The lock's
environment markers are evaluated here, so a Windows-only pin is not missed on
Linux. Used by scripts/setup.sh: after installing (to remove what the lock no
longer names) and before every `make test` (to catch a hand-run `pip install`).
Standard library only, so that it works in a venv whatever has drifted.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import re
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"
OURS = {"vanthu"}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path = LOCK) -> dict[str, str]:
    """Name → version of every pin whose marker holds in this interpreter."""
    pins: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        match = _PIN.match(line)
        if match and (match[3] is None or marker_holds(match[3])):
            pins[canonical(match[1])] = match[2]
    return pins


def installed() -> dict[str, str]:
    found: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[canonical(name)] = dist.version
    return found


def marker_holds(marker: str) -> bool:
    """PEP 508 marker against this interpreter (``packaging`` when it is there)."""
    try:
        from packaging.markers import Marker  # noqa: PLC0415 - may be what drifted

        return Marker(marker).evaluate()
    except ImportError:
        return _simple_marker(marker)


def _simple_marker(marker: str) -> bool:
    """The markers uv writes (``a == 'b'``, ``!=``, ``and``/``or``), without packaging."""
    env = {
        "sys_platform": sys.platform,
        "platform_system": platform.system(),
        "platform_machine": platform.machine(),
        "platform_python_implementation": platform.python_implementation(),
        "implementation_name": sys.implementation.name,
        "os_name": os.name,
        "python_version": "{}.{}".format(*sys.version_info[:2]),
        "python_full_version": platform.python_version(),
    }

    def test(term: str) -> bool:
        match = re.fullmatch(r"\s*(\w+)\s*(==|!=)\s*'([^']*)'\s*", term)
        if match is None:
            return True  # unknown shape: count the pin, so a difference is shown, not hidden
        value = env.get(match[1], "")
        return (value == match[3]) == (match[2] == "==")

    return any(
        all(test(term) for term in alternative.split(" and "))
        for alternative in marker.split(" or ")
    )


def differences(pins: dict[str, str], present: dict[str, str]) -> list[str]:
    lines = []
    for name, version in sorted(pins.items()):
        have = present.get(name)
        if have is None:
            lines.append(f"  missing   {name}=={version}")
        elif have != version:
            lines.append(f"  {name} {have} installed, the lock says {version}")
    for name in sorted(set(present) - set(pins) - OURS):
        lines.append(f"  extra     {name} {present[name]} (not in the lock)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", action="store_true", help="print the extras' names only")
    args = parser.parse_args()
    pins, present = locked(), installed()
    if args.extra:
        print(" ".join(sorted(set(present) - set(pins) - OURS)))
        return 0
    lines = differences(pins, present)
    if not lines:
        return 0
    print(
        f"check-lock: the packages in {sys.prefix} differ from requirements.lock:",
        *lines,
        "Reinstall exactly the lock:  rm -f .venv/.vanthu-installed && make test",
        "To change a version, edit pyproject.toml and run `make lock` (see the README).",
        sep="\n",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
