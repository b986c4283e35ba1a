"""The reporting obligations intake knows: every JSON file of the obligations folder.

A province or programme adds its obligations as a JSON list (see ``examples.json``,
validated by :func:`~services.intake.deadlines.load_obligations`); ids must be unique
across files. Which body follows which obligation, with which reporters, is data in the
database, set over the API (``PUT /v1/obligations/{id}/reporters``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from services.intake.deadlines import MonthlyRule, Obligation, load_obligations
from services.intake.deadlines import obligations as _folder


@cache
def obligations() -> dict[str, Obligation]:
    found: dict[str, Obligation] = {}
    for entry in sorted(resources.files(_folder).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        for obligation in load_obligations(entry.read_text(encoding="utf-8")):
            if obligation.id in found:
                raise ValueError(f"Mã nghĩa vụ báo cáo bị trùng: {obligation.id} ({entry.name})")
            found[obligation.id] = obligation
    return found


def rule_text(obligation: Obligation) -> str:
    """The reporting rule restated for the reminder letter ("trước ngày 20 hằng tháng")."""
    rule = obligation.rule
    if isinstance(rule, MonthlyRule):
        word = "đến hết ngày" if rule.due_inclusive else "trước ngày"
        text = f"{word} {rule.day} hằng tháng"
        if rule.month_offset == 1:
            text += " (báo cáo của tháng trước)"
        elif rule.month_offset > 1:
            text += f" (báo cáo của {rule.month_offset} tháng trước)"
    else:  # pragma: no cover - only monthly obligations can be assigned
        text = obligation.title
    if obligation.legal_basis:
        text += f", theo {obligation.legal_basis}"
    return text
