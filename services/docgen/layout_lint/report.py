"""Findings and the report the linter hands back."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from services.docgen.layout_lint.rules import RULES, Severity

# Past this many findings of one rule the rest are counted, not listed.
MAX_PER_RULE = 20


@dataclass(frozen=True)
class Location:
    """Where a finding is: a PDF page, a DOCX paragraph, and the part of the layout."""

    page: int | None = None  # 1-based
    paragraph: int | None = None  # 1-based, document order, table cells included
    part: str | None = None  # e.g. "header table, right column", "section 1"

    def describe(self) -> str:
        bits = []
        if self.page is not None:
            bits.append(f"page {self.page}")
        if self.paragraph is not None:
            bits.append(f"paragraph {self.paragraph}")
        if self.part:
            bits.append(self.part)
        return ", ".join(bits) or "document"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message_vi: str
    message_en: str
    location: Location = field(default_factory=Location)
    text: str | None = None  # the offending text, shortened

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def finding(
    rule_id: str,
    location: Location,
    *,
    text: str | None = None,
    **values: object,
) -> Finding:
    """A finding of a catalogued rule, its message filled with ``values``."""
    rule = RULES[rule_id]
    filled = _Defaults({k: _show(v) for k, v in values.items()})
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        message_vi=rule.vi.format_map(filled),
        message_en=rule.en.format_map(filled),
        location=location,
        text=_shorten(text) if text is not None else None,
    )


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Report:
    path: str
    format: str  # "docx" or "pdf"
    draft: bool = False
    profile: str = "document"
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    # Findings past MAX_PER_RULE for a rule, counted by rule id.
    omitted: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rule_ids(self) -> set[str]:
        return {f.rule for f in (*self.errors, *self.warnings)}

    def add(self, item: Finding) -> None:
        target = self.errors if item.severity is Severity.ERROR else self.warnings
        if sum(1 for f in target if f.rule == item.rule) >= MAX_PER_RULE:
            self.omitted[item.rule] = self.omitted.get(item.rule, 0) + 1
            return
        target.append(item)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "draft": self.draft,
            "profile": self.profile,
            "ok": self.ok,
            "errors": [f.to_dict() for f in self.errors],
            "warnings": [f.to_dict() for f in self.warnings],
            "omitted": dict(sorted(self.omitted.items())),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def format_text(self) -> str:
        flags = f"{', draft' if self.draft else ''}"
        flags += f", profile {self.profile}" if self.profile != "document" else ""
        lines = [f"{self.path} ({self.format.upper()}{flags})"]
        for title, items in (("Lỗi / Errors", self.errors), ("Cảnh báo / Warnings", self.warnings)):
            lines.append(f"{title}: {len(items)}")
            for f in items:
                lines.append(f"  [{f.rule}] {f.location.describe()}")
                lines.append(f"    {f.message_vi}")
                lines.append(f"    {f.message_en}")
                if f.text:
                    lines.append(f"    > {f.text}")
        for rule_id, count in sorted(self.omitted.items()):
            lines.append(f"  … {count} more [{rule_id}] not listed")
        verdict = "Đạt / OK" if self.ok else f"Không đạt / FAILED: {len(self.errors)} error(s)"
        lines.append(verdict)
        return "\n".join(lines) + "\n"
