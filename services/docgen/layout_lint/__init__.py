"""``vanthu lint-layout``: check a DOCX or PDF against the layout rules of NĐ 30/2020.

    report = lint(Path("cong-van.docx"), draft=False)
    report.ok, report.errors, report.warnings, report.to_json(), report.format_text()

``main(argv)`` is the command line: exit 0 without errors, 1 with errors, 2 when
the file cannot be read. Rules and their ranges are data in ``rules.py``.
"""

from __future__ import annotations

from services.docgen.layout_lint.engine import lint, main
from services.docgen.layout_lint.report import Finding, Location, Report
from services.docgen.layout_lint.rules import RULES, Severity, rule_table
from services.docgen.layout_lint.safety import UnreadableDocument

__all__ = [
    "RULES",
    "Finding",
    "Location",
    "Report",
    "Severity",
    "UnreadableDocument",
    "lint",
    "main",
    "rule_table",
]
