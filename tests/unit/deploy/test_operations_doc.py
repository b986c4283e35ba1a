"""docs/operations.md: each measured figure of the capacity model is in a benchmark output."""

from __future__ import annotations

import re

from tests.unit.deploy.conftest import REPO


def test_measured_figures_trace_back_to_benchmark_output() -> None:
    doc = (REPO / "docs" / "operations.md").read_text(encoding="utf-8")
    bench = (REPO / "bench" / "README.md").read_text(encoding="utf-8")
    appendix = doc.split("## Appendix: benchmark output", 1)[1]
    rows = [line for line in doc.splitlines() if re.match(r"\| B\d+ \|", line)]
    assert len(rows) >= 7
    for row in rows:
        value = row.split("|")[3]
        # The figures a row quotes (first of "best, worst" pairs and "a / b" pairs).
        for number in re.findall(r"\d[\d,]*\.?\d*(?= (?:msg/s|req/s|ms|docs/s|KB))", value):
            assert number in bench or number in appendix, f"{row.split('|')[1]}: {number}"
