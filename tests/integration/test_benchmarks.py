"""Every benchmark still runs: `python -m bench --smoke NAME`, once each, at a tiny size.

A smoke run measures nothing worth reading (no figure is checked here): it
shows that the benchmark completes against the real servers, prints its
ratio against the raw library, and that a failing one exits non-zero — so a
rename in the code it drives is caught by `make test`, not by the next person
who wants figures.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bench.__main__ import BENCHMARKS, main
from tests.conftest import REPO

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# The line (or table header) that carries each benchmark's ratio.
RATIO_LINES = {
    "bus": r"baseline msg/s +vanthu msg/s +ratio",
    "http": r"baseline req/s .* ratio",
    "docgen": r"vanthu/docxtpl +vanthu/WeasyPrint",
    "numbering": r"raw UPDATE/s .* ratio",
    "archive": r"raw/s .* vanthu/s .* ratio",
    "exchange": r"raw kombu packets/s +vanthu packets/s +ratio",
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_every_benchmark_has_a_smoke_check() -> None:
    assert set(RATIO_LINES) == set(BENCHMARKS)


@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_benchmark_runs_and_prints_its_ratio(name: str) -> None:
    done = _run("--smoke", name)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert re.search(RATIO_LINES[name], done.stdout), done.stdout[-4000:]
    assert "FAILED" not in output, output[-4000:]
    # A measurement skipped for want of a server would prove nothing.
    assert not re.search(r"^[^\n]*: skipped \(", done.stdout, re.M), done.stdout[-4000:]


def test_a_failing_benchmark_fails_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    ran = []
    monkeypatch.setitem(BENCHMARKS, "broken", lambda args: False)
    monkeypatch.setitem(BENCHMARKS, "fine", lambda args: ran.append(args.smoke) or True)
    assert main(["--smoke", "broken", "fine"]) == 1
    assert ran == [True]  # the others still run
    assert main(["--smoke", "fine"]) == 0
