"""``vanthu edxml parse FILE`` and ``vanthu edxml validate FILE``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from shared.edxml.errors import PacketRefused
from shared.edxml.model import Limits
from shared.edxml.reader import parse_file
from shared.edxml.safexml import load_xml
from shared.edxml.summary import packet_summary
from shared.edxml.writer import validate_packet

__all__ = ["add_arguments", "parse_command", "validate_command"]


def parse_command(path: str | Path, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the packet's summary as JSON (exit 0) or the refusal reason on stderr (exit 1)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        packet = parse_file(path, Limits())
    except PacketRefused as exc:
        print(f"edxml: gói tin bị từ chối [{exc.code}]: {exc.message}", file=err)
        return 1
    except OSError as exc:
        print(f"edxml: không đọc được tệp {path}: {exc.strerror or exc}", file=err)
        return 1
    json.dump(packet_summary(packet), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


def validate_command(path: str | Path, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Validate against the writer's XSD; print each error with its line (exit 0/1)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        print(f"edxml: không đọc được tệp {path}: {exc.strerror or exc}", file=err)
        return 1
    limits = Limits()
    try:
        load_xml(data, limits)  # refuse DTDs, entities, oversize before the XSD sees it
    except PacketRefused as exc:
        print(f"{path}: [{exc.code}] {exc.message}", file=out)
        return 1
    errors = validate_packet(data)
    for error in errors:
        print(f"{path}: {error}", file=out)
    if errors:
        print(f"{path}: không hợp lệ theo XSD edXML ({len(errors)} lỗi)", file=out)
        return 1
    print(f"{path}: hợp lệ theo XSD edXML", file=out)
    return 0


def add_arguments(subparsers: Any) -> None:
    """Register ``edxml parse FILE`` and ``edxml validate FILE`` on the main CLI."""
    edxml = subparsers.add_parser("edxml", help="read and check edXML packets (QCVN 102:2016)")
    commands = edxml.add_subparsers(dest="edxml_command", required=True)
    parse = commands.add_parser("parse", help="print a packet's fields and warnings as JSON")
    parse.add_argument("file")
    parse.set_defaults(func=_run_parse)
    validate = commands.add_parser("validate", help="validate a packet against our XSD")
    validate.add_argument("file")
    validate.set_defaults(func=_run_validate)


def _run_parse(args: argparse.Namespace) -> int:
    return parse_command(args.file)


def _run_validate(args: argparse.Namespace) -> int:
    return validate_command(args.file)
