"""The linter's entry points: ``lint`` for code, ``main`` for the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from services.docgen.layout_lint.docx_rules import lint_docx
from services.docgen.layout_lint.pdf_rules import lint_pdf
from services.docgen.layout_lint.report import Report
from services.docgen.layout_lint.rules import (
    DEFAULT_PROFILE,
    PRESENCE_RULES,
    PROFILES,
    Profile,
    rule_table,
)
from services.docgen.layout_lint.rules import profile as get_profile
from services.docgen.layout_lint.safety import UnreadableDocument, sniff

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


def lint(path: Path, *, draft: bool = False, profile: str = DEFAULT_PROFILE) -> Report:
    """Check one DOCX or PDF; raises UnreadableDocument when it cannot be read.

    ``profile`` picks the rules (rules.PROFILES): "document" for văn bản hành
    chính, "form" for payment and settlement forms, reports and minutes.
    """
    chosen = get_profile(profile)
    path = Path(path)
    kind = sniff(path)
    report = Report(path=str(path), format=kind, draft=draft, profile=chosen.name)
    if kind == "docx":
        lint_docx(path, report, chosen)
    else:
        lint_pdf(path, report, chosen)
    return _apply_profile(report, chosen)


def _apply_profile(report: Report, profile: Profile) -> Report:
    """Drops the groups the profile does not apply, and for a group checked only
    when present, the findings of a component the file does not have."""
    found = report.rule_ids
    dropped: list[str] = [
        f"{group}."
        for group in ("R1", "R2", "R3", "R4", "R5", "R6", "R7")
        if not profile.applies(group)
    ]
    for rule_id, scope in PRESENCE_RULES.items():
        if rule_id in found and profile.conditional(rule_id.split(".")[0]):
            dropped.extend(scope)
    if not dropped:
        return report
    kept = Report(
        path=report.path, format=report.format, draft=report.draft, profile=report.profile
    )
    for item in (*report.errors, *report.warnings):
        if not item.rule.startswith(tuple(dropped)):
            kept.add(item)
    kept.omitted.update(
        (rule, count)
        for rule, count in report.omitted.items()
        if not rule.startswith(tuple(dropped))
    )
    return kept


def build_parser(prog: str = "vanthu lint-layout") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Check a DOCX or PDF against the layout rules of Nghị định 30/2020 "
        "(khổ giấy, lề, phông, số trang, Quốc hiệu, số ký hiệu, ngày tháng, nơi nhận).",
    )
    parser.add_argument("file", type=Path, nargs="?", help="FILE.docx or FILE.pdf")
    parser.add_argument(
        "--draft",
        action="store_true",
        help="a draft not yet numbered: accept 'Số:      /UBND-VP' and a blank date",
    )
    parser.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=DEFAULT_PROFILE,
        help="the rules to apply: 'document' (văn bản hành chính, every component) or "
        "'form' (payment forms, reports, minutes: page rules, and the header, number, "
        "date, body and Nơi nhận rules where the form has them)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--rules", action="store_true", help="list the rules and exit")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.rules:
        for row in rule_table():
            print(f"{row['id']:<28} {row['severity']:<8} {row['en']}")
        return EXIT_OK
    if args.file is None:
        parser.error("FILE is required")
    try:
        report = lint(args.file, draft=args.draft, profile=args.profile)
    except UnreadableDocument as exc:
        print(f"vanthu lint-layout: {args.file}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    sys.stdout.write(report.to_json() + "\n" if args.json else report.format_text())
    return EXIT_OK if report.ok else EXIT_ERRORS
